/* SPDX-License-Identifier: Apache-2.0 */
/* The crash dumps in a dump directory: one entry per dump directory (the
 * layouts of kdump-tools, <stamp>/dump.<stamp> + dmesg.<stamp>, and of
 * kdump-utils, <host>-<date>/vmcore + vmcore-dmesg.txt) or loose dump file,
 * newest first; and removing all but the newest N. Only what is recognised
 * as a dump is ever listed or removed. */
#ifndef SKD_DUMPS_H
#define SKD_DUMPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmcore.h"

struct sysroot;

struct dump {
	char *name;             /* entry in the dump directory */
	bool is_dir;
	char *core;             /* the dump file (relative to the entry), or NULL
	                           for a kernel log only */
	char *dmesg;            /* the kernel log file, or NULL */
	struct vmcore_info info;  /* of the core (or of the log, when only that) */
	int64_t time;           /* seconds since the epoch */
	const char *time_source;  /* "dump", "name", "mtime" */
	uint64_t size;          /* bytes of all files of the entry */
	char **files;           /* every file of the dump (relative to the entry
	                           for a directory, else names in the dump
	                           directory): what --prune removes */
	size_t n_other;         /* entries of a dump directory that are not part
	                           of the dump (kept by --prune) */
};

struct dump_list {
	struct dump *v;         /* newest first */
	size_t n;
	uint64_t total_size;
};

/* List the dumps under `dir` (a path inside the root). -ENOENT when the
 * directory does not exist, -ENOTDIR when it is something else (both
 * with diag_set naming it). Symlinks in it are never followed. */
int dumps_scan(struct sysroot *root, const char *dir, struct dump_list *ret);
void dump_list_clear(struct dump_list *l);
/* Remove all but the newest `keep` dumps of `l` (scanned from `dir`),
 * printing one line per removal to `out`; with dry_run nothing is removed.
 * Returns 0 or the first error (diag_set naming the path). */
int dumps_prune(struct sysroot *root, const char *dir,
                const struct dump_list *l, size_t keep, bool dry_run,
                FILE *out);

#endif
