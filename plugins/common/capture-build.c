/* SPDX-License-Identifier: Apache-2.0 */
/* Building the capture initrd before the reboot: the kernel that boots
 * next, an initrd older than its inputs, a failed build's last lines. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls.h"
#include "capture-build.h"
#include "grubcfg.h"

/* The quoted word after `keyword` in a menu line ('title' or "title"),
 * malloc'd, or NULL. */
static char *quoted_after(const char *line, const char *keyword)
{
	const char *p = strstr(line, keyword), *end;
	char q;

	if (!p)
		return NULL;
	p += strlen(keyword);
	while (*p == ' ' || *p == '\t')
		p++;
	q = *p;
	if (q != '\'' && q != '"')
		return NULL;
	end = strchr(p + 1, q);
	return end ? strndup(p + 1, (size_t)(end - p - 1)) : NULL;
}

/* "vmlinuz-6.1.0-37-amd64" from a linux line's image path. */
static char *release_of_linux_line(const char *args)
{
	const char *p = args, *end, *base;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strcspn(p, " \t");
	base = p;
	for (const char *q = p; q < end; q++)
		if (*q == '/')
			base = q + 1;
	if (!strncmp(base, "vmlinuz-", 8) || !strncmp(base, "vmlinux-", 8))
		base += 8;
	else
		return NULL;
	return base < end ? strndup(base, (size_t)(end - base)) : NULL;
}

static bool is_menu_line(const char *line, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(line, word, n) && (line[n] == ' ' || line[n] == '\t');
}

int boot_release_from_grub_cfg(const char *text, const char *want,
                               char **ret_release)
{
	const char *name = want;
	char *first = NULL, *found = NULL;
	bool in_wanted = false, numeric;
	long index = -1, top = -1;
	int depth = 0;

	*ret_release = NULL;
	if (name && strrchr(name, '>'))
		name = strrchr(name, '>') + 1;
	if (name && !*name)
		name = NULL;
	numeric = name && strspn(name, "0123456789") == strlen(name);
	if (numeric)
		index = strtol(name, NULL, 10);
	for (const char *p = text; *p && !found;) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n), *l;
		const char *args;

		if (!line)
			goto nomem;
		l = line + strspn(line, " \t");
		if (is_menu_line(l, "menuentry") || is_menu_line(l, "submenu")) {
			bool entry = is_menu_line(l, "menuentry");
			char *title = quoted_after(l, entry ? "menuentry" : "submenu");
			char *id = quoted_after(l, "$menuentry_id_option");

			if (depth == 0)
				top++;
			if (entry && name && !numeric &&
			    ((title && !strcmp(title, name)) || (id && !strcmp(id, name))))
				in_wanted = true;
			if (entry && numeric && depth == 0 && top == index)
				in_wanted = true;
			free(title);
			free(id);
		}
		for (const char *c = l; *c; c++)
			depth += *c == '{' ? 1 : *c == '}' ? -1 : 0;
		if (depth < 0)
			depth = 0;
		if ((args = grubcfg_linux_args(l))) {
			char *rel = release_of_linux_line(args);

			if (in_wanted)
				found = rel;
			else if (!first)
				first = rel;
			else
				free(rel);
		}
		free(line);
		p += n + (p[n] ? 1 : 0);
	}
	if (found) {
		free(first);
		*ret_release = found;
	} else {
		*ret_release = first;
	}
	return 0;
nomem:
	free(first);
	return -ENOMEM;
}

int boot_release_newest(const struct skd_host *h, char **ret_release)
{
	char **names = NULL;
	const char *best = NULL;
	int r;

	*ret_release = NULL;
	r = h->list_dir(h, "/boot", &names);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return h->error(h, r, "cannot list /boot: %s", strerror(-r));
	for (char **p = names; *p; p++) {
		const char *v = !strncmp(*p, "vmlinuz-", 8) || !strncmp(*p, "vmlinux-", 8) ?
		                *p + 8 : NULL;

		/* a rescue image is not a kernel a package installed */
		if (v && *v && !strstr(v, "rescue") && (!best || strverscmp(v, best) > 0))
			best = v;
	}
	if (best && !(*ret_release = strdup(best)))
		r = -ENOMEM;
	else
		r = 0;
	skd_strv_free(names);
	return r < 0 ? h->error(h, r, "out of memory") : 0;
}

/* The value of grub.cfg's last `set default=...` line, unquoted, or NULL. */
static char *menu_default(const char *text)
{
	char *value = NULL;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		const char *l = p + strspn(p, " \t");

		if (!strncmp(l, "set default=", 12)) {
			const char *v = l + 12, *e = p + n;
			if (*v == '"' || *v == '\'') {
				const char *q = memchr(v + 1, *v, (size_t)(e - v - 1));
				e = q ? q : e;
				v++;
			}
			free(value);
			value = strndup(v, (size_t)(e - v));
		}
		p += n + (p[n] ? 1 : 0);
	}
	return value;
}

int boot_release_from_grub(const struct skd_host *h, const char *cfg,
                           const char *grubenv, char **ret_release,
                           char **ret_basis)
{
	char *text = NULL, *env = NULL, *def = NULL, *rel = NULL;
	const char *want;
	size_t len;
	int r;

	*ret_release = *ret_basis = NULL;
	r = h->read_file(h, cfg, &text, &len);
	if (r == -ENOENT) {
		r = boot_release_newest(h, &rel);
		if (r < 0)
			return r;
		if (rel && asprintf(ret_basis, "the newest /boot/vmlinuz-* (no %s)", cfg) < 0) {
			free(rel);
			return h->error(h, -ENOMEM, "out of memory");
		}
		*ret_release = rel;
		return 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read %s: %s", cfg, strerror(-r));
	want = def = menu_default(text);
	if (def && strstr(def, "saved_entry")) {
		want = NULL;
		if (grubenv && h->read_file(h, grubenv, &env, &len) >= 0) {
			free(def);
			want = def = grubenv_get(env, "saved_entry");
		}
	}
	if (want && !strcmp(want, "0"))
		want = NULL;
	r = boot_release_from_grub_cfg(text, want, &rel);
	if (r == 0 && rel && (want ? asprintf(ret_basis, "entry \"%s\" of %s", want, cfg) :
	                             asprintf(ret_basis, "the first entry of %s", cfg)) < 0)
		r = -ENOMEM;
	free(text);
	free(env);
	free(def);
	if (r < 0) {
		free(rel);
		return h->error(h, r, "out of memory");
	}
	*ret_release = rel;
	return 0;
}

int initrd_stale_inputs(const struct skd_host *h, const char *initrd,
                        const char *const *inputs, char **ret_stale)
{
	int64_t built, t;
	int r;

	*ret_stale = NULL;
	if (!SKD_HOST_HAS(h, mtime))
		return h->error(h, -SKD_E_NOTSUP, "the host cannot tell file times (ABI before 1.5)");
	r = h->mtime(h, initrd, &built);
	if (r == -ENOENT)
		return asprintf(ret_stale, "%s is missing", initrd) < 0 ?
		       h->error(h, -ENOMEM, "out of memory") : 0;
	if (r < 0)
		return h->error(h, r, "cannot look at %s: %s", initrd, strerror(-r));
	for (size_t i = 0; inputs[i]; i++) {
		r = h->mtime(h, inputs[i], &t);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return h->error(h, r, "cannot look at %s: %s", inputs[i], strerror(-r));
		if (t > built)
			return asprintf(ret_stale, "%s is older than %s", initrd, inputs[i]) < 0 ?
			       h->error(h, -ENOMEM, "out of memory") : 0;
	}
	return 0;
}

char *last_lines(const char *s, unsigned n)
{
	const char *end, *start;
	unsigned got = 0;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!s)
		s = "";
	end = s + strlen(s);
	start = end;
	/* back over n non-empty lines */
	while (start > s && got < n) {
		const char *e = start, *b;

		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e == s)
			break;
		b = e;
		while (b > s && b[-1] != '\n')
			b--;
		start = b;
		got++;
	}
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (const char *p = start; p < end;) {
		size_t k = strcspn(p, "\n");
		const char *b = p, *e = p + k;

		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b)
			fprintf(f, "%s%.*s", ftell(f) ? " | " : "", (int)(e - b), b);
		p += k + (p[k] ? 1 : 0);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

int initrd_build_failed(const struct skd_host *h, const char *what,
                        const struct skd_run_result *res)
{
	char *tail = last_lines(res->err && *res->err ? res->err : res->out, 3);
	int r = h->error(h, -SKD_E_FAILED, "%s failed with exit status %d: %s", what,
	                 res->status, tail && *tail ? tail : "(no message)");

	free(tail);
	return r;
}
