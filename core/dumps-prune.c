/* SPDX-License-Identifier: Apache-2.0 */
/* dumps --prune: removes all but the newest N dumps, and of each only the
 * files recognised as part of it; a dump directory that holds anything
 * else stays. Each file is checked again right before it goes: a file
 * that became a symlink or a directory since the scan is left alone. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dumps.h"
#include "sysroot.h"

static char *join(const char *dir, const char *name)
{
	char *p;
	size_t n = strlen(dir);

	if (asprintf(&p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name) < 0)
		return NULL;
	return p;
}

static int remove_file(struct sysroot *root, const char *path, bool dry_run, FILE *out)
{
	struct skd_stat st;
	int r;

	r = sysroot_stat(root, path, true, &st);
	if (r < 0)
		return r;
	if (st.type == SKD_FILE_NONE)
		return 0;       /* gone since the scan */
	if (st.type != SKD_FILE_REGULAR) {
		fprintf(out, "left %s: no longer a regular file\n", path);
		return 1;
	}
	if (!dry_run && (r = sysroot_remove(root, path)) < 0)
		return r;
	fprintf(out, "%s %s\n", dry_run ? "would remove" : "removed", path);
	return 0;
}

static int prune_one(struct sysroot *root, const char *dir, const struct dump *d,
                     bool dry_run, FILE *out)
{
	char *base = d->is_dir ? join(dir, d->name) : strdup(dir);
	size_t left = d->n_other;
	int r = 0;

	if (!base)
		return diag_set(-ENOMEM, "out of memory");
	for (char **f = d->files; f && *f && r >= 0; f++) {
		char *path = join(base, *f);

		r = path ? remove_file(root, path, dry_run, out) : -ENOMEM;
		if (r > 0) {
			left++;
			r = 0;
		}
		free(path);
	}
	if (r < 0 || !d->is_dir)
		goto out;
	if (left > 0) {
		fprintf(out, "%s %s/: it holds %zu other entr%s\n",
		        dry_run ? "would keep" : "kept", base, left, left == 1 ? "y" : "ies");
		goto out;
	}
	if (!dry_run) {
		r = sysroot_rmdir(root, base);
		if (r == -ENOTEMPTY) {
			/* something appeared since the scan */
			diag_clear();
			fprintf(out, "kept %s/: it is not empty\n", base);
			r = 0;
			goto out;
		}
		if (r < 0)
			goto out;
	}
	fprintf(out, "%s %s/\n", dry_run ? "would remove" : "removed", base);
out:
	if (r == -ENOMEM)
		diag_set(r, "out of memory");
	free(base);
	return r;
}

int dumps_prune(struct sysroot *root, const char *dir, const struct dump_list *l,
                size_t keep, bool dry_run, FILE *out)
{
	for (size_t i = keep; i < l->n; i++) {
		int r = prune_one(root, dir, &l->v[i], dry_run, out);

		if (r < 0)
			return r;
	}
	return 0;
}
