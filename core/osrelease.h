/* SPDX-License-Identifier: Apache-2.0 */
/* os-release(5): parsing and reading from a root. */
#ifndef SKD_OSRELEASE_H
#define SKD_OSRELEASE_H

#include <stddef.h>

struct sysroot;

/* Larger os-release files are refused. */
#define OS_RELEASE_MAX (64u * 1024u)

struct os_release {
	char *id;               /* never NULL after a successful parse */
	char **id_like;         /* NULL-terminated, may be empty */
	char *id_like_raw;      /* as written, "" when absent */
	char *version_id;       /* may be NULL */
	char *version_codename; /* may be NULL */
	char *name;
	char *pretty_name;
	const char *source;     /* "/etc/os-release" or "/usr/lib/os-release";
	                           NULL from os_release_parse() */
};

/* Parse with os-release(5)'s shell-like rules (quotes, backslash escapes,
 * comments, blank lines). Refused (-EINVAL, diag_set naming `what`): no ID,
 * an empty ID, ID given twice with different values, a NUL byte, a line
 * that is not KEY=value with a valid key, unbalanced quotes. */
int os_release_parse(const char *data, size_t len, const char *what,
                     struct os_release **ret);
/* <root>/etc/os-release, else <root>/usr/lib/os-release. -ENOENT when
 * neither exists (with a message). */
int os_release_read(struct sysroot *root, struct os_release **ret);
void os_release_free(struct os_release *os);

#endif
