/* SPDX-License-Identifier: Apache-2.0 */
/* kexec-tools' system call options, its default, and shell variables
 * files, for every backend's kexec_syscall and capture_cmdline.
 *
 * Sources:
 * - kexec(8), kexec-tools: -s/--kexec-file-syscall uses kexec_file_load
 *   only, -c/--kexec-syscall kexec_load only, -a/--kexec-syscall-auto
 *   kexec_file_load first and kexec_load only when the kernel cannot do
 *   it (ENOSYS, EINVAL, ENOEXEC, ENOTSUP; a refused signature or lockdown
 *   is not retried). The last of them on the command line wins (getopt).
 *   Up to 2.0.26 the default was -c; 2.0.27 (2023, commit 29fe506 "kexec:
 *   make -a the default") made it -a. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexec-args.h"

static bool word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(w, s, len) == 0;
}

enum kexec_flag kexec_args_last_flag(const char *args)
{
	enum kexec_flag f = KEXEC_FLAG_NONE;
	const char *p = args ? args : "";

	while (*p) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (word_is(p, len, "-s") || word_is(p, len, "--kexec-file-syscall"))
			f = KEXEC_FLAG_FILE;
		else if (word_is(p, len, "-c") || word_is(p, len, "--kexec-syscall"))
			f = KEXEC_FLAG_LOAD;
		else if (word_is(p, len, "-a") || word_is(p, len, "--kexec-syscall-auto"))
			f = KEXEC_FLAG_AUTO;
		p += len;
	}
	return f;
}

bool kexec_tools_tries_file_load(const char *v)
{
	const char *colon = strchr(v, ':');
	unsigned a = 0, b = 0, c = 0;

	if (colon)
		v = colon + 1;
	if (sscanf(v, "%u.%u.%u", &a, &b, &c) < 2)
		return false;
	return a > 2 || (a == 2 && (b > 0 || c >= 27));
}

/* One shell word at p: quotes removed, as the shell assigns it. */
static char *shell_word(const char *p)
{
	size_t cap = strlen(p) + 1, n = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	while (*p && *p != '\n' && *p != ' ' && *p != '\t') {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				out[n++] = *p;
			if (*p)
				p++;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && strchr("\"\\$`", p[1]))
					p++;
				out[n++] = *p;
			}
			if (*p)
				p++;
		} else if (*p == '\\' && p[1] && p[1] != '\n') {
			out[n++] = p[1];
			p += 2;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

char *shell_var_value(const char *text, const char *name)
{
	size_t name_len = strlen(name);
	const char *line = text, *found = NULL;

	while (line && *line) {
		const char *p = line + strspn(line, " \t");

		if (!strncmp(p, "export", 6) && (p[6] == ' ' || p[6] == '\t'))
			p += 6 + strspn(p + 6, " \t");
		if (!strncmp(p, name, name_len) && p[name_len] == '=')
			found = p + name_len + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return found ? shell_word(found) : NULL;
}

int kexec_args_read_config(const struct skd_host *h, const char *path,
                           char **ret_text)
{
	size_t len;

	*ret_text = NULL;
	return h->read_file(h, path, ret_text, &len);
}

int kexec_args_answer(const char **ret_syscall, char **ret_basis,
                      const char *syscall, const char *basis)
{
	*ret_syscall = syscall;
	return kexec_args_dup(basis, ret_basis);
}

int kexec_args_dup(const char *s, char **ret)
{
	*ret = NULL;
	if (s && !(*ret = strdup(s)))
		return -ENOMEM;
	return 0;
}
