/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls.h"

static char *dup_trimmed(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	                   s[len - 1] == '\r'))
		len--;
	return strndup(s, len);
}

int bls_parse_entry(const char *id, const char *text, struct bls_entry *ret)
{
	struct bls_entry e = { 0 };
	const char *p = text;
	int r = -ENOMEM;

	e.id = strdup(id);
	if (!e.id)
		goto out;
	while (*p) {
		const char *eol = strchrnul(p, '\n');
		const char *k = p, *v;
		size_t klen;

		while (k < eol && (*k == ' ' || *k == '\t'))
			k++;
		v = k;
		while (v < eol && *v != ' ' && *v != '\t')
			v++;
		klen = (size_t)(v - k);
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		/* the last "options" line wins, as in GRUB's blscfg */
		if (klen == 7 && memcmp(k, "options", 7) == 0) {
			free(e.options);
			e.options = dup_trimmed(v, (size_t)(eol - v));
			if (!e.options)
				goto out;
		} else if (klen == 7 && memcmp(k, "version", 7) == 0) {
			free(e.version);
			e.version = dup_trimmed(v, (size_t)(eol - v));
			if (!e.version)
				goto out;
		}
		p = *eol ? eol + 1 : eol;
	}
	if (!e.options && !(e.options = strdup("")))
		goto out;
	if (!e.version && !(e.version = strdup(id)))
		goto out;
	e.uses_grubenv = strchr(e.options, '$') != NULL;
	*ret = e;
	e = (struct bls_entry){ 0 };
	r = 0;
out:
	free(e.id);
	free(e.version);
	free(e.options);
	return r;
}

char *grubenv_get(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		const char *eol = strchrnul(p, '\n');
		if ((size_t)(eol - p) > klen && memcmp(p, key, klen) == 0 &&
		    p[klen] == '=')
			return strndup(p + klen + 1, (size_t)(eol - p) - klen - 1);
		p = *eol ? eol + 1 : NULL;
	}
	return NULL;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

char *grubenv_expand(const char *options, const char *env_text)
{
	size_t cap = strlen(options) + 1, o = 0;
	char *out = malloc(cap);
	const char *p = options;

	if (!out)
		return NULL;
	while (*p) {
		const char *name, *end;
		char *key, *val, *grown;
		size_t need;

		if (*p != '$') {
			out[o++] = *p++;
			continue;
		}
		if (p[1] == '{') {
			name = p + 2;
			end = strchr(name, '}');
			if (!end) {
				out[o++] = *p++;
				continue;
			}
		} else {
			name = p + 1;
			end = name;
			while (is_name_char(*end))
				end++;
		}
		key = strndup(name, (size_t)(end - name));
		if (!key) {
			free(out);
			return NULL;
		}
		val = env_text ? grubenv_get(env_text, key) : NULL;
		free(key);
		p = *end == '}' ? end + 1 : end;
		need = o + (val ? strlen(val) : 0) + strlen(p) + 1;
		if (need > cap) {
			grown = realloc(out, need);
			if (!grown) {
				free(val);
				free(out);
				return NULL;
			}
			out = grown;
			cap = need;
		}
		if (val) {
			memcpy(out + o, val, strlen(val));
			o += strlen(val);
			free(val);
		}
	}
	out[o] = '\0';
	return out;
}

static bool is_rescue(const struct bls_entry *e)
{
	return strstr(e->id, "-rescue") || strncmp(e->version, "0-rescue", 8) == 0;
}

/* GRUB's blscfg lists entries newest version first, rescue last. */
static int entry_cmp(const void *a, const void *b)
{
	const struct bls_entry *x = a, *y = b;

	if (is_rescue(x) != is_rescue(y))
		return is_rescue(x) ? 1 : -1;
	return strverscmp(y->version, x->version);
}

void bls_clear(struct bls_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->entries[i].id);
		free(e->entries[i].version);
		free(e->entries[i].options);
	}
	free(e->entries);
	free(e->saved_entry);
	*e = (struct bls_entries){ 0 };
}

int bls_load(const struct skd_host *h, struct bls_entries *ret)
{
	struct bls_entries res = { 0 };
	char **names = NULL, *env = NULL;
	size_t env_len;
	int r;

	r = h->list_dir(h, BLS_ENTRIES_DIR, &names);
	if (r < 0)
		goto out;
	r = h->read_file(h, GRUBENV_PATH, &env, &env_len);
	if (r < 0 && r != -ENOENT)
		goto out;
	for (char **n = names; *n; n++) {
		size_t len = strlen(*n);
		char *path = NULL, *text = NULL, *id = NULL, *expanded;
		struct bls_entry e, *grown;
		size_t text_len;

		if (len <= 5 || strcmp(*n + len - 5, ".conf") != 0)
			continue;
		r = -ENOMEM;
		if (asprintf(&path, "%s/%s", BLS_ENTRIES_DIR, *n) < 0)
			goto out;
		r = h->read_file(h, path, &text, &text_len);
		free(path);
		if (r < 0)
			goto out;
		id = strndup(*n, len - 5);
		r = id ? bls_parse_entry(id, text, &e) : -ENOMEM;
		free(id);
		free(text);
		if (r < 0)
			goto out;
		expanded = grubenv_expand(e.options, env);
		grown = expanded ? realloc(res.entries, (res.n + 1) * sizeof(*grown))
		                 : NULL;
		if (!grown) {
			free(expanded);
			free(e.id);
			free(e.version);
			free(e.options);
			r = -ENOMEM;
			goto out;
		}
		free(e.options);
		e.options = expanded;
		res.entries = grown;
		res.entries[res.n++] = e;
	}
	if (res.n == 0) {
		r = -ENOENT;
		goto out;
	}
	qsort(res.entries, res.n, sizeof(*res.entries), entry_cmp);
	if (env)
		res.saved_entry = grubenv_get(env, "saved_entry");
	*ret = res;
	res = (struct bls_entries){ 0 };
	r = 0;
out:
	bls_clear(&res);
	skd_strv_free(names);
	free(env);
	return r;
}

const struct bls_entry *bls_default(const struct bls_entries *e)
{
	if (e->n == 0)
		return NULL;
	if (e->saved_entry)
		for (size_t i = 0; i < e->n; i++)
			if (strcmp(e->entries[i].id, e->saved_entry) == 0)
				return &e->entries[i];
	return &e->entries[0];
}
