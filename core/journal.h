/* SPDX-License-Identifier: Apache-2.0 */
/* The host's record of the files it created, replaced or removed for us
 * (STATE_DIR/files) and their backups (STATE_DIR/backup/<path>). */
#ifndef SKD_JOURNAL_H
#define SKD_JOURNAL_H

#include <stddef.h>

#include <skyhook-kdump/backend.h>

struct sysroot;

#define JOURNAL_FILE "/var/lib/skyhook-kdump/files"
#define BACKUP_DIR "/var/lib/skyhook-kdump/backup"

enum journal_kind {
	JOURNAL_CREATED,
	JOURNAL_REPLACED,
	JOURNAL_REMOVED,
	JOURNAL_DIR,            /* a directory we created */
};

struct journal_entry {
	enum journal_kind kind;
	char *path;
};

struct journal {
	struct journal_entry *entries;
	size_t n;
};

/* A missing journal is an empty one. */
int journal_load(struct sysroot *root, struct journal **ret);
int journal_parse(const char *text, struct journal **ret);
void journal_free(struct journal *j);
/* Put the backup of `path` back in place, through the host services. */
int journal_restore(struct sysroot *root, const struct skd_host *h,
                    const char *path);

#endif
