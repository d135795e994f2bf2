/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and editing one parameter of a kernel command line held as text:
 * a BLS "options" value, /etc/kernel/cmdline, a grub.cfg "linux" line's
 * arguments. Parameters are separated by blanks; only the parameter named
 * changes, every other byte stays as it was. */
#ifndef SKD_PLUGIN_KCMDLINE_H
#define SKD_PLUGIN_KCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The value of the last `key`= parameter in the first `len` bytes of
 * `line` (the kernel uses the last one), or NULL in *ret_value when the
 * parameter is absent. */
int kcmdline_get(const char *line, size_t len, const char *key,
                 char **ret_value);
/* True when `key`= occurs at all. */
bool kcmdline_has(const char *line, size_t len, const char *key);
/* New text with `key`=`value`: the first occurrence is replaced in place,
 * later ones are dropped, and the parameter is appended when absent; with
 * value NULL every occurrence is removed. Text after the first `len`
 * bytes (a newline, say) is kept unchanged. */
int kcmdline_set(const char *line, size_t len, const char *key,
                 const char *value, char **ret_line, bool *ret_changed);

/* The check kcmdline_set passes its result through (-SKD_E_FAILED
 * otherwise): `edited` holds the parameters of the first `len` bytes of
 * `line` other than `key`, in the same order, `key`=`value` exactly once
 * (none when value is NULL), and the same text after the command line. */
bool kcmdline_verify(const char *line, size_t len, const char *edited,
                     const char *key, const char *value);

#endif
