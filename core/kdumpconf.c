/* SPDX-License-Identifier: Apache-2.0 */
/* The kdump configuration: format detection and the parse entry point,
 * with the helpers the other kdumpconf-*.c files share. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kdumpconf.h"
#include "kdumpconf-internal.h"

const char *kdumpconf_file(int format)
{
	return format == SKD_CONFIG_SHELL_VARS ? SHELL_FILE : DIRECTIVE_FILE;
}

/* ---- growing strings ----------------------------------------------------- */

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	/* p is NULL only while cap is 0 (every buf starts zeroed), so the
	 * realloc above ran; the analyzer tries any cap with p NULL */
	// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)n);
	free(big);
}

/* Hand the string over (an empty one when nothing was added). */
int buf_steal(struct buf *b, char **ret)
{
	if (!b->oom && !b->p)
		buf_add(b, "", 0);
	if (b->oom) {
		free(b->p);
		b->p = NULL;
		return -ENOMEM;
	}
	*ret = b->p;
	b->p = NULL;
	return 0;
}

/* ---- normalisation: bytes to lines of text --------------------------------- */

/* Length of the UTF-8 sequence at s (at most n bytes), 0 when invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *ret_cp)
{
	size_t len;
	uint32_t cp, min;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if (s[0] < 0xf0) {
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	} else {
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

/* No byte order mark; refuse NUL and other control bytes (a CR of a
 * Windows line end too), invalid UTF-8, long lines. */
static int normalise(const char *data, size_t len, const char *what,
                     char **ret)
{
	const unsigned char *s = (const unsigned char *)data;
	char *out;
	size_t o = 0, col = 0;
	unsigned line = 1;
	int r;

	out = malloc(len + 1);
	if (!out)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	/* a byte order mark some editors add: neither kdumpctl nor the shell
	 * would skip it */
	size_t start = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (size_t i = start; i < len; i++) {
		uint32_t cp = s[i];
		size_t n = 1;

		/* the shell and kdumpctl would read the CR as part of the value,
		 * so a CRLF file is refused rather than silently converted */
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			r = diag_set(-EINVAL, "%s: line %u: Windows line end (CR LF): save the file with LF line ends",
			             what, line);
			goto fail;
		}
		if (s[i] == '\n') {
			out[o++] = '\n';
			line++;
			col = 0;
			continue;
		}
		if (s[i] == '\0') {
			r = diag_set(-EINVAL, "%s: line %u: NUL byte: binary data is not a kdump configuration",
			             what, line);
			goto fail;
		}
		if (s[i] >= 0x80) {
			n = utf8_len(s + i, len - i, &cp);
			if (n == 0) {
				r = diag_set(-EINVAL, "%s: line %u: invalid UTF-8 (byte 0x%02x)",
				             what, line, s[i]);
				goto fail;
			}
		}
		if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f)) {
			r = diag_set(-EINVAL, "%s: line %u: control character U+%04X: binary data is not a kdump configuration",
			             what, line, (unsigned)cp);
			goto fail;
		}
		col += n;
		if (col > KDUMPCONF_MAX_LINE) {
			r = diag_set(-EINVAL, "%s: line %u: longer than %u bytes",
			             what, line, KDUMPCONF_MAX_LINE);
			goto fail;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n - 1;
	}
	out[o] = '\0';
	*ret = out;
	return 0;
fail:
	free(out);
	return r;
}

/* ---- lines ------------------------------------------------------------------ */

bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* Comment or blank line: nothing for either format. */
static bool line_is_empty(const char *l)
{
	l = skip_blanks(l);
	return *l == '\0' || *l == '#';
}

/* NAME= at the start (after blanks); *ret_len is the name's length. */
bool line_is_assignment(const char *l, size_t *ret_len)
{
	const char *p = skip_blanks(l), *n = p;

	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (*p != '=')
		return false;
	if (ret_len)
		*ret_len = (size_t)(p - n);
	return true;
}

/* Split a copy of the text into NUL-terminated lines. */
static char **split_lines(char *text, size_t *ret_n)
{
	size_t n = 1, i = 0;
	char **v;

	for (char *p = text; *p; p++)
		n += *p == '\n';
	v = calloc(n, sizeof(*v));
	if (!v)
		return NULL;
	for (char *p = text; ; ) {
		char *nl = strchr(p, '\n');
		v[i++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*ret_n = i;
	return v;
}

int add_setting(struct kdump_config *c, const char *key, size_t key_len,
                       const char *value, unsigned line)
{
	struct kdump_setting *s;

	s = realloc(c->settings, (c->n_settings + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	c->settings = s;
	s = &c->settings[c->n_settings];
	s->key = strndup(key, key_len);
	s->value = strdup(value);
	s->line = line;
	if (!s->key || !s->value) {
		free(s->key);
		free(s->value);
		return -ENOMEM;
	}
	c->n_settings++;
	return 0;
}

/* ---- parse --------------------------------------------------------------- */

int kdumpconf_parse(const char *data, size_t len, const char *what,
                    struct kdump_config **ret)
{
	struct kdump_config *c = NULL;
	char *copy = NULL, **lines = NULL;
	unsigned n_vars = 0, n_dirs = 0, first_var = 0, first_dir = 0;
	int first_kind = 0;
	size_t n = 0;
	int r;

	if (len > KDUMPCONF_MAX_SIZE)
		return diag_set(-EINVAL, "%s: %zu bytes, more than the limit of 1 MiB",
		                what, len);
	c = calloc(1, sizeof(*c));
	if (!c)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	r = normalise(data, len, what, &c->text);
	if (r < 0)
		goto out;
	copy = strdup(c->text);
	lines = copy ? split_lines(copy, &n) : NULL;
	if (!lines) {
		r = diag_set(-ENOMEM, "%s: out of memory", what);
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		if (line_is_empty(lines[i]))
			continue;
		if (line_is_assignment(lines[i], NULL)) {
			if (!n_vars++)
				first_var = (unsigned)i + 1;
			if (!first_kind)
				first_kind = SKD_CONFIG_SHELL_VARS;
		} else {
			if (!n_dirs++)
				first_dir = (unsigned)i + 1;
			if (!first_kind)
				first_kind = SKD_CONFIG_DIRECTIVES;
		}
	}
	if (!first_kind) {
		r = diag_set(-EINVAL, "%s: no setting, only comments or blank lines (leave the key out to keep the distribution's defaults)",
		             what);
		goto out;
	}
	/* the majority decides; a tie goes to the first setting's format */
	c->format = n_vars > n_dirs ? SKD_CONFIG_SHELL_VARS :
	            n_dirs > n_vars ? SKD_CONFIG_DIRECTIVES : first_kind;
	if (n_vars && n_dirs) {
		if (c->format == SKD_CONFIG_SHELL_VARS)
			r = diag_set(-EINVAL, "%s: line %u: not a KEY=value assignment, but the file is in the KEY=value format of %s (the formats cannot be mixed)",
			             what, first_dir, SHELL_FILE);
		else
			r = diag_set(-EINVAL, "%s: line %u: a KEY=value assignment, but the file is in the directive format of %s (the formats cannot be mixed)",
			             what, first_var, DIRECTIVE_FILE);
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		if (line_is_empty(lines[i]))
			continue;
		r = c->format == SKD_CONFIG_SHELL_VARS
		        ? parse_shell_line(c, lines[i], (unsigned)i + 1, what)
		        : parse_directive_line(c, lines[i], (unsigned)i + 1, what);
		if (r < 0)
			goto out;
	}
	*ret = c;
	c = NULL;
	r = 0;
out:
	free(lines);
	free(copy);
	kdumpconf_free(c);
	return r;
}

void kdumpconf_free(struct kdump_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_settings; i++) {
		free(c->settings[i].key);
		free(c->settings[i].value);
	}
	free(c->settings);
	free(c->text);
	free(c);
}
