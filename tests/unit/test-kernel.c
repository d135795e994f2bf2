/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_kernel_suite(void);

/* want NULL: no crashkernel= word at all. */
static void assert_last(const char *cmdline, const char *want)
{
	char *got = cmdline_last_crashkernel(cmdline);

	if (!want)
		ck_assert_msg(got == NULL, "\"%s\": got \"%s\", expected none",
		              cmdline, got);
	else {
		ck_assert_msg(got != NULL, "\"%s\": got none, expected \"%s\"",
		              cmdline, want);
		ck_assert_msg(strcmp(got, want) == 0, "\"%s\": got \"%s\", expected \"%s\"",
		              cmdline, got, want);
	}
	free(got);
}

START_TEST(cmdline_none)
{
	assert_last("", NULL);
	assert_last("   \t\n", NULL);
	assert_last("BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/sda1 ro quiet", NULL);
	/* words that only contain or resemble it */
	assert_last("xcrashkernel=1G", NULL);
	assert_last("root=/dev/sda1 xcrashkernel=1G quiet", NULL);
	assert_last("crashkernel", NULL);
	assert_last("crashkernel:256M", NULL);
	assert_last("CRASHKERNEL=256M", NULL);
	assert_last("foo.crashkernel=256M", NULL);
	assert_last("crashkernelx=256M", NULL);
}
END_TEST

START_TEST(cmdline_one)
{
	assert_last("crashkernel=256M", "256M");
	assert_last("ro quiet crashkernel=256M", "256M");
	assert_last("crashkernel=256M ro quiet", "256M");
	assert_last("ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M quiet",
	            "1G-4G:192M,4G-64G:256M,64G-:512M");
	assert_last("crashkernel=512M,high", "512M,high");
	assert_last("crashkernel=64M@16M", "64M@16M");
	/* an xcrashkernel= before or after does not hide the real one */
	assert_last("xcrashkernel=1G crashkernel=256M", "256M");
	assert_last("crashkernel=256M xcrashkernel=1G", "256M");
	/* /proc/cmdline ends with a newline; tabs separate words too */
	assert_last("ro crashkernel=256M\n", "256M");
	assert_last("ro\tcrashkernel=256M\tquiet", "256M");
	assert_last("ro quiet\tcrashkernel=256M\t\n", "256M");
	assert_last("  crashkernel=256M  ", "256M");
}
END_TEST

START_TEST(cmdline_last_wins)
{
	assert_last("crashkernel=128M crashkernel=256M", "256M");
	assert_last("crashkernel=256M quiet crashkernel=auto ro", "auto");
	assert_last("crashkernel=1G crashkernel=2G crashkernel=3G\n", "3G");
	assert_last("crashkernel=1G xcrashkernel=2G", "1G");
	/* an empty value is still the last word: the kernel takes it and
	 * reserves nothing, so an earlier value is not reported as in use */
	assert_last("crashkernel=", "");
	assert_last("ro crashkernel=\n", "");
	assert_last("crashkernel=256M crashkernel=", "");
	assert_last("crashkernel= crashkernel=256M", "256M");
}
END_TEST

/* Several items, each its own word, as parse_crashkernel() reads them:
 * a plain value wins over ",high"/",low"; without one, the last ",high"
 * and the last ",low" together (issue 19 item 8). */
START_TEST(cmdline_items)
{
	assert_last("ro crashkernel=512M,high crashkernel=128M,low quiet",
	            "512M,high 128M,low");
	assert_last("crashkernel=128M,low ro crashkernel=512M,high",
	            "128M,low 512M,high");
	assert_last("crashkernel=1G,high crashkernel=512M,high crashkernel=128M,low",
	            "512M,high 128M,low");
	assert_last("crashkernel=512M,high", "512M,high");
	assert_last("crashkernel=128M,low", "128M,low");
	assert_last("crashkernel=256M crashkernel=512M,high crashkernel=128M,low", "256M");
	assert_last("crashkernel=512M,high crashkernel=256M", "256M");
	assert_last("crashkernel=64M,cma", NULL);
	assert_last("crashkernel=256M crashkernel=64M,cma", "256M");
}
END_TEST

/* ---- kernel_state_read ----------------------------------------------- */

static char *dir;
static struct sysroot *root;

static void setup(void)
{
	dir = tu_copy_tree(NULL);
	root = NULL;
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

static struct kernel_state read_state(void)
{
	struct kernel_state k;

	memset(&k, 0xa5, sizeof(k));
	if (!root)
		ck_assert_int_eq(sysroot_open(dir, &root), 0);
	ck_assert_int_eq(kernel_state_read(root, &k), 0);
	return k;
}

START_TEST(state_empty_root)
{
	struct kernel_state k = read_state();

	ck_assert(!k.have_cmdline);
	ck_assert_ptr_null(k.cmdline_crashkernel);
	ck_assert(!k.have_crash_size);
	ck_assert(!k.have_crash_loaded);
	ck_assert(!k.crash_loaded);
	kernel_state_clear(&k);
	ck_assert_ptr_null(k.cmdline_crashkernel);
}
END_TEST

START_TEST(state_cmdline)
{
	struct kernel_state k;

	put("proc/cmdline", "BOOT_IMAGE=/vmlinuz ro crashkernel=128M quiet crashkernel=256M\n");
	k = read_state();
	ck_assert(k.have_cmdline);
	ck_assert_str_eq(k.cmdline_crashkernel, "256M");
	ck_assert(!k.have_crash_size);
	ck_assert(!k.have_crash_loaded);
	kernel_state_clear(&k);
	ck_assert_ptr_null(k.cmdline_crashkernel);
	/* clearing twice is harmless */
	kernel_state_clear(&k);

	/* a command line without crashkernel=: read, but no value */
	put("proc/cmdline", "BOOT_IMAGE=/vmlinuz ro quiet\n");
	k = read_state();
	ck_assert(k.have_cmdline);
	ck_assert_ptr_null(k.cmdline_crashkernel);
	kernel_state_clear(&k);

	/* an empty one too */
	put("proc/cmdline", "");
	k = read_state();
	ck_assert(k.have_cmdline);
	ck_assert_ptr_null(k.cmdline_crashkernel);
	kernel_state_clear(&k);
}
END_TEST

START_TEST(state_crash_size)
{
	struct kernel_state k;

	put("sys/kernel/kexec_crash_size", "0\n");
	k = read_state();
	ck_assert(k.have_crash_size);
	ck_assert_uint_eq(k.crash_size, 0);
	ck_assert(!k.have_cmdline);
	kernel_state_clear(&k);

	put("sys/kernel/kexec_crash_size", "268435456\n");
	k = read_state();
	ck_assert(k.have_crash_size);
	ck_assert_uint_eq(k.crash_size, 268435456);
	kernel_state_clear(&k);

	/* without the newline; and beyond 32 bits */
	put("sys/kernel/kexec_crash_size", "8589934592");
	k = read_state();
	ck_assert(k.have_crash_size);
	ck_assert_uint_eq(k.crash_size, UINT64_C(8589934592));
	kernel_state_clear(&k);

	/* garbage of every kind: not read, rather than a wrong number */
	static const char *const bad[] = {
		"garbage\n", "", "\n", "256M\n", "12 34\n", "0x10\n", "1.5\n",
		"99999999999999999999999\n", NULL,
	};
	for (size_t i = 0; bad[i]; i++) {
		put("sys/kernel/kexec_crash_size", bad[i]);
		k = read_state();
		ck_assert_msg(!k.have_crash_size, "\"%s\" was read as %llu", bad[i],
		              (unsigned long long)k.crash_size);
		kernel_state_clear(&k);
	}
}
END_TEST

START_TEST(state_crash_loaded)
{
	struct kernel_state k;

	put("sys/kernel/kexec_crash_loaded", "0\n");
	k = read_state();
	ck_assert(k.have_crash_loaded);
	ck_assert(!k.crash_loaded);
	kernel_state_clear(&k);

	put("sys/kernel/kexec_crash_loaded", "1\n");
	k = read_state();
	ck_assert(k.have_crash_loaded);
	ck_assert(k.crash_loaded);
	kernel_state_clear(&k);

	put("sys/kernel/kexec_crash_loaded", "yes\n");
	k = read_state();
	ck_assert(!k.have_crash_loaded);
	ck_assert(!k.crash_loaded);
	kernel_state_clear(&k);

	/* a directory where the file should be: not read */
	teardown();
	setup();
	put("sys/kernel/kexec_crash_loaded/x", "1\n");
	k = read_state();
	ck_assert(!k.have_crash_loaded);
	kernel_state_clear(&k);
}
END_TEST

START_TEST(state_all)
{
	struct kernel_state k;

	put("proc/cmdline", "ro\tcrashkernel=512M\n");
	put("sys/kernel/kexec_crash_size", "536870912\n");
	put("sys/kernel/kexec_crash_loaded", "1\n");
	k = read_state();
	ck_assert(k.have_cmdline);
	ck_assert_str_eq(k.cmdline_crashkernel, "512M");
	ck_assert(k.have_crash_size);
	ck_assert_uint_eq(k.crash_size, 536870912);
	ck_assert(k.have_crash_loaded);
	ck_assert(k.crash_loaded);
	kernel_state_clear(&k);
}
END_TEST

Suite *skd_kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("cmdline");

	tcase_add_test(tc, cmdline_none);
	tcase_add_test(tc, cmdline_one);
	tcase_add_test(tc, cmdline_last_wins);
	tcase_add_test(tc, cmdline_items);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, state_empty_root);
	tcase_add_test(tc, state_cmdline);
	tcase_add_test(tc, state_crash_size);
	tcase_add_test(tc, state_crash_loaded);
	tcase_add_test(tc, state_all);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_kernel_suite)
