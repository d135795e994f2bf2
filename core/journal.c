/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "journal.h"
#include "sysroot.h"

void journal_free(struct journal *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		free(j->entries[i].path);
	free(j->entries);
	free(j);
}

static int kind_of(const char *word, size_t len, enum journal_kind *ret)
{
	static const char *const names[] = { "created", "replaced", "removed", "dir" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !strncmp(word, names[i], len)) {
			*ret = (enum journal_kind)i;
			return 0;
		}
	return -EINVAL;
}

int journal_parse(const char *text, struct journal **ret)
{
	struct journal *j = calloc(1, sizeof(*j));
	unsigned lineno = 0;
	int r = 0;

	if (!j)
		return -ENOMEM;
	while (*text) {
		size_t len = strcspn(text, "\n");
		const char *sp = memchr(text, ' ', len);
		struct journal_entry e;
		void *grown;

		lineno++;
		if (len == 0) {
			text++;
			continue;
		}
		if (!sp || kind_of(text, (size_t)(sp - text), &e.kind) < 0 || sp[1] != '/') {
			r = diag_set(-EINVAL, "%s: line %u is garbled", JOURNAL_FILE, lineno);
			goto out;
		}
		e.path = strndup(sp + 1, len - (size_t)(sp + 1 - text));
		grown = realloc(j->entries, (j->n + 1) * sizeof(*j->entries));
		if (!e.path || !grown) {
			free(e.path);
			if (grown)
				j->entries = grown;
			r = -ENOMEM;
			goto out;
		}
		j->entries = grown;
		j->entries[j->n++] = e;
		text += len + (text[len] ? 1 : 0);
	}
	*ret = j;
	j = NULL;
out:
	journal_free(j);
	return r;
}

int journal_load(struct sysroot *root, struct journal **ret)
{
	char *text = NULL;
	size_t len;
	int r = sysroot_read(root, JOURNAL_FILE, 1 << 20, &text, &len);

	if (r == -ENOENT) {
		diag_clear();
		return journal_parse("", ret);
	}
	if (r < 0)
		return r;
	r = journal_parse(text, ret);
	free(text);
	return r;
}

int journal_restore(struct sysroot *root, const struct skd_host *h,
                    const char *path)
{
	char *backup = NULL, *data = NULL;
	struct skd_stat st;
	size_t len;
	int r;

	if (asprintf(&backup, "%s%s", BACKUP_DIR, path) < 0)
		return -ENOMEM;
	r = sysroot_stat(root, backup, true, &st);
	if (r < 0)
		goto out;
	if (st.type == SKD_FILE_NONE) {
		r = h->error(h, -ENOENT, "no backup of %s (expected %s)", path, backup);
		goto out;
	}
	r = sysroot_read(root, backup, SYSROOT_READ_MAX, &data, &len);
	if (r < 0)
		goto out;
	/* exact: the original's mode, not the one our version had */
	r = h->write_file(h, path, data, len, st.mode | SYSROOT_MODE_EXACT);
out:
	free(backup);
	free(data);
	return r;
}
