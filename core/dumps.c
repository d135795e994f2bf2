/* SPDX-License-Identifier: Apache-2.0 */
/* PLACEHOLDER until written */
#include "config.h"
#include <errno.h>
#include <string.h>
#include "dumps.h"
int dumps_scan(struct sysroot *root, const char *dir, struct dump_list *ret) { (void)root; (void)dir; memset(ret, 0, sizeof(*ret)); return -ENOSYS; }
void dump_list_clear(struct dump_list *l) { (void)l; }
int dumps_prune(struct sysroot *root, const char *dir, const struct dump_list *l, size_t keep, bool dry_run, FILE *out) { (void)root; (void)dir; (void)l; (void)keep; (void)dry_run; (void)out; return -ENOSYS; }
