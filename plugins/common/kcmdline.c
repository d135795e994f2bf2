/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "kcmdline.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Calls back for each parameter: [start, end) of the token. Returns the
 * position of the next token search. */
struct token {
	size_t start;
	size_t end;
};

static bool next_token(const char *line, size_t len, size_t *pos,
                       struct token *ret)
{
	size_t i = *pos;

	while (i < len && is_blank(line[i]))
		i++;
	if (i >= len)
		return false;
	ret->start = i;
	while (i < len && !is_blank(line[i]))
		i++;
	ret->end = i;
	*pos = i;
	return true;
}

static bool token_is_key(const char *line, const struct token *t,
                         const char *key)
{
	size_t klen = strlen(key);

	return t->end - t->start > klen &&
	       memcmp(line + t->start, key, klen) == 0 &&
	       line[t->start + klen] == '=';
}

/* The values of every `key`= in the first `len` bytes of `line`, in
 * order, joined with one space; NULL when there is none. */
static char *joined_values(const char *line, size_t len, const char *key,
                           unsigned *ret_n)
{
	size_t klen = strlen(key), o = 0, pos = 0;
	char *v = malloc(len + 1);
	struct token t;

	*ret_n = 0;
	if (!v)
		return NULL;
	while (next_token(line, len, &pos, &t))
		if (token_is_key(line, &t, key)) {
			size_t off = t.start + klen + 1;
			if (o)
				v[o++] = ' ';
			memcpy(v + o, line + off, t.end - off);
			o += t.end - off;
			(*ret_n)++;
		}
	v[o] = '\0';
	return v;
}

int kcmdline_get(const char *line, size_t len, const char *key,
                 char **ret_value)
{
	unsigned n;
	char *v = joined_values(line, len, key, &n);

	if (!v)
		return -ENOMEM;
	if (!n) {
		free(v);
		v = NULL;
	}
	*ret_value = v;
	return 0;
}

bool kcmdline_value_ok(const char *value)
{
	size_t n = strlen(value);

	if (!n || value[0] == ' ' || value[n - 1] == ' ' || strstr(value, "  "))
		return false;
	if (strcspn(value, "\t\n\r") != n)
		return false;
	/* every item is a size, a range list or "auto": one that is not
	 * ("256M quiet") would add another kernel parameter */
	for (const char *p = value; *p;) {
		size_t l = strcspn(p, " ");

		if (!(p[0] >= '0' && p[0] <= '9') && !(l == 4 && !strncmp(p, "auto", 4)))
			return false;
		p += l + (p[l] == ' ');
	}
	return true;
}

int kcmdline_words(const char *key, const char *value, char **ret)
{
	size_t klen = strlen(key), n = 1, o = 0;
	char *out;

	for (const char *p = value; *p; p++)
		n += *p == ' ';
	out = malloc(strlen(value) + n * (klen + 1) + 1);
	if (!out)
		return -ENOMEM;
	for (const char *p = value;;) {
		size_t l = strcspn(p, " ");
		o += (size_t)sprintf(out + o, "%s%s=%.*s", o ? " " : "", key, (int)l, p);
		if (!p[l])
			break;
		p += l + 1;
	}
	*ret = out;
	return 0;
}

bool kcmdline_has(const char *line, size_t len, const char *key)
{
	struct token t;
	size_t pos = 0;

	while (next_token(line, len, &pos, &t))
		if (token_is_key(line, &t, key))
			return true;
	return false;
}

int kcmdline_set(const char *line, size_t len, const char *key,
                 const char *value, char **ret_line, bool *ret_changed)
{
	char *words = NULL, *out, *cur;
	size_t o = 0, pos = 0, copied = 0;
	bool placed = false;
	struct token t;
	unsigned n;
	int r;

	if (value && !kcmdline_value_ok(value))
		return -SKD_E_INVALID;
	/* already there, item for item: nothing moves */
	cur = joined_values(line, len, key, &n);
	if (!cur)
		return -ENOMEM;
	if (value && n && !strcmp(cur, value)) {
		free(cur);
		if (!(out = strdup(line)))
			return -ENOMEM;
		*ret_changed = false;
		*ret_line = out;
		return 0;
	}
	free(cur);
	/* one key= word per item: the kernel reads each from its own */
	if (value && (r = kcmdline_words(key, value, &words)) < 0)
		return r;
	out = malloc(strlen(line) + (words ? strlen(words) : 0) + 4);
	if (!out) {
		free(words);
		return -ENOMEM;
	}
	while (next_token(line, len, &pos, &t)) {
		if (!token_is_key(line, &t, key))
			continue;
		if (value && !placed) {
			/* keep everything before this token, then the new one */
			memcpy(out + o, line + copied, t.start - copied);
			o += t.start - copied;
			o += (size_t)sprintf(out + o, "%s", words);
			placed = true;
		} else {
			/* drop the token with the blanks in front of it, or
			 * after it when it opens the line */
			size_t s = t.start, e = t.end;
			while (s > copied && is_blank(line[s - 1]))
				s--;
			if (s == 0)
				while (e < len && is_blank(line[e]))
					e++;
			memcpy(out + o, line + copied, s - copied);
			o += s - copied;
			t.end = e;
			pos = e;
		}
		copied = t.end;
	}
	if (value && !placed) {
		/* append after the last non-blank byte of the command line */
		size_t end = len;
		while (end > copied && is_blank(line[end - 1]))
			end--;
		memcpy(out + o, line + copied, end - copied);
		o += end - copied;
		o += (size_t)sprintf(out + o, "%s%s", o > 0 ? " " : "", words);
		copied = end;
	}
	strcpy(out + o, line + copied);
	free(words);
	/* checked before anyone writes it: only our parameter moved */
	if (!kcmdline_verify(line, len, out, key, value)) {
		free(out);
		return -SKD_E_FAILED;
	}
	*ret_changed = strcmp(out, line) != 0;
	*ret_line = out;
	return 0;
}

/* The parameters other than key=, in order, one per line. */
static char *others(const char *line, size_t len, const char *key)
{
	char *out = malloc(len + 2), *o = out;
	struct token t;
	size_t pos = 0;

	if (!out)
		return NULL;
	while (next_token(line, len, &pos, &t)) {
		if (token_is_key(line, &t, key))
			continue;
		memcpy(o, line + t.start, t.end - t.start);
		o += t.end - t.start;
		*o++ = '\n';
	}
	*o = '\0';
	return out;
}

bool kcmdline_verify(const char *line, size_t len, const char *edited,
                     const char *key, const char *value)
{
	size_t elen = strcspn(edited, "\n");
	char *a, *b, *got;
	unsigned n_new;
	bool ok;

	/* the text after the command line stays; the line stays one line */
	if (strcspn(line, "\n") < len || strcmp(line + len, edited + elen) != 0)
		return false;
	a = others(line, len, key);
	b = others(edited, elen, key);
	got = joined_values(edited, elen, key, &n_new);
	/* every item exactly once, in order; none when value is NULL */
	ok = a && b && got && strcmp(a, b) == 0 &&
	     (value ? n_new > 0 && strcmp(got, value) == 0 : n_new == 0);
	free(a);
	free(b);
	free(got);
	return ok;
}
