/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_sysroot_suite(void);

static char *base;              /* the temporary directory */
static char *dir;               /* the root, deep inside base */
static char *outside;           /* a directory in base, beside the root */
static struct sysroot *root;

static void setup(void)
{
	char *cmd;

	/* The root sits 10 levels below base, and no test climbs more than
	 * 9: should confinement ever break, the escape still lands in base,
	 * never in the real system. */
	base = tu_copy_tree(NULL);
	dir = tu_printf("%s/1/2/3/4/5/6/7/8/9/root", base);
	outside = tu_printf("%s/outside", base);
	cmd = tu_printf("mkdir -p '%s' '%s'", dir, outside);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	ck_assert_int_eq(sysroot_open(dir, &root), 0);
}

/* The same cases once more with the component walk alone, as on a kernel
 * without openat2 (RHEL 7 and 8): both ways must give the same answers. */
static void setup_walk_only(void)
{
	ck_assert_int_eq(setenv("SKYHOOK_KDUMP_TEST_WALK_ONLY", "1", 1), 0);
	setup();
}

static void teardown_walk_only(void);

static void teardown(void)
{
	sysroot_free(root);
	root = NULL;
	free(dir);
	free(outside);
	tu_rm_tree(base);
}

static void teardown_walk_only(void)
{
	teardown();
	unsetenv("SKYHOOK_KDUMP_TEST_WALK_ONLY");
}

static void put(const char *rel, const char *data)
{
	char *p = tu_path(dir, rel);
	tu_write(p, data);
	free(p);
}

static void link_to(const char *target, const char *rel)
{
	char *p = tu_path(dir, rel);
	ck_assert_msg(symlink(target, p) == 0, "symlink %s: %s", p, strerror(errno));
	free(p);
}

static struct stat lstat_rel(const char *rel)
{
	struct stat st;
	char *p = tu_path(dir, rel);

	ck_assert_msg(lstat(p, &st) == 0, "lstat %s: %s", p, strerror(errno));
	free(p);
	return st;
}

/* lstat succeeds: a missing path (or dangling link) says false */
static bool exists_rel(const char *rel)
{
	struct stat st;
	char *p = tu_path(dir, rel);
	bool ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static void mkdir_rel(const char *rel, mode_t mode)
{
	char *p = tu_path(dir, rel);

	ck_assert_int_eq(mkdir(p, mode), 0);
	free(p);
}

static void chmod_rel(const char *rel, mode_t mode)
{
	char *p = tu_path(dir, rel);

	ck_assert_int_eq(chmod(p, mode), 0);
	free(p);
}

static char *slurp(const char *rel)
{
	char *p = tu_path(dir, rel), *data = tu_read(p, NULL);
	free(p);
	return data;
}

static char *read_ok(const char *path)
{
	char *data = NULL;
	size_t len = 0;

	ck_assert_msg(sysroot_read(root, path, SYSROOT_READ_MAX, &data, &len) == 0,
	              "read %s: %s", path, diag_message());
	ck_assert_uint_eq(strlen(data), len);
	return data;
}

/* Names starting with '.' in a host directory: leftover temp files. */
static unsigned dotfiles(const char *rel)
{
	char *p = tu_path(dir, rel);
	DIR *d = opendir(p);
	struct dirent *de;
	unsigned n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	free(p);
	return n;
}

START_TEST(open_root)
{
	struct sysroot *r = NULL;
	char *slashed = tu_printf("%s///", dir);

	ck_assert_int_eq(sysroot_open("/", &r), 0);
	ck_assert_str_eq(sysroot_path(r), "/");
	ck_assert(sysroot_is_slash(r));
	sysroot_free(r);

	ck_assert_int_eq(sysroot_open("//", &r), 0);
	ck_assert_str_eq(sysroot_path(r), "/");
	ck_assert(sysroot_is_slash(r));
	sysroot_free(r);

	ck_assert_int_eq(sysroot_open(slashed, &r), 0);
	ck_assert_str_eq(sysroot_path(r), dir);
	ck_assert(!sysroot_is_slash(r));
	sysroot_free(r);

	r = NULL;
	ck_assert_int_eq(sysroot_open("/nonexistent-skd-root", &r), -ENOENT);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/nonexistent-skd-root\""));
	free(slashed);
}
END_TEST

START_TEST(read_plain)
{
	char *data = (char *)0x1;
	size_t len = 77;

	put("etc/hostname", "node1\n");
	data = read_ok("/etc/hostname");
	ck_assert_str_eq(data, "node1\n");
	free(data);
	data = read_ok("//etc/./hostname");
	ck_assert_str_eq(data, "node1\n");
	free(data);

	put("etc/empty", "");
	data = read_ok("/etc/empty");
	ck_assert_str_eq(data, "");
	free(data);

	data = (char *)0x1;
	ck_assert_int_eq(sysroot_read(root, "/etc/missing", SYSROOT_READ_MAX, &data,
	                              &len), -ENOENT);
	/* out-params untouched on failure */
	ck_assert_ptr_eq(data, (char *)0x1);
	ck_assert_uint_eq(len, 77);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/etc/missing\""));
	ck_assert_ptr_nonnull(strstr(diag_message(), strerror(ENOENT)));
	ck_assert_int_eq(sysroot_read(root, "etc/hostname", SYSROOT_READ_MAX, &data,
	                              &len), -EINVAL);
	ck_assert_int_eq(sysroot_read(root, "/etc/hostname/x", SYSROOT_READ_MAX,
	                              &data, &len), -ENOTDIR);
}
END_TEST

START_TEST(dotdot_stays_inside)
{
	char *data;

	put("secret", "INSIDE\n");
	put("etc/x", "x\n");
	data = read_ok("/../../../secret");
	ck_assert_str_eq(data, "INSIDE\n");
	free(data);
	data = read_ok("/etc/../../../etc/../secret");
	ck_assert_str_eq(data, "INSIDE\n");
	free(data);
}
END_TEST

START_TEST(symlink_escapes_stay_inside)
{
	char *out_secret = tu_path(outside, "secret"), *data, *p;
	size_t len;

	tu_write(out_secret, "OUTSIDE\n");
	put("secret", "INSIDE\n");
	put("etc/keep", "");
	/* absolute target: from the root, not from the host's / */
	link_to("/secret", "etc/abs");
	data = read_ok("/etc/abs");
	ck_assert_str_eq(data, "INSIDE\n");
	free(data);
	/* relative target climbing too far */
	link_to("../../../../../../../../secret", "etc/rel");
	data = read_ok("/etc/rel");
	ck_assert_str_eq(data, "INSIDE\n");
	free(data);
	/* a directory link on the way */
	link_to("../../..", "etc/up");
	data = read_ok("/etc/up/secret");
	ck_assert_str_eq(data, "INSIDE\n");
	free(data);
	link_to("/", "etc/top");
	data = read_ok("/etc/top/etc/top/secret");
	ck_assert_str_eq(data, "INSIDE\n");
	free(data);
	/* a link to a host path names <root><host path>, which is absent */
	link_to(out_secret, "etc/host");
	ck_assert_int_eq(sysroot_read(root, "/etc/host", 0, &data, &len), -ENOENT);
	link_to(outside, "etc/hostdir");
	ck_assert_int_eq(sysroot_read(root, "/etc/hostdir/secret", 0, &data, &len),
	                 -ENOENT);
	/* ... and writing through it does not reach the host either */
	ck_assert_int_eq(sysroot_replace(root, "/etc/hostdir/new", "x", 1, 0644,
	                                 NULL), -ENOENT);
	p = tu_path(outside, "new");
	ck_assert_int_eq(access(p, F_OK), -1);
	free(p);
	data = tu_read(out_secret, NULL);
	ck_assert_str_eq(data, "OUTSIDE\n");
	free(data);
	free(out_secret);
}
END_TEST

START_TEST(symlink_loops)
{
	char *data;
	size_t len;

	link_to("b", "a");
	link_to("a", "b");
	ck_assert_int_eq(sysroot_read(root, "/a", 0, &data, &len), -ELOOP);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/a\""));

	/* a chain of exactly 40 links resolves, 41 do not */
	put("target", "end\n");
	link_to("/target", "l0");
	for (int i = 1; i <= 40; i++) {
		char *t = tu_printf("l%d", i - 1), *n = tu_printf("l%d", i);
		link_to(t, n);
		free(t);
		free(n);
	}
	data = read_ok("/l39");
	ck_assert_str_eq(data, "end\n");
	free(data);
	ck_assert_int_eq(sysroot_read(root, "/l40", 0, &data, &len), -ELOOP);
}
END_TEST

START_TEST(stat_types)
{
	struct skd_stat st;
	char *fifo = tu_path(dir, "fifo");

	put("etc/f", "12345");
	chmod_rel("etc/f", 0640);
	link_to("f", "etc/link");
	link_to("missing", "etc/dangling");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);

	ck_assert_int_eq(sysroot_stat(root, "/etc/f", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_REGULAR);
	ck_assert_uint_eq(st.mode, 0640);
	ck_assert_uint_eq(st.size, 5);
	ck_assert_int_eq(sysroot_stat(root, "/etc", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_DIRECTORY);
	ck_assert_int_eq(sysroot_stat(root, "/", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_DIRECTORY);
	ck_assert_int_eq(sysroot_stat(root, "/etc/link", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_REGULAR);
	ck_assert_uint_eq(st.size, 5);
	ck_assert_int_eq(sysroot_stat(root, "/etc/link", true, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_SYMLINK);
	ck_assert_int_eq(sysroot_stat(root, "/etc/dangling", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_NONE);
	ck_assert_int_eq(sysroot_stat(root, "/etc/dangling", true, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_SYMLINK);
	ck_assert_int_eq(sysroot_stat(root, "/fifo", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_OTHER);
	ck_assert_int_eq(sysroot_stat(root, "/no/such/path", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_NONE);
	ck_assert_int_eq(sysroot_stat(root, "/etc/f/below", false, &st), 0);
	ck_assert_int_eq(st.type, SKD_FILE_NONE);
	free(fifo);
}
END_TEST

START_TEST(list_sorted)
{
	const char *names[] = { "b", "a", "B", "_", "a.d", "10", "9" };
	const char *sorted[] = { "10", "9", "B", "_", "a", "a.d", "b" };
	char **list = NULL;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *rel = tu_printf("d/%s", names[i]);
		put(rel, "");
		free(rel);
	}
	link_to("d", "dl");
	ck_assert_int_eq(sysroot_list(root, "/d", &list), 0);
	for (size_t i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++) {
		ck_assert_ptr_nonnull(list[i]);
		ck_assert_str_eq(list[i], sorted[i]);
	}
	ck_assert_ptr_null(list[sizeof(sorted) / sizeof(sorted[0])]);
	skd_strv_free(list);

	ck_assert_int_eq(sysroot_list(root, "/dl", &list), 0);
	ck_assert_str_eq(list[0], "10");
	skd_strv_free(list);

	mkdir_rel("empty", 0755);
	ck_assert_int_eq(sysroot_list(root, "/empty", &list), 0);
	ck_assert_ptr_null(list[0]);
	skd_strv_free(list);

	list = NULL;
	ck_assert_int_eq(sysroot_list(root, "/missing", &list), -ENOENT);
	ck_assert_ptr_null(list);
	ck_assert_int_eq(sysroot_list(root, "/d/a", &list), -ENOTDIR);
}
END_TEST

START_TEST(read_limits_and_types)
{
	char buf[101], *data = NULL, *fifo = tu_path(dir, "fifo");
	size_t len;

	memset(buf, 'x', 100);
	buf[100] = '\0';
	put("big", buf);
	ck_assert_int_eq(sysroot_read(root, "/big", 99, &data, &len), -EFBIG);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/big\""));
	ck_assert_int_eq(sysroot_read(root, "/big", 100, &data, &len), 0);
	ck_assert_uint_eq(len, 100);
	free(data);

	/* a FIFO is refused, not waited on */
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(sysroot_read(root, "/fifo", 0, &data, &len), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "not a regular file"));
	ck_assert_int_eq(sysroot_read(root, "/", 0, &data, &len), -EISDIR);
	free(fifo);
}
END_TEST

START_TEST(replace_new_file)
{
	bool changed = false;
	struct stat st;
	char *data;

	umask(077);
	put("etc/keep", "");
	ck_assert_int_eq(sysroot_replace(root, "/etc/new.conf", "a=1\n", 4, 0644,
	                                 &changed), 0);
	ck_assert(changed);
	st = lstat_rel("etc/new.conf");
	ck_assert(S_ISREG(st.st_mode));
	/* the mode asked for, not the umask's */
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_uint_eq(st.st_uid, geteuid());
	data = slurp("etc/new.conf");
	ck_assert_str_eq(data, "a=1\n");
	free(data);
	ck_assert_uint_eq(dotfiles("etc"), 0);

	/* ".." at the root stays at the root */
	ck_assert_int_eq(sysroot_replace(root, "/../../top", "t", 1, 0600, NULL), 0);
	data = slurp("top");
	ck_assert_str_eq(data, "t");
	free(data);

	/* missing directory */
	ck_assert_int_eq(sysroot_replace(root, "/nodir/x", "x", 1, 0644, NULL),
	                 -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/nodir/x\""));
}
END_TEST

START_TEST(replace_keeps_mode_and_owner)
{
	bool changed = false;
	struct stat before, after;
	char *p = tu_path(dir, "etc/default/grub"), *data;

	put("etc/default/grub", "GRUB_TIMEOUT=5\n");
	/* chown first: it clears the set-id bits */
	if (geteuid() == 0)
		ck_assert_int_eq(chown(p, 1234, 5678), 0);
	ck_assert_int_eq(chmod(p, 04751), 0);
	before = lstat_rel("etc/default/grub");
	ck_assert_uint_eq(before.st_mode & 07777, 04751);
	ck_assert_int_eq(sysroot_replace(root, "/etc/default/grub",
	                                 "GRUB_TIMEOUT=1\n", 15, 0600, &changed), 0);
	ck_assert(changed);
	after = lstat_rel("etc/default/grub");
	ck_assert_uint_eq(after.st_mode & 07777, 04751);
	ck_assert_uint_eq(after.st_uid, before.st_uid);
	ck_assert_uint_eq(after.st_gid, before.st_gid);
	/* replaced, not rewritten in place */
	ck_assert(after.st_ino != before.st_ino);
	data = slurp("etc/default/grub");
	ck_assert_str_eq(data, "GRUB_TIMEOUT=1\n");
	free(data);
	ck_assert_uint_eq(dotfiles("etc/default"), 0);
	free(p);
}
END_TEST

START_TEST(replace_identical_writes_nothing)
{
	struct timespec times[2] = { { 1000000, 0 }, { 1000000, 0 } };
	char *p = tu_path(dir, "etc/kdump.conf");
	bool changed = true;
	struct stat before, after;

	put("etc/kdump.conf", "path /var/crash\n");
	ck_assert_int_eq(utimensat(AT_FDCWD, p, times, 0), 0);
	before = lstat_rel("etc/kdump.conf");
	ck_assert_int_eq(sysroot_replace(root, "/etc/kdump.conf", "path /var/crash\n",
	                                 16, 0600, &changed), 0);
	ck_assert(!changed);
	after = lstat_rel("etc/kdump.conf");
	ck_assert_uint_eq(after.st_ino, before.st_ino);
	ck_assert_int_eq(after.st_mtim.tv_sec, 1000000);
	ck_assert_uint_eq(after.st_mode, before.st_mode);

	/* same size, other bytes: written */
	ck_assert_int_eq(sysroot_replace(root, "/etc/kdump.conf", "path /var/CRASH\n",
	                                 16, 0600, &changed), 0);
	ck_assert(changed);
	/* a prefix of the old content is different content too */
	ck_assert_int_eq(sysroot_replace(root, "/etc/kdump.conf", "path", 4, 0600,
	                                 &changed), 0);
	ck_assert(changed);
	free(p);
}
END_TEST

START_TEST(replace_exact_mode)
{
	bool changed = false;
	char *data;

	/* credentials over a 0644 file: 0600, content and mode in one step */
	put("etc/default/kdump-tools", "USE_KDUMP=1\n");
	chmod_rel("etc/default/kdump-tools", 0644);
	ck_assert_int_eq(sysroot_replace(root, "/etc/default/kdump-tools",
	                                 "FTP_PASSWORD=x\n", 15,
	                                 0600 | SYSROOT_MODE_EXACT, &changed), 0);
	ck_assert(changed);
	ck_assert_uint_eq(lstat_rel("etc/default/kdump-tools").st_mode & 07777, 0600);
	data = slurp("etc/default/kdump-tools");
	ck_assert_str_eq(data, "FTP_PASSWORD=x\n");
	free(data);

	/* the same content at the wrong mode: only the mode changes */
	chmod_rel("etc/default/kdump-tools", 0664);
	changed = false;
	ck_assert_int_eq(sysroot_replace(root, "/etc/default/kdump-tools",
	                                 "FTP_PASSWORD=x\n", 15,
	                                 0600 | SYSROOT_MODE_EXACT, &changed), 0);
	ck_assert(changed);
	ck_assert_uint_eq(lstat_rel("etc/default/kdump-tools").st_mode & 07777, 0600);
	/* ... and nothing when both are right */
	ck_assert_int_eq(sysroot_replace(root, "/etc/default/kdump-tools",
	                                 "FTP_PASSWORD=x\n", 15,
	                                 0600 | SYSROOT_MODE_EXACT, &changed), 0);
	ck_assert(!changed);

	/* a restore gets the original's mode back */
	ck_assert_int_eq(sysroot_replace(root, "/etc/default/kdump-tools",
	                                 "USE_KDUMP=1\n", 12,
	                                 0644 | SYSROOT_MODE_EXACT, &changed), 0);
	ck_assert_uint_eq(lstat_rel("etc/default/kdump-tools").st_mode & 07777, 0644);
	/* without the flag an existing file keeps its mode */
	ck_assert_int_eq(sysroot_replace(root, "/etc/default/kdump-tools",
	                                 "USE_KDUMP=0\n", 12, 0600, &changed), 0);
	ck_assert_uint_eq(lstat_rel("etc/default/kdump-tools").st_mode & 07777, 0644);
	ck_assert_uint_eq(dotfiles("etc/default"), 0);
}
END_TEST

/* Every kind of target we write (bootloader files, a grub.d drop-in, the
 * kdump configuration, the state directory) as a link to a file or
 * directory outside the root: refused, named, nothing written outside. */
START_TEST(links_to_outside_refused)
{
	static const char *const targets[] = {
		"/etc/default/grub", "/etc/default/grub.d/zz-skyhook-kdump.cfg",
		"/etc/kdump.conf", "/etc/default/kdump-tools",
	};
	char *out_file = tu_path(outside, "victim"), *hash_before, *hash_after;
	bool changed = false;

	tu_write(out_file, "OUTSIDE\n");
	put("etc/default/grub.d/init-select.cfg", "");
	put("var/lib/dpkg/status", "");
	hash_before = tu_tree_hash(outside);
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char *msg;

		link_to(out_file, targets[i] + 1);
		ck_assert_int_eq(sysroot_replace(root, targets[i], "x\n", 2, 0644,
		                                 &changed), -ELOOP);
		msg = tu_printf("refusing to write \"%s\": it is a symbolic link", targets[i]);
		ck_assert_str_eq(diag_message(), msg);
		free(msg);
		ck_assert(!changed);
	}
	/* the state directory as a link to a directory outside: resolved
	 * inside the root, where nothing of that name exists */
	link_to(outside, "var/lib/skyhook-kdump");
	ck_assert_int_lt(sysroot_replace(root, "/var/lib/skyhook-kdump/state",
	                                 "x\n", 2, 0600, NULL), 0);
	ck_assert_int_lt(sysroot_mkdir_p(root, "/var/lib/skyhook-kdump/backup", 0700), 0);
	/* a link escaping with ".." lands on the root's own /etc */
	link_to("../../../../../../..", "etc/up");
	ck_assert_int_eq(sysroot_replace(root, "/etc/up/etc/new", "x\n", 2, 0644,
	                                 NULL), 0);
	ck_assert(exists_rel("etc/new"));
	ck_assert_int_eq(sysroot_remove(root, "/etc/up/../../etc/new"), 0);
	hash_after = tu_tree_hash(outside);
	ck_assert_str_eq(hash_before, hash_after);
	free(hash_before);
	free(hash_after);
	free(out_file);
}
END_TEST

START_TEST(open_rw_stays_inside)
{
	char *out_lock = tu_path(outside, "dir/lock");
	int fd;

	/* created with the mode asked, read-write */
	put("var/lib/x/keep", "");
	fd = sysroot_open_rw(root, "/var/lib/x/lock", 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "1", 1), 1);
	close(fd);
	ck_assert_uint_eq(lstat_rel("var/lib/x/lock").st_mode & 07777, 0600);
	/* a link as last component is refused, named */
	link_to("keep", "var/lib/x/link");
	ck_assert_int_eq(sysroot_open_rw(root, "/var/lib/x/link", 0600), -ELOOP);
	ck_assert_str_eq(diag_message(), "refusing to open \"/var/lib/x/link\": it is a symbolic link");
	/* a state directory linked far up and out: the lock lands in the root */
	tu_write(out_lock, "");
	unlink(out_lock);
	put("outside/dir/keep", "");
	/* without confinement this names base/outside/dir, beside the root */
	link_to("../../../../../../../../../../../../outside/dir", "var/lib/state");
	fd = sysroot_open_rw(root, "/var/lib/state/lock", 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert(exists_rel("outside/dir/lock"));
	ck_assert_int_eq(access(out_lock, F_OK), -1);
	free(out_lock);
}
END_TEST

START_TEST(replace_refuses_symlink_and_dir)
{
	char *data, *hash_before, *hash_after;
	bool changed = false;

	put("etc/real", "real\n");
	link_to("real", "etc/link");
	mkdir_rel("etc/dir", 0755);
	hash_before = tu_tree_hash(dir);

	ck_assert_int_eq(sysroot_replace(root, "/etc/link", "new\n", 4, 0644,
	                                 &changed), -ELOOP);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/etc/link\""));
	ck_assert_int_eq(sysroot_replace(root, "/etc/dir", "new\n", 4, 0644,
	                                 &changed), -EISDIR);
	ck_assert_int_eq(sysroot_replace(root, "/etc/dir/..", "new\n", 4, 0644,
	                                 &changed), -EISDIR);
	ck_assert_int_eq(sysroot_replace(root, "/", "new\n", 4, 0644, &changed),
	                 -EISDIR);
	ck_assert(!changed);
	hash_after = tu_tree_hash(dir);
	/* nothing changed, no temp file anywhere */
	ck_assert_str_eq(hash_before, hash_after);
	ck_assert_uint_eq(dotfiles("etc"), 0);
	data = slurp("etc/real");
	ck_assert_str_eq(data, "real\n");
	free(data);

	/* a symlinked directory on the way is followed, inside the root */
	link_to("etc", "conf");
	ck_assert_int_eq(sysroot_replace(root, "/conf/via", "v", 1, 0644, NULL), 0);
	data = slurp("etc/via");
	ck_assert_str_eq(data, "v");
	free(data);
	free(hash_before);
	free(hash_after);
}
END_TEST

START_TEST(replace_failure_leaves_original)
{
	struct rlimit lim, saved;
	size_t big = 100000;
	char *payload = malloc(big), *data;
	struct stat before, after;

	/* a write that fails half way: the file size limit (EFBIG) */
	memset(payload, 'n', big);
	put("etc/conf", "original\n");
	before = lstat_rel("etc/conf");
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	/* the soft limit only: raising it back needs no privilege */
	lim.rlim_cur = 4096;
	lim.rlim_max = saved.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	ck_assert_int_eq(sysroot_replace(root, "/etc/conf", payload, big, 0644, NULL),
	                 -EFBIG);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/etc/conf\""));
	after = lstat_rel("etc/conf");
	ck_assert_uint_eq(after.st_ino, before.st_ino);
	data = slurp("etc/conf");
	ck_assert_str_eq(data, "original\n");
	free(data);
	ck_assert_uint_eq(dotfiles("etc"), 0);
	/* same for a file that did not exist */
	ck_assert_int_eq(sysroot_replace(root, "/etc/fresh", payload, big, 0644,
	                                 NULL), -EFBIG);
	ck_assert(!exists_rel("etc/fresh"));
	ck_assert_uint_eq(dotfiles("etc"), 0);
	/* CK_FORK=no runs on in this process */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &saved), 0);
	free(payload);
}
END_TEST

START_TEST(remove_rules)
{
	char *data;

	put("etc/a", "a");
	put("etc/target", "t");
	link_to("target", "etc/link");
	ck_assert_int_eq(sysroot_remove(root, "/etc/a"), 0);
	ck_assert(!exists_rel("etc/a"));
	/* missing, or below something missing: nothing to do */
	ck_assert_int_eq(sysroot_remove(root, "/etc/a"), 0);
	ck_assert_int_eq(sysroot_remove(root, "/no/such/file"), 0);
	/* directories are refused */
	ck_assert_int_eq(sysroot_remove(root, "/etc"), -EISDIR);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/etc\""));
	ck_assert(S_ISDIR(lstat_rel("etc").st_mode));
	ck_assert_int_eq(sysroot_remove(root, "/"), -EISDIR);
	/* a symlink goes, its target stays */
	ck_assert_int_eq(sysroot_remove(root, "/etc/link"), 0);
	ck_assert(!exists_rel("etc/link"));
	data = slurp("etc/target");
	ck_assert_str_eq(data, "t");
	free(data);
}
END_TEST

START_TEST(mkdir_p_and_rmdir)
{
	struct stat st;

	umask(077);
	put("etc/file", "");
	link_to("etc", "etclink");
	ck_assert_int_eq(sysroot_mkdir_p(root, "/var/lib/skd/backup", 0750), 0);
	st = lstat_rel("var/lib/skd/backup");
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0750);
	st = lstat_rel("var");
	ck_assert_uint_eq(st.st_mode & 07777, 0750);
	/* existing directories are fine and keep their mode */
	chmod_rel("var", 0755);
	ck_assert_int_eq(sysroot_mkdir_p(root, "/var/lib", 0700), 0);
	ck_assert_uint_eq(lstat_rel("var").st_mode & 07777, 0755);
	ck_assert_int_eq(sysroot_mkdir_p(root, "/", 0700), 0);
	/* through a symlinked directory, inside the root */
	ck_assert_int_eq(sysroot_mkdir_p(root, "/etclink/sub.d", 0755), 0);
	ck_assert(S_ISDIR(lstat_rel("etc/sub.d").st_mode));
	/* a file in the way */
	ck_assert_int_eq(sysroot_mkdir_p(root, "/etc/file/x", 0755), -ENOTDIR);
	ck_assert_ptr_nonnull(strstr(diag_message(), "\"/etc/file\""));

	ck_assert_int_eq(sysroot_rmdir(root, "/var/lib"), -ENOTEMPTY);
	ck_assert_int_eq(sysroot_rmdir(root, "/etclink"), -ENOTDIR);
	ck_assert_int_eq(sysroot_rmdir(root, "/etc/file"), -ENOTDIR);
	ck_assert_int_eq(sysroot_rmdir(root, "/var/lib/skd/backup"), 0);
	ck_assert(!exists_rel("var/lib/skd/backup"));
	ck_assert_int_eq(sysroot_rmdir(root, "/var/lib/skd/backup"), 0);
}
END_TEST

/* The head of a file: at most n bytes, the size of the whole. */
START_TEST(read_head)
{
	char *data = NULL;
	size_t len = 0;
	uint64_t size = 0;

	put("boot/vmlinuz", "0123456789abcdef");
	link_to("vmlinuz", "boot/vmlinuz-link");
	ck_assert_int_eq(sysroot_read_head(root, "/boot/vmlinuz-link", 4, &data,
	                                   &len, &size), 0);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(data, "0123");
	ck_assert_uint_eq(size, 16);
	free(data);
	ck_assert_int_eq(sysroot_read_head(root, "/boot/vmlinuz", 64, &data,
	                                   &len, NULL), 0);
	ck_assert_uint_eq(len, 16);
	ck_assert_str_eq(data, "0123456789abcdef");
	free(data);
	ck_assert_int_eq(sysroot_read_head(root, "/boot", 4, &data, &len, NULL), -EISDIR);
	ck_assert_int_eq(sysroot_read_head(root, "/boot/none", 4, &data, &len, NULL), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "/boot/none"));
}
END_TEST

struct lines_seen {
	unsigned n, bad_len;
	size_t longest;
	char last[32];
	unsigned stop_at;
};

/* No ck_assert here: under CK_FORK=no each one is written to Check's own
 * log, and 20,000 of them push it past the file size limit that
 * replace_failure_leaves_original sets. */
static int count_line(const char *text, size_t len, void *data)
{
	struct lines_seen *l = data;

	if (strlen(text) != len)
		l->bad_len++;
	l->n++;
	if (len > l->longest)
		l->longest = len;
	snprintf(l->last, sizeof(l->last), "%s", text);
	return l->n == l->stop_at ? 7 : 0;
}

/* Lines across reading-buffer boundaries, a last line without '\n', a
 * stop, and a line too long. */
START_TEST(read_lines)
{
	size_t big = (1u << 20) + 10, n = 0;
	char *text = malloc(big + 200000), *p;
	struct lines_seen l = { 0 };

	ck_assert_ptr_nonnull(text);
	for (int i = 0; i < 20000; i++)
		n += (size_t)sprintf(text + n, "line %d\n", i);
	memset(text + n, 'y', 100000);
	n += 100000;
	n += (size_t)sprintf(text + n, "\n\nend");
	p = tu_path(dir, "var/lib/db");
	tu_write(p, text);
	ck_assert_int_eq(sysroot_read_lines(root, "/var/lib/db", count_line, &l), 0);
	ck_assert_uint_eq(l.bad_len, 0);
	ck_assert_uint_eq(l.n, 20003);
	ck_assert_uint_eq(l.longest, 100000);
	ck_assert_str_eq(l.last, "end");

	memset(&l, 0, sizeof(l));
	l.stop_at = 3;
	ck_assert_int_eq(sysroot_read_lines(root, "/var/lib/db", count_line, &l), 7);
	ck_assert_str_eq(l.last, "line 2");

	memset(text, 'z', big);
	text[big] = '\0';
	tu_write(p, text);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(sysroot_read_lines(root, "/var/lib/db", count_line, &l), -EFBIG);
	ck_assert_ptr_nonnull(strstr(diag_message(), "/var/lib/db"));
	ck_assert_int_eq(sysroot_read_lines(root, "/var/lib/none", count_line, &l), -ENOENT);
	ck_assert_int_eq(sysroot_read_lines(root, "/var/lib", count_line, &l), -EISDIR);
	free(p);
	free(text);
}
END_TEST

static void add_cases(TCase *tc)
{
	tcase_add_test(tc, read_head);
	tcase_add_test(tc, read_lines);
	tcase_add_test(tc, open_root);
	tcase_add_test(tc, read_plain);
	tcase_add_test(tc, dotdot_stays_inside);
	tcase_add_test(tc, symlink_escapes_stay_inside);
	tcase_add_test(tc, symlink_loops);
	tcase_add_test(tc, stat_types);
	tcase_add_test(tc, list_sorted);
	tcase_add_test(tc, read_limits_and_types);
	tcase_add_test(tc, replace_new_file);
	tcase_add_test(tc, replace_keeps_mode_and_owner);
	tcase_add_test(tc, replace_identical_writes_nothing);
	tcase_add_test(tc, replace_refuses_symlink_and_dir);
	tcase_add_test(tc, replace_failure_leaves_original);
	tcase_add_test(tc, remove_rules);
	tcase_add_test(tc, mkdir_p_and_rmdir);
	tcase_add_test(tc, replace_exact_mode);
	tcase_add_test(tc, links_to_outside_refused);
	tcase_add_test(tc, open_rw_stays_inside);
}

Suite *skd_sysroot_suite(void)
{
	Suite *s = suite_create("sysroot");
	TCase *tc = tcase_create("sysroot");
	TCase *walk = tcase_create("walk-only");

	tcase_add_checked_fixture(tc, setup, teardown);
	add_cases(tc);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(walk, setup_walk_only, teardown_walk_only);
	add_cases(walk);
	suite_add_tcase(s, walk);
	return s;
}

SKD_TEST_MAIN(skd_sysroot_suite)
