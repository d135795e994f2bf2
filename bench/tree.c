/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tree.h"

/* nftw has no user pointer */
static struct tree *scanning;
static size_t prefix_len;

static int visit(const char *path, const struct stat *st, int type,
                 struct FTW *ftw)
{
	struct tree *t = scanning;

	(void)type;
	(void)ftw;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct tree_entry *v = realloc(t->e, cap * sizeof(*v));

		if (!v)
			return -1;
		t->e = v;
		t->cap = cap;
	}
	t->e[t->n] = (struct tree_entry){
		.path = strdup(path + prefix_len),
		.mode = st->st_mode,
		.size = st->st_size,
		.ino = st->st_ino,
		.mtime = st->st_mtim,
	};
	if (!t->e[t->n].path)
		return -1;
	t->n++;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->path,
	              ((const struct tree_entry *)b)->path);
}

int tree_scan(const char *dir, struct tree *ret)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	scanning = ret;
	prefix_len = strlen(dir);
	r = nftw(dir, visit, 32, FTW_PHYS | FTW_MOUNT);
	scanning = NULL;
	if (r != 0) {
		tree_clear(ret);
		return -1;
	}
	qsort(ret->e, ret->n, sizeof(*ret->e), by_path);
	return 0;
}

static bool changed(const struct tree_entry *x, const struct tree_entry *y)
{
	if ((x->mode & S_IFMT) != (y->mode & S_IFMT))
		return true;
	if (S_ISDIR(x->mode))
		return x->mode != y->mode;
	return x->mode != y->mode || x->size != y->size || x->ino != y->ino ||
	       x->mtime.tv_sec != y->mtime.tv_sec ||
	       x->mtime.tv_nsec != y->mtime.tv_nsec;
}

size_t tree_changes(const struct tree *a, const struct tree *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->e[i].path, b->e[j].path);

		if (c == 0) {
			n += changed(&a->e[i], &b->e[j]);
			i++;
			j++;
		} else if (c < 0) {
			n++;    /* removed */
			i++;
		} else {
			n++;    /* created */
			j++;
		}
	}
	return n;
}

void tree_clear(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].path);
	free(t->e);
	memset(t, 0, sizeof(*t));
}
