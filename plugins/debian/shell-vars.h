/* SPDX-License-Identifier: Apache-2.0 */
/* A small evaluator for the shell files grub-mkconfig sources
 * (/etc/default/grub, /etc/default/grub.d/\*.cfg): variable assignments
 * with single and double quotes, $VAR and ${VAR}, backslash escapes,
 * comments and `export`. It runs nothing. A value it cannot compute (a
 * command substitution, ${VAR:-x}, ...) makes that variable "unknown",
 * with the file and line; a statement that is not an assignment (if, a
 * command, `.`) could change anything, so it stops the evaluation. */
#ifndef SKD_DEBIAN_SHELL_VARS_H
#define SKD_DEBIAN_SHELL_VARS_H

struct shvars;

int shvars_new(struct shvars **ret);
void shvars_free(struct shvars *v);

/* Apply the assignments in `text` (the content of `file`) in order.
 * -SKD_E_INVALID with *ret_why ("FILE:LINE: reason", malloc'd) when a
 * statement cannot be evaluated; -ENOMEM. */
int shvars_source(struct shvars *v, const char *file, const char *text,
                  char **ret_why);

/* The value of `name`: 0 with *ret_value (NULL when unset), or
 * -SKD_E_INVALID with *ret_why (owned by `v`) when it is unknown. */
int shvars_get(const struct shvars *v, const char *name,
               const char **ret_value, const char **ret_why);

/* Set `name` to `value` (a copy), as an assignment would. */
int shvars_set(struct shvars *v, const char *name, const char *value);

#endif
