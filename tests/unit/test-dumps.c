/* SPDX-License-Identifier: Apache-2.0 */
/* Finding and pruning dumps in a dump directory of a temporary root: the
 * layouts of kdump-tools and kdump-utils, unfinished captures, a kernel
 * log alone, loose files, and what is never a dump (symlinks, other files,
 * other directories). `test-dumps --make-dumps DIR` writes the same sample
 * dump directory for the CLI test. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "dumps.h"
#include "strv.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_dumps_suite(void);
unsigned char *tv_elf_core(const char *vmcoreinfo, size_t *ret_len);
unsigned char *tv_kdump(const char *release, int64_t timestamp, const char *vmcoreinfo,
                        bool big_endian, size_t *ret_len);
unsigned char *tv_flat(const unsigned char *inner, size_t len, size_t chunk,
                       size_t *ret_len);

/* No Check assertions here: --make-dumps runs outside a test. */
static int write_at(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[4096], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (len && write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	return close(fd) < 0 ? -errno : 0;
}

static int write_text(const char *dir, const char *rel, const char *text)
{
	return write_at(dir, rel, text, strlen(text));
}

#define INFO(t) "OSRELEASE=6.1.0-26-amd64\nPAGESIZE=4096\nCRASHTIME=" t "\n"
#define SYSRQ_LOG "[  232.914076] sysrq: Trigger a crash\n" \
	"[  232.914100] Kernel panic - not syncing: sysrq triggered crash\n"
#define OOPS_LOG "[ 99.1] BUG: kernel NULL pointer dereference\n" \
	"[ 99.2] Kernel panic - not syncing: Fatal exception\n"

/* The sample dump directory, newest first:
 *  127.0.0.1-2024-01-04-00:00:00/  kdump-utils, capture unfinished
 *  202401020304/                    kdump-tools, kdump-compressed
 *  127.0.0.1-2024-01-01-12:00:00/  kdump-utils, ELF vmcore
 *  202401010000/                    kdump-tools, dump-incomplete (cut)
 *  127.0.0.1-2023-12-31-23:59:59/  kernel log only
 *  202312250000/                    flattened, with a file of the user's
 *  dump.202301010000, dmesg.202301010000: loose files
 * and what is no dump: kexec_cmd, an empty and an unrelated directory,
 * symlinks to a directory and to a dump, a directory whose dump file is a
 * symlink. */
static int make_dumps(const char *dir)
{
	unsigned char *b, *f;
	size_t len, flen;
	char path[4096], target[4096];
	int r = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return 1;
	r |= write_text(dir, "127.0.0.1-2024-01-04-00:00:00/vmcore-incomplete", "");
	r |= write_text(dir, "127.0.0.1-2024-01-04-00:00:00/vmcore-dmesg.txt", OOPS_LOG);

	b = tv_kdump("6.1.0-26-amd64", 1704164000, INFO("1704164640"), false, &len);
	r |= write_at(dir, "202401020304/dump.202401020304", b, len);
	r |= write_text(dir, "202401020304/dmesg.202401020304", SYSRQ_LOG);
	free(b);

	b = tv_elf_core("OSRELEASE=5.14.0-427.el9.x86_64\nCRASHTIME=1704110400\n", &len);
	r |= write_at(dir, "127.0.0.1-2024-01-01-12:00:00/vmcore", b, len);
	r |= write_text(dir, "127.0.0.1-2024-01-01-12:00:00/vmcore-dmesg.txt", OOPS_LOG);
	r |= write_text(dir, "127.0.0.1-2024-01-01-12:00:00/kexec-dmesg.log", "kdump: saving vmcore complete\n");
	free(b);

	b = tv_kdump("6.1.0-26-amd64", 1704067000, INFO("1704067200"), false, &len);
	r |= write_at(dir, "202401010000/dump-incomplete", b, 16384 + 72 + 150);
	r |= write_text(dir, "202401010000/dmesg.202401010000", SYSRQ_LOG);
	free(b);

	r |= write_text(dir, "127.0.0.1-2023-12-31-23:59:59/vmcore-dmesg.txt", OOPS_LOG);

	b = tv_kdump("6.1.0-25-amd64", 1703462400, NULL, false, &len);
	f = tv_flat(b, len, 4096, &flen);
	r |= write_at(dir, "202312250000/dump.202312250000", f, flen);
	r |= write_text(dir, "202312250000/notes.txt", "keep me\n");
	free(f);
	free(b);

	b = tv_kdump("5.10.0-28-amd64", 1672531000, INFO("1672531200"), false, &len);
	r |= write_at(dir, "dump.202301010000", b, len);
	r |= write_text(dir, "dmesg.202301010000", SYSRQ_LOG);
	free(b);

	/* not dumps */
	r |= write_text(dir, "kexec_cmd", "kexec -p /boot/vmlinuz\n");
	r |= write_text(dir, "otherdir/README", "not a dump\n");
	snprintf(path, sizeof(path), "%s/emptydir", dir);
	r |= mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/outside", dir);
	r |= symlink("/etc", path);
	snprintf(path, sizeof(path), "%s/vmcore", dir);
	r |= symlink("202401020304/dump.202401020304", path);
	snprintf(path, sizeof(path), "%s/202401050000", dir);
	r |= mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/202401050000/dump.202401050000", dir);
	snprintf(target, sizeof(target), "../202401020304/dump.202401020304");
	r |= symlink(target, path);
	return r ? 1 : 0;
}

static char *tmp;
static struct sysroot *root;

static void setup(void)
{
	char *crash, *keep;

	tmp = tu_copy_tree(NULL);
	crash = tu_path(tmp, "var/crash");
	keep = tu_path(tmp, "var/crash/.keep");
	ck_assert_int_eq(write_text(tmp, "var/crash/.keep", ""), 0);
	ck_assert_int_eq(unlink(keep), 0);
	ck_assert_int_eq(make_dumps(crash), 0);
	free(keep);
	free(crash);
	ck_assert_int_eq(sysroot_open(tmp, &root), 0);
}

static void teardown(void)
{
	sysroot_free(root);
	root = NULL;
	tu_rm_tree(tmp);
	tmp = NULL;
}

static void assert_str(const char *got, const char *want)
{
	if (!want)
		ck_assert_msg(!got, "got \"%s\", expected none", got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0, "got \"%s\", expected \"%s\"",
		              got ? got : "(null)", want);
}

static const struct dump *find(const struct dump_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	ck_abort_msg("no dump \"%s\"", name);
	return NULL;
}

static bool exists(const char *rel)
{
	char *p = tu_path(tmp, rel);
	struct stat st;
	bool e = lstat(p, &st) == 0;

	free(p);
	return e;
}

START_TEST(scan_order_and_names)
{
	static const char *const order[] = {
		"127.0.0.1-2024-01-04-00:00:00", "202401020304",
		"127.0.0.1-2024-01-01-12:00:00", "202401010000",
		"127.0.0.1-2023-12-31-23:59:59", "202312250000", "dump.202301010000",
	};
	struct dump_list l;
	uint64_t total = 0;

	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_uint_eq(l.n, 7);
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_str_eq(l.v[i].name, order[i]);
		total += l.v[i].size;
		if (i > 0)
			ck_assert_int_ge(l.v[i - 1].time, l.v[i].time);
	}
	ck_assert_uint_eq(l.total_size, total);
	dump_list_clear(&l);
	dump_list_clear(NULL);
}
END_TEST

START_TEST(scan_debian)
{
	struct dump_list l;
	const struct dump *d;

	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	d = find(&l, "202401020304");
	ck_assert(d->is_dir);
	assert_str(d->core, "dump.202401020304");
	assert_str(d->dmesg, "dmesg.202401020304");
	ck_assert_int_eq(d->info.format, VMCORE_KDUMP_COMPRESSED);
	assert_str(d->info.release, "6.1.0-26-amd64");
	assert_str(d->info.panic, "Kernel panic - not syncing: sysrq triggered crash");
	ck_assert(d->info.complete);
	assert_str(d->info.problem, NULL);
	ck_assert_int_eq(d->time, 1704164640);
	ck_assert_str_eq(d->time_source, "dump");
	ck_assert_uint_eq(d->size, 16384 + 72 + 600 + strlen(SYSRQ_LOG));
	ck_assert_uint_eq(d->n_other, 0);

	d = find(&l, "202401010000");
	assert_str(d->core, "dump-incomplete");
	ck_assert(!d->info.complete);
	ck_assert_msg(strstr(d->info.problem, "still named dump-incomplete") &&
	              strstr(d->info.problem, "truncated"), "%s", d->info.problem);
	assert_str(d->info.release, "6.1.0-26-amd64");
	ck_assert_int_eq(d->time, 1704067200);

	d = find(&l, "202312250000");
	ck_assert_int_eq(d->info.format, VMCORE_FLATTENED);
	assert_str(d->info.release, "6.1.0-25-amd64");
	ck_assert(d->info.complete);
	assert_str(d->dmesg, NULL);
	assert_str(d->info.panic, NULL);
	ck_assert_int_eq(d->time, 1703462400);
	ck_assert_uint_eq(d->n_other, 1);

	d = find(&l, "dump.202301010000");
	ck_assert(!d->is_dir);
	assert_str(d->core, "dump.202301010000");
	assert_str(d->dmesg, "dmesg.202301010000");
	assert_str(d->info.release, "6.1.0-26-amd64");
	assert_str(d->info.panic, "Kernel panic - not syncing: sysrq triggered crash");
	ck_assert_int_eq(d->time, 1672531200);
	dump_list_clear(&l);
}
END_TEST

START_TEST(scan_rhel)
{
	struct dump_list l;
	const struct dump *d;

	ck_assert_int_eq(dumps_scan(root, "/var/crash/", &l), 0);
	d = find(&l, "127.0.0.1-2024-01-01-12:00:00");
	assert_str(d->core, "vmcore");
	assert_str(d->dmesg, "vmcore-dmesg.txt");
	ck_assert_int_eq(d->info.format, VMCORE_ELF);
	assert_str(d->info.release, "5.14.0-427.el9.x86_64");
	assert_str(d->info.panic, "Kernel panic - not syncing: Fatal exception");
	ck_assert(d->info.complete);
	ck_assert_int_eq(d->time, 1704110400);
	ck_assert_str_eq(d->time_source, "dump");
	/* kexec-dmesg.log is part of the dump */
	ck_assert_uint_eq(strv_length(d->files), 3);

	d = find(&l, "127.0.0.1-2024-01-04-00:00:00");
	assert_str(d->core, "vmcore-incomplete");
	ck_assert(!d->info.complete);
	ck_assert_msg(strstr(d->info.problem, "still named vmcore-incomplete") &&
	              strstr(d->info.problem, "empty file"), "%s", d->info.problem);
	assert_str(d->info.panic, "Kernel panic - not syncing: Fatal exception");
	ck_assert_int_eq(d->time, 1704326400);
	ck_assert_str_eq(d->time_source, "name");

	d = find(&l, "127.0.0.1-2023-12-31-23:59:59");
	assert_str(d->core, NULL);
	assert_str(d->dmesg, "vmcore-dmesg.txt");
	ck_assert_int_eq(d->info.format, VMCORE_DMESG);
	ck_assert(d->info.complete);
	assert_str(d->info.panic, "Kernel panic - not syncing: Fatal exception");
	ck_assert_int_eq(d->time, 1704067199);
	ck_assert_str_eq(d->time_source, "name");
	dump_list_clear(&l);
}
END_TEST

START_TEST(scan_mtime_and_errors)
{
	struct dump_list l;
	char *p = tu_path(tmp, "srv/dumps/mine/dmesg.1");

	ck_assert_int_eq(write_text(tmp, "srv/dumps/mine/dmesg.1", "quiet\n"), 0);
	ck_assert_int_eq(dumps_scan(root, "/srv/dumps", &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].time_source, "mtime");
	ck_assert_int_gt(l.v[0].time, 1600000000);
	assert_str(l.v[0].info.panic, NULL);
	dump_list_clear(&l);
	free(p);

	ck_assert_int_eq(dumps_scan(root, "/srv/dumps/mine", &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert(!l.v[0].is_dir);
	dump_list_clear(&l);
	ck_assert_int_eq(dumps_scan(root, "/nonexistent", &l), -ENOENT);
	ck_assert_msg(strstr(diag_message(), "/nonexistent"), "%s", diag_message());
	ck_assert_int_eq(dumps_scan(root, "/var/crash/kexec_cmd", &l), -ENOTDIR);
	/* empty directory */
	ck_assert_int_eq(dumps_scan(root, "/var/crash/emptydir", &l), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_uint_eq(l.total_size, 0);
	dump_list_clear(&l);
	/* the dump directory given through a symlink resolves inside the root */
	p = tu_path(tmp, "crashlink");
	ck_assert_int_eq(symlink("/var/crash", p), 0);
	free(p);
	ck_assert_int_eq(dumps_scan(root, "/crashlink", &l), 0);
	ck_assert_uint_eq(l.n, 7);
	dump_list_clear(&l);
}
END_TEST

START_TEST(prune_dry_run_changes_nothing)
{
	struct dump_list l;
	char *before = tu_tree_hash(tmp), *after, *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);

	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_int_eq(dumps_prune(root, "/var/crash", &l, 2, true, f), 0);
	fclose(f);
	after = tu_tree_hash(tmp);
	ck_assert_str_eq(before, after);
	ck_assert_msg(strstr(out, "would remove /var/crash/202401010000/dump-incomplete\n") &&
	              strstr(out, "would remove /var/crash/202401010000/\n") &&
	              strstr(out, "would keep /var/crash/202312250000/: it holds 1 other entry\n") &&
	              strstr(out, "would remove /var/crash/dump.202301010000\n") &&
	              !strstr(out, "202401020304"), "%s", out);
	dump_list_clear(&l);
	free(out);
	free(before);
	free(after);
}
END_TEST

START_TEST(prune_keeps_newest_and_foreign_files)
{
	struct dump_list l;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);

	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_int_eq(dumps_prune(root, "/var/crash", &l, 2, false, f), 0);
	fclose(f);
	dump_list_clear(&l);
	/* the newest two stay whole */
	ck_assert(exists("var/crash/127.0.0.1-2024-01-04-00:00:00/vmcore-incomplete"));
	ck_assert(exists("var/crash/202401020304/dump.202401020304"));
	ck_assert(exists("var/crash/202401020304/dmesg.202401020304"));
	/* the others go, with every file of theirs */
	ck_assert(!exists("var/crash/127.0.0.1-2024-01-01-12:00:00"));
	ck_assert(!exists("var/crash/202401010000"));
	ck_assert(!exists("var/crash/127.0.0.1-2023-12-31-23:59:59"));
	ck_assert(!exists("var/crash/dump.202301010000"));
	ck_assert(!exists("var/crash/dmesg.202301010000"));
	/* a directory holding the user's file stays, with that file */
	ck_assert(!exists("var/crash/202312250000/dump.202312250000"));
	ck_assert(exists("var/crash/202312250000/notes.txt"));
	ck_assert_msg(strstr(out, "kept /var/crash/202312250000/: it holds 1 other entry\n"),
	              "%s", out);
	/* nothing that is not a dump was touched */
	ck_assert(exists("var/crash/kexec_cmd"));
	ck_assert(exists("var/crash/otherdir/README"));
	ck_assert(exists("var/crash/emptydir"));
	ck_assert(exists("var/crash/outside"));
	ck_assert(exists("var/crash/vmcore"));
	ck_assert(exists("var/crash/202401050000/dump.202401050000"));
	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_uint_eq(l.n, 2);
	dump_list_clear(&l);
	free(out);
}
END_TEST

START_TEST(prune_keep_zero_and_more_than_all)
{
	struct dump_list l;
	FILE *f = fopen("/dev/null", "w");

	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_int_eq(dumps_prune(root, "/var/crash", &l, 100, false, f), 0);
	dump_list_clear(&l);
	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_uint_eq(l.n, 7);
	ck_assert_int_eq(dumps_prune(root, "/var/crash", &l, 0, false, f), 0);
	dump_list_clear(&l);
	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_uint_eq(l.n, 0);
	dump_list_clear(&l);
	ck_assert(exists("var/crash/202312250000/notes.txt"));
	fclose(f);
}
END_TEST

/* A dump file replaced by a symlink after the scan is left alone. */
START_TEST(prune_rechecks_before_removing)
{
	struct dump_list l;
	FILE *f = fopen("/dev/null", "w");
	char *p = tu_path(tmp, "var/crash/dmesg.202301010000");

	ck_assert_int_eq(dumps_scan(root, "/var/crash", &l), 0);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(symlink("/etc/passwd", p), 0);
	ck_assert_int_eq(dumps_prune(root, "/var/crash", &l, 6, false, f), 0);
	ck_assert(!exists("var/crash/dump.202301010000"));
	ck_assert(exists("var/crash/dmesg.202301010000"));
	dump_list_clear(&l);
	free(p);
	fclose(f);
}
END_TEST

/* sysroot_open_fd: regular files only, a final symlink never followed,
 * symlinks on the way resolved inside the root. */
START_TEST(open_fd_confined)
{
	struct stat st;
	char *p = tu_path(tmp, "var/crash/abs");
	int fd;

	fd = sysroot_open_fd(root, "/var/crash/kexec_cmd", &st);
	ck_assert_int_ge(fd, 0);
	ck_assert(S_ISREG(st.st_mode));
	close(fd);
	ck_assert_int_eq(sysroot_open_fd(root, "/var/crash/vmcore", NULL), -ELOOP);
	ck_assert_int_eq(sysroot_open_fd(root, "/var/crash/emptydir", NULL), -EISDIR);
	ck_assert_int_eq(sysroot_open_fd(root, "/", NULL), -EISDIR);
	ck_assert_int_eq(sysroot_open_fd(root, "/var/crash/none", NULL), -ENOENT);
	ck_assert_msg(strstr(diag_message(), "/var/crash/none"), "%s", diag_message());
	/* an absolute link on the way means the root's /var/crash, not the host's */
	ck_assert_int_eq(symlink("/var/crash", p), 0);
	fd = sysroot_open_fd(root, "/var/crash/abs/kexec_cmd", NULL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(sysroot_open_fd(root, "/var/crash/outside/passwd", NULL), -ENOENT);
	ck_assert_int_eq(sysroot_open_fd(root, "/../../../../etc/passwd", NULL), -ENOENT);
	free(p);
}
END_TEST

Suite *skd_dumps_suite(void)
{
	Suite *s = suite_create("dumps");
	TCase *tc = tcase_create("dumps");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scan_order_and_names);
	tcase_add_test(tc, scan_debian);
	tcase_add_test(tc, scan_rhel);
	tcase_add_test(tc, scan_mtime_and_errors);
	tcase_add_test(tc, prune_dry_run_changes_nothing);
	tcase_add_test(tc, prune_keeps_newest_and_foreign_files);
	tcase_add_test(tc, prune_keep_zero_and_more_than_all);
	tcase_add_test(tc, prune_rechecks_before_removing);
	tcase_add_test(tc, open_fd_confined);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 3 && strcmp(argv[1], "--make-dumps") == 0)
		return make_dumps(argv[2]);
	sr = srunner_create(skd_dumps_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
