/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "diff.h"
#include "host.h"
#include "runner.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_host_suite(void);

/* ---- diff ------------------------------------------------------------ */

static char *udiff(const char *old, const char *new)
{
	char *d = NULL;

	ck_assert_int_eq(diff_unified("/etc/x", old, old ? strlen(old) : 0, new,
	                              new ? strlen(new) : 0, &d), 0);
	ck_assert_ptr_nonnull(d);
	return d;
}

#define ASSERT_DIFF(old, new, expect) do { \
		char *d_ = udiff(old, new); \
		ck_assert_str_eq(d_, expect); \
		free(d_); \
	} while (0)

START_TEST(diff_golden)
{
	ASSERT_DIFF("a\nb\n", "a\nb\n", "");
	ASSERT_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
	            "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n",
	            "--- a/etc/x\n+++ b/etc/x\n"
	            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	/* added at the end */
	ASSERT_DIFF("a\nb\n", "a\nb\nc\n",
	            "--- a/etc/x\n+++ b/etc/x\n@@ -1,2 +1,3 @@\n a\n b\n+c\n");
	/* deleted at the start */
	ASSERT_DIFF("a\nb\nc\n", "b\nc\n",
	            "--- a/etc/x\n+++ b/etc/x\n@@ -1,3 +1,2 @@\n-a\n b\n c\n");
	/* a new file, a removed one */
	ASSERT_DIFF(NULL, "x\ny\n",
	            "--- /dev/null\n+++ b/etc/x\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	ASSERT_DIFF("x\ny\n", NULL,
	            "--- a/etc/x\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n");
	ASSERT_DIFF(NULL, "", "--- /dev/null\n+++ b/etc/x\n");
	/* no newline at the end, before or after */
	ASSERT_DIFF("a\nb", "a\nb\n",
	            "--- a/etc/x\n+++ b/etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n"
	            "\\ No newline at end of file\n+b\n");
	ASSERT_DIFF("a\n", "a\nb",
	            "--- a/etc/x\n+++ b/etc/x\n@@ -1 +1,2 @@\n a\n+b\n"
	            "\\ No newline at end of file\n");
	/* an insertion in an empty old range names the line before it */
	ASSERT_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nnew\n5\n6\n7\n8\n",
	            "--- a/etc/x\n+++ b/etc/x\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n"
	            " 5\n 6\n 7\n");
	ASSERT_DIFF("", "x\n", "--- a/etc/x\n+++ b/etc/x\n@@ -0,0 +1 @@\n+x\n");
}
END_TEST

START_TEST(diff_hunks_split_and_merge)
{
	char old[256] = "", new[256] = "";

	for (int i = 1; i <= 20; i++) {
		char l[16];
		snprintf(l, sizeof(l), "%d\n", i);
		strcat(old, l);
		strcat(new, i == 2 ? "two\n" : i == 18 ? "eighteen\n" : l);
	}
	/* 15 unchanged lines between: two hunks */
	ASSERT_DIFF(old, new,
	            "--- a/etc/x\n+++ b/etc/x\n"
	            "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
	            "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
	/* 6 unchanged lines between two changes: one hunk */
	ASSERT_DIFF("a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n",
	            "--- a/etc/x\n+++ b/etc/x\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n"
	            " 3\n 4\n 5\n 6\n-b\n+B\n");
}
END_TEST

struct dline {
	char kind;
	char *text;             /* with its '\n' unless marked */
};

/* Applies a diff of ours to old; *ret_changes counts '-' and '+' lines. */
static char *apply(const char *old, const char *diff, unsigned *ret_changes)
{
	const char *olines[512];
	size_t olen[512], n_old = 0, pos = 0, out_len = 0;
	char *out = calloc(1, strlen(old) + strlen(diff) + 1);
	const char *p = diff;
	unsigned changes = 0;

	for (const char *s = old; *s;) {
		const char *e = strchr(s, '\n');
		size_t l = e ? (size_t)(e - s) + 1 : strlen(s);
		olines[n_old] = s;
		olen[n_old++] = l;
		s += l;
	}
	if (!*diff)
		return strcpy(out, old);
	/* headers */
	p = strchr(p, '\n') + 1;
	p = strchr(p, '\n') + 1;
	while (*p) {
		unsigned long a, b = 1, c, d = 1;
		const char *e = strchr(p, '\n');

		ck_assert_int_eq(p[0], '@');
		if (sscanf(p, "@@ -%lu,%lu +%lu,%lu @@", &a, &b, &c, &d) != 4 &&
		    sscanf(p, "@@ -%lu +%lu,%lu @@", &a, &c, &d) != 3 &&
		    sscanf(p, "@@ -%lu,%lu +%lu @@", &a, &b, &c) != 3)
			ck_assert_int_eq(sscanf(p, "@@ -%lu +%lu @@", &a, &c), 2);
		p = e + 1;
		/* copy up to the hunk */
		for (size_t start = b ? a - 1 : a; pos < start; pos++) {
			memcpy(out + out_len, olines[pos], olen[pos]);
			out_len += olen[pos];
		}
		while (*p && *p != '@') {
			char kind = *p++;
			bool nonl;
			size_t l;

			e = strchr(p, '\n');
			nonl = strncmp(e + 1, "\\ No newline at end of file\n", 28) == 0;
			l = (size_t)(e - p) + 1 - nonl;
			if (kind == ' ' || kind == '-') {
				ck_assert_uint_lt(pos, n_old);
				ck_assert_uint_eq(olen[pos], l);
				ck_assert(memcmp(olines[pos], p, l) == 0);
				pos++;
			}
			if (kind == ' ' || kind == '+') {
				memcpy(out + out_len, p, l);
				out_len += l;
			}
			if (kind != ' ')
				changes++;
			p = e + 1;
			if (nonl)
				p = strchr(p, '\n') + 1;
		}
	}
	for (; pos < n_old; pos++) {
		memcpy(out + out_len, olines[pos], olen[pos]);
		out_len += olen[pos];
	}
	*ret_changes = changes;
	return out;
}

static unsigned lcs(const char *a, const char *b)
{
	const char *al[512], *bl[512];
	size_t an = 0, bn = 0, alen[512], blen[512];
	static unsigned t[513][513];

	for (const char *s = a; *s; an++) {
		const char *e = strchr(s, '\n');
		alen[an] = e ? (size_t)(e - s) + 1 : strlen(s);
		al[an] = s;
		s += alen[an];
	}
	for (const char *s = b; *s; bn++) {
		const char *e = strchr(s, '\n');
		blen[bn] = e ? (size_t)(e - s) + 1 : strlen(s);
		bl[bn] = s;
		s += blen[bn];
	}
	for (size_t i = 0; i <= an; i++)
		for (size_t j = 0; j <= bn; j++) {
			if (!i || !j)
				t[i][j] = 0;
			else if (alen[i - 1] == blen[j - 1] &&
			         !memcmp(al[i - 1], bl[j - 1], alen[i - 1]))
				t[i][j] = t[i - 1][j - 1] + 1;
			else
				t[i][j] = t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
		}
	return t[an][bn];
}

static char *random_text(unsigned *seed, unsigned max_lines)
{
	unsigned n = (unsigned)rand_r(seed) % (max_lines + 1);
	char *s = calloc(1, n * 3 + 1);

	for (unsigned i = 0; i < n; i++) {
		char l[3] = { (char)('a' + rand_r(seed) % 4), '\n', 0 };
		strcat(s, l);
	}
	/* sometimes no final newline */
	if (n && rand_r(seed) % 4 == 0)
		s[strlen(s) - 1] = '\0';
	return s;
}

START_TEST(diff_random_applies_and_is_minimal)
{
	unsigned seed = 12345;

	for (int round = 0; round < 2000; round++) {
		char *a = random_text(&seed, 25), *b = random_text(&seed, 25);
		size_t na = 0, nb = 0;
		unsigned changes = 0;
		char *d = udiff(a, b), *got = apply(a, d, &changes);

		ck_assert_msg(strcmp(got, b) == 0, "round %d:\n%s", round, d);
		for (const char *s = a; *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "")
			na++;
		for (const char *s = b; *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "")
			nb++;
		/* Myers finds a shortest edit script */
		ck_assert_uint_eq(changes, na + nb - 2 * lcs(a, b));
		free(a);
		free(b);
		free(d);
		free(got);
	}
}
END_TEST

START_TEST(diff_large_inputs)
{
	size_t n = 3000;
	char *a = calloc(1, n * 12), *b = calloc(1, n * 12), *c = calloc(1, n * 12);
	char *d;

	for (size_t i = 0; i < n; i++) {
		sprintf(a + strlen(a), "old %zu\n", i);
		sprintf(b + strlen(b), "new %zu\n", i);
		sprintf(c + strlen(c), i % 500 == 7 ? "changed %zu\n" : "old %zu\n", i);
	}
	/* everything differs: past the edit cap, the whole replacement */
	ck_assert_int_eq(diff_unified("/f", a, strlen(a), b, strlen(b), &d), 0);
	ck_assert_ptr_nonnull(strstr(d, "@@ -1,3000 +1,3000 @@\n"));
	free(d);
	/* few changes in a big file: small hunks */
	ck_assert_int_eq(diff_unified("/f", a, strlen(a), c, strlen(c), &d), 0);
	ck_assert_ptr_nonnull(strstr(d, "@@ -5,7 +5,7 @@\n"));
	free(d);
	free(a);
	free(b);
	free(c);
}
END_TEST

/* ---- host ------------------------------------------------------------ */

struct fixture {
	char *dir, *tools, *log;
	struct sysroot *root;
	struct runner runner;
	struct host *host;
	const struct skd_host *h;
	char *out, *err;
	size_t out_len, err_len;
	FILE *fout, *ferr;
};

static struct fixture fx;

static void fx_put(const char *rel, const char *data, mode_t mode)
{
	char *p = tu_path(fx.dir, rel);

	tu_write(p, data);
	ck_assert_int_eq(chmod(p, mode), 0);
	free(p);
}

static char *fx_read(const char *rel)
{
	char *p = tu_path(fx.dir, rel), *data = tu_read(p, NULL);

	free(p);
	return data;
}

static mode_t fx_mode(const char *rel)
{
	char *p = tu_path(fx.dir, rel);
	struct stat st;

	ck_assert_int_eq(lstat(p, &st), 0);
	free(p);
	return st.st_mode & 07777;
}

static bool fx_exists(const char *rel)
{
	char *p = tu_path(fx.dir, rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static void fx_open(bool dry_run, int verbosity, const char *prefix)
{
	struct host_options opt = { 0 };

	fx.fout = open_memstream(&fx.out, &fx.out_len);
	fx.ferr = open_memstream(&fx.err, &fx.err_len);
	opt.dry_run = dry_run;
	opt.verbosity = verbosity;
	opt.out = fx.fout;
	opt.err = fx.ferr;
	opt.log_prefix = prefix;
	ck_assert_int_eq(sysroot_open(fx.dir, &fx.root), 0);
	fx.runner = (struct runner){ .mode = RUNNER_FAKE, .root = fx.dir,
	                             .fake_dir = fx.tools, .log_path = fx.log };
	ck_assert_int_eq(host_new(&opt, fx.root, &fx.runner, &fx.host), 0);
	fx.h = host_services(fx.host);
}

static void fx_close(void)
{
	host_free(fx.host);
	fx.host = NULL;
	sysroot_free(fx.root);
	fx.root = NULL;
	if (fx.fout)
		fclose(fx.fout);
	if (fx.ferr)
		fclose(fx.ferr);
	fx.fout = fx.ferr = NULL;
	free(fx.out);
	free(fx.err);
	fx.out = fx.err = NULL;
}

static void setup(void)
{
	memset(&fx, 0, sizeof(fx));
	fx.dir = tu_copy_tree(NULL);
	fx.tools = tu_copy_tree(NULL);
	fx.log = tu_path(fx.tools, "commands.log");
	fx_put("etc/default/grub", "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n",
	       0640);
	fx_put("etc/old.conf", "old\n", 0600);
	fx_open(false, 0, "test");
}

static void teardown(void)
{
	fx_close();
	tu_rm_tree(fx.dir);
	tu_rm_tree(fx.tools);
	free(fx.log);
}

#define GRUB_NEW "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet crashkernel=256M\"\n"
#define BACKUP(p) "var/lib/skyhook-kdump/backup" p
#define FILES "var/lib/skyhook-kdump/files"

START_TEST(header)
{
	ck_assert_uint_eq(fx.h->abi_major, SKD_ABI_MAJOR);
	ck_assert_uint_eq(fx.h->abi_minor, SKD_ABI_MINOR);
	ck_assert_uint_eq(fx.h->struct_size, sizeof(struct skd_host));
	ck_assert_str_eq(fx.h->name, "skyhook-kdump");
	ck_assert_uint_eq(fx.h->flags, 0);
	ck_assert_ptr_eq(fx.h->host_data, fx.host);
	ck_assert_ptr_nonnull(fx.h->read_file);
	ck_assert_ptr_nonnull(fx.h->get);
	fx_close();
	{
		struct host_options opt = { .dry_run = true, .image = true };
		struct runner r = { .mode = RUNNER_FAKE };
		struct host *h;

		ck_assert_int_eq(sysroot_open(fx.dir, &fx.root), 0);
		ck_assert_int_eq(host_new(&opt, fx.root, &r, &h), 0);
		ck_assert_uint_eq(host_services(h)->flags,
		                  SKD_HOST_DRY_RUN | SKD_HOST_IMAGE);
		/* commands follow the same dry-run */
		ck_assert(r.dry_run);
		host_free(h);
	}
}
END_TEST

START_TEST(write_backs_up_once_and_records)
{
	char *data, *hash1, *hash2;

	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/default/grub", GRUB_NEW,
	                                  strlen(GRUB_NEW), 0644), 0);
	data = fx_read("etc/default/grub");
	ck_assert_str_eq(data, GRUB_NEW);
	free(data);
	ck_assert_uint_eq(fx_mode("etc/default/grub"), 0640);
	data = fx_read(BACKUP("/etc/default/grub"));
	ck_assert_str_eq(data, "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n");
	free(data);
	ck_assert_uint_eq(fx_mode(BACKUP("/etc/default/grub")), 0640);
	ck_assert_uint_eq(fx_mode("var/lib/skyhook-kdump"), 0700);
	ck_assert_uint_eq(fx_mode("var/lib/skyhook-kdump/backup/etc"), 0700);
	data = fx_read(FILES);
	ck_assert_str_eq(data, "replaced /etc/default/grub\n");
	free(data);
	ck_assert_uint_eq(host_files_changed(fx.host), 1);

	/* a second change keeps the first backup and adds no record, whatever
	 * the spelling of the path */
	ck_assert_int_eq(fx.h->write_file(fx.h, "//etc/./default/grub", "v3\n", 3,
	                                  0644), 0);
	data = fx_read(BACKUP("/etc/default/grub"));
	ck_assert_str_eq(data, "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n");
	free(data);
	data = fx_read(FILES);
	ck_assert_str_eq(data, "replaced /etc/default/grub\n");
	free(data);

	/* a new file, in a directory that does not exist yet */
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/kdump/conf.d/a.conf", "a\n", 2,
	                                  0600), 0);
	ck_assert_uint_eq(fx_mode("etc/kdump/conf.d/a.conf"), 0600);
	ck_assert(!fx_exists(BACKUP("/etc/kdump/conf.d/a.conf")));
	data = fx_read(FILES);
	ck_assert_str_eq(data, "replaced /etc/default/grub\n"
	                 "created /etc/kdump/conf.d/a.conf\n");
	free(data);
	ck_assert_uint_eq(host_files_changed(fx.host), 3);

	/* identical content: nothing at all is written */
	hash1 = tu_tree_hash(fx.dir);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/default/grub", "v3\n", 3,
	                                  0644), 0);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/kdump/conf.d/a.conf", "a\n", 2,
	                                  0644), 0);
	hash2 = tu_tree_hash(fx.dir);
	ck_assert_str_eq(hash1, hash2);
	ck_assert_uint_eq(host_files_changed(fx.host), 3);
	free(hash1);
	free(hash2);

	/* the state directory is ours: no backup, no record */
	ck_assert_int_eq(fx.h->write_file(fx.h, "/var/lib/skyhook-kdump/state",
	                                  "format=1\n", 9, 0600), 0);
	data = fx_read(FILES);
	ck_assert_str_eq(data, "replaced /etc/default/grub\n"
	                 "created /etc/kdump/conf.d/a.conf\n");
	free(data);
	ck_assert(!fx_exists(BACKUP("/var/lib/skyhook-kdump/state")));
}
END_TEST

START_TEST(write_refusals)
{
	char *hash1, *hash2, *link = tu_path(fx.dir, "etc/grub-link");

	ck_assert_int_eq(symlink("default/grub", link), 0);
	free(link);
	hash1 = tu_tree_hash(fx.dir);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/grub-link", "x", 1, 0644),
	                 -ELOOP);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/etc/grub-link\""));
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc", "x", 1, 0644), -EISDIR);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/../x", "x", 1, 0644), -EINVAL);
	ck_assert_int_eq(fx.h->write_file(fx.h, "etc/x", "x", 1, 0644), -EINVAL);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/a\nb", "x", 1, 0644), -EINVAL);
	/* a file where a directory should be: no record left behind */
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/old.conf/x", "x", 1, 0644),
	                 -ENOTDIR);
	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc"), -EISDIR);
	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc/grub-link"), -EINVAL);
	hash2 = tu_tree_hash(fx.dir);
	/* no backup, no record, no temp file */
	ck_assert_str_eq(hash1, hash2);
	ck_assert_uint_eq(host_files_changed(fx.host), 0);
	free(hash1);
	free(hash2);
}
END_TEST

START_TEST(remove_backs_up)
{
	char *data;

	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc/old.conf"), 0);
	ck_assert(!fx_exists("etc/old.conf"));
	data = fx_read(BACKUP("/etc/old.conf"));
	ck_assert_str_eq(data, "old\n");
	free(data);
	ck_assert_uint_eq(fx_mode(BACKUP("/etc/old.conf")), 0600);
	/* missing: nothing to do, nothing recorded */
	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc/old.conf"), 0);
	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc/never"), 0);
	/* changed, then removed: one record, the original backup */
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/default/grub", "x\n", 2, 0644), 0);
	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc/default/grub"), 0);
	data = fx_read(FILES);
	ck_assert_str_eq(data, "removed /etc/old.conf\nreplaced /etc/default/grub\n");
	free(data);
	data = fx_read(BACKUP("/etc/default/grub"));
	ck_assert_str_eq(data, "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n");
	free(data);
	ck_assert_uint_eq(host_files_changed(fx.host), 3);
}
END_TEST

START_TEST(dry_run_changes_nothing)
{
	const char *argv[] = { "update-grub", NULL };
	const char *query[] = { "dpkg-query", "-W", "kdump-tools", NULL };
	struct skd_run_result res = { 0 };
	char *hash1, *hash2, *data = NULL;
	size_t len;

	fx_close();
	fx_open(true, 0, "test");
	hash1 = tu_tree_hash(fx.dir);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/default/grub", GRUB_NEW,
	                                  strlen(GRUB_NEW), 0644), 0);
	ck_assert_int_eq(fx.h->write_file(fx.h, "/etc/kdump.conf", "path /var/crash\n",
	                                  16, 0644), 0);
	ck_assert_int_eq(fx.h->remove_file(fx.h, "/etc/old.conf"), 0);
	ck_assert_int_eq(fx.h->run(fx.h, argv, NULL, SKD_RUN_CHANGES, &res), 0);
	ck_assert_int_eq(res.status, 0);
	fx.h->run_result_free(fx.h, &res);
	ck_assert_int_eq(fx.h->run(fx.h, query, NULL, 0, &res), 0);
	fx.h->run_result_free(fx.h, &res);
	/* reads still work */
	ck_assert_int_eq(fx.h->read_file(fx.h, "/etc/old.conf", &data, &len), 0);
	ck_assert_str_eq(data, "old\n");
	free(data);
	hash2 = tu_tree_hash(fx.dir);
	ck_assert_str_eq(hash1, hash2);
	ck_assert_uint_eq(host_files_changed(fx.host), 0);
	fflush(fx.fout);
	ck_assert_str_eq(fx.out,
	                 "--- a/etc/default/grub\n+++ b/etc/default/grub\n"
	                 "@@ -1,2 +1,2 @@\n GRUB_TIMEOUT=5\n"
	                 "-GRUB_CMDLINE_LINUX=\"quiet\"\n"
	                 "+GRUB_CMDLINE_LINUX=\"quiet crashkernel=256M\"\n"
	                 "--- /dev/null\n+++ b/etc/kdump.conf\n@@ -0,0 +1 @@\n"
	                 "+path /var/crash\n"
	                 "--- a/etc/old.conf\n+++ /dev/null\n@@ -1 +0,0 @@\n-old\n"
	                 "would run: update-grub\n");
	/* only the query reached the recording runner */
	data = tu_read(fx.log, NULL);
	ck_assert_str_eq(data, "dpkg-query -W kdump-tools\n");
	free(data);
	free(hash1);
	free(hash2);
}
END_TEST

START_TEST(run_and_log)
{
	const char *argv[] = { "kdump-config", "show", "a b", NULL };
	struct skd_run_result res = { 0 };
	char *tool = tu_path(fx.tools, "kdump-config");

	tu_write(tool, "#!/bin/sh\necho \"state: $1\"\nexit 2\n");
	ck_assert_int_eq(chmod(tool, 0755), 0);
	fx_close();
	fx_open(false, 1, "debian");
	ck_assert_int_eq(fx.h->run(fx.h, argv, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 2);
	ck_assert_str_eq(res.out, "state: show\n");
	fx.h->run_result_free(fx.h, &res);
	ck_assert_ptr_null(res.out);
	ck_assert_int_eq(fx.h->run(fx.h, argv, NULL, SKD_RUN_QUIET, &res), 0);
	fx.h->run_result_free(fx.h, &res);
	fflush(fx.ferr);
	ck_assert_str_eq(fx.err, "debian: running: kdump-config show 'a b'\n");
	ck_assert_uint_eq(fx.runner.n_spawned, 2);
	ck_assert_int_eq(fx.h->run(fx.h, NULL, NULL, 0, &res), -EINVAL);
	free(tool);
}
END_TEST

START_TEST(log_levels)
{
	for (int v = 0; v <= 2; v++) {
		fx_close();
		fx_open(false, v, v == 2 ? NULL : "rhel");
		fx.h->log(fx.h, SKD_LOG_ERR, "e%d", 1);
		fx.h->log(fx.h, SKD_LOG_WARNING, "w");
		fx.h->log(fx.h, SKD_LOG_NOTICE, "n\n");
		fx.h->log(fx.h, SKD_LOG_INFO, "i");
		fx.h->log(fx.h, SKD_LOG_DEBUG, "d");
		fflush(fx.ferr);
		switch (v) {
		case 0:
			ck_assert_str_eq(fx.err, "rhel: e1\nrhel: w\nrhel: n\n");
			break;
		case 1:
			ck_assert_str_eq(fx.err, "rhel: e1\nrhel: w\nrhel: n\nrhel: i\n");
			break;
		default:
			ck_assert_str_eq(fx.err, "skyhook-kdump: e1\nskyhook-kdump: w\n"
			                 "skyhook-kdump: n\nskyhook-kdump: i\n"
			                 "skyhook-kdump: d\n");
		}
		fflush(fx.fout);
		ck_assert_str_eq(fx.out, "");
	}
}
END_TEST

START_TEST(error_and_get)
{
	ck_assert_ptr_null(host_last_error(fx.host));
	ck_assert_int_eq(fx.h->error(fx.h, -ENOENT, "no %s", "grub"), -ENOENT);
	/* an errno's reason is added when the message lacks it */
	ck_assert_str_eq(host_last_error(fx.host), "no grub: No such file or directory");
	ck_assert_str_eq(diag_message(), "no grub: No such file or directory");
	ck_assert_int_eq(fx.h->error(fx.h, -ENOSPC, "full: %s", strerror(ENOSPC)), -ENOSPC);
	ck_assert_str_eq(host_last_error(fx.host), "full: No space left on device");
	ck_assert_int_eq(fx.h->error(fx.h, -SKD_E_UNSUPPORTED, "release %d", 6),
	                 -SKD_E_UNSUPPORTED);
	ck_assert_str_eq(host_last_error(fx.host), "release 6");
	/* a sign slip still fails */
	ck_assert_int_eq(fx.h->error(fx.h, EIO, "x"), -EIO);
	ck_assert_int_eq(fx.h->error(fx.h, 0, "y"), -SKD_E_FAILED);
	/* logged at debug only */
	fflush(fx.ferr);
	ck_assert_str_eq(fx.err, "");

	ck_assert_ptr_null(fx.h->get(fx.h, "os.id"));
	ck_assert_int_eq(host_set(fx.host, "os.id", "debian"), 0);
	ck_assert_int_eq(host_set(fx.host, "kernel.release", "6.1.0"), 0);
	ck_assert_str_eq(fx.h->get(fx.h, "os.id"), "debian");
	ck_assert_int_eq(host_set(fx.host, "os.id", "ubuntu"), 0);
	ck_assert_str_eq(fx.h->get(fx.h, "os.id"), "ubuntu");
	ck_assert_int_eq(host_set(fx.host, "os.id", NULL), 0);
	ck_assert_ptr_null(fx.h->get(fx.h, "os.id"));
	ck_assert_str_eq(fx.h->get(fx.h, "kernel.release"), "6.1.0");
	ck_assert_ptr_null(fx.h->get(fx.h, "env.NOPE"));
	ck_assert_int_eq(host_set(fx.host, NULL, "x"), -EINVAL);
}
END_TEST

START_TEST(fault_spec)
{
	/* "kill" only with the test hooks (the fixture has none) */
	const char *bad[] = { "0:write", "x:write", "1:bogus", "1", "-1:write",
	                      "1:", ":write", "2:write ", "1:kill", NULL };

	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(host_set_fault(fx.host, bad[i]) == -EINVAL, "%s", bad[i]);
	ck_assert_ptr_nonnull(strstr(diag_message(), "N:KIND"));
	ck_assert_int_eq(host_set_fault(fx.host, "3:command"), 0);
	ck_assert_int_eq(host_set_fault(fx.host, "1:eacces"), 0);
	ck_assert_int_eq(host_set_fault(fx.host, ""), 0);
	ck_assert_int_eq(host_set_fault(fx.host, NULL), 0);
}
END_TEST

/* A small backend-like sequence; the first failure ends it. */
#define SCENARIO_CALLS 7
static int scenario(const struct skd_host *h)
{
	const char *update[] = { "update-grub", NULL };
	struct skd_run_result res = { 0 };
	struct skd_stat st;
	char *data = NULL, **names = NULL;
	size_t len;
	int r;

	if ((r = h->read_file(h, "/etc/default/grub", &data, &len)) < 0)
		return r;
	free(data);
	if ((r = h->stat(h, "/etc/kdump.conf", 0, &st)) < 0)
		return r;
	if ((r = h->write_file(h, "/etc/default/grub", GRUB_NEW, strlen(GRUB_NEW),
	                       0644)) < 0)
		return r;
	if ((r = h->run(h, update, NULL, SKD_RUN_CHANGES, &res)) < 0)
		return r;
	r = res.status == 0 ? 0 : h->error(h, -SKD_E_FAILED, "update-grub: %s", res.err);
	h->run_result_free(h, &res);
	if (r < 0)
		return r;
	if ((r = h->write_file(h, "/etc/kdump.conf", "path /var/crash\n", 16,
	                       0644)) < 0)
		return r;
	if ((r = h->list_dir(h, "/etc", &names)) < 0)
		return r;
	skd_strv_free(names);
	return h->remove_file(h, "/etc/old.conf");
}

static int no_dotfiles(const char *path, const struct stat *st, int flag,
                       struct FTW *ftw)
{
	(void)st; (void)flag;
	ck_assert_msg(path[ftw->base] != '.', "leftover %s", path);
	return 0;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, n) == 0 && p[n] == '\n')
			return true;
	return false;
}

START_TEST(fault_injection_each_call)
{
	static const struct {
		const char *kind;
		int file_err, run_err;
	} kinds[] = {
		{ "write", -EIO, -EIO },
		{ "enospc", -ENOSPC, -ENOSPC },
		{ "eacces", -EACCES, -EACCES },
		{ "command", -EIO, -SKD_E_FAILED },
	};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (unsigned n = 1; n <= SCENARIO_CALLS + 1; n++) {
			char *spec = tu_printf("%u:%s", n, kinds[k].kind);
			char *grub, *conf, *files, *old;
			int r, expect;

			/* a fresh root for each run */
			teardown();
			setup();
			ck_assert_int_eq(host_set_fault(fx.host, spec), 0);
			r = scenario(fx.h);
			expect = n > SCENARIO_CALLS ? 0 : n == 4 ? kinds[k].run_err
			                                         : kinds[k].file_err;
			ck_assert_msg(r == expect, "%s: got %d, expected %d", spec, r, expect);
			if (r < 0)
				ck_assert_ptr_nonnull(strstr(n == 4 && expect == -SKD_E_FAILED
				                             ? host_last_error(fx.host)
				                             : diag_message(),
				                             "injected fault"));
			/* every file is old or new, whole; each change is recorded
			 * and its original kept; no temp file anywhere */
			ck_assert_int_eq(nftw(fx.dir, no_dotfiles, 16, FTW_PHYS), 0);
			grub = fx_read("etc/default/grub");
			conf = fx_read("etc/kdump.conf");
			old = fx_read("etc/old.conf");
			files = fx_read(FILES);
			ck_assert_str_eq(grub, n > 3 ? GRUB_NEW :
			                 "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n");
			if (n > 3) {
				char *b = fx_read(BACKUP("/etc/default/grub"));
				ck_assert_ptr_nonnull(b);
				ck_assert(has_line(files, "replaced /etc/default/grub"));
				free(b);
			}
			if (n > 5) {
				ck_assert_str_eq(conf, "path /var/crash\n");
				ck_assert(has_line(files, "created /etc/kdump.conf"));
			} else {
				ck_assert_ptr_null(conf);
			}
			if (n > 7) {
				ck_assert_ptr_null(old);
				ck_assert(has_line(files, "removed /etc/old.conf"));
			} else {
				ck_assert_str_eq(old, "old\n");
			}
			ck_assert_uint_eq(host_files_changed(fx.host),
			                  (n > 3) + (n > 5) + (n > 7));
			free(grub);
			free(conf);
			free(old);
			free(files);
			free(spec);
		}
	}
}
END_TEST

Suite *skd_host_suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("diff");

	tcase_add_test(tc, diff_golden);
	tcase_add_test(tc, diff_hunks_split_and_merge);
	tcase_add_test(tc, diff_random_applies_and_is_minimal);
	tcase_add_test(tc, diff_large_inputs);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	/* the fault sweep makes 32 fresh roots, with fsyncs */
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, header);
	tcase_add_test(tc, write_backs_up_once_and_records);
	tcase_add_test(tc, write_refusals);
	tcase_add_test(tc, remove_backs_up);
	tcase_add_test(tc, dry_run_changes_nothing);
	tcase_add_test(tc, run_and_log);
	tcase_add_test(tc, log_levels);
	tcase_add_test(tc, error_and_get);
	tcase_add_test(tc, fault_spec);
	tcase_add_test(tc, fault_injection_each_call);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_host_suite)
