/* SPDX-License-Identifier: Apache-2.0 */
/* A kernel's build configuration, as distributions ship it beside the
 * kernel (/boot/config-RELEASE): what the estimate and the kexec checks
 * read of it. */
#ifndef SKD_KCONFIG_H
#define SKD_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct sysroot;

/* The value of "NAME=" on a line of a kernel .config (not NUL-terminated:
 * *ret_len bytes), or NULL when the option is not set. */
const char *kconfig_value(const char *config, const char *name, size_t *ret_len);
/* NAME=y */
bool kconfig_yes(const char *config, const char *name);
/* /boot/config-RELEASE in the root (malloc'd, NUL-terminated), or NULL
 * when missing or unreadable; *ret_path (may be NULL) gets the path
 * (malloc'd) whenever it returns text. */
char *kconfig_read(struct sysroot *root, const char *release, char **ret_path);

#endif
