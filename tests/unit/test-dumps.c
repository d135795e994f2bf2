/* SPDX-License-Identifier: Apache-2.0 */
/* Finding and pruning dumps in a dump directory of a temporary root: the
 * layouts of kdump-tools and kdump-utils, unfinished captures, a kernel
 * log alone, loose files, and what is never a dump (symlinks, other files,
 * other directories). `test-dumps --make-dumps DIR` writes the same sample
 * dump directory for the CLI test, `--make-hostile-dumps DIR` the
 * forged names and times of make_hostile_dumps(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
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

/* No Check assertions either: the file's modification time. */
static int set_mtime(const char *dir, const char *rel, int64_t t)
{
	char path[4096];
	struct timeval tv[2] = { { .tv_sec = (time_t)t }, { .tv_sec = (time_t)t } };

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return utimes(path, tv) < 0 ? -errno : 0;
}

/* U+2215 is a division slash: a name cannot hold "/" */
#define SLASH "\342\210\225"
/* a newline, ANSI escapes and a C1 CSI, to forge a line of output */
#define EVIL_NAME "202401010000\n\033[2K\033[1Gremoved " SLASH "etc" SLASH "shadow \302\233" "31m"

/* What a local user can put in a shared dump directory: CRASHTIMEs that
 * overflow or are not plausible (the name's time is taken), a name that
 * forges lines of output, a file time past the year 9999 (no time). */
static int make_hostile_dumps(const char *dir)
{
	static const char *const times[] = {
		"202401030000", "99999999999",                         /* year 5138 */
		"127.0.0.1-2024-01-02-00:00:00", "9999999999999999999", /* overflows */
		"202401020000", "5000000000000000000",                 /* no struct tm */
	};
	unsigned char *b;
	size_t len;
	char rel[256], info[128];
	int r = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return 1;
	for (size_t i = 0; i < sizeof(times) / sizeof(*times); i += 2) {
		snprintf(info, sizeof(info), "OSRELEASE=6.1.0-26-amd64\nCRASHTIME=%s\n",
		         times[i + 1]);
		snprintf(rel, sizeof(rel), "%s/vmcore", times[i]);
		b = tv_elf_core(info, &len);
		r |= write_at(dir, rel, b, len);
		free(b);
	}
	r |= write_text(dir, EVIL_NAME "/vmcore-dmesg.txt", OOPS_LOG);
	r |= set_mtime(dir, EVIL_NAME "/vmcore-dmesg.txt", 1703980800);
	r |= write_text(dir, "vmcore-dmesg.txt", SYSRQ_LOG);
	r |= set_mtime(dir, "vmcore-dmesg.txt", INT64_C(300000000000));
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


/* ---- the prune race: a local user swaps a dump directory ------------- */

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#define OLD_DUMP "127.0.0.1-2024-01-01-00:00:00"
#define NEW_DUMP "127.0.0.1-2024-02-01-00:00:00"

/* Exchanges the names a and b in dirfd until killed, as fast as it can. */
static pid_t start_swapper(int dirfd, const char *a, const char *b)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			syscall(SYS_renameat2, dirfd, a, dirfd, b, RENAME_EXCHANGE);
	}
	ck_assert_int_gt(pid, 0);
	return pid;
}

static void stop(pid_t pid)
{
	int status;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}

/* A descriptor kept on a file that must survive: its link count says
 * whether it was removed, wherever its name went meanwhile. */
static int hold(const char *rel)
{
	char *p = tu_path(tmp, rel);
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "%s", p);
	free(p);
	return fd;
}

static void assert_linked(int fd, const char *what, int try)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_msg(st.st_nlink > 0, "try %d: %s was removed", try, what);
	close(fd);
}

/* One try: /race holds an old dump, the newest (kept), and "swap"; the
 * swapper exchanges the old dump's name with "swap" (a symlink to the kept
 * dump, or to /victim outside the dump directory) or with the kept dump
 * itself, while prune --keep 1 runs. Returns whether the old dump went. */
static bool race_once(int try)
{
	static const char *const files[] = { "vmcore", "vmcore-dmesg.txt" };
	const char *other = try % 3 == 2 ? NEW_DUMP : "swap";
	struct dump_list l;
	int held[6], n = 0, dirfd;
	char *race = tu_path(tmp, "race"), *p;
	FILE *f = fopen("/dev/null", "w");
	bool gone;
	pid_t pid;

	for (size_t i = 0; i < 2; i++) {
		char rel[256];

		snprintf(rel, sizeof(rel), "race/%s/%s", OLD_DUMP, files[i]);
		ck_assert_int_eq(write_text(tmp, rel, OOPS_LOG), 0);
		snprintf(rel, sizeof(rel), "victim/%s", files[i]);
		ck_assert_int_eq(write_text(tmp, rel, "not a dump\n"), 0);
		held[n++] = hold(rel);
		snprintf(rel, sizeof(rel), "race/%s/%s", NEW_DUMP, files[i]);
		ck_assert_int_eq(write_text(tmp, rel, OOPS_LOG), 0);
		held[n++] = hold(rel);
	}
	held[n++] = hold("race/" NEW_DUMP);
	held[n++] = hold("victim");
	p = tu_path(race, "swap");
	ck_assert_int_eq(symlink(try % 3 == 0 ? NEW_DUMP : "/victim", p), 0);
	free(p);
	ck_assert_int_eq(dumps_scan(root, "/race", &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[1].name, OLD_DUMP);
	dirfd = open(race, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dirfd, 0);
	pid = start_swapper(dirfd, OLD_DUMP, other);
	ck_assert_int_eq(dumps_prune(root, "/race", &l, 1, false, f), 0);
	stop(pid);
	close(dirfd);
	dump_list_clear(&l);
	fclose(f);
	for (int i = 0; i < n; i++)
		assert_linked(held[i], i < 4 ? (i % 2 ? "a file of the kept dump" :
		              "a file of /victim") : "a directory", try);
	p = tu_path(race, OLD_DUMP "/vmcore");
	gone = access(p, F_OK) != 0;
	free(p);
	tu_rm_tree(race);
	p = tu_path(tmp, "victim");
	tu_rm_tree(p);
	return gone;
}

/* The verdict never depends on the timing: whatever the swapper did,
 * nothing outside the directory scanned goes, and the kept dump stays. */
START_TEST(prune_race_with_swapper)
{
	int removed = 0;

	for (int try = 0; try < 200; try++)
		removed += race_once(try);
	/* informative only: how often the old dump went despite the swaps */
	printf("prune race: old dump removed in %d of 200 tries\n", removed);
}
END_TEST

/* A kernel that refuses a path (openat2 failing with EACCES, as with
 * fs.protected_symlinks=1) is not walked around by hand: here a seccomp
 * filter refuses every openat2, so prune removes nothing. */
static int refuse_openat2(void)
{
#ifdef SYS_openat2
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(*code), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -errno;
	return 0;
#else
	return -ENOSYS;
#endif
}

/* openat2 must work before it can be refused: a kernel before 5.6, or
 * valgrind (which does not know it), answers ENOSYS, and the program's
 * fallback for that case is another test's. Asked before the fork: a
 * child under valgrind exits with valgrind's own status. */
static bool openat2_works(void)
{
#ifdef SYS_openat2
	struct { uint64_t flags, mode, resolve; } how = { O_RDONLY, 0, 0 };
	long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));

	if (fd < 0)
		return false;
	close((int)fd);
	return true;
#else
	return false;
#endif
}

START_TEST(prune_kernel_refusal_not_walked)
{
	char *link, *before, *after;
	struct dump_list l;
	int status;
	pid_t pid;

	if (!openat2_works()) {
		printf("SKIP prune_kernel_refusal_not_walked: openat2 does not work here\n");
		return;
	}
	link = tu_path(tmp, "crashlink");

	ck_assert_int_eq(symlink("/var/crash", link), 0);
	free(link);
	ck_assert_int_eq(dumps_scan(root, "/crashlink", &l), 0);
	ck_assert_uint_eq(l.n, 7);
	before = tu_tree_hash(tmp);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen("/dev/null", "w");

		if (refuse_openat2() < 0)
			_exit(77);
		_exit(dumps_prune(root, "/crashlink", &l, 0, false, f) == -EACCES ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	dump_list_clear(&l);
	after = tu_tree_hash(tmp);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		printf("SKIP prune_kernel_refusal_not_walked: no openat2 or seccomp filter here\n");
	} else {
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		              "prune did not fail with EACCES (status %d)", status);
		ck_assert_str_eq(before, after);
	}
	free(before);
	free(after);
}
END_TEST

/* ---- names that would forge lines, times that are not plausible ------ */

START_TEST(prune_output_is_flat)
{
	struct dump_list l;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	ck_assert_int_eq(write_text(tmp, "evil/" EVIL_NAME "/vmcore-dmesg.txt", OOPS_LOG), 0);
	ck_assert_int_eq(dumps_scan(root, "/evil", &l), 0);
	ck_assert_uint_eq(l.n, 1);
	f = open_memstream(&out, &outlen);
	ck_assert_int_eq(dumps_prune(root, "/evil", &l, 0, false, f), 0);
	fclose(f);
	dump_list_clear(&l);
	ck_assert(!exists("evil/" EVIL_NAME));
	/* two lines, each naming the whole path, no control character */
	ck_assert_msg(strcmp(out, "removed /evil/202401010000  [2K [1Gremoved " SLASH "etc" SLASH
	                     "shadow  31m/vmcore-dmesg.txt\nremoved /evil/202401010000  [2K "
	                     "[1Gremoved " SLASH "etc" SLASH "shadow  31m/\n") == 0, "%s", out);
	free(out);
}
END_TEST

static void put_elf(const char *rel, const char *info, int64_t mtime)
{
	size_t len;
	unsigned char *b = tv_elf_core(info, &len);
	char *p = tu_path(tmp, rel);
	struct timeval tv[2] = { { .tv_sec = mtime }, { .tv_sec = mtime } };

	ck_assert_int_eq(write_at(tmp, rel, b, len), 0);
	ck_assert_int_eq(utimes(p, tv), 0);
	free(p);
	free(b);
}

/* A time that is not plausible is unknown: the name's, then the file's
 * time are taken instead, and a file time ISO 8601 cannot write is none. */
START_TEST(scan_implausible_times)
{
	int64_t now = (int64_t)time(NULL);
	struct dump_list l;
	const struct dump *d;
	char info[64];

	/* 19 digits overflow int64_t; 99999999999 is the year 5138 */
	put_elf("t/202401010000/vmcore", "CRASHTIME=9999999999999999999\n", now);
	put_elf("t/202401020000/vmcore", "CRASHTIME=99999999999\n", now);
	/* before 2000, and two days from now */
	put_elf("t/somedir/vmcore", "CRASHTIME=946684799\n", 1704067200);
	snprintf(info, sizeof(info), "CRASHTIME=%lld\n", (long long)(now + 2 * 86400));
	put_elf("t/other/vmcore", info, 1704067200);
	/* a name in the far future, a file time past the year 9999 */
	put_elf("t/209912312359/vmcore", "OSRELEASE=x\n", 1704067200);
	put_elf("t/vmcore", "OSRELEASE=x\n", INT64_C(300000000000));
	ck_assert_int_eq(dumps_scan(root, "/t", &l), 0);
	ck_assert_uint_eq(l.n, 6);
	d = find(&l, "202401010000");
	ck_assert_str_eq(d->time_source, "name");
	ck_assert_int_eq(d->time, 1704067200);
	d = find(&l, "202401020000");
	ck_assert_str_eq(d->time_source, "name");
	ck_assert_int_eq(d->time, 1704153600);
	d = find(&l, "somedir");
	ck_assert_str_eq(d->time_source, "mtime");
	ck_assert_int_eq(d->time, 1704067200);
	d = find(&l, "other");
	ck_assert_str_eq(d->time_source, "mtime");
	d = find(&l, "209912312359");
	ck_assert_str_eq(d->time_source, "mtime");
	ck_assert_int_eq(d->time, 1704067200);
	/* unknown: listed last, so prune takes it first */
	ck_assert_str_eq(l.v[5].name, "vmcore");
	ck_assert_str_eq(l.v[5].time_source, "unknown");
	dump_list_clear(&l);
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
	tcase_add_test(tc, prune_kernel_refusal_not_walked);
	tcase_add_test(tc, prune_output_is_flat);
	tcase_add_test(tc, scan_implausible_times);
	suite_add_tcase(s, tc);
	tc = tcase_create("race");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, prune_race_with_swapper);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 3 && strcmp(argv[1], "--make-dumps") == 0)
		return make_dumps(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--make-hostile-dumps") == 0)
		return make_hostile_dumps(argv[2]);
	sr = srunner_create(skd_dumps_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
