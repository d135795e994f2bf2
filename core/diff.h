/* SPDX-License-Identifier: Apache-2.0 */
/* Unified diffs ("diff -u" format, 3 lines of context) of two texts, for
 * what --dry-run prints instead of writing a file. */
#ifndef SKD_DIFF_H
#define SKD_DIFF_H

#include <stddef.h>

/* Lines of context around each change. */
#define DIFF_CONTEXT 3

/* Above this many differing lines (after the common head and tail are
 * cut), the diff shows the differing part as removed and re-added rather
 * than searching for a minimal edit script. */
#define DIFF_MAX_EDITS 2000

/*
 * The changes from `old` to `new` as a unified diff, labelled "a/<path>"
 * and "b/<path>" (path is absolute inside the root; its leading slash is
 * dropped). old == NULL: the file did not exist ("--- /dev/null"); new ==
 * NULL: it is removed ("+++ /dev/null"). A missing final newline is shown
 * with "\ No newline at end of file". *ret is malloc'd and NUL-terminated;
 * it is "" when both texts are equal.
 */
int diff_unified(const char *path, const char *old, size_t old_len,
                 const char *new, size_t new_len, char **ret);

#endif
