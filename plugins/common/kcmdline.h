/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and editing one parameter of a kernel command line held as text:
 * a BLS "options" value, /etc/kernel/cmdline, a grub.cfg "linux" line's
 * arguments. Parameters are separated by blanks; only the parameter named
 * changes, every other byte stays as it was. */
#ifndef SKD_PLUGIN_KCMDLINE_H
#define SKD_PLUGIN_KCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The values of every `key`= parameter in the first `len` bytes of
 * `line`, in order, joined with one space (crashkernel= takes several
 * items, each from its own word: "crashkernel=512M,high crashkernel=128M,low"
 * gives "512M,high 128M,low"), or NULL in *ret_value when the parameter
 * is absent. */
int kcmdline_get(const char *line, size_t len, const char *key,
                 char **ret_value);
/* True when `key`= occurs at all. */
bool kcmdline_has(const char *line, size_t len, const char *key);
/* New text with `key`=`value`: the first occurrence is replaced in place
 * by one `key`= word per item of `value` (items separated by one space),
 * later ones are dropped, and the words are appended when absent; with
 * value NULL every occurrence is removed. Text that already carries
 * exactly those items in that order is left as it is. Text after the
 * first `len` bytes (a newline, say) is kept unchanged. -SKD_E_INVALID
 * for a value kcmdline_value_ok() refuses. */
int kcmdline_set(const char *line, size_t len, const char *key,
                 const char *value, char **ret_line, bool *ret_changed);

/* A crashkernel value: items separated by one space, no other blank,
 * each a size or range list (it starts with a digit) or "auto". */
bool kcmdline_value_ok(const char *value);
/* "key=item key=item ..." for the items of `value`, malloc'd. */
int kcmdline_words(const char *key, const char *value, char **ret);

/* The check kcmdline_set passes its result through (-SKD_E_FAILED
 * otherwise): `edited` holds the parameters of the first `len` bytes of
 * `line` other than `key`, in the same order, one `key`= word per item of `value`, in order
 * (none when value is NULL), and the same text after the command line. */
bool kcmdline_verify(const char *line, size_t len, const char *edited,
                     const char *key, const char *value);

#endif
