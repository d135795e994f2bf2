/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "configmaps.h"
#include "diag.h"
#include "testutil.h"

Suite *skd_configmaps_suite(void);

/* The limits of configmaps.c: 64 KiB for crashkernel, 1 MiB plus one byte
 * for kdump.conf (so that its validator is the one that names the size). */
#define CRASHKERNEL_MAX (64u << 10)
#define KDUMP_CONF_MAX ((1u << 20) + 1)

static char *dir;

static void setup(void)
{
	dir = tu_copy_tree(NULL);
	diag_clear();
}

static void teardown(void)
{
	tu_rm_tree(dir);
	dir = NULL;
}

static char *at(const char *rel)
{
	return tu_path(dir, rel);
}

static void put(const char *rel, const char *data)
{
	char *p = at(rel);

	tu_write(p, data);
	free(p);
}

static void put_bytes(const char *rel, const char *data, size_t len)
{
	char *p = at(rel);
	FILE *f = fopen(p, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(p);
}

static void put_size(const char *rel, size_t len)
{
	char *data = malloc(len + 1);

	ck_assert_ptr_nonnull(data);
	memset(data, 'x', len);
	put_bytes(rel, data, len);
	free(data);
}

static struct configmaps *read_ok(const char *d)
{
	struct configmaps *cm = NULL;

	ck_assert_msg(configmaps_read(d, &cm) == 0, "refused: %s", diag_message());
	ck_assert_ptr_nonnull(cm);
	return cm;
}

/* Refused with -EINVAL, nothing handed back, and exactly the message
 * "configmap '<key>' in <folder> <what>". */
static void assert_refused(const char *key, const char *what)
{
	struct configmaps *cm = (struct configmaps *)0x1;
	char *want = tu_printf("configmap '%s' in %s %s", key, dir, what);

	diag_clear();
	ck_assert_int_eq(configmaps_read(dir, &cm), -EINVAL);
	ck_assert_ptr_eq(cm, (struct configmaps *)0x1);
	ck_assert_str_eq(diag_message(), want);
	free(want);
}

START_TEST(null_dir)
{
	struct configmaps *cm = read_ok(NULL);

	ck_assert_ptr_null(cm->dir);
	ck_assert(!cm->crashkernel.present);
	ck_assert_ptr_null(cm->crashkernel.data);
	ck_assert(!cm->kdump_conf.present);
	ck_assert_ptr_null(cm->kdump_conf.data);
	configmaps_free(cm);
	configmaps_free(NULL);
}
END_TEST

START_TEST(missing_folder)
{
	char *missing = at("no/such/folder");
	struct configmaps *cm = read_ok(missing);

	ck_assert_ptr_null(cm->dir);
	ck_assert(!cm->crashkernel.present);
	ck_assert(!cm->kdump_conf.present);
	ck_assert_str_eq(diag_message(), "");
	configmaps_free(cm);
	free(missing);
}
END_TEST

START_TEST(empty_folder)
{
	struct configmaps *cm = read_ok(dir);

	ck_assert_str_eq(cm->dir, dir);
	ck_assert(!cm->crashkernel.present);
	ck_assert_ptr_null(cm->crashkernel.data);
	ck_assert_uint_eq(cm->crashkernel.len, 0);
	ck_assert(!cm->kdump_conf.present);
	configmaps_free(cm);
}
END_TEST

START_TEST(folder_is_a_file)
{
	char *file = at("file");
	struct configmaps *cm = (struct configmaps *)0x1;
	char *want;

	put("file", "x");
	ck_assert_int_eq(configmaps_read(file, &cm), -EINVAL);
	ck_assert_ptr_eq(cm, (struct configmaps *)0x1);
	want = tu_printf("configmaps folder %s: %s", file, strerror(ENOTDIR));
	ck_assert_str_eq(diag_message(), want);
	free(want);
	free(file);
}
END_TEST

START_TEST(reads_both)
{
	static const char conf[] = "path /var/crash\ncore_collector makedumpfile -l -d 31\n";
	struct configmaps *cm;

	put("crashkernel", "256M\n");
	put("kdump.conf", conf);
	cm = read_ok(dir);
	ck_assert_str_eq(cm->dir, dir);
	ck_assert(cm->crashkernel.present);
	ck_assert_str_eq(cm->crashkernel.data, "256M\n");
	ck_assert_uint_eq(cm->crashkernel.len, 5);
	ck_assert(cm->kdump_conf.present);
	ck_assert_str_eq(cm->kdump_conf.data, conf);
	ck_assert_uint_eq(cm->kdump_conf.len, strlen(conf));
	configmaps_free(cm);
}
END_TEST

START_TEST(reads_one_or_empty)
{
	struct configmaps *cm;

	put("crashkernel", "");
	cm = read_ok(dir);
	/* an empty file is present, with an empty value */
	ck_assert(cm->crashkernel.present);
	ck_assert_ptr_nonnull(cm->crashkernel.data);
	ck_assert_str_eq(cm->crashkernel.data, "");
	ck_assert_uint_eq(cm->crashkernel.len, 0);
	ck_assert(!cm->kdump_conf.present);
	ck_assert_ptr_null(cm->kdump_conf.data);
	configmaps_free(cm);

	teardown();
	setup();
	put("kdump.conf", "path /var/crash\n");
	cm = read_ok(dir);
	ck_assert(!cm->crashkernel.present);
	ck_assert(cm->kdump_conf.present);
	ck_assert_str_eq(cm->kdump_conf.data, "path /var/crash\n");
	configmaps_free(cm);
}
END_TEST

START_TEST(nul_bytes_kept)
{
	static const char ck[] = "256M\0tail\n";
	static const char kc[] = "\0\0path /x\0";
	struct configmaps *cm;

	put_bytes("crashkernel", ck, sizeof(ck) - 1);
	put_bytes("kdump.conf", kc, sizeof(kc) - 1);
	cm = read_ok(dir);
	ck_assert_uint_eq(cm->crashkernel.len, sizeof(ck) - 1);
	ck_assert(memcmp(cm->crashkernel.data, ck, sizeof(ck) - 1) == 0);
	ck_assert_int_eq(cm->crashkernel.data[cm->crashkernel.len], '\0');
	ck_assert_uint_eq(cm->kdump_conf.len, sizeof(kc) - 1);
	ck_assert(memcmp(cm->kdump_conf.data, kc, sizeof(kc) - 1) == 0);
	ck_assert_int_eq(cm->kdump_conf.data[cm->kdump_conf.len], '\0');
	configmaps_free(cm);
}
END_TEST

START_TEST(others_ignored)
{
	struct configmaps *cm;
	char *fifo = at("other-fifo"), *link = at("link");

	put("crashkernel", "512M");
	put("crashkernel.bak", "1G");
	put("Crashkernel", "1G");
	put(".kdump.conf", "bad");
	put("sub/kdump.conf", "bad");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(symlink("/etc/passwd", link), 0);
	cm = read_ok(dir);
	ck_assert(cm->crashkernel.present);
	ck_assert_str_eq(cm->crashkernel.data, "512M");
	ck_assert(!cm->kdump_conf.present);
	configmaps_free(cm);
	free(fifo);
	free(link);
}
END_TEST

static void link_at(const char *target, const char *rel)
{
	char *p = at(rel);

	ck_assert_int_eq(symlink(target, p), 0);
	free(p);
}

/* What a Kubernetes ConfigMap volume holds, and what `cp -r` of it keeps:
 * each key a link into a timestamped directory through "..data". */
START_TEST(configmap_volume_links_followed)
{
	struct configmaps *cm;

	put("..2026_11_27_10_00_00.123456789/crashkernel", "512M\n");
	put("..2026_11_27_10_00_00.123456789/kdump.conf", "USE_KDUMP=1\n");
	link_at("..2026_11_27_10_00_00.123456789", "..data");
	link_at("..data/crashkernel", "crashkernel");
	link_at("..data/kdump.conf", "kdump.conf");
	cm = read_ok(dir);
	ck_assert(cm->crashkernel.present);
	ck_assert_str_eq(cm->crashkernel.data, "512M\n");
	ck_assert(cm->kdump_conf.present);
	ck_assert_str_eq(cm->kdump_conf.data, "USE_KDUMP=1\n");
	configmaps_free(cm);

	/* a plain link to a file beside it stays inside too */
	teardown();
	setup();
	put("real", "256M\n");
	link_at("real", "crashkernel");
	cm = read_ok(dir);
	ck_assert_str_eq(cm->crashkernel.data, "256M\n");
	configmaps_free(cm);
}
END_TEST

START_TEST(symlink_refused)
{
	/* out of the folder: absolute, climbing, dangling, a loop */
	link_at("/etc/passwd", "crashkernel");
	assert_refused("crashkernel", "is a symlink that leads out of the folder (/etc/passwd), expected a regular file");
	teardown();
	setup();
	put("../outside", "256M");
	link_at("../outside", "crashkernel");
	assert_refused("crashkernel", "is a symlink that leads out of the folder (../outside), expected a regular file");
	teardown();
	setup();
	put("d/x", "256M");
	link_at("d/../../x", "crashkernel");
	assert_refused("crashkernel", "is a symlink that leads out of the folder (d/../../x), expected a regular file");
	teardown();
	setup();
	link_at("missing", "kdump.conf");
	assert_refused("kdump.conf", "is a symlink to nothing (No such file or directory)");
	teardown();
	setup();
	link_at("b", "a");
	link_at("a", "b");
	link_at("a", "crashkernel");
	assert_refused("crashkernel", "is a chain of more than 8 symlinks, expected a regular file");
	teardown();
	setup();
	/* a link inside the layout that points out */
	link_at("/etc", "..data");
	link_at("..data/passwd", "crashkernel");
	assert_refused("crashkernel", "is a symlink that leads out of the folder (/etc), expected a regular file");
	teardown();
	setup();
	/* a link to a directory inside is still not a file */
	put("sub/x", "1");
	link_at("sub", "crashkernel");
	assert_refused("crashkernel", "is a directory, expected a regular file");
}
END_TEST

START_TEST(directory_refused)
{
	put("crashkernel/x", "256M");
	assert_refused("crashkernel", "is a directory, expected a regular file");
	teardown();
	setup();
	put("crashkernel", "256M");
	put("kdump.conf/x", "y");
	assert_refused("kdump.conf", "is a directory, expected a regular file");
}
END_TEST

START_TEST(fifo_refused)
{
	/* nobody writes to it: a blocking open would hang until the timeout */
	char *fifo = at("crashkernel");

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	assert_refused("crashkernel", "is a FIFO, expected a regular file");
	free(fifo);
	teardown();
	setup();
	fifo = at("kdump.conf");
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	assert_refused("kdump.conf", "is a FIFO, expected a regular file");
	free(fifo);
}
END_TEST

START_TEST(socket_refused)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *path = at("kdump.conf");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(path), sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_refused("kdump.conf", "is a socket, expected a regular file");
	close(fd);
	free(path);
}
END_TEST

START_TEST(device_refused)
{
	char *path = at("crashkernel");

	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) < 0) {
		/* not allowed here (no CAP_MKNOD): nothing to test */
		free(path);
		return;
	}
	assert_refused("crashkernel", "is a device, expected a regular file");
	free(path);
}
END_TEST

START_TEST(size_limits)
{
	struct configmaps *cm;
	char *want;

	/* exactly at the limit: accepted, whole */
	put_size("crashkernel", CRASHKERNEL_MAX);
	put_size("kdump.conf", KDUMP_CONF_MAX);
	cm = read_ok(dir);
	ck_assert_uint_eq(cm->crashkernel.len, CRASHKERNEL_MAX);
	ck_assert_int_eq(cm->crashkernel.data[CRASHKERNEL_MAX - 1], 'x');
	ck_assert_int_eq(cm->crashkernel.data[CRASHKERNEL_MAX], '\0');
	ck_assert_uint_eq(cm->kdump_conf.len, KDUMP_CONF_MAX);
	ck_assert_int_eq(cm->kdump_conf.data[KDUMP_CONF_MAX], '\0');
	configmaps_free(cm);

	/* one byte over: refused, saying how large and the limit */
	put_size("crashkernel", CRASHKERNEL_MAX + 1);
	want = tu_printf("is too large (%u bytes, at most %u)",
	                 CRASHKERNEL_MAX + 1, CRASHKERNEL_MAX);
	assert_refused("crashkernel", want);
	free(want);

	put_size("crashkernel", 4);
	put_size("kdump.conf", KDUMP_CONF_MAX + 1);
	want = tu_printf("is too large (%u bytes, at most %u)",
	                 KDUMP_CONF_MAX + 1, KDUMP_CONF_MAX);
	assert_refused("kdump.conf", want);
	free(want);

	/* far over */
	put_size("kdump.conf", 8u << 20);
	want = tu_printf("is too large (%u bytes, at most %u)",
	                 8u << 20, KDUMP_CONF_MAX);
	assert_refused("kdump.conf", want);
	free(want);
}
END_TEST

START_TEST(first_refusal_wins)
{
	char *link = at("kdump.conf");

	/* crashkernel is read first; with both bad, it is the one named */
	put("crashkernel/x", "y");
	ck_assert_int_eq(symlink("/etc/kdump.conf", link), 0);
	assert_refused("crashkernel", "is a directory, expected a regular file");
	free(link);
}
END_TEST

Suite *skd_configmaps_suite(void)
{
	Suite *s = suite_create("configmaps");
	TCase *tc = tcase_create("configmaps");

	/* a FIFO that hangs the read is caught by this, not by the default */
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, null_dir);
	tcase_add_test(tc, missing_folder);
	tcase_add_test(tc, empty_folder);
	tcase_add_test(tc, folder_is_a_file);
	tcase_add_test(tc, reads_both);
	tcase_add_test(tc, reads_one_or_empty);
	tcase_add_test(tc, nul_bytes_kept);
	tcase_add_test(tc, others_ignored);
	tcase_add_test(tc, configmap_volume_links_followed);
	tcase_add_test(tc, symlink_refused);
	tcase_add_test(tc, directory_refused);
	tcase_add_test(tc, fifo_refused);
	tcase_add_test(tc, socket_refused);
	tcase_add_test(tc, device_refused);
	tcase_add_test(tc, size_limits);
	tcase_add_test(tc, first_refusal_wins);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_configmaps_suite)
