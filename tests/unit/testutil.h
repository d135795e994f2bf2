/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the unit tests: fixture roots in temporary
 * directories, tree hashes, file reading and writing. */
#ifndef SKD_TESTUTIL_H
#define SKD_TESTUTIL_H

#include <stddef.h>
#include <stdlib.h>

#include <check.h>

/* $SKD_TOP_SRCDIR / $SKD_TOP_BUILDDIR (set by make check), else ".". */
const char *tu_srcdir(void);
const char *tu_builddir(void);
/* ../shared/fixtures when it exists, else NULL (tests then skip, saying so). */
const char *tu_shared_fixtures(void);
/* "<srcdir>/tests/fixtures/<name>" (malloc'd). */
char *tu_fixture(const char *name);

/* A fresh temporary directory holding a copy of `src` (NULL: empty). */
char *tu_copy_tree(const char *src);
void tu_rm_tree(char *dir);             /* removes and frees */
/* A hash over every path, type, mode, symlink target and file content
 * below dir, as hex (malloc'd): equal hashes mean byte-identical trees. */
char *tu_tree_hash(const char *dir);

char *tu_read(const char *path, size_t *ret_len);    /* NULL when missing */
void tu_write(const char *path, const char *data);   /* mkdir -p, 0644 */
char *tu_path(const char *dir, const char *rel);     /* malloc'd join */
/* tu_write of dir/rel; the second writes `len` bytes of any kind. */
void tu_put(const char *dir, const char *rel, const char *text);
void tu_put_bin(const char *dir, const char *rel, const void *data, size_t len);
/* printf into a new string. */
char *tu_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* main() for a test program made of one suite. */
#define SKD_TEST_MAIN(suite_fn) \
	int main(void) \
	{ \
		SRunner *sr = srunner_create(suite_fn()); \
		srunner_run_all(sr, CK_ENV); \
		int failed = srunner_ntests_failed(sr); \
		srunner_free(sr); \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS; \
	}

#endif
