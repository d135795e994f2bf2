/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static const char *env_or_dot(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : ".";
}

const char *tu_srcdir(void) { return env_or_dot("SKD_TOP_SRCDIR"); }
const char *tu_builddir(void) { return env_or_dot("SKD_TOP_BUILDDIR"); }

const char *tu_shared_fixtures(void)
{
	static char buf[4096];
	const char *v = getenv("SKD_SHARED_FIXTURES");
	struct stat st;

	if (v && *v)
		snprintf(buf, sizeof(buf), "%s", v);
	else
		snprintf(buf, sizeof(buf), "%s/../shared/fixtures", tu_srcdir());
	if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return buf;
}

char *tu_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&s, fmt, ap), 0);
	va_end(ap);
	return s;
}

char *tu_fixture(const char *name)
{
	return tu_printf("%s/tests/fixtures/%s", tu_srcdir(), name);
}

char *tu_path(const char *dir, const char *rel)
{
	return tu_printf("%s/%s", dir, rel[0] == '/' ? rel + 1 : rel);
}

char *tu_copy_tree(const char *src)
{
	char *dir = strdup("/tmp/skd-test-XXXXXX");

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	if (src) {
		char *cmd = tu_printf("cp -a '%s'/. '%s'/", src, dir);
		ck_assert_msg(system(cmd) == 0, "copying %s failed", src);
		free(cmd);
	}
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
	(void)st; (void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void tu_rm_tree(char *dir)
{
	if (!dir)
		return;
	nftw(dir, rm_one, 32, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* FNV-1a, 64 bit: enough to tell trees apart in tests. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

struct entry {
	char *rel;
	uint64_t h;
};

static struct entry *entries;
static size_t n_entries;
static size_t base_len;

static int hash_one(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	uint64_t h = 0xcbf29ce484222325ull;
	char buf[4096];

	(void)flag; (void)ftw;
	h = fnv(h, &st->st_mode, sizeof(st->st_mode));
	if (S_ISREG(st->st_mode)) {
		int fd = open(path, O_RDONLY | O_NOFOLLOW);
		ssize_t n;

		if (fd >= 0) {
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				h = fnv(h, buf, (size_t)n);
			close(fd);
		} else {
			h = fnv(h, "unreadable", 10);
		}
	} else if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, buf, sizeof(buf));
		if (n > 0)
			h = fnv(h, buf, (size_t)n);
	}
	entries = realloc(entries, (n_entries + 1) * sizeof(*entries));
	entries[n_entries].rel = strdup(path + base_len);
	entries[n_entries].h = h;
	n_entries++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->rel,
	              ((const struct entry *)b)->rel);
}

char *tu_tree_hash(const char *dir)
{
	uint64_t h = 0xcbf29ce484222325ull;

	entries = NULL;
	n_entries = 0;
	base_len = strlen(dir);
	ck_assert_int_eq(nftw(dir, hash_one, 32, FTW_PHYS), 0);
	qsort(entries, n_entries, sizeof(*entries), cmp_entry);
	for (size_t i = 0; i < n_entries; i++) {
		h = fnv(h, entries[i].rel, strlen(entries[i].rel) + 1);
		h = fnv(h, &entries[i].h, sizeof(entries[i].h));
		free(entries[i].rel);
	}
	free(entries);
	entries = NULL;
	return tu_printf("%016llx/%zu", (unsigned long long)h, n_entries);
}

char *tu_read(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			data = realloc(data, cap);
			ck_assert_ptr_nonnull(data);
		}
		n = fread(data + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	fclose(f);
	data[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return data;
}

void tu_write(const char *path, const char *data)
{
	char *dir = strdup(path), *slash = strrchr(dir, '/');
	FILE *f;

	if (slash && slash != dir) {
		*slash = '\0';
		char *cmd = tu_printf("mkdir -p '%s'", dir);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
	}
	free(dir);
	f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	fputs(data, f);
	fclose(f);
}

void tu_put(const char *dir, const char *rel, const char *text)
{
	char *p = tu_path(dir, rel);

	tu_write(p, text);
	free(p);
}

void tu_put_bin(const char *dir, const char *rel, const void *data, size_t len)
{
	char *p = tu_path(dir, rel);
	FILE *f;

	tu_write(p, "");
	f = fopen(p, "wb");
	ck_assert_msg(f != NULL, "cannot write %s: %s", p, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(p);
}
