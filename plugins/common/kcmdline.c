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

int kcmdline_get(const char *line, size_t len, const char *key,
                 char **ret_value)
{
	struct token t, found = { 0, 0 };
	bool have = false;
	size_t pos = 0;
	char *v = NULL;

	while (next_token(line, len, &pos, &t))
		if (token_is_key(line, &t, key)) {
			found = t;
			have = true;
		}
	if (have) {
		size_t off = found.start + strlen(key) + 1;
		v = strndup(line + off, found.end - off);
		if (!v)
			return -ENOMEM;
	}
	*ret_value = v;
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
	size_t cap = strlen(line) + strlen(key) + (value ? strlen(value) : 0) + 4;
	char *out = malloc(cap);
	size_t o = 0, pos = 0, copied = 0;
	bool placed = false;
	struct token t;

	if (!out)
		return -ENOMEM;
	while (next_token(line, len, &pos, &t)) {
		if (!token_is_key(line, &t, key))
			continue;
		if (value && !placed) {
			/* keep everything before this token, then the new one */
			memcpy(out + o, line + copied, t.start - copied);
			o += t.start - copied;
			o += (size_t)sprintf(out + o, "%s=%s", key, value);
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
		o += (size_t)sprintf(out + o, "%s%s=%s", o > 0 ? " " : "", key,
		                     value);
		copied = end;
	}
	strcpy(out + o, line + copied);
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
static char *others(const char *line, size_t len, const char *key,
                    unsigned *ret_n_key, const char **ret_last)
{
	char *out = malloc(len + 2), *o = out;
	struct token t, last = { 0, 0 };
	size_t pos = 0;

	*ret_n_key = 0;
	if (!out)
		return NULL;
	while (next_token(line, len, &pos, &t)) {
		if (token_is_key(line, &t, key)) {
			(*ret_n_key)++;
			last = t;
			continue;
		}
		memcpy(o, line + t.start, t.end - t.start);
		o += t.end - t.start;
		*o++ = '\n';
	}
	*o = '\0';
	*ret_last = *ret_n_key ? line + last.start : NULL;
	return out;
}

bool kcmdline_verify(const char *line, size_t len, const char *edited,
                     const char *key, const char *value)
{
	size_t elen = strcspn(edited, "\n"), klen = strlen(key);
	const char *last = NULL, *unused;
	unsigned n_old, n_new;
	char *a, *b;
	bool ok;

	/* the text after the command line stays; the line stays one line */
	if (strcspn(line, "\n") < len || strcmp(line + len, edited + elen) != 0)
		return false;
	a = others(line, len, key, &n_old, &unused);
	b = others(edited, elen, key, &n_new, &last);
	ok = a && b && strcmp(a, b) == 0 &&
	     (value ? n_new == 1 && strncmp(last + klen + 1, value, strlen(value)) == 0 &&
	              (!last[klen + 1 + strlen(value)] ||
	               is_blank(last[klen + 1 + strlen(value)]))
	            : n_new == 0);
	free(a);
	free(b);
	return ok;
}
