/* SPDX-License-Identifier: Apache-2.0 */
/* PLACEHOLDER until written */
#include "config.h"
#include <errno.h>
#include <string.h>
#include "vmcore.h"
int vmcore_inspect(int fd, const char *name, struct vmcore_info *ret) { (void)fd; (void)name; memset(ret, 0, sizeof(*ret)); return -ENOSYS; }
void vmcore_info_clear(struct vmcore_info *v) { (void)v; }
const char *vmcore_format_name(enum vmcore_format f) { (void)f; return "unknown"; }
char *dmesg_panic_message(const char *text, size_t len) { (void)text; (void)len; return NULL; }
