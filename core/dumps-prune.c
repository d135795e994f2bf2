/* SPDX-License-Identifier: Apache-2.0 */
/* dumps --prune: removes all but the newest N dumps, and of each only the
 * files recognised as part of it; a dump directory that holds anything
 * else stays. The dump directory (often world-writable: Ubuntu's
 * /var/crash is shared with apport) is opened once; each dump directory is
 * opened once from it without following a symlink and must be the very
 * one scanned (device and inode), and its files go with unlinkat() on that
 * descriptor. No path is resolved again, so a local user who renames or
 * swaps entries meanwhile can at most make a dump stay. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "dumps.h"
#include "report.h"
#include "sysroot.h"

/* How prune_one() speaks: the dump directory as given, and where to. */
struct pruner {
	const char *dir;
	int rootfd;
	bool dry_run;
	FILE *out;
};

/* "<verb> <dir>/<entry>[/<file>]<tail>", names flattened. */
static void say(const struct pruner *p, const char *verb, const char *entry,
                const char *file, const char *tail)
{
	size_t n = strlen(p->dir);

	fprintf(p->out, "%s ", verb);
	text_flat(p->out, p->dir);
	if (n == 0 || p->dir[n - 1] != '/')
		fputc('/', p->out);
	text_flat(p->out, entry);
	if (file) {
		fputc('/', p->out);
		text_flat(p->out, file);
	}
	fprintf(p->out, "%s\n", tail);
}

static int failed(const struct pruner *p, int err, const char *what, const char *name)
{
	char *flat = text_flat_dup(name);

	diag_set(err, "cannot %s %s in \"%s\": %s", what, flat ? flat : "an entry",
	         p->dir, strerror(-err));
	free(flat);
	return err;
}

static bool same_inode(const struct stat *st, uint64_t dev, uint64_t ino)
{
	return (uint64_t)st->st_dev == dev && (uint64_t)st->st_ino == ino;
}

/* say() of the file `name` of the dump directory `entry`, or of the dump
 * directory itself when entry is NULL (a loose dump file). */
static void say_file(const struct pruner *p, const char *verb, const char *entry,
                     const char *name, const char *tail)
{
	say(p, verb, entry ? entry : name, entry ? name : NULL, tail);
}

/* Removes the file `name` of dirfd when it is still a regular file.
 * Returns 0, 1 when it was left, or a negative errno. */
static int remove_file(const struct pruner *p, int dirfd, const char *entry,
                       const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : failed(p, -errno, "inspect", name);
	if (!S_ISREG(st.st_mode)) {
		say_file(p, "left", entry, name, ": no longer a regular file");
		return 1;
	}
	if (!p->dry_run && unlinkat(dirfd, name, 0) < 0) {
		if (errno == ENOENT)
			return 0;       /* gone since the scan */
		if (errno != EISDIR && errno != EPERM)
			return failed(p, -errno, "remove", name);
		/* a directory renamed in since the fstatat() */
		say_file(p, "left", entry, name, ": no longer a regular file");
		return 1;
	}
	say_file(p, p->dry_run ? "would remove" : "removed", entry, name, "");
	return 0;
}

/* Removes the files of `d` from dirfd; returns how many were left, or a
 * negative errno. */
static int remove_files(const struct pruner *p, int dirfd, const struct dump *d)
{
	int left = 0;

	for (char **f = d->files; f && *f; f++) {
		int r = remove_file(p, dirfd, d->is_dir ? d->name : NULL, *f);

		if (r < 0)
			return r;
		left += r;
	}
	return left;
}

/* rmdir of the emptied dump directory, when its name still leads to it. */
static int remove_dir(const struct pruner *p, const struct dump *d)
{
	struct stat st;

	if (fstatat(p->rootfd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode) || !same_inode(&st, d->dev, d->ino)) {
		say(p, "kept", d->name, NULL, "/: it is no longer the directory listed");
		return 0;
	}
	if (unlinkat(p->rootfd, d->name, AT_REMOVEDIR) < 0) {
		if (errno == ENOTEMPTY || errno == EEXIST) {
			/* something appeared since the scan */
			say(p, "kept", d->name, NULL, "/: it is not empty");
			return 0;
		}
		if (errno == ENOENT || errno == ENOTDIR) {
			say(p, "kept", d->name, NULL, "/: it is no longer the directory listed");
			return 0;
		}
		return failed(p, -errno, "remove the directory", d->name);
	}
	say(p, "removed", d->name, NULL, "/");
	return 0;
}

static int prune_dir(const struct pruner *p, const struct dump *d)
{
	struct stat st;
	int dirfd, r;

	dirfd = openat(p->rootfd, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0 && errno == ENOENT)
		return 0;       /* gone since the scan */
	if (dirfd < 0 && errno != ELOOP && errno != ENOTDIR)
		return failed(p, -errno, "open", d->name);
	if (dirfd < 0 || fstat(dirfd, &st) < 0 || !same_inode(&st, d->dev, d->ino)) {
		/* a symlink or another directory under its name */
		say(p, "left", d->name, NULL, "/: it is no longer the directory listed");
		if (dirfd >= 0)
			close(dirfd);
		return 0;
	}
	r = remove_files(p, dirfd, d);
	close(dirfd);
	if (r < 0)
		return r;
	if (r + d->n_other > 0) {
		size_t left = (size_t)r + d->n_other;
		char tail[64];

		snprintf(tail, sizeof(tail), "/: it holds %zu other entr%s", left,
		         left == 1 ? "y" : "ies");
		say(p, p->dry_run ? "would keep" : "kept", d->name, NULL, tail);
		return 0;
	}
	if (p->dry_run) {
		say(p, "would remove", d->name, NULL, "/");
		return 0;
	}
	return remove_dir(p, d);
}

int dumps_prune(struct sysroot *root, const char *dir, const struct dump_list *l,
                size_t keep, bool dry_run, FILE *out)
{
	struct pruner p = { .dir = dir, .dry_run = dry_run, .out = out };
	struct stat st;
	int r = 0;

	if (l->n <= keep)
		return 0;
	p.rootfd = sysroot_open_dir(root, dir, &st);
	if (p.rootfd < 0)
		return p.rootfd;
	if (!same_inode(&st, l->dev, l->ino)) {
		close(p.rootfd);
		return diag_set(-ESTALE, "dump directory \"%s\" is no longer the one listed: "
		                "nothing removed", dir);
	}
	for (size_t i = keep; i < l->n && r >= 0; i++) {
		const struct dump *d = &l->v[i];

		r = d->is_dir ? prune_dir(&p, d) : remove_files(&p, p.rootfd, d);
	}
	close(p.rootfd);
	return r < 0 ? r : 0;
}
