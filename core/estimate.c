/* SPDX-License-Identifier: Apache-2.0 */
/* PLACEHOLDER until written */
#include "config.h"
#include <errno.h>
#include <string.h>
#include "estimate.h"
int estimate_gather(struct sysroot *root, const struct skd_facts *facts, const char *kernel_release, struct estimate_machine *ret) { (void)root; (void)facts; (void)kernel_release; memset(ret, 0, sizeof(*ret)); return -ENOSYS; }
void estimate_machine_clear(struct estimate_machine *m) { (void)m; }
int estimate_compute(const struct estimate_machine *m, const char *d, struct estimate *ret) { (void)m; (void)d; memset(ret, 0, sizeof(*ret)); return -ENOSYS; }
void estimate_clear(struct estimate *e) { (void)e; }
