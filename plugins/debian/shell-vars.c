/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "shell-vars.h"

struct var {
	char *name;
	char *value;            /* NULL when unknown */
	char *why;              /* why it is unknown, or NULL */
};

struct shvars {
	struct var *vars;
	size_t n;
};

/* The state of one parse. */
struct parser {
	struct shvars *v;
	const char *file;
	const char *s;
	size_t p;
	unsigned line;
	char *why;              /* fatal: this statement cannot be evaluated */
};

/* One word's value while it is built. */
struct word {
	char *data;
	size_t len, cap;
	char *unknown;          /* why the value cannot be computed */
};

int shvars_new(struct shvars **ret)
{
	struct shvars *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	*ret = v;
	return 0;
}

void shvars_free(struct shvars *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->vars[i].name);
		free(v->vars[i].value);
		free(v->vars[i].why);
	}
	free(v->vars);
	free(v);
}

static struct var *lookup(const struct shvars *v, const char *name,
                          size_t len)
{
	for (size_t i = 0; i < v->n; i++)
		if (strlen(v->vars[i].name) == len &&
		    memcmp(v->vars[i].name, name, len) == 0)
			return &v->vars[i];
	return NULL;
}

int shvars_get(const struct shvars *v, const char *name,
               const char **ret_value, const char **ret_why)
{
	const struct var *x = lookup(v, name, strlen(name));

	if (x && x->why) {
		*ret_why = x->why;
		return -SKD_E_INVALID;
	}
	*ret_value = x ? x->value : NULL;
	return 0;
}

/* Takes ownership of value and why. */
static int assign(struct shvars *v, const char *name, size_t len,
                  char *value, char *why)
{
	struct var *x = lookup(v, name, len);

	if (!x) {
		struct var *n = realloc(v->vars, (v->n + 1) * sizeof(*n));
		if (!n)
			goto oom;
		v->vars = n;
		x = &v->vars[v->n];
		*x = (struct var){ strndup(name, len), NULL, NULL };
		if (!x->name)
			goto oom;
		v->n++;
	}
	free(x->value);
	free(x->why);
	x->value = value;
	x->why = why;
	return 0;
oom:
	free(value);
	free(why);
	return -ENOMEM;
}

int shvars_set(struct shvars *v, const char *name, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -ENOMEM;
	return assign(v, name, strlen(name), copy, NULL);
}

static char *vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

/* Fatal: the statement at the current line cannot be evaluated. */
static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
		return -ENOMEM;
	if (asprintf(&ps->why, "%s:%u: %s", ps->file, ps->line, msg) < 0)
		ps->why = NULL;
	free(msg);
	return ps->why ? -SKD_E_INVALID : -ENOMEM;
}

/* The value cannot be computed, but the statement is understood. */
static int mark_unknown(struct parser *ps, struct word *w, const char *what)
{
	if (w->unknown)
		return 0;
	if (asprintf(&w->unknown, "%s:%u: %s, which is not evaluated",
	             ps->file, ps->line, what) < 0) {
		w->unknown = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int word_add(struct word *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap) {
		size_t cap = (w->len + n + 1) * 2;
		char *d = realloc(w->data, cap);
		if (!d)
			return -ENOMEM;
		w->data = d;
		w->cap = cap;
	}
	memcpy(w->data + w->len, s, n);
	w->len += n;
	w->data[w->len] = '\0';
	return 0;
}

static char cur(const struct parser *ps)
{
	return ps->s[ps->p];
}

/* Consume one character, counting lines. */
static char next(struct parser *ps)
{
	char c = ps->s[ps->p];

	if (c) {
		ps->p++;
		if (c == '\n')
			ps->line++;
	}
	return c;
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Skip a `...` or $(...) body without evaluating it. */
static int skip_substitution(struct parser *ps, bool backtick)
{
	unsigned depth = 1;
	char quote = 0;

	while (cur(ps)) {
		char c = next(ps);

		if (c == '\\' && cur(ps)) {
			next(ps);
		} else if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (backtick && c == '`') {
			return 0;
		} else if (!backtick && c == '(') {
			depth++;
		} else if (!backtick && c == ')' && --depth == 0) {
			return 0;
		}
	}
	return fail(ps, "unterminated command substitution");
}

/* After a '$': a parameter expansion. */
static int expand(struct parser *ps, struct word *w)
{
	const char *name;
	size_t len = 0;
	bool braced = false;

	if (cur(ps) == '(') {
		next(ps);
		int r = skip_substitution(ps, false);
		return r < 0 ? r : mark_unknown(ps, w, "a command substitution $(...)");
	}
	if (cur(ps) == '{') {
		next(ps);
		braced = true;
	}
	name = ps->s + ps->p;
	while (name_char(name[len]) && (len > 0 || name_start(name[0])))
		len++;
	if (len == 0) {
		if (braced)
			return fail(ps, "unsupported parameter expansion \"${%c\"",
			            cur(ps));
		/* $1, $?, a lone $: special parameters are not evaluated */
		if (cur(ps) && !isspace((unsigned char)cur(ps)) && cur(ps) != '"') {
			next(ps);
			return mark_unknown(ps, w, "a special parameter");
		}
		return word_add(w, "$", 1);
	}
	for (size_t i = 0; i < len; i++)
		next(ps);
	if (braced) {
		if (cur(ps) != '}') {
			/* ${VAR:-x} and friends: skip to the brace */
			while (cur(ps) && cur(ps) != '}')
				next(ps);
			if (!cur(ps))
				return fail(ps, "unterminated \"${\"");
			next(ps);
			return mark_unknown(ps, w, "a ${...} expansion with an operator");
		}
		next(ps);
	}
	const struct var *x = lookup(ps->v, name, len);
	if (x && x->why) {
		if (!w->unknown && !(w->unknown = strdup(x->why)))
			return -ENOMEM;
		return 0;
	}
	return x && x->value ? word_add(w, x->value, strlen(x->value)) : 0;
}

static int double_quoted(struct parser *ps, struct word *w)
{
	int r = 0;

	while (r == 0) {
		char c = next(ps);

		if (!c)
			return fail(ps, "unterminated double quote");
		if (c == '"')
			return 0;
		if (c == '\\') {
			char e = cur(ps);
			if (e == '\n') {
				next(ps);
				continue;
			}
			if (e == '$' || e == '`' || e == '"' || e == '\\') {
				next(ps);
				r = word_add(w, &e, 1);
				continue;
			}
			r = word_add(w, "\\", 1);
		} else if (c == '$') {
			r = expand(ps, w);
		} else if (c == '`') {
			r = skip_substitution(ps, true);
			if (r == 0)
				r = mark_unknown(ps, w, "a command substitution `...`");
		} else {
			r = word_add(w, &c, 1);
		}
	}
	return r;
}

/* One word, up to an unquoted blank, newline or ';'. */
static int parse_word(struct parser *ps, struct word *w)
{
	int r = word_add(w, "", 0);

	while (r == 0) {
		char c = cur(ps);

		if (!c || c == ' ' || c == '\t' || c == '\n' || c == ';')
			return 0;
		if (strchr("|&<>()", c))
			return fail(ps, "\"%c\" is not part of a plain assignment", c);
		next(ps);
		if (c == '\'') {
			const char *end = strchr(ps->s + ps->p, '\'');
			if (!end)
				return fail(ps, "unterminated single quote");
			size_t n = (size_t)(end - (ps->s + ps->p));
			r = word_add(w, ps->s + ps->p, n);
			while (n--)
				next(ps);
			next(ps);
		} else if (c == '"') {
			r = double_quoted(ps, w);
		} else if (c == '\\') {
			char e = next(ps);
			if (e && e != '\n')
				r = word_add(w, &e, 1);
		} else if (c == '$') {
			r = expand(ps, w);
		} else if (c == '`') {
			r = skip_substitution(ps, true);
			if (r == 0)
				r = mark_unknown(ps, w, "a command substitution `...`");
		} else {
			r = word_add(w, &c, 1);
		}
	}
	return r;
}

static void skip_blanks(struct parser *ps)
{
	for (;;) {
		if (cur(ps) == ' ' || cur(ps) == '\t') {
			next(ps);
		} else if (cur(ps) == '\\' && ps->s[ps->p + 1] == '\n') {
			next(ps);
			next(ps);
		} else {
			return;
		}
	}
}

/* "NAME=word": at a name followed by '='? Returns the name length. */
static size_t assignment_name(const struct parser *ps)
{
	const char *s = ps->s + ps->p;
	size_t n = 0;

	if (!name_start(s[0]))
		return 0;
	while (name_char(s[n]))
		n++;
	return s[n] == '=' ? n : 0;
}

/* One statement: [export] NAME=word [NAME=word ...] [# comment] */
static int statement(struct parser *ps)
{
	bool exported = false;

	if (strncmp(ps->s + ps->p, "export", 6) == 0 &&
	    (ps->s[ps->p + 6] == ' ' || ps->s[ps->p + 6] == '\t')) {
		ps->p += 6;
		exported = true;
		skip_blanks(ps);
	}
	for (;;) {
		size_t n = assignment_name(ps);
		char c = cur(ps);

		if (!c || c == '\n' || c == ';')
			return 0;
		if (c == '#') {
			while (cur(ps) && cur(ps) != '\n')
				next(ps);
			return 0;
		}
		if (n == 0 && exported && name_start(c)) {
			/* "export NAME": no value change */
			while (name_char(cur(ps)))
				next(ps);
			skip_blanks(ps);
			continue;
		}
		if (n == 0)
			return fail(ps, "not a variable assignment");

		const char *name = ps->s + ps->p;
		struct word w = { 0 };
		int r;

		ps->p += n + 1;
		r = parse_word(ps, &w);
		if (r < 0) {
			free(w.data);
			free(w.unknown);
			return r;
		}
		if (w.unknown) {
			free(w.data);
			w.data = NULL;
		}
		r = assign(ps->v, name, n, w.data, w.unknown);
		if (r < 0)
			return r;
		skip_blanks(ps);
	}
}

int shvars_source(struct shvars *v, const char *file, const char *text,
                  char **ret_why)
{
	struct parser ps = { .v = v, .file = file, .s = text, .line = 1 };
	int r = 0;

	while (r == 0 && cur(&ps)) {
		char c = cur(&ps);

		if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '\r') {
			next(&ps);
			continue;
		}
		if (c == '\\' && ps.s[ps.p + 1] == '\n') {
			next(&ps);
			next(&ps);
			continue;
		}
		r = statement(&ps);
	}
	if (r == -SKD_E_INVALID)
		*ret_why = ps.why;
	else
		free(ps.why);
	return r;
}
