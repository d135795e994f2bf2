/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "host.h"
#include "state.h"
#include "strv.h"
#include "sysroot.h"

struct state *state_new(void)
{
	struct state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->format = STATE_FORMAT;
	st->service_was_enabled = -1;
	st->packages = calloc(1, sizeof(char *));
	if (!st->packages) {
		free(st);
		return NULL;
	}
	return st;
}

void state_free(struct state *st)
{
	if (!st)
		return;
	free(st->written_by);
	strv_free(st->packages);
	free(st->crashkernel_before);
	free(st->crashkernel);
	free(st->auto_crashkernel);
	free(st->auto_basis);
	free(st->auto_platform);
	free(st);
}

bool state_has_package(const struct state *st, const char *name)
{
	return strv_contains(st->packages, name);
}

int state_add_package(struct state *st, const char *name)
{
	if (state_has_package(st, name))
		return 0;
	return strv_push(&st->packages, name);
}

bool state_is_empty(const struct state *st)
{
	return !st->packages[0] && !st->have_crashkernel_before &&
	       !st->crashkernel && st->service_was_enabled < 0;
}

/* Values are package names and validated crashkernel values: printable,
 * no newline. Anything else in a state file means it was edited or
 * damaged, and we refuse rather than act on a guess. */
static bool value_ok(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || (unsigned char)*v > 0x7e)
			return false;
	return true;
}

static int set_string(char **field, const char *v)
{
	char *copy = strdup(v);

	if (!copy)
		return -ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

static int parse_line(struct state *st, const char *key, const char *v)
{
	if (!strcmp(key, "format")) {
		char *end;
		unsigned long f;
		/* digits only, and no wrap: "4294967297" is not format 1 */
		if (*v < '0' || *v > '9')
			return -EINVAL;
		errno = 0;
		f = strtoul(v, &end, 10);
		if (*end || errno || f > UINT_MAX)
			return -EINVAL;
		st->format = (unsigned)f;
		return 0;
	}
	if (!strcmp(key, "written-by"))
		return set_string(&st->written_by, v);
	if (!strcmp(key, "package"))
		return state_add_package(st, v);
	if (!strcmp(key, "crashkernel-before")) {
		st->have_crashkernel_before = true;
		return *v ? set_string(&st->crashkernel_before, v) : 0;
	}
	if (!strcmp(key, "crashkernel"))
		return set_string(&st->crashkernel, v);
	if (!strcmp(key, "auto-crashkernel"))
		return set_string(&st->auto_crashkernel, v);
	if (!strcmp(key, "auto-basis"))
		return set_string(&st->auto_basis, v);
	if (!strcmp(key, "auto-platform"))
		return set_string(&st->auto_platform, v);
	if (!strcmp(key, "service-was-enabled")) {
		if (strcmp(v, "0") && strcmp(v, "1"))
			return -EINVAL;
		st->service_was_enabled = v[0] == '1';
		return 0;
	}
	/* keys of newer minor versions are kept out, not fatal */
	return 0;
}

int state_parse(const char *text, const char *what, struct state **ret)
{
	struct state *st = state_new();
	const char *p = text;
	unsigned lineno = 0;
	int r = 0;

	if (!st)
		return -ENOMEM;
	st->format = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len), *eq;

		lineno++;
		p += len + (nl ? 1 : 0);
		if (!line) {
			r = -ENOMEM;
			goto out;
		}
		if (!line[0] || line[0] == '#') {
			free(line);
			continue;
		}
		eq = strchr(line, '=');
		if (!eq || !value_ok(line)) {
			free(line);
			r = diag_set(-EINVAL, "%s: line %u is not key=value", what, lineno);
			goto out;
		}
		*eq = '\0';
		r = parse_line(st, line, eq + 1);
		free(line);
		if (r < 0) {
			diag_set(r, "%s: line %u: bad value", what, lineno);
			goto out;
		}
	}
	/* Format 0 is the first development format: the same keys without a
	 * format line. Moving it forward is setting the number. */
	if (st->format > STATE_FORMAT) {
		r = diag_set(-EINVAL, "%s: format %u is newer than this program (%d)",
		             what, st->format, STATE_FORMAT);
		goto out;
	}
	*ret = st;
	st = NULL;
out:
	state_free(st);
	return r;
}

int state_load(struct sysroot *root, struct state **ret)
{
	char *text = NULL;
	size_t len;
	int r = sysroot_read(root, STATE_FILE, 1 << 20, &text, &len);

	if (r == -ENOENT) {
		diag_clear();
		*ret = state_new();
		return *ret ? 0 : -ENOMEM;
	}
	if (r < 0)
		return r;
	if (strlen(text) != len) {
		free(text);
		return diag_set(-EINVAL, "state file %s holds a NUL byte", STATE_FILE);
	}
	r = state_parse(text, STATE_FILE, ret);
	free(text);
	return r;
}

char *state_format(const struct state *st)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fprintf(f, "# skyhook-kdump: what apply and config changed; uninstall reverses it.\n");
	fprintf(f, "format=%d\n", STATE_FORMAT);
	fprintf(f, "written-by=%s\n", PACKAGE_VERSION);
	for (char **p = st->packages; *p; p++)
		fprintf(f, "package=%s\n", *p);
	if (st->have_crashkernel_before)
		fprintf(f, "crashkernel-before=%s\n",
		        st->crashkernel_before ? st->crashkernel_before : "");
	if (st->crashkernel)
		fprintf(f, "crashkernel=%s\n", st->crashkernel);
	if (st->service_was_enabled >= 0)
		fprintf(f, "service-was-enabled=%d\n", st->service_was_enabled);
	if (st->auto_crashkernel)
		fprintf(f, "auto-crashkernel=%s\n", st->auto_crashkernel);
	if (st->auto_crashkernel && st->auto_basis)
		fprintf(f, "auto-basis=%s\n", st->auto_basis);
	if (st->auto_crashkernel && st->auto_platform)
		fprintf(f, "auto-platform=%s\n", st->auto_platform);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* the file holds printable ASCII only: a backend's words may not be */
static char *flat_copy(const char *s)
{
	char *c = strdup(s ? s : "");

	for (char *p = c; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return c;
}

int state_set_auto(struct state *st, const char *value, const char *basis,
                   const char *platform)
{
	char *v = strdup(value), *b = flat_copy(basis), *p = flat_copy(platform);

	if (!v || !b || !p || !value_ok(v)) {
		free(v);
		free(b);
		free(p);
		return v && b && p ? -EINVAL : -ENOMEM;
	}
	free(st->auto_crashkernel);
	free(st->auto_basis);
	free(st->auto_platform);
	st->auto_crashkernel = v;
	st->auto_basis = b;
	st->auto_platform = p;
	return 0;
}

int state_save(struct sysroot *root, const struct state *st)
{
	char *text = state_format(st);
	int r;

	if (!text)
		return -ENOMEM;
	r = sysroot_mkdir_p(root, STATE_DIR, 0700);
	if (r >= 0)
		r = sysroot_replace(root, STATE_FILE, text, strlen(text), 0600, NULL);
	free(text);
	return r;
}

static int remove_tree(struct sysroot *root, const char *path)
{
	struct skd_stat stt;
	char **names = NULL;
	int r = sysroot_stat(root, path, true, &stt);

	if (r < 0)
		return r;
	if (stt.type == SKD_FILE_NONE)
		return 0;
	if (stt.type != SKD_FILE_DIRECTORY)
		return sysroot_remove(root, path);
	r = sysroot_list(root, path, &names);
	if (r < 0)
		return r;
	for (char **n = names; *n && r >= 0; n++) {
		char *child;
		if (asprintf(&child, "%s/%s", path, *n) < 0) {
			r = -ENOMEM;
			break;
		}
		r = remove_tree(root, child);
		free(child);
	}
	skd_strv_free(names);
	if (r >= 0)
		r = sysroot_rmdir(root, path);
	return r;
}

/* The state last: while it exists, a retry redoes uninstall from it. */
int state_drop(struct sysroot *root)
{
	int r = sysroot_remove(root, STATE_DIR "/files");

	if (r >= 0)
		r = remove_tree(root, STATE_DIR "/backup");
	if (r >= 0)
		r = sysroot_remove(root, STATE_FILE);
	return r;
}
