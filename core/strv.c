/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

size_t strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

bool strv_contains(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

int strv_push(char ***v, const char *s)
{
	size_t n = strv_length(*v);
	char *copy = strdup(s);
	char **nv;

	if (!copy)
		return -ENOMEM;
	nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(copy);
		return -ENOMEM;
	}
	nv[n] = copy;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

char **strv_split(const char *s, const char *seps)
{
	char **v = calloc(1, sizeof(char *));

	while (v && *s) {
		size_t skip = strspn(s, seps), len;
		char *word;

		s += skip;
		len = strcspn(s, seps);
		if (!len)
			break;
		word = strndup(s, len);
		if (!word || strv_push(&v, word) < 0) {
			free(word);
			strv_free(v);
			return NULL;
		}
		free(word);
		s += len;
	}
	return v;
}

char *strv_join(char *const *v, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	char *out, *p;

	for (char *const *q = v; q && *q; q++)
		len += strlen(*q) + seplen;
	out = p = malloc(len);
	if (!out)
		return NULL;
	*p = '\0';
	for (char *const *q = v; q && *q; q++) {
		if (q != v) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		size_t l = strlen(*q);
		memcpy(p, *q, l);
		p += l;
	}
	*p = '\0';
	return out;
}
