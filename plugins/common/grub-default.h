/* SPDX-License-Identifier: Apache-2.0 */
/* Editing the crashkernel= token inside one variable of a GRUB defaults
 * file (/etc/default/grub or a grub.d drop-in: shell assignments that
 * grub-mkconfig sources). Pure text functions: only that token changes,
 * every other byte of the file stays as it was. */
#ifndef SKD_PLUGIN_GRUB_DEFAULT_H
#define SKD_PLUGIN_GRUB_DEFAULT_H

#include <stdbool.h>

/* The values of the crashkernel= words in the last assignment of `var`
 * (e.g. "GRUB_CMDLINE_LINUX"), joined with one space ("512M,high
 * 128M,low"), or NULL in *ret_value when none. -ENOENT when `var` is not
 * assigned at all. */
int grubdef_get_crashkernel(const char *text, const char *var,
                            char **ret_value);
/* New text with the crashkernel= words of `var` set to `value`, one word
 * per item (items separated by one space): every crashkernel= word of
 * that variable is removed and the new ones are added at the end of the
 * value; a variable that carries exactly those items in that order
 * already is left as it is. With value NULL they are removed. Adds the
 * assignment when `var` is not assigned (only when value != NULL). */
int grubdef_set_crashkernel(const char *text, const char *var,
                            const char *value, char **ret_text,
                            bool *ret_changed);

/* The check every edit passes before it is returned (a test seam too):
 * `old` and `new` parse as the shell grub-mkconfig sources (see
 * grubdef_check_syntax), nothing outside the value of the last `var`
 * assignment differs, and within it only crashkernel= words: `new` has
 * exactly one crashkernel= word per item of `value`, in order (none when
 * value is NULL). -SKD_E_FAILED
 * with the reason in grubdef_refusal() otherwise. */
int grubdef_verify_edit(const char *old, const char *new, const char *var,
                        const char *value);
/* A subset of `sh -n`: quotes and substitutions closed, compound
 * commands paired, no here-document. 0 or -SKD_E_FAILED with the reason
 * ("line N: ...") in grubdef_refusal(). */
int grubdef_check_syntax(const char *text);
/* Why the last check refused (static storage). */
const char *grubdef_refusal(void);

#endif
