/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "grub-dropin.h"

#define MARKER "# skyhook-kdump: crashkernel="

/* Shell that grub-mkconfig sources; it must stay POSIX sh (dash), leave
 * no variables behind, keep grub-mkconfig's "set -e" happy, and give the
 * same result when sourced twice. Globbing is off while the words are
 * split, so a kernel argument holding '*' stays as it is. */
static const char template_head[] =
	"# Written by skyhook-kdump: the crash kernel reservation of this node.\n"
	"# grub-mkconfig sources it after /etc/default/grub and the other\n"
	"# drop-ins (kdump-tools.cfg among them). It removes every crashkernel=\n"
	"# set before it and adds one, so the kernel command line carries\n"
	"# exactly one. \"skyhook-kdump uninstall\" removes it; do not edit.\n"
	MARKER;
#define TEMPLATE_TAIL \
	"\n" \
	"case $- in *f*) skd_glob= ;; *) skd_glob=1; set -f ;; esac\n" \
	"skd_args=\n" \
	"for skd_arg in $GRUB_CMDLINE_LINUX; do\n" \
	"\tcase $skd_arg in crashkernel=*) ;; *) skd_args=\"${skd_args:+$skd_args }$skd_arg\" ;; esac\n" \
	"done\n" \
	"GRUB_CMDLINE_LINUX=$skd_args\n" \
	"skd_args=\n" \
	"for skd_arg in $GRUB_CMDLINE_LINUX_DEFAULT; do\n" \
	"\tcase $skd_arg in crashkernel=*) ;; *) skd_args=\"${skd_args:+$skd_args }$skd_arg\" ;; esac\n" \
	"done\n" \
	"GRUB_CMDLINE_LINUX_DEFAULT=\"${skd_args:+$skd_args }%s\"\n" \
	"if [ -n \"$skd_glob\" ]; then set +f; fi\n" \
	"unset skd_arg skd_args skd_glob\n"

/* "crashkernel=ITEM" for each item of the value: the kernel reads each
 * item from its own word */
static int ck_words(const char *value, char **ret)
{
	char *out = NULL;

	for (const char *p = value;;) {
		size_t l = strcspn(p, " ");
		char *n;

		if (asprintf(&n, "%s%scrashkernel=%.*s", out ? out : "",
		             out ? " " : "", (int)l, p) < 0) {
			free(out);
			return -ENOMEM;
		}
		free(out);
		out = n;
		if (!p[l])
			break;
		p += l + 1;
	}
	*ret = out;
	return 0;
}

int grub_dropin_text(const char *value, char **ret_text)
{
	char *tail, *text, *words;

	if (ck_words(value, &words) < 0)
		return -ENOMEM;
	if (asprintf(&tail, TEMPLATE_TAIL, words) < 0) {
		free(words);
		return -ENOMEM;
	}
	free(words);
	if (asprintf(&text, "%s%s%s", template_head, value, tail) < 0) {
		free(tail);
		return -ENOMEM;
	}
	free(tail);
	*ret_text = text;
	return 0;
}

int grub_dropin_value(const char *text, char **ret_value)
{
	const char *p = strstr(text, "\n" MARKER);
	char *v;

	if (!p)
		return -SKD_E_INVALID;
	p += sizeof(MARKER);
	v = strndup(p, strcspn(p, "\n"));
	if (!v)
		return -ENOMEM;
	*ret_value = v;
	return 0;
}

bool grub_dropin_is_ours(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, GRUB_DROPIN_NAME) == 0;
}

int grub_dropin_strip(const char *cmdline, const char *value, char **ret)
{
	size_t cap = (cmdline ? strlen(cmdline) : 0) +
	             (value ? 13 * strlen(value) : 0) + 16, len = 0;
	char *out = malloc(cap);

	if (!out)
		return -ENOMEM;
	out[0] = '\0';
	for (const char *p = cmdline; p && *p;) {
		p += strspn(p, " \t\n");
		size_t n = strcspn(p, " \t\n");
		if (n && strncmp(p, "crashkernel=", 12) != 0) {
			if (len)
				out[len++] = ' ';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
		}
		p += n;
	}
	if (value) {
		char *words;

		if (ck_words(value, &words) < 0) {
			free(out);
			return -ENOMEM;
		}
		snprintf(out + len, cap - len, "%s%s", len ? " " : "", words);
		free(words);
	}
	*ret = out;
	return 0;
}
