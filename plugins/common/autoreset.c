/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoreset.h"

#define NONE "(none)"

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

static int buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = (b->len + len + 1) * 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

static int buf_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* The value when [p, eol) is a directive line for auto_reset_crashkernel
 * (kdumpctl strips '#' comments and blanks), else NULL. */
static const char *directive_value(const char *p, const char *eol,
                                   size_t *ret_len)
{
	size_t dlen = strlen(AUTORESET_DIRECTIVE);
	const char *v, *e;

	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(eol - p) <= dlen || memcmp(p, AUTORESET_DIRECTIVE, dlen) != 0 ||
	    (p[dlen] != ' ' && p[dlen] != '\t'))
		return NULL;
	v = p + dlen;
	while (v < eol && (*v == ' ' || *v == '\t'))
		v++;
	e = v;
	while (e < eol && *e != ' ' && *e != '\t' && *e != '#' && *e != '\r')
		e++;
	*ret_len = (size_t)(e - v);
	return v;
}

bool autoreset_known(const char *text)
{
	return strstr(text, AUTORESET_DIRECTIVE) != NULL;
}

bool autoreset_is_off(const char *text)
{
	const char *p = text;
	bool off = false, seen = false;

	while (*p) {
		const char *eol = strchrnul(p, '\n'), *v;
		size_t len;

		v = directive_value(p, eol, &len);
		if (v) {
			/* several lines: kdumpctl's comparison then fails, and
			 * the reset happens */
			off = !seen && len == 2 && memcmp(v, "no", 2) == 0;
			if (seen)
				off = false;
			seen = true;
		}
		p = *eol ? eol + 1 : eol;
	}
	return off;
}

static int turn_off(const char *text, struct buf *b)
{
	const char *p = text;
	bool replaced = false;
	int r = 0;

	while (*p && r == 0) {
		const char *eol = strchrnul(p, '\n');
		const char *next = *eol ? eol + 1 : eol;
		size_t len;

		if (!directive_value(p, eol, &len)) {
			r = buf_add(b, p, (size_t)(next - p));
		} else if (!replaced) {
			r = buf_str(b, AUTORESET_MARKER);
			if (r == 0)
				r = buf_add(b, p, (size_t)(eol - p));
			if (r == 0)
				r = buf_str(b, "\n" AUTORESET_DIRECTIVE " no\n");
			replaced = true;
		}
		p = next;
	}
	if (r == 0 && !replaced) {
		if (b->len > 0 && b->data[b->len - 1] != '\n')
			r = buf_str(b, "\n");
		if (r == 0)
			r = buf_str(b, AUTORESET_MARKER NONE "\n"
			               AUTORESET_DIRECTIVE " no\n");
	}
	return r;
}

static int undo(const char *text, struct buf *b)
{
	size_t mlen = strlen(AUTORESET_MARKER);
	const char *p = text;
	int r = 0;

	while (*p && r == 0) {
		const char *eol = strchrnul(p, '\n');
		const char *next = *eol ? eol + 1 : eol;
		const char *eol2 = strchrnul(next, '\n'), *v;
		size_t len;

		if ((size_t)(eol - p) >= mlen && memcmp(p, AUTORESET_MARKER, mlen) == 0 &&
		    (v = directive_value(next, eol2, &len)) && len == 2 &&
		    memcmp(v, "no", 2) == 0) {
			const char *orig = p + mlen;
			if ((size_t)(eol - orig) != strlen(NONE) ||
			    memcmp(orig, NONE, strlen(NONE)) != 0) {
				r = buf_add(b, orig, (size_t)(eol - orig));
				if (r == 0)
					r = buf_str(b, "\n");
			}
			p = *eol2 ? eol2 + 1 : eol2;
			continue;
		}
		r = buf_add(b, p, (size_t)(next - p));
		p = next;
	}
	return r;
}

int autoreset_edit(const char *text, bool keep_custom, char **ret_text,
                   bool *ret_changed)
{
	struct buf b = { 0 };
	int r;

	if (keep_custom && autoreset_is_off(text)) {
		b.data = strdup(text);
		r = b.data ? 0 : -ENOMEM;
	} else {
		r = buf_str(&b, "");
		if (r == 0)
			r = keep_custom ? turn_off(text, &b) : undo(text, &b);
	}
	if (r < 0) {
		free(b.data);
		return r;
	}
	*ret_changed = strcmp(b.data, text) != 0;
	*ret_text = b.data;
	return 0;
}
