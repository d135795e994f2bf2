/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "host.h"
#include "state.h"
#include "strv.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_state_suite(void);

/* ---- in memory ------------------------------------------------------- */

START_TEST(new_is_empty)
{
	struct state *st = state_new();

	ck_assert_ptr_nonnull(st);
	ck_assert_uint_eq(st->format, STATE_FORMAT);
	ck_assert_ptr_null(st->written_by);
	ck_assert_ptr_nonnull(st->packages);
	ck_assert_ptr_null(st->packages[0]);
	ck_assert(!st->have_crashkernel_before);
	ck_assert_ptr_null(st->crashkernel_before);
	ck_assert_ptr_null(st->crashkernel);
	ck_assert_int_eq(st->service_was_enabled, -1);
	ck_assert(state_is_empty(st));
	state_free(st);
	state_free(NULL);
}
END_TEST

START_TEST(is_empty_each_field)
{
	struct state *st;

	st = state_new();
	ck_assert_int_eq(state_add_package(st, "kdump-tools"), 0);
	ck_assert(!state_is_empty(st));
	state_free(st);

	/* "there was no crashkernel before" is something recorded */
	st = state_new();
	st->have_crashkernel_before = true;
	ck_assert(!state_is_empty(st));
	state_free(st);

	st = state_new();
	st->crashkernel = strdup("256M");
	ck_assert(!state_is_empty(st));
	state_free(st);

	st = state_new();
	st->service_was_enabled = 0;
	ck_assert(!state_is_empty(st));
	st->service_was_enabled = 1;
	ck_assert(!state_is_empty(st));
	st->service_was_enabled = -1;
	ck_assert(state_is_empty(st));
	/* who wrote it and in which format is not a change */
	st->written_by = strdup("0.1");
	st->format = 0;
	ck_assert(state_is_empty(st));
	state_free(st);
}
END_TEST

START_TEST(add_package_no_duplicates)
{
	struct state *st = state_new();

	ck_assert(!state_has_package(st, "kexec-tools"));
	ck_assert_int_eq(state_add_package(st, "kexec-tools"), 0);
	ck_assert_int_eq(state_add_package(st, "kdump-tools"), 0);
	ck_assert_int_eq(state_add_package(st, "kexec-tools"), 0);
	ck_assert_int_eq(state_add_package(st, "kdump-tools"), 0);
	ck_assert_uint_eq(strv_length(st->packages), 2);
	ck_assert_str_eq(st->packages[0], "kexec-tools");
	ck_assert_str_eq(st->packages[1], "kdump-tools");
	ck_assert(state_has_package(st, "kexec-tools"));
	ck_assert(state_has_package(st, "kdump-tools"));
	ck_assert(!state_has_package(st, "kdump"));
	ck_assert(!state_has_package(st, "makedumpfile"));
	state_free(st);
}
END_TEST

/* ---- text form ------------------------------------------------------- */

static struct state *parse_ok(const char *text)
{
	struct state *st = NULL;

	diag_clear();
	ck_assert_msg(state_parse(text, "/test/state", &st) == 0, "refused: %s",
	              diag_message());
	ck_assert_ptr_nonnull(st);
	return st;
}

static struct state *roundtrip(const struct state *st)
{
	char *text = state_format(st);
	struct state *back;

	ck_assert_ptr_nonnull(text);
	back = parse_ok(text);
	free(text);
	return back;
}

START_TEST(format_exact_text)
{
	struct state *st = state_new();
	char *text;

	text = state_format(st);
	ck_assert_str_eq(text,
	                 "# skyhook-kdump: what apply and config changed; uninstall reverses it.\n"
	                 "format=1\n"
	                 "written-by=" PACKAGE_VERSION "\n");
	free(text);

	ck_assert_int_eq(state_add_package(st, "kexec-tools"), 0);
	ck_assert_int_eq(state_add_package(st, "kdump-tools"), 0);
	st->have_crashkernel_before = true;
	st->crashkernel_before = strdup("1G-4G:192M,4G-:256M");
	st->crashkernel = strdup("512M");
	st->service_was_enabled = 0;
	text = state_format(st);
	ck_assert_str_eq(text,
	                 "# skyhook-kdump: what apply and config changed; uninstall reverses it.\n"
	                 "format=1\n"
	                 "written-by=" PACKAGE_VERSION "\n"
	                 "package=kexec-tools\n"
	                 "package=kdump-tools\n"
	                 "crashkernel-before=1G-4G:192M,4G-:256M\n"
	                 "crashkernel=512M\n"
	                 "service-was-enabled=0\n");
	free(text);
	state_free(st);
}
END_TEST

START_TEST(roundtrip_full)
{
	struct state *st = state_new(), *back;

	ck_assert_int_eq(state_add_package(st, "kexec-tools"), 0);
	ck_assert_int_eq(state_add_package(st, "kdump-tools"), 0);
	ck_assert_int_eq(state_add_package(st, "makedumpfile"), 0);
	st->have_crashkernel_before = true;
	st->crashkernel_before = strdup("128M");
	st->crashkernel = strdup("1G-4G:192M,4G-64G:256M,64G-:512M");
	st->service_was_enabled = 1;
	back = roundtrip(st);
	ck_assert_uint_eq(back->format, STATE_FORMAT);
	ck_assert_str_eq(back->written_by, PACKAGE_VERSION);
	ck_assert_uint_eq(strv_length(back->packages), 3);
	ck_assert_str_eq(back->packages[0], "kexec-tools");
	ck_assert_str_eq(back->packages[1], "kdump-tools");
	ck_assert_str_eq(back->packages[2], "makedumpfile");
	ck_assert(back->have_crashkernel_before);
	ck_assert_str_eq(back->crashkernel_before, "128M");
	ck_assert_str_eq(back->crashkernel, "1G-4G:192M,4G-64G:256M,64G-:512M");
	ck_assert_int_eq(back->service_was_enabled, 1);
	ck_assert(!state_is_empty(back));
	state_free(back);
	state_free(st);
}
END_TEST

/* What "auto" meant at config, its basis flattened to what the file can
 * hold (printable ASCII), and the platform it was asked on. */
START_TEST(roundtrip_auto)
{
	struct state *st = state_new(), *back;
	char *text;

	st->crashkernel = strdup("2G-4G:940M,4G-64G:1004M,64G-:1260M");
	ck_assert_int_eq(state_set_auto(st, "2G-4G:940M,4G-64G:1004M,64G-:1260M",
	                                "kdumpctl\tanswered \xe2\x80\x94 here\n",
	                                "aarch64, 64K-page kernel"), 0);
	text = state_format(st);
	ck_assert_ptr_nonnull(strstr(text, "auto-crashkernel=2G-4G:940M,4G-64G:1004M,64G-:1260M\n"
	                             "auto-basis=kdumpctl?answered ??? here?\n"
	                             "auto-platform=aarch64, 64K-page kernel\n"));
	free(text);
	back = roundtrip(st);
	ck_assert_str_eq(back->auto_crashkernel, "2G-4G:940M,4G-64G:1004M,64G-:1260M");
	ck_assert_str_eq(back->auto_basis, "kdumpctl?answered ??? here?");
	ck_assert_str_eq(back->auto_platform, "aarch64, 64K-page kernel");
	state_free(back);
	/* a value the file cannot hold is refused, the state unchanged */
	ck_assert_int_eq(state_set_auto(st, "512M\n", "b", "p"), -EINVAL);
	ck_assert_str_eq(st->auto_basis, "kdumpctl?answered ??? here?");
	state_free(st);
}
END_TEST

START_TEST(roundtrip_crashkernel_before_none)
{
	struct state *st = state_new(), *back;
	char *text;

	/* there was none before: recorded as an empty value */
	st->have_crashkernel_before = true;
	st->service_was_enabled = 0;
	text = state_format(st);
	ck_assert_ptr_nonnull(strstr(text, "\ncrashkernel-before=\n"));
	ck_assert_ptr_null(strstr(text, "\ncrashkernel="));
	free(text);
	back = roundtrip(st);
	ck_assert(back->have_crashkernel_before);
	ck_assert_ptr_null(back->crashkernel_before);
	ck_assert_ptr_null(back->crashkernel);
	ck_assert_int_eq(back->service_was_enabled, 0);
	ck_assert_ptr_null(back->packages[0]);
	ck_assert(!state_is_empty(back));
	state_free(back);
	state_free(st);
}
END_TEST

START_TEST(roundtrip_empty_and_unknown_service)
{
	struct state *st = state_new(), *back;
	char *text;

	text = state_format(st);
	ck_assert_ptr_null(strstr(text, "service-was-enabled"));
	ck_assert_ptr_null(strstr(text, "crashkernel"));
	ck_assert_ptr_null(strstr(text, "package="));
	free(text);
	back = roundtrip(st);
	ck_assert(!back->have_crashkernel_before);
	ck_assert_ptr_null(back->crashkernel_before);
	ck_assert_ptr_null(back->crashkernel);
	ck_assert_int_eq(back->service_was_enabled, -1);
	ck_assert(state_is_empty(back));
	state_free(back);

	/* only crashkernel, no "before" */
	st->crashkernel = strdup("256M");
	back = roundtrip(st);
	ck_assert(!back->have_crashkernel_before);
	ck_assert_str_eq(back->crashkernel, "256M");
	state_free(back);
	state_free(st);
}
END_TEST

START_TEST(parse_details)
{
	struct state *st;

	/* comments, blank lines, no final newline, a value holding '=',
	 * a repeated key (the last wins), a repeated package (kept once) */
	st = parse_ok("# comment\n\nformat=1\n\n# another\n"
	              "crashkernel=256M\ncrashkernel=a=b\n"
	              "package=p\npackage=p\npackage=q\n"
	              "service-was-enabled=1\nservice-was-enabled=0");
	ck_assert_uint_eq(st->format, 1);
	ck_assert_str_eq(st->crashkernel, "a=b");
	ck_assert_uint_eq(strv_length(st->packages), 2);
	ck_assert_int_eq(st->service_was_enabled, 0);
	ck_assert_ptr_null(st->written_by);
	state_free(st);

	/* unknown keys, from a newer minor version, are ignored */
	st = parse_ok("format=1\nfuture-key=whatever\nx=\ncrashkernel=128M\n");
	ck_assert_str_eq(st->crashkernel, "128M");
	ck_assert(!st->have_crashkernel_before);
	ck_assert_int_eq(st->service_was_enabled, -1);
	state_free(st);

	/* an empty text is format 0 with nothing in it */
	st = parse_ok("");
	ck_assert_uint_eq(st->format, 0);
	ck_assert(state_is_empty(st));
	state_free(st);
}
END_TEST

START_TEST(parse_format0_moves_forward)
{
	struct state *st, *back;
	char *text;

	/* the first development format: the same keys, no format line */
	st = parse_ok("package=kdump-tools\ncrashkernel-before=\ncrashkernel=256M\n"
	              "service-was-enabled=1\n");
	/* as read, so that upgrade knows there is something to move */
	ck_assert_uint_eq(st->format, 0);
	ck_assert_str_eq(st->packages[0], "kdump-tools");
	ck_assert(st->have_crashkernel_before);
	ck_assert_ptr_null(st->crashkernel_before);
	ck_assert_str_eq(st->crashkernel, "256M");
	ck_assert_int_eq(st->service_was_enabled, 1);
	/* written again, it is the current format */
	text = state_format(st);
	ck_assert_ptr_nonnull(strstr(text, "\nformat=1\n"));
	free(text);
	back = roundtrip(st);
	ck_assert_uint_eq(back->format, STATE_FORMAT);
	ck_assert_str_eq(back->crashkernel, "256M");
	state_free(back);
	state_free(st);

	/* an explicit format=0 is the same */
	st = parse_ok("format=0\ncrashkernel=1G\n");
	ck_assert_uint_eq(st->format, 0);
	state_free(st);
}
END_TEST

static void assert_refused(const char *text, const char *msg)
{
	struct state *st = (struct state *)0x1;

	diag_clear();
	ck_assert_msg(state_parse(text, "/test/state", &st) == -EINVAL,
	              "accepted: \"%s\"", text);
	ck_assert_ptr_eq(st, (struct state *)0x1);
	ck_assert_msg(strcmp(diag_message(), msg) == 0,
	              "\"%s\": message \"%s\", expected \"%s\"", text,
	              diag_message(), msg);
}

START_TEST(parse_refusals)
{
	/* not key=value */
	assert_refused("format=1\njunk\n", "/test/state: line 2 is not key=value");
	assert_refused("format=1\n\n# c\n crashkernel 256M\n",
	               "/test/state: line 4 is not key=value");
	/* non-printable bytes, in the value or the key */
	assert_refused("crashkernel=256M\tx\n", "/test/state: line 1 is not key=value");
	assert_refused("format=1\r\n", "/test/state: line 1 is not key=value");
	assert_refused("format=1\npackage=caf\xc3\xa9\n",
	               "/test/state: line 2 is not key=value");
	assert_refused("pack\x01age=x\n", "/test/state: line 1 is not key=value");
	assert_refused("package=\x7f\n", "/test/state: line 1 is not key=value");
	/* bad format numbers */
	assert_refused("format=\n", "/test/state: line 1: bad value");
	assert_refused("format=one\n", "/test/state: line 1: bad value");
	assert_refused("format=1x\n", "/test/state: line 1: bad value");
	assert_refused("# x\nformat=1.0\n", "/test/state: line 2: bad value");
	assert_refused("format=-1\n", "/test/state: line 1: bad value");
	assert_refused("format=+1\n", "/test/state: line 1: bad value");
	assert_refused("format= 1\n", "/test/state: line 1: bad value");
	/* one more than 32 bits must not wrap to format 1 */
	assert_refused("format=4294967297\n", "/test/state: line 1: bad value");
	assert_refused("format=99999999999999999999999\n", "/test/state: line 1: bad value");
	/* newer than this program */
	assert_refused("format=2\ncrashkernel=256M\n",
	               "/test/state: format 2 is newer than this program (1)");
	assert_refused("crashkernel=256M\nformat=17\n",
	               "/test/state: format 17 is newer than this program (1)");
	/* service-was-enabled is 0 or 1 */
	assert_refused("service-was-enabled=2\n", "/test/state: line 1: bad value");
	assert_refused("service-was-enabled=\n", "/test/state: line 1: bad value");
	assert_refused("service-was-enabled=yes\n", "/test/state: line 1: bad value");
	assert_refused("service-was-enabled=-1\n", "/test/state: line 1: bad value");
	assert_refused("format=1\nservice-was-enabled=01\n", "/test/state: line 2: bad value");
}
END_TEST

/* ---- on disk --------------------------------------------------------- */

static char *dir;
static struct sysroot *root;

static void setup(void)
{
	dir = tu_copy_tree(NULL);
	ck_assert_int_eq(sysroot_open(dir, &root), 0);
}

static void teardown(void)
{
	sysroot_free(root);
	root = NULL;
	tu_rm_tree(dir);
	dir = NULL;
}

static void put(const char *rel, const char *data)
{
	char *p = tu_path(dir, rel);

	tu_write(p, data);
	free(p);
}

static char *get(const char *rel)
{
	char *p = tu_path(dir, rel), *data = tu_read(p, NULL);

	free(p);
	return data;
}

static bool exists(const char *rel)
{
	char *p = tu_path(dir, rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static mode_t mode_of(const char *rel)
{
	char *p = tu_path(dir, rel);
	struct stat st;

	ck_assert_int_eq(lstat(p, &st), 0);
	free(p);
	return st.st_mode & 07777;
}

START_TEST(load_missing)
{
	struct state *st = NULL;

	ck_assert_int_eq(state_load(root, &st), 0);
	ck_assert_ptr_nonnull(st);
	ck_assert(state_is_empty(st));
	ck_assert_uint_eq(st->format, STATE_FORMAT);
	ck_assert_str_eq(diag_message(), "");
	state_free(st);
	/* loading wrote nothing */
	ck_assert(!exists("var"));
}
END_TEST

START_TEST(save_and_load)
{
	struct state *st = state_new(), *back = NULL;
	char *text, *want, **names;
	size_t n;

	ck_assert_int_eq(state_add_package(st, "kdump-tools"), 0);
	st->have_crashkernel_before = true;
	st->crashkernel = strdup("256M");
	st->service_was_enabled = 0;
	ck_assert_int_eq(state_save(root, st), 0);
	ck_assert_uint_eq(mode_of("var/lib/skyhook-kdump/state"), 0600);
	ck_assert_uint_eq(mode_of("var/lib/skyhook-kdump"), 0700);
	text = get(STATE_FILE);
	want = state_format(st);
	ck_assert_str_eq(text, want);
	free(text);
	free(want);
	/* atomically: no temp file left beside it */
	ck_assert_int_eq(sysroot_list(root, STATE_DIR, &names), 0);
	n = strv_length(names);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "state");
	skd_strv_free(names);

	ck_assert_int_eq(state_load(root, &back), 0);
	ck_assert_str_eq(back->packages[0], "kdump-tools");
	ck_assert_ptr_null(back->packages[1]);
	ck_assert(back->have_crashkernel_before);
	ck_assert_ptr_null(back->crashkernel_before);
	ck_assert_str_eq(back->crashkernel, "256M");
	ck_assert_int_eq(back->service_was_enabled, 0);
	state_free(back);

	/* saving again replaces it, mode kept */
	free(st->crashkernel);
	st->crashkernel = strdup("512M");
	ck_assert_int_eq(state_save(root, st), 0);
	ck_assert_uint_eq(mode_of("var/lib/skyhook-kdump/state"), 0600);
	back = NULL;
	ck_assert_int_eq(state_load(root, &back), 0);
	ck_assert_str_eq(back->crashkernel, "512M");
	state_free(back);
	state_free(st);
}
END_TEST

START_TEST(save_refuses_symlink)
{
	struct state *st = state_new();
	char *link = tu_path(dir, STATE_FILE);

	put("etc/target", "keep\n");
	put("var/lib/skyhook-kdump/.keep", "");
	ck_assert_int_eq(symlink("/etc/target", link), 0);
	st->crashkernel = strdup("256M");
	ck_assert_int_eq(state_save(root, st), -ELOOP);
	free(link);
	link = get("etc/target");
	ck_assert_str_eq(link, "keep\n");
	free(link);
	state_free(st);
}
END_TEST

START_TEST(load_refusals_name_the_file)
{
	struct state *st = NULL;
	char *p;
	FILE *f;

	put(STATE_FILE, "format=1\nthis is not\n");
	ck_assert_int_eq(state_load(root, &st), -EINVAL);
	ck_assert_ptr_null(st);
	ck_assert_str_eq(diag_message(), STATE_FILE ": line 2 is not key=value");

	put(STATE_FILE, "format=9\n");
	ck_assert_int_eq(state_load(root, &st), -EINVAL);
	ck_assert_str_eq(diag_message(), STATE_FILE ": format 9 is newer than this program (1)");

	/* a NUL byte */
	p = tu_path(dir, STATE_FILE);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite("format=1\n\0x=y\n", 1, 14, f), 14);
	ck_assert_int_eq(fclose(f), 0);
	free(p);
	ck_assert_int_eq(state_load(root, &st), -EINVAL);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(diag_message(), STATE_FILE));
	ck_assert_ptr_nonnull(strstr(diag_message(), "NUL"));

	/* a format 0 file loads */
	put(STATE_FILE, "crashkernel=256M\n");
	ck_assert_int_eq(state_load(root, &st), 0);
	ck_assert_uint_eq(st->format, 0);
	ck_assert_str_eq(st->crashkernel, "256M");
	state_free(st);
}
END_TEST

START_TEST(drop_removes_ours_only)
{
	struct state *st = state_new(), *back = NULL;
	char *data;

	st->crashkernel = strdup("256M");
	ck_assert_int_eq(state_save(root, st), 0);
	put(HOST_FILES_JOURNAL, "replaced /etc/default/grub\ncreated /etc/kdump.conf\n");
	put(HOST_BACKUP_DIR "/etc/default/grub", "old grub\n");
	put(HOST_BACKUP_DIR "/etc/kdump/conf.d/a.conf", "a\n");
	put(HOST_BACKUP_DIR "/etc/x", "x\n");
	/* not ours to drop */
	put(STATE_UNINSTALLED_FILE, "yes\n");
	put(STATE_DIR "/lock", "");
	put("etc/default/grub", "new grub\n");

	ck_assert_int_eq(state_drop(root), 0);
	ck_assert(!exists("var/lib/skyhook-kdump/state"));
	ck_assert(!exists("var/lib/skyhook-kdump/files"));
	ck_assert(!exists("var/lib/skyhook-kdump/backup"));
	ck_assert(exists("var/lib/skyhook-kdump"));
	ck_assert(exists("var/lib/skyhook-kdump/lock"));
	data = get(STATE_UNINSTALLED_FILE);
	ck_assert_str_eq(data, "yes\n");
	free(data);
	data = get("etc/default/grub");
	ck_assert_str_eq(data, "new grub\n");
	free(data);
	ck_assert_int_eq(state_load(root, &back), 0);
	ck_assert(state_is_empty(back));
	state_free(back);

	/* dropping nothing is fine, twice */
	ck_assert_int_eq(state_drop(root), 0);
	ck_assert(exists("var/lib/skyhook-kdump/lock"));
	state_free(st);
}
END_TEST

START_TEST(drop_on_empty_root)
{
	char *hash1 = tu_tree_hash(dir), *hash2;

	ck_assert_int_eq(state_drop(root), 0);
	hash2 = tu_tree_hash(dir);
	ck_assert_str_eq(hash1, hash2);
	free(hash1);
	free(hash2);
}
END_TEST

START_TEST(drop_backup_symlink_not_followed)
{
	char *link = tu_path(dir, HOST_BACKUP_DIR "/etc");
	char *data;

	/* a symlink inside the backup tree is removed, its target kept */
	put("etc/precious", "keep\n");
	put(HOST_BACKUP_DIR "/other", "o\n");
	ck_assert_int_eq(symlink("/etc", link), 0);
	free(link);
	ck_assert_int_eq(state_drop(root), 0);
	ck_assert(!exists("var/lib/skyhook-kdump/backup"));
	data = get("etc/precious");
	ck_assert_str_eq(data, "keep\n");
	free(data);
}
END_TEST

Suite *skd_state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("memory");

	tcase_add_test(tc, new_is_empty);
	tcase_add_test(tc, is_empty_each_field);
	tcase_add_test(tc, add_package_no_duplicates);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, format_exact_text);
	tcase_add_test(tc, roundtrip_full);
	tcase_add_test(tc, roundtrip_auto);
	tcase_add_test(tc, roundtrip_crashkernel_before_none);
	tcase_add_test(tc, roundtrip_empty_and_unknown_service);
	tcase_add_test(tc, parse_details);
	tcase_add_test(tc, parse_format0_moves_forward);
	tcase_add_test(tc, parse_refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("disk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_missing);
	tcase_add_test(tc, save_and_load);
	tcase_add_test(tc, save_refuses_symlink);
	tcase_add_test(tc, load_refusals_name_the_file);
	tcase_add_test(tc, drop_removes_ours_only);
	tcase_add_test(tc, drop_on_empty_root);
	tcase_add_test(tc, drop_backup_symlink_not_followed);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_state_suite)
