/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
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

/* A byte that ends an unquoted shell word. A '#' inside a word (as in
 * VAR=#x) is part of it: only at a word's start does it begin a comment. */
static bool is_meta(char c)
{
	return is_space(c) || (c && strchr(";&|()<>", c));
}

/* End of the shell word starting at p (quotes and escapes respected). */
static size_t word_end(const char *text, size_t p)
{
	while (text[p] && !is_meta(text[p])) {
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

/* One past the quote that closes the one starting at p, or 0 when none. */
static size_t quoted_end(const char *text, size_t p)
{
	char q = text[p++];

	while (text[p] && text[p] != q) {
		if (q == '"' && text[p] == '\\' && text[p + 1])
			p++;
		p++;
	}
	return text[p] ? p + 1 : 0;
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
			if ((text[s] == '"' || text[s] == '\'') &&
			    quoted_end(text, s) == e)
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

/* Whether `off` lies inside a quoted string or backquotes opened before
 * it: there a "VAR=" at the start of a line is text, not an assignment,
 * and the line-based editor must not touch it. */
static bool inside_quotes(const char *text, size_t off)
{
	char q = 0;

	for (size_t i = 0; i < off && text[i]; i++) {
		char c = text[i];

		if (q == '\'') {
			if (c == '\'')
				q = 0;
		} else if (c == '\\' && text[i + 1]) {
			i++;
		} else if (q) {
			if (c == q)
				q = 0;
		} else if (c == '\'' || c == '"' || c == '`') {
			q = c;
		} else if (c == '#' && (i == 0 || strchr(" \t\n;&|", text[i - 1]))) {
			/* a comment ends at the line's end; quotes in it count for nothing */
			while (i + 1 < off && text[i + 1] && text[i + 1] != '\n')
				i++;
		}
	}
	return q != 0;
}

/* Whether the assignment is all its line holds after the value: blanks
 * and a comment at most. After "&", "|", ";" or a redirection the value
 * may be set in a subshell or not at all, which no edit can reason about. */
static bool alone_on_line(const char *text, const struct assignment *a)
{
	size_t p = a->end;

	while (is_blank(text[p]))
		p++;
	return !text[p] || text[p] == '\n' || text[p] == '#';
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

/* The crashkernel= values of the inner text [s, e), in order, joined
 * with one space, into *ret (NULL when there is none). */
static int joined_ck(const char *text, size_t s, size_t e, char **ret)
{
	char *v = malloc(e - s + 1);
	size_t o = 0;
	bool have = false;

	if (!v)
		return -ENOMEM;
	for (size_t p = s; p < e;) {
		size_t t;

		while (p < e && is_space(text[p]))
			p++;
		t = p;
		while (p < e && !is_space(text[p]))
			p++;
		if (p > t && is_ck_token(text + t, p - t)) {
			if (have)
				v[o++] = ' ';
			memcpy(v + o, text + t + CK_PREFIX_LEN, p - t - CK_PREFIX_LEN);
			o += p - t - CK_PREFIX_LEN;
			have = true;
		}
	}
	v[o] = '\0';
	if (!have) {
		free(v);
		v = NULL;
	}
	*ret = v;
	return 0;
}

int grubdef_get_crashkernel(const char *text, const char *var,
                            char **ret_value)
{
	struct assignment a;
	size_t s, e;

	if (!find_last(text, var, &a))
		return -ENOENT;
	inner_range(&a, &s, &e);
	return joined_ck(text, s, e, ret_value);
}

/* Append to a growing buffer. */
struct buf {
	char *data;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	/* never true for lengths of strings in memory; said, so that no
	 * compiler sees a path where len + n + 1 wraps (GCC 14 does) */
	if (n >= SIZE_MAX / 2 - b->len)
		return -ENOMEM;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	/* with data NULL (cap 0) the realloc above ran, and len > 0 only
	 * once data is set: the analyzer loses data through edit_inner() */
	// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
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
			 * token takes the blanks after it instead, unless it is
			 * alone: then the blanks before it stay */
			if (ws == 0) {
				while (p < len && is_blank(in[p]))
					p++;
				if (p == len)
					r = buf_add(out, in, t);
			}
			continue;
		}
		r = buf_add(out, in + ws, p - ws);
	}
	if (r == 0 && value) {
		/* before trailing blanks, so that removing the token again
		 * gives back the same bytes */
		size_t keep = out->len;
		char *tail;

		while (keep > 0 && is_space(out->data[keep - 1]))
			keep--;
		if (keep == 0)
			keep = out->len;
		tail = strdup(out->data ? out->data + keep : "");
		if (!tail)
			return -ENOMEM;
		out->len = keep;
		if (keep > 0 && !is_space(out->data[keep - 1]))
			r = buf_str(out, " ");
		/* one crashkernel= word per item */
		for (const char *v = value; r == 0;) {
			size_t l = strcspn(v, " ");

			r = buf_str(out, CK_PREFIX);
			if (r == 0)
				r = buf_add(out, v, l);
			if (r == 0 && !v[l])
				break;
			if (r == 0)
				r = buf_str(out, " ");
			v += l + 1;
		}
		if (r == 0)
			r = buf_str(out, tail);
		free(tail);
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

	/* items separated by one space */
	if (value && (!*value || *value == ' ' || value[strlen(value) - 1] == ' ' ||
	              strstr(value, "  ") || strpbrk(value, "\t\n\"'\\$`;#")))
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
				r = buf_str(&out, "=\"");
			if (r == 0)
				r = edit_inner("", 0, value, &inner);
			if (r == 0)
				r = buf_add(&out, inner.data, inner.len);
			if (r == 0)
				r = buf_str(&out, "\"\n");
		}
		goto out;
	}

	/* a word mixing quoted and unquoted parts is not ours to rewrite, nor
	 * one followed by more commands, nor an "assignment" that is really
	 * inside a string spanning lines */
	if ((!a.quote && mixed_word(text + a.start, a.end - a.start)) ||
	    !alone_on_line(text, &a) || inside_quotes(text, a.start)) {
		r = -SKD_E_INVALID;
		goto out;
	}
	inner_range(&a, &s, &e);
	if (value) {
		/* already there, item for item: nothing moves */
		char *cur = NULL;

		r = joined_ck(text, s, e, &cur);
		if (r < 0)
			goto out;
		if (cur && !strcmp(cur, value)) {
			free(cur);
			r = buf_str(&out, text);
			goto out;
		}
		free(cur);
	}
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
	/* checked before anyone writes it: still shell, only our token */
	r = grubdef_verify_edit(text, out.data, var, value);
	if (r < 0) {
		free(out.data);
		return r;
	}
	*ret_changed = strcmp(out.data, text) != 0;
	*ret_text = out.data;
	return 0;
}

/* ---- checking a candidate before it is written ----------------------- */

static char refusal[256];

const char *grubdef_refusal(void)
{
	return refusal;
}

__attribute__((format(printf, 1, 2)))
static int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(refusal, sizeof(refusal), fmt, ap);
	va_end(ap);
	return -SKD_E_FAILED;
}

static bool keyword_at(const char *s, const char *kw)
{
	size_t n = strlen(kw);

	return strncmp(s, kw, n) == 0 &&
	       (!s[n] || is_space(s[n]) || s[n] == ';' || s[n] == '&' ||
	        s[n] == '|' || s[n] == ')');
}

/* Compound commands and what closes them; "do" closes nothing but
 * belongs to for/while/until, so "done" matches any of those. */
static const struct {
	const char *open, *close;
} compounds[] = {
	{ "if", "fi" }, { "case", "esac" }, { "for", "done" },
	{ "while", "done" }, { "until", "done" }, { "{", "}" },
};

#define NEST_MAX 64

/*
 * The part of `sh -n` that matters for these files, without running a
 * shell: every quote, backquote, $( ) and ${ } is closed, and if/fi,
 * case/esac, for|while|until/done and { } pair up (keywords count where
 * a command starts). Here-documents are refused: no GRUB defaults file
 * needs one, and a wrong guess would hide the rest of the file.
 */
int grubdef_check_syntax(const char *text)
{
	char closers[NEST_MAX];         /* ')' '}' '`' for substitutions */
	bool dq_saved[NEST_MAX];        /* quoting outside a $( ) or ` ` */
	const char *kw[NEST_MAX];       /* closing keywords expected */
	size_t depth = 0, nkw = 0, line = 1;
	bool cmd_start = true, in_dq = false;

	for (const char *p = text; *p;) {
		char c = *p;

		if (c == '\n')
			line++;
		if (in_dq) {
			if (c == '\\' && p[1]) {
				line += p[1] == '\n';
				p += 2;
				continue;
			}
			if (c == '"') {
				in_dq = false;
				p++;
				continue;
			}
		} else {
			if (c == '\'') {
				const char *q = strchr(p + 1, '\'');
				if (!q)
					return refuse("line %zu: a single quote is never closed", line);
				for (const char *x = p; x < q; x++)
					line += *x == '\n';
				p = q + 1;
				cmd_start = false;
				continue;
			}
			if (c == '"') {
				in_dq = true;
				cmd_start = false;
				p++;
				continue;
			}
			if (c == '\\' && p[1]) {
				line += p[1] == '\n';
				p += 2;
				cmd_start = false;
				continue;
			}
			if (c == '#' && (p == text || is_space(p[-1]) || p[-1] == ';')) {
				while (*p && *p != '\n')
					p++;
				continue;
			}
			if (c == '<' && p[1] == '<')
				return refuse("line %zu: a here-document", line);
			if (c == '(' && cmd_start) {
				/* a subshell */
				if (depth == NEST_MAX)
					return refuse("line %zu: nested too deep", line);
				dq_saved[depth] = false;
				closers[depth++] = ')';
				p++;
				continue;
			}
			if (c == '\n' || c == ';' || c == '&' || c == '|') {
				cmd_start = true;
				p++;
				continue;
			}
			if (is_blank(c)) {
				p++;
				continue;
			}
			if (cmd_start) {
				bool matched = false;

				for (size_t i = 0; i < sizeof(compounds) / sizeof(compounds[0]); i++)
					if (keyword_at(p, compounds[i].open)) {
						if (nkw == NEST_MAX)
							return refuse("line %zu: nested too deep", line);
						kw[nkw++] = compounds[i].close;
						p += strlen(compounds[i].open);
						matched = true;
						break;
					}
				if (!matched) {
					static const char *const closes[] = { "fi", "esac", "done", "}" };
					for (size_t i = 0; i < 4 && !matched; i++)
						if (keyword_at(p, closes[i])) {
							if (!nkw || strcmp(kw[nkw - 1], closes[i]))
								return refuse("line %zu: \"%s\" closes nothing open", line, closes[i]);
							nkw--;
							p += strlen(closes[i]);
							matched = true;
						}
				}
				if (matched)
					continue;
				/* then, do, else... keep a command start after them */
				if (keyword_at(p, "then") || keyword_at(p, "do") ||
				    keyword_at(p, "else") || keyword_at(p, "elif") ||
				    keyword_at(p, "!")) {
					p += strcspn(p, " \t\n;");
					continue;
				}
				cmd_start = false;
			}
		}
		/* substitutions, in and out of double quotes */
		if (c == '$' && (p[1] == '(' || p[1] == '{')) {
			if (depth == NEST_MAX)
				return refuse("line %zu: nested too deep", line);
			dq_saved[depth] = in_dq;
			closers[depth++] = p[1] == '(' ? ')' : '}';
			/* a command substitution quotes afresh inside */
			if (p[1] == '(')
				in_dq = false;
			p += 2;
			cmd_start = closers[depth - 1] == ')';
			continue;
		}
		if (c == '`') {
			if (depth && closers[depth - 1] == '`') {
				in_dq = dq_saved[--depth];
			} else if (depth == NEST_MAX) {
				return refuse("line %zu: nested too deep", line);
			} else {
				dq_saved[depth] = in_dq;
				closers[depth++] = '`';
				in_dq = false;
			}
			p++;
			continue;
		}
		if (depth && c == closers[depth - 1] && c != '`') {
			depth--;
			if (c == ')')
				in_dq = dq_saved[depth];
			p++;
			continue;
		}
		if (!in_dq && c == ')' && !depth && nkw && strcmp(kw[nkw - 1], "esac")) {
			return refuse("line %zu: \")\" closes nothing open", line);
		}
		p++;
	}
	if (in_dq)
		return refuse("a double quote is never closed");
	if (depth)
		return refuse("a \"%s\" substitution is never closed",
		              closers[depth - 1] == ')' ? "$(" :
		              closers[depth - 1] == '}' ? "${" : "`");
	if (nkw)
		return refuse("\"%s\" is missing at the end", kw[nkw - 1]);
	return 0;
}

/* The blank-separated fields of a value word as the shell reads it, with
 * crashkernel= fields left out; *ret_n_ck counts those and *ret_last_ck
 * gets their values joined with one space. */
static int fields_without_ck(const char *text, const struct assignment *a,
                             struct buf *out, unsigned *ret_n_ck,
                             char **ret_last_ck)
{
	size_t s, e;
	int r = 0;

	inner_range(a, &s, &e);
	*ret_n_ck = 0;
	*ret_last_ck = NULL;
	for (size_t p = s; p < e && r == 0;) {
		size_t t;

		while (p < e && is_space(text[p]))
			p++;
		t = p;
		while (p < e && !is_space(text[p]))
			p++;
		if (p == t)
			break;
		if (is_ck_token(text + t, p - t)) {
			(*ret_n_ck)++;
			continue;
		}
		r = buf_add(out, text + t, p - t);
		if (r == 0)
			r = buf_add(out, "\n", 1);
	}
	if (r == 0 && *ret_n_ck)
		r = joined_ck(text, s, e, ret_last_ck);
	return r;
}

int grubdef_verify_edit(const char *old, const char *new, const char *var,
                        const char *value)
{
	struct assignment a_old, a_new;
	struct buf f_old = { 0 }, f_new = { 0 };
	unsigned n_old = 0, n_new = 0;
	char *ck_old = NULL, *ck_new = NULL;
	bool had;
	int r;

	refusal[0] = '\0';
	if ((r = grubdef_check_syntax(old)) < 0) {
		char why[sizeof(refusal)];

		snprintf(why, sizeof(why), "%s", refusal);
		return refuse("it does not parse as shell now: %s", why);
	}
	if ((r = grubdef_check_syntax(new)) < 0) {
		char why[sizeof(refusal)];

		snprintf(why, sizeof(why), "%s", refusal);
		return refuse("the edited file would not parse as shell: %s", why);
	}
	had = find_last(old, var, &a_old);
	if (!find_last(new, var, &a_new)) {
		if (value || had)
			return refuse("%s would no longer be assigned", var);
		return strcmp(old, new) ? refuse("a file without %s changed", var) : 0;
	}
	if (!had) {
		/* added at the end, after a newline when the file had none */
		size_t n = strlen(old);
		if (strncmp(old, new, n) != 0 || strcmp(new + a_new.end, "\n") != 0)
			return refuse("adding %s would change the lines around it", var);
		a_old = (struct assignment){ n, n, 0 };
	} else if (a_old.start != a_new.start ||
	           strncmp(old, new, a_old.start) != 0 ||
	           strcmp(old + a_old.end, new + a_new.end) != 0) {
		return refuse("the edit would change more than the value of %s", var);
	}
	r = fields_without_ck(old, &a_old, &f_old, &n_old, &ck_old);
	if (r == 0)
		r = fields_without_ck(new, &a_new, &f_new, &n_new, &ck_new);
	if (r < 0)
		goto out;
	if ((f_old.len != f_new.len ||
	     (f_old.len && memcmp(f_old.data, f_new.data, f_old.len) != 0)))
		r = refuse("the edit would change other words of %s than crashkernel=", var);
	else if (value && (!n_new || !ck_new || strcmp(ck_new, value) != 0))
		r = refuse("%s would not carry exactly crashkernel=%s", var, value);
	else if (!value && n_new)
		r = refuse("%s would still carry crashkernel=", var);
out:
	free(f_old.data);
	free(f_new.data);
	free(ck_old);
	free(ck_new);
	return r;
}
