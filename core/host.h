/* SPDX-License-Identifier: Apache-2.0 */
/* The services handed to a backend (struct skd_host), built on a sysroot
 * and a runner. It also keeps what the lifecycle needs to undo: a backup of
 * every file replaced for the first time, and the list of files created,
 * under the state directory; under --dry-run it prints a unified diff for
 * each file change instead of writing. */
#ifndef SKD_HOST_H
#define SKD_HOST_H

#include <stdbool.h>
#include <stdio.h>

#include <skyhook-kdump/backend.h>

struct sysroot;
struct runner;

#define STATE_DIR "/var/lib/skyhook-kdump"
/* The journal of files changed by write_file/remove_file: one line per
 * file, "created <path>", "replaced <path>" or "removed <path>", written
 * before the first change to that file and never duplicated. For
 * replaced and removed files the original is kept at HOST_BACKUP_DIR
 * followed by the path (same mode). Nothing under STATE_DIR is recorded. */
#define HOST_FILES_JOURNAL STATE_DIR "/files"
#define HOST_BACKUP_DIR STATE_DIR "/backup"

struct host_options {
	bool dry_run;
	bool image;             /* root is not the running system */
	int verbosity;          /* 0 normal, 1 -v, 2 -vv */
	FILE *out;              /* diffs, "would run", info lines: stdout */
	FILE *err;              /* errors and warnings: stderr */
	const char *log_prefix; /* backend name, for log lines */
	bool test_hooks;        /* the recording runner is on: allows "kill" */
};

struct host;

int host_new(const struct host_options *opt, struct sysroot *root,
             struct runner *runner, struct host **ret);
void host_free(struct host *h);
const struct skd_host *host_services(struct host *h);
/* Values for skd_host.get(); value NULL removes. */
int host_set(struct host *h, const char *key, const char *value);
/* The message the backend gave with skd_host.error(), or NULL. */
const char *host_last_error(const struct host *h);
/* Files written and removed so far (for "nothing written" checks). */
unsigned host_files_changed(const struct host *h);

/* Our own bookkeeping under STATE_DIR (state, marker, journal removal):
 * not journaled, but each is a call for fault injection, like a service
 * call, with kill points around the change. host_replace creates the
 * parent directory. */
int host_replace(struct host *h, const char *path, const char *data,
                 size_t len, uint32_t mode);
int host_remove(struct host *h, const char *path);
int host_remove_tree(struct host *h, const char *path);
/* Create directory `path` and its missing parents with `mode`, each one
 * recorded in the journal ("dir PATH") so that uninstall can remove it
 * again while it is empty. An existing directory is left as it is;
 * *ret_created tells whether anything was (or, in a dry run, would be)
 * created. */
int host_make_dir(struct host *h, const char *path, uint32_t mode,
                  bool *ret_created);
/* Remove a directory we created, if it is empty: *ret_removed false when
 * it holds something (dumps, say), which stays. */
int host_remove_empty_dir(struct host *h, const char *path, bool *ret_removed);

/* Fault injection for tests: SKYHOOK_KDUMP_FAULT="N:KIND" makes the N-th
 * call (1-based) to any file or run service, or to the bookkeeping
 * functions above, fail; KIND is one of "command" (exit 1), "write"
 * (-EIO), "enospc", "eacces". With test_hooks, "N:kill" raises SIGKILL at
 * the N-th write point instead: after each file change, inside each
 * atomic replace (temp file written, not renamed), before and after each
 * command that changes the system. At -vv the host logs how many calls
 * and write points the run made ("host calls: N, write points: M"). */
int host_set_fault(struct host *h, const char *spec);

#endif
