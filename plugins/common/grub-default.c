/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "grub-default.h"

#define CK_PREFIX "crashkernel="
#define CK_PREFIX_LEN (sizeof(CK_PREFIX) - 1)

/* Where one assignment's value sits in the text. */
struct assignment {
	size_t start;           /* first byte of the value word */
	size_t end;             /* one past its last byte */
	char quote;             /* '"', '\'' or 0 when unquoted */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return is_blank(c) || c == '\n';
}

/* End of the shell word starting at p (quotes and escapes respected). */
static size_t word_end(const char *text, size_t p)
{
	while (text[p] && !is_space(text[p]) && text[p] != ';' &&
	       text[p] != '#') {
		char c = text[p++];
		if (c == '\\' && text[p]) {
			p++;
		} else if (c == '\'') {
			while (text[p] && text[p] != '\'')
				p++;
			if (text[p])
				p++;
		} else if (c == '"') {
			while (text[p] && text[p] != '"') {
				if (text[p] == '\\' && text[p + 1])
					p++;
				p++;
			}
			if (text[p])
				p++;
		}
	}
	return p;
}

/* The last "VAR=" (optionally after "export") at the start of a line. */
static bool find_last(const char *text, const char *var,
                      struct assignment *ret)
{
	size_t n = strlen(var), p = 0;
	bool found = false;

	while (text[p]) {
		size_t q = p;

		while (is_blank(text[q]))
			q++;
		if (strncmp(text + q, "export", 6) == 0 && is_blank(text[q + 6])) {
			q += 6;
			while (is_blank(text[q]))
				q++;
		}
		if (strncmp(text + q, var, n) == 0 && text[q + n] == '=') {
			size_t s = q + n + 1, e = word_end(text, s);
			char quote = 0;

			/* one quoted segment: we edit inside the quotes */
			if ((text[s] == '"' || text[s] == '\'') && e - s >= 2 &&
			    text[e - 1] == text[s])
				quote = text[s];
			*ret = (struct assignment){ s, e, quote };
			found = true;
			p = e;
		}
		/* next line; a quoted value may have spanned several */
		while (text[p] && text[p] != '\n')
			p++;
		if (text[p])
			p++;
	}
	return found;
}

static bool mixed_word(const char *w, size_t len)
{
	return memchr(w, '"', len) || memchr(w, '\'', len) ||
	       memchr(w, '\\', len);
}

/* The inner text of the value (inside its quotes). */
static void inner_range(const struct assignment *a, size_t *ret_s,
                        size_t *ret_e)
{
	*ret_s = a->start + (a->quote ? 1 : 0);
	*ret_e = a->end - (a->quote ? 1 : 0);
}

static bool is_ck_token(const char *s, size_t len)
{
	return len >= CK_PREFIX_LEN && memcmp(s, CK_PREFIX, CK_PREFIX_LEN) == 0;
}

int grubdef_get_crashkernel(const char *text, const char *var,
                            char **ret_value)
{
	struct assignment a;
	size_t s, e, last_s = 0, last_len = 0;
	bool have = false;

	if (!find_last(text, var, &a))
		return -ENOENT;
	inner_range(&a, &s, &e);
	for (size_t p = s; p < e;) {
		size_t t;

		while (p < e && is_space(text[p]))
			p++;
		t = p;
		while (p < e && !is_space(text[p]))
			p++;
		if (p > t && is_ck_token(text + t, p - t)) {
			last_s = t + CK_PREFIX_LEN;
			last_len = p - last_s;
			have = true;
		}
	}
	if (!have) {
		*ret_value = NULL;
		return 0;
	}
	char *v = strndup(text + last_s, last_len);
	if (!v)
		return -ENOMEM;
	*ret_value = v;
	return 0;
}

/* Append to a growing buffer. */
struct buf {
	char *data;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static int buf_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* The value's inner text without any crashkernel= token, then ours. */
static int edit_inner(const char *in, size_t len, const char *value,
                      struct buf *out)
{
	size_t p = 0;
	int r = 0;

	while (p < len && r == 0) {
		size_t ws = p, t;

		while (p < len && is_space(in[p]))
			p++;
		t = p;
		while (p < len && !is_space(in[p]))
			p++;
		if (p > t && is_ck_token(in + t, p - t)) {
			/* drop the token with the blanks before it; a leading
			 * token takes the blanks after it instead */
			if (ws == 0) {
				while (p < len && is_blank(in[p]))
					p++;
			}
			continue;
		}
		r = buf_add(out, in + ws, p - ws);
	}
	if (r == 0 && value) {
		if (out->len > 0 && !is_space(out->data[out->len - 1]))
			r = buf_str(out, " ");
		if (r == 0)
			r = buf_str(out, CK_PREFIX);
		if (r == 0)
			r = buf_str(out, value);
	}
	return r;
}

int grubdef_set_crashkernel(const char *text, const char *var,
                            const char *value, char **ret_text,
                            bool *ret_changed)
{
	struct buf out = { 0 }, inner = { 0 };
	struct assignment a;
	size_t s, e;
	int r;

	if (value && (!*value || strpbrk(value, " \t\n\"'\\$`;#")))
		return -SKD_E_INVALID;

	if (!find_last(text, var, &a)) {
		size_t len = strlen(text);

		r = buf_str(&out, text);
		if (r == 0 && value) {
			if (len > 0 && text[len - 1] != '\n')
				r = buf_str(&out, "\n");
			if (r == 0)
				r = buf_str(&out, var);
			if (r == 0)
				r = buf_str(&out, "=\"" CK_PREFIX);
			if (r == 0)
				r = buf_str(&out, value);
			if (r == 0)
				r = buf_str(&out, "\"\n");
		}
		goto out;
	}

	/* a word mixing quoted and unquoted parts is not ours to rewrite */
	if (!a.quote && mixed_word(text + a.start, a.end - a.start)) {
		r = -SKD_E_INVALID;
		goto out;
	}
	inner_range(&a, &s, &e);
	r = edit_inner(text + s, e - s, value, &inner);
	if (r < 0)
		goto out;
	r = buf_add(&out, text, a.start);
	if (r == 0) {
		/* an unquoted value that now holds a blank needs quotes */
		char q = a.quote;
		if (!q && inner.data && strpbrk(inner.data, " \t\n"))
			q = '"';
		if (q)
			r = buf_add(&out, &q, 1);
		if (r == 0 && inner.len)
			r = buf_add(&out, inner.data, inner.len);
		if (r == 0 && q)
			r = buf_add(&out, &q, 1);
	}
	if (r == 0)
		r = buf_str(&out, text + a.end);
out:
	free(inner.data);
	if (r < 0) {
		free(out.data);
		return r;
	}
	if (!out.data) {
		out.data = strdup("");
		if (!out.data)
			return -ENOMEM;
	}
	*ret_changed = strcmp(out.data, text) != 0;
	*ret_text = out.data;
	return 0;
}
