/* SPDX-License-Identifier: Apache-2.0 */
/* A snapshot of a directory tree, to count what a run wrote into it. */
#ifndef SKD_BENCH_TREE_H
#define SKD_BENCH_TREE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct tree_entry {
	char *path;             /* relative to the scanned directory */
	mode_t mode;            /* type and permissions */
	off_t size;
	ino_t ino;
	struct timespec mtime;
};

struct tree {
	struct tree_entry *e;
	size_t n, cap;
};

/* Every entry under dir (not following symlinks, not into other mounts:
 * a chroot's /proc, /sys, /dev), sorted by path. */
int tree_scan(const char *dir, struct tree *ret);
/* Entries created, removed or changed from a to b; directories count
 * only when created or removed (adding a file changes their mtime). */
size_t tree_changes(const struct tree *a, const struct tree *b);
void tree_clear(struct tree *t);

#endif
