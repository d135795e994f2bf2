/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "osrelease.h"
#include "sysroot.h"

/* Characters a shell treats specially in an unquoted word. os-release(5)
 * says such values must be quoted; guessing what a shell would make of them
 * is how two readers end up disagreeing, so they are refused. */
static const char unquoted_refused[] = " \t\"'`$\\;&|<>()*?[]{}#~!";

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Control characters other than tab never belong in os-release. */
static bool is_control(char c)
{
	unsigned char u = (unsigned char)c;
	return (u < 0x20 && c != '\t') || u == 0x7f;
}

/* A short, printable rendering of untrusted bytes for messages. */
static const char *printable(const char *s, size_t n, char *buf, size_t size)
{
	size_t o = 0;

	assert(size > 4);
	for (size_t i = 0; i < n && o + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (o + 4 >= size && n > o) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static bool valid_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_id_char(*s))
			return false;
	return true;
}

void os_release_free(struct os_release *os)
{
	if (!os)
		return;
	free(os->id);
	if (os->id_like)
		for (char **p = os->id_like; *p; p++)
			free(*p);
	free(os->id_like);
	free(os->id_like_raw);
	free(os->version_id);
	free(os->version_codename);
	free(os->name);
	free(os->pretty_name);
	free(os);
}

/* Parse the value part of one assignment, [p, end), into a new string.
 * Exactly one of: an unquoted word, "double quoted", 'single quoted';
 * trailing blanks are allowed (the shell ignores them), anything else
 * after a closing quote is not. */
static int parse_value(const char *p, const char *end, const char *what,
                       unsigned line, char **ret)
{
	char *out = malloc((size_t)(end - p) + 1);
	size_t o = 0;
	char tmp[48];
	int r;

	if (!out)
		return diag_set(-ENOMEM, "%s: out of memory", what);

	if (p < end && (*p == '"' || *p == '\'')) {
		char quote = *p++;
		bool closed = false;

		while (p < end) {
			char c = *p++;

			if (c == quote) {
				closed = true;
				break;
			}
			if (is_control(c)) {
				r = diag_set(-EINVAL, "%s:%u: control character in value",
				             what, line);
				goto out;
			}
			if (quote == '"' && (c == '$' || c == '`')) {
				/* a shell would expand it; os-release has no expansion */
				r = diag_set(-EINVAL, "%s:%u: unescaped '%c' in double quotes",
				             what, line, c);
				goto out;
			}
			if (quote == '"' && c == '\\') {
				if (p == end) {
					r = diag_set(-EINVAL, "%s:%u: backslash at end of line "
					             "(line continuation is not supported)",
					             what, line);
					goto out;
				}
				if (strchr("\"\\$`", *p))
					c = *p++;
				/* else: the shell keeps the backslash, so do we */
			}
			out[o++] = c;
		}
		if (!closed) {
			r = diag_set(-EINVAL, "%s:%u: unterminated %s quote", what, line,
			             quote == '"' ? "double" : "single");
			goto out;
		}
		while (p < end && is_blank(*p))
			p++;
		if (p < end) {
			r = diag_set(-EINVAL, "%s:%u: unexpected text after closing quote: '%s'",
			             what, line, printable(p, (size_t)(end - p), tmp, sizeof(tmp)));
			goto out;
		}
	} else {
		while (end > p && is_blank(end[-1]))
			end--;
		for (const char *q = p; q < end; q++) {
			if (is_control(*q)) {
				r = diag_set(-EINVAL, "%s:%u: control character in value",
				             what, line);
				goto out;
			}
			if (strchr(unquoted_refused, *q)) {
				r = diag_set(-EINVAL, "%s:%u: unquoted value '%s' contains %s; "
				             "it must be quoted", what, line,
				             printable(p, (size_t)(end - p), tmp, sizeof(tmp)),
				             is_blank(*q) ? "whitespace" : "a shell metacharacter");
				goto out;
			}
		}
		memcpy(out, p, (size_t)(end - p));
		o = (size_t)(end - p);
	}
	out[o] = '\0';
	*ret = out;
	out = NULL;
	r = 0;
out:
	free(out);
	return r;
}

static void replace(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

/* Split ID_LIKE on runs of spaces; every entry must be a valid ID. */
static int split_id_like(const char *raw, const char *what, unsigned line,
                         char ***ret)
{
	char **v = NULL;
	size_t n = 0;
	char tmp[48];
	int r;

	v = calloc(1, sizeof(char *));
	if (!v)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	for (const char *p = raw; *p;) {
		const char *e;
		char **nv;

		if (*p == ' ') {
			p++;
			continue;
		}
		e = strchr(p, ' ');
		if (!e)
			e = p + strlen(p);
		for (const char *q = p; q < e; q++)
			if (!is_id_char(*q)) {
				r = diag_set(-EINVAL, "%s:%u: ID_LIKE entry '%s' is not a valid "
				             "ID (allowed: a-z 0-9 . _ -)", what, line,
				             printable(p, (size_t)(e - p), tmp, sizeof(tmp)));
				goto out;
			}
		nv = realloc(v, (n + 2) * sizeof(char *));
		if (!nv) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
		v = nv;
		v[n] = strndup(p, (size_t)(e - p));
		if (!v[n]) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
		v[++n] = NULL;
		p = e;
	}
	*ret = v;
	v = NULL;
	r = 0;
out:
	if (v)
		for (size_t i = 0; i < n; i++)
			free(v[i]);
	free(v);
	return r;
}

int os_release_parse(const char *data, size_t len, const char *what,
                     struct os_release **ret)
{
	struct os_release *os = NULL;
	char **id_like = NULL;
	unsigned line = 0, id_line = 0;
	const char *p = data, *end = data + len;
	const char *nul;
	char tmp[48], tmp2[48];
	int r;

	assert(data || len == 0);
	assert(what && ret);

	if (len > OS_RELEASE_MAX)
		return diag_set(-EINVAL, "%s: larger than %u KiB, refusing", what,
		                OS_RELEASE_MAX / 1024);
	nul = len ? memchr(data, '\0', len) : NULL;
	if (nul) {
		unsigned l = 1;
		for (const char *q = data; q < nul; q++)
			l += *q == '\n';
		return diag_set(-EINVAL, "%s:%u: NUL byte, not a text file", what, l);
	}

	os = calloc(1, sizeof(*os));
	if (!os)
		return diag_set(-ENOMEM, "%s: out of memory", what);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		const char *eq, *k;
		char *value = NULL;

		line++;
		if (e > p && e[-1] == '\r')
			e--;    /* CRLF */
		while (p < e && is_blank(*p))
			p++;
		if (p == e || *p == '#') {
			p = next;
			continue;
		}

		eq = memchr(p, '=', (size_t)(e - p));
		if (!eq) {
			r = diag_set(-EINVAL, "%s:%u: not a KEY=value line: '%s'", what,
			             line, printable(p, (size_t)(e - p), tmp, sizeof(tmp)));
			goto out;
		}
		if (eq == p) {
			r = diag_set(-EINVAL, "%s:%u: assignment without a key", what, line);
			goto out;
		}
		for (k = p; k < eq; k++)
			if (!is_key_char(*k))
				break;
		if (k < eq) {
			if ((size_t)(eq - p) > 7 && memcmp(p, "export", 6) == 0 &&
			    is_blank(p[6]))
				r = diag_set(-EINVAL, "%s:%u: 'export' is not allowed in "
				             "os-release, only KEY=value", what, line);
			else
				r = diag_set(-EINVAL, "%s:%u: invalid key '%s' (allowed: "
				             "A-Z 0-9 _)", what, line,
				             printable(p, (size_t)(eq - p), tmp, sizeof(tmp)));
			goto out;
		}

		r = parse_value(eq + 1, e, what, line, &value);
		if (r < 0)
			goto out;

#define KEY_IS(s) ((size_t)(eq - p) == sizeof(s) - 1 && memcmp(p, s, sizeof(s) - 1) == 0)
		if (KEY_IS("ID")) {
			if (!*value) {
				free(value);
				r = diag_set(-EINVAL, "%s:%u: ID is empty", what, line);
				goto out;
			}
			if (!valid_id(value)) {
				r = diag_set(-EINVAL, "%s:%u: ID '%s' is not valid (allowed: "
				             "a-z 0-9 . _ -)", what, line,
				             printable(value, strlen(value), tmp, sizeof(tmp)));
				free(value);
				goto out;
			}
			if (os->id && strcmp(os->id, value) != 0) {
				r = diag_set(-EINVAL, "%s:%u: claims two IDs, '%s' (line %u) "
				             "and '%s'", what, line,
				             printable(os->id, strlen(os->id), tmp, sizeof(tmp)),
				             id_line,
				             printable(value, strlen(value), tmp2, sizeof(tmp2)));
				free(value);
				goto out;
			}
			id_line = line;
			replace(&os->id, value);
		} else if (KEY_IS("ID_LIKE")) {
			char **v = NULL;

			r = split_id_like(value, what, line, &v);
			if (r < 0) {
				free(value);
				goto out;
			}
			if (id_like)
				for (char **q = id_like; *q; q++)
					free(*q);
			free(id_like);
			id_like = v;
			replace(&os->id_like_raw, value);
		} else if (KEY_IS("VERSION_ID")) {
			replace(&os->version_id, value);
		} else if (KEY_IS("VERSION_CODENAME")) {
			replace(&os->version_codename, value);
		} else if (KEY_IS("NAME")) {
			replace(&os->name, value);
		} else if (KEY_IS("PRETTY_NAME")) {
			replace(&os->pretty_name, value);
		} else {
			free(value);
		}
#undef KEY_IS
		p = next;
	}

	if (!os->id) {
		r = diag_set(-EINVAL, "%s: no ID= line%s", what,
		             line == 0 ? " (the file is empty)" : "");
		goto out;
	}
	if (!id_like) {
		id_like = calloc(1, sizeof(char *));
		if (!id_like) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
	}
	if (!os->id_like_raw) {
		os->id_like_raw = strdup("");
		if (!os->id_like_raw) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
	}
	os->id_like = id_like;
	id_like = NULL;
	*ret = os;
	os = NULL;
	r = 0;
out:
	if (id_like)
		for (char **q = id_like; *q; q++)
			free(*q);
	free(id_like);
	os_release_free(os);
	return r;
}

int os_release_read(struct sysroot *root, struct os_release **ret)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	const char *rp;
	char what[2][4096];
	struct os_release *os = NULL;
	char *data = NULL;
	size_t len = 0, i;
	int r = -ENOENT;

	assert(root && ret);

	/* "/" as root: name the file itself, not "//etc/os-release" */
	rp = sysroot_path(root);
	if (strcmp(rp, "/") == 0)
		rp = "";
	for (i = 0; i < 2; i++)
		snprintf(what[i], sizeof(what[i]), "%s%s", rp, paths[i]);
	for (i = 0; i < 2; i++) {
		r = sysroot_read(root, paths[i], OS_RELEASE_MAX, &data, &len);
		/* os-release(5): /usr/lib is used only when /etc has none */
		if (r != -ENOENT)
			break;
	}
	if (r == -ENOENT) {
		r = diag_set(-ENOENT, "no os-release: neither %s nor %s exists",
		             what[0], what[1]);
		goto out;
	}
	if (r == -EFBIG) {
		r = diag_set(-EINVAL, "%s: larger than %u KiB, refusing", what[i],
		             OS_RELEASE_MAX / 1024);
		goto out;
	}
	if (r < 0) {
		r = diag_set(r, "%s: cannot read: %s", what[i], strerror(-r));
		goto out;
	}

	r = os_release_parse(data, len, what[i], &os);
	if (r < 0)
		goto out;
	os->source = paths[i];
	*ret = os;
out:
	free(data);
	return r;
}
