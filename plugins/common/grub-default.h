/* SPDX-License-Identifier: Apache-2.0 */
/* Editing the crashkernel= token inside one variable of a GRUB defaults
 * file (/etc/default/grub or a grub.d drop-in: shell assignments that
 * grub-mkconfig sources). Pure text functions: only that token changes,
 * every other byte of the file stays as it was. */
#ifndef SKD_PLUGIN_GRUB_DEFAULT_H
#define SKD_PLUGIN_GRUB_DEFAULT_H

#include <stdbool.h>

/* The value of the last crashkernel= in the last assignment of `var`
 * (e.g. "GRUB_CMDLINE_LINUX"), or NULL in *ret_value when none.
 * -ENOENT when `var` is not assigned at all. */
int grubdef_get_crashkernel(const char *text, const char *var,
                            char **ret_value);
/* New text with the crashkernel= token of `var` set to `value` (added at
 * the end of the value when absent; every other crashkernel= token in that
 * variable removed), or removed when value is NULL. Adds the assignment
 * when `var` is not assigned (only when value != NULL). */
int grubdef_set_crashkernel(const char *text, const char *var,
                            const char *value, char **ret_text,
                            bool *ret_changed);

#endif
