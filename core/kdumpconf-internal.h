/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the kdumpconf*.c files: what they share with each other.
 * Everyone else uses kdumpconf.h. */
#ifndef SKD_KDUMPCONF_INTERNAL_H
#define SKD_KDUMPCONF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "kdumpconf.h"

#define SHELL_FILE "/etc/default/kdump-tools"
#define DIRECTIVE_FILE "/etc/kdump.conf"

/* ---- kdumpconf.c: growing strings, lines, settings ---------------------- */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

void buf_add(struct buf *b, const char *s, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the string over (an empty one when nothing was added). */
int buf_steal(struct buf *b, char **ret);

bool is_blank(char c);
const char *skip_blanks(const char *p);
/* NAME= at the start (after blanks); *ret_len is the name's length. */
bool line_is_assignment(const char *l, size_t *ret_len);
int add_setting(struct kdump_config *c, const char *key, size_t key_len,
                const char *value, unsigned line);

/* ---- kdumpconf-shell.c: KEY=value --------------------------------------- */

struct key_info;        /* a kdump-tools variable and its rules */

const struct key_info *shell_key(const char *name, size_t len);
bool all_digits(const char *v);
/* What is wrong with `v` (unquoted) as the value of `k`, or NULL. Used for
 * the input and for every value rendered into a shell file. */
const char *shell_value_problem(const struct key_info *k, const char *v);
/* The value the file ends up with for `key`, or NULL when unset or empty. */
const char *effective(const struct kdump_config *c, const char *key);
int parse_shell_line(struct kdump_config *c, const char *l,
                     unsigned line, const char *what);

/* ---- kdumpconf-directives.c: kdump.conf directives ---------------------- */

/* kdumpctl counts a dracut_args with --mount as a dump target too */
bool is_target(const char *key, const char *value);
int parse_directive_line(struct kdump_config *c, const char *l,
                         unsigned line, const char *what);

#endif
