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
	bool have_time;         /* false when no source gave a plausible time */
	int64_t time;           /* seconds since the epoch */
	const char *time_source;  /* "dump", "name", "mtime", "unknown" */
	uint64_t size;          /* bytes of all files of the entry */
	char **files;           /* every file of the dump (relative to the entry
	                           for a directory, else names in the dump
	                           directory): what --prune removes */
	size_t n_other;         /* entries of a dump directory that are not part
	                           of the dump (kept by --prune) */
	uint64_t dev, ino;      /* of a dump directory, as scanned */
};

struct dump_list {
	struct dump *v;         /* newest first */
	size_t n;
	uint64_t total_size;
	uint64_t dev, ino;      /* of the dump directory, as scanned */
};

/* 9999-12-31T23:59:59Z: the last time ISO 8601 writes in four digits. */
#define DUMP_TIME_MAX INT64_C(253402300799)

/* List the dumps under `dir` (a path inside the root). -ENOENT when the
 * directory does not exist, -ENOTDIR when it is something else (both
 * with diag_set naming it). Symlinks in it are never followed. */
int dumps_scan(struct sysroot *root, const char *dir, struct dump_list *ret);
void dump_list_clear(struct dump_list *l);
/* Remove all but the newest `keep` dumps of `l` (scanned from `dir`),
 * printing one line per removal to `out` (names flattened: text_flat());
 * with dry_run nothing is removed. The dump directory must still be the
 * one scanned (-ESTALE). Each dump directory is opened once, relative to
 * it and without following a symlink, and left alone unless it is the
 * very directory scanned (device and inode); its files are removed
 * through that descriptor, so a rename or symlink swapped in meanwhile
 * cannot redirect a removal. Returns 0 or the first error (diag_set
 * naming the path). */
int dumps_prune(struct sysroot *root, const char *dir,
                const struct dump_list *l, size_t keep, bool dry_run,
                FILE *out);

/* When `d` was taken, from the first plausible source
 * (vmcore_time_plausible(), for a file time only "not after now + a day"):
 * the dump's own time (d->info), the entry's name, the core's or log's
 * name, then `mtime` (negative: none); none sets have_time false and the
 * source "unknown". */
void dump_pick_time(struct dump *d, int64_t mtime, int64_t now);
/* d->time as "YYYY-MM-DDTHH:MM:SSZ" (json) or "YYYY-MM-DD HH:MM:SS UTC";
 * without a time that has such a form, "null" or "unknown" and false. */
bool dump_time_text(const struct dump *d, bool json, char *buf, size_t len);
/* One entry of `dumps --json` (schemas/dumps.schema.json, $defs/dump). */
void dump_json(FILE *f, const struct dump *d);

#endif
