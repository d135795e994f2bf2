/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "host.h"
#include "journal.h"
#include "runner.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_journal_suite(void);

/* ---- parse ----------------------------------------------------------- */

START_TEST(parse_kinds)
{
	struct journal *j = NULL;

	ck_assert_int_eq(journal_parse("created /etc/kdump.conf\n"
	                               "replaced /etc/default/grub\n"
	                               "removed /etc/old.conf\n", &j), 0);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(j->n, 3);
	ck_assert_int_eq(j->entries[0].kind, JOURNAL_CREATED);
	ck_assert_str_eq(j->entries[0].path, "/etc/kdump.conf");
	ck_assert_int_eq(j->entries[1].kind, JOURNAL_REPLACED);
	ck_assert_str_eq(j->entries[1].path, "/etc/default/grub");
	ck_assert_int_eq(j->entries[2].kind, JOURNAL_REMOVED);
	ck_assert_str_eq(j->entries[2].path, "/etc/old.conf");
	journal_free(j);

	/* no final newline, blank lines, a path with a space, the root */
	j = NULL;
	ck_assert_int_eq(journal_parse("\nreplaced /a b/c\n\n\ncreated /", &j), 0);
	ck_assert_uint_eq(j->n, 2);
	ck_assert_int_eq(j->entries[0].kind, JOURNAL_REPLACED);
	ck_assert_str_eq(j->entries[0].path, "/a b/c");
	ck_assert_int_eq(j->entries[1].kind, JOURNAL_CREATED);
	ck_assert_str_eq(j->entries[1].path, "/");
	journal_free(j);
}
END_TEST

START_TEST(parse_empty)
{
	struct journal *j = NULL;

	ck_assert_int_eq(journal_parse("", &j), 0);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(j->n, 0);
	journal_free(j);
	j = NULL;
	ck_assert_int_eq(journal_parse("\n\n\n", &j), 0);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(j->n, 0);
	journal_free(j);
	journal_free(NULL);
}
END_TEST

START_TEST(parse_garbled)
{
	static const char *const bad[] = {
		"created",
		"created ",
		"created\n",
		"created etc/x",
		"created  /etc/x",
		" created /etc/x",
		"Created /etc/x",
		"made /etc/x",
		"create /etc/x",
		"createdx /etc/x",
		"created\t/etc/x",
		"/etc/x",
		"removed",
		NULL,
	};

	for (size_t i = 0; bad[i]; i++) {
		struct journal *j = (struct journal *)0x1;

		diag_clear();
		ck_assert_msg(journal_parse(bad[i], &j) == -EINVAL, "\"%s\" accepted", bad[i]);
		/* nothing handed back */
		ck_assert_ptr_eq(j, (struct journal *)0x1);
		ck_assert_str_eq(diag_message(), JOURNAL_FILE ": line 1 is garbled");
	}
}
END_TEST

START_TEST(parse_garbled_names_line)
{
	struct journal *j = NULL;

	/* blank lines count: the third line is the bad one */
	ck_assert_int_eq(journal_parse("created /a\n\nbogus /b\nremoved /c\n", &j),
	                 -EINVAL);
	ck_assert_ptr_null(j);
	ck_assert_str_eq(diag_message(), JOURNAL_FILE ": line 3 is garbled");
	ck_assert_int_eq(journal_parse("created /a\nreplaced /b\nremoved c", &j),
	                 -EINVAL);
	ck_assert_str_eq(diag_message(), JOURNAL_FILE ": line 3 is garbled");
}
END_TEST

/* ---- through a real host --------------------------------------------- */

static char *dir, *tools, *log_path;
static struct sysroot *root;
static struct runner runner;
static struct host *host;
static const struct skd_host *h;
static FILE *hout, *herr;
static char *out_buf, *err_buf;
static size_t out_len, err_len;

static void put(const char *rel, const char *data, mode_t mode)
{
	char *p = tu_path(dir, rel);

	tu_write(p, data);
	ck_assert_int_eq(chmod(p, mode), 0);
	free(p);
}

static char *get(const char *rel)
{
	char *p = tu_path(dir, rel), *data = tu_read(p, NULL);

	free(p);
	return data;
}

static mode_t mode_of(const char *rel)
{
	char *p = tu_path(dir, rel);
	struct stat st;

	ck_assert_int_eq(lstat(p, &st), 0);
	free(p);
	return st.st_mode & 07777;
}

static void setup(void)
{
	struct host_options opt = { 0 };

	dir = tu_copy_tree(NULL);
	tools = tu_copy_tree(NULL);
	log_path = tu_path(tools, "commands.log");
	put("etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet\"\n", 0640);
	put("etc/old.conf", "old\n", 0600);
	hout = open_memstream(&out_buf, &out_len);
	herr = open_memstream(&err_buf, &err_len);
	opt.out = hout;
	opt.err = herr;
	opt.log_prefix = "test";
	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	runner = (struct runner){ .mode = RUNNER_FAKE, .root = dir,
	                          .fake_dir = tools, .log_path = log_path };
	ck_assert_int_eq(host_new(&opt, root, &runner, &host), 0);
	h = host_services(host);
}

static void teardown(void)
{
	host_free(host);
	sysroot_free(root);
	fclose(hout);
	fclose(herr);
	free(out_buf);
	free(err_buf);
	out_buf = err_buf = NULL;
	tu_rm_tree(dir);
	tu_rm_tree(tools);
	free(log_path);
}

START_TEST(load_missing_is_empty)
{
	struct journal *j = NULL;

	ck_assert_int_eq(journal_load(root, &j), 0);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(j->n, 0);
	ck_assert_str_eq(diag_message(), "");
	journal_free(j);
}
END_TEST

START_TEST(load_what_the_host_wrote)
{
	struct journal *j = NULL;

	ck_assert_int_eq(h->write_file(h, "/etc/default/grub", "new\n", 4, 0644), 0);
	ck_assert_int_eq(h->write_file(h, "/etc/kdump.conf", "path /var/crash\n", 16,
	                               0644), 0);
	ck_assert_int_eq(h->remove_file(h, "/etc/old.conf"), 0);
	ck_assert_int_eq(journal_load(root, &j), 0);
	ck_assert_uint_eq(j->n, 3);
	ck_assert_int_eq(j->entries[0].kind, JOURNAL_REPLACED);
	ck_assert_str_eq(j->entries[0].path, "/etc/default/grub");
	ck_assert_int_eq(j->entries[1].kind, JOURNAL_CREATED);
	ck_assert_str_eq(j->entries[1].path, "/etc/kdump.conf");
	ck_assert_int_eq(j->entries[2].kind, JOURNAL_REMOVED);
	ck_assert_str_eq(j->entries[2].path, "/etc/old.conf");
	journal_free(j);

	/* a damaged journal is refused, not half read */
	put("var/lib/skyhook-kdump/files", "replaced /etc/default/grub\nXX\n", 0600);
	j = NULL;
	ck_assert_int_eq(journal_load(root, &j), -EINVAL);
	ck_assert_ptr_null(j);
	ck_assert_str_eq(diag_message(), JOURNAL_FILE ": line 2 is garbled");
}
END_TEST

START_TEST(restore_replaced)
{
	char *data;

	ck_assert_int_eq(h->write_file(h, "/etc/default/grub", "changed\n", 8, 0644), 0);
	data = get("etc/default/grub");
	ck_assert_str_eq(data, "changed\n");
	free(data);
	ck_assert_int_eq(journal_restore(root, h, "/etc/default/grub"), 0);
	data = get("etc/default/grub");
	ck_assert_str_eq(data, "GRUB_CMDLINE_LINUX=\"quiet\"\n");
	free(data);
	ck_assert_uint_eq(mode_of("etc/default/grub"), 0640);
	/* the backup stays until the state is dropped */
	data = get("var/lib/skyhook-kdump/backup/etc/default/grub");
	ck_assert_str_eq(data, "GRUB_CMDLINE_LINUX=\"quiet\"\n");
	free(data);
	/* restoring again changes nothing */
	ck_assert_int_eq(journal_restore(root, h, "/etc/default/grub"), 0);
	data = get("etc/default/grub");
	ck_assert_str_eq(data, "GRUB_CMDLINE_LINUX=\"quiet\"\n");
	free(data);
}
END_TEST

START_TEST(restore_removed)
{
	char *data;

	ck_assert_int_eq(h->remove_file(h, "/etc/old.conf"), 0);
	ck_assert_ptr_null(get("etc/old.conf"));
	ck_assert_int_eq(journal_restore(root, h, "/etc/old.conf"), 0);
	data = get("etc/old.conf");
	ck_assert_str_eq(data, "old\n");
	free(data);
	/* the mode of the backup, which is the original's */
	ck_assert_uint_eq(mode_of("etc/old.conf"), 0600);
}
END_TEST

START_TEST(restore_binary_content)
{
	static const char bin[] = "a\0b\n\xff";
	char *p = tu_path(dir, "etc/bin"), *data;
	size_t len;
	FILE *f = fopen(p, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bin, 1, sizeof(bin) - 1, f), sizeof(bin) - 1);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(h->write_file(h, "/etc/bin", "x", 1, 0644), 0);
	ck_assert_int_eq(journal_restore(root, h, "/etc/bin"), 0);
	data = tu_read(p, &len);
	ck_assert_uint_eq(len, sizeof(bin) - 1);
	ck_assert(memcmp(data, bin, len) == 0);
	free(data);
	free(p);
}
END_TEST

START_TEST(restore_without_backup)
{
	char *hash1, *hash2;

	hash1 = tu_tree_hash(dir);
	diag_clear();
	ck_assert_int_eq(journal_restore(root, h, "/etc/default/grub"), -ENOENT);
	ck_assert_str_eq(host_last_error(host),
	                 "no backup of /etc/default/grub (expected "
	                 BACKUP_DIR "/etc/default/grub)" ": No such file or directory");
	ck_assert_str_eq(diag_message(), host_last_error(host));
	ck_assert_int_eq(journal_restore(root, h, "/etc/never"), -ENOENT);
	ck_assert_ptr_nonnull(strstr(host_last_error(host), "no backup of /etc/never"));
	/* nothing was written, nothing recorded */
	hash2 = tu_tree_hash(dir);
	ck_assert_str_eq(hash1, hash2);
	ck_assert_uint_eq(host_files_changed(host), 0);
	free(hash1);
	free(hash2);
}
END_TEST

START_TEST(restore_backup_is_a_directory)
{
	char *hash1, *hash2;

	/* a directory where the backup should be: refused, nothing written */
	put("var/lib/skyhook-kdump/backup/etc/default/grub/x", "x", 0600);
	hash1 = tu_tree_hash(dir);
	ck_assert_int_lt(journal_restore(root, h, "/etc/default/grub"), 0);
	hash2 = tu_tree_hash(dir);
	ck_assert_str_eq(hash1, hash2);
	free(hash1);
	free(hash2);
}
END_TEST

START_TEST(restore_dry_run_writes_nothing)
{
	struct host_options opt = { .dry_run = true };
	struct host *dry;
	const struct skd_host *dh;
	char *hash1, *hash2;

	ck_assert_int_eq(h->write_file(h, "/etc/default/grub", "changed\n", 8, 0644), 0);
	opt.out = hout;
	opt.err = herr;
	ck_assert_int_eq(host_new(&opt, root, &runner, &dry), 0);
	dh = host_services(dry);
	hash1 = tu_tree_hash(dir);
	ck_assert_int_eq(journal_restore(root, dh, "/etc/default/grub"), 0);
	hash2 = tu_tree_hash(dir);
	ck_assert_str_eq(hash1, hash2);
	fflush(hout);
	ck_assert_ptr_nonnull(strstr(out_buf, "-changed\n+GRUB_CMDLINE_LINUX=\"quiet\"\n"));
	host_free(dry);
	free(hash1);
	free(hash2);
}
END_TEST

Suite *skd_journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, parse_kinds);
	tcase_add_test(tc, parse_empty);
	tcase_add_test(tc, parse_garbled);
	tcase_add_test(tc, parse_garbled_names_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_missing_is_empty);
	tcase_add_test(tc, load_what_the_host_wrote);
	tcase_add_test(tc, restore_replaced);
	tcase_add_test(tc, restore_removed);
	tcase_add_test(tc, restore_binary_content);
	tcase_add_test(tc, restore_without_backup);
	tcase_add_test(tc, restore_backup_is_a_directory);
	tcase_add_test(tc, restore_dry_run_writes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_journal_suite)
