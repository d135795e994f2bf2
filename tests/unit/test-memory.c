/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "memory.h"
#include "sysroot.h"
#include "testutil.h"

/* An x86_64 layout with nested entries (a nested "System RAM" too, as
 * some firmware reports, which must not be counted twice). */
static const char iomem_x86[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-bffd9fff : System RAM\n"
	"  01000000-01e00fff : Kernel code\n"
	"  2b000000-350fffff : Crash kernel\n"
	"bffda000-bfffffff : Reserved\n"
	"fee00000-fee00fff : Local APIC\n"
	"100000000-43fffffff : System RAM\n"
	"  120000000-12fffffff : System RAM\n"
	"  3f0000000-3ffffffff : Crash kernel\n"
	"440000000-47fffffff : PCI Bus 0000:00\n";

#define X86_RAM ((UINT64_C(0x9fbff) - 0x1000 + 1) + \
                 (UINT64_C(0xbffd9fff) - 0x100000 + 1) + \
                 (UINT64_C(0x43fffffff) - 0x100000000 + 1))
#define X86_CRASH ((UINT64_C(0x350fffff) - 0x2b000000 + 1) + \
                   (UINT64_C(0x3ffffffff) - 0x3f0000000 + 1))

/* What a reader without CAP_SYS_ADMIN sees. */
static const char iomem_zeroed[] =
	"00000000-00000000 : Reserved\n"
	"00000000-00000000 : System RAM\n"
	"  00000000-00000000 : Kernel code\n"
	"  00000000-00000000 : Crash kernel\n"
	"00000000-00000000 : System RAM\n";

static const char meminfo[] =
	"MemTotal:       16315508 kB\n"
	"MemFree:         8437744 kB\n"
	"MemAvailable:   12716228 kB\n"
	"HugePages_Total:       0\n";

START_TEST(test_iomem)
{
	uint64_t bytes = 0;

	ck_assert_int_eq(memory_from_iomem(iomem_x86, &bytes), 0);
	ck_assert_uint_eq(bytes, X86_RAM);

	/* an arm64 layout: one range, no trailing newline, upper-case hex */
	ck_assert_int_eq(memory_from_iomem("40000000-BFFFFFFF : System RAM\n"
	                                   "  40080000-41ffffff : Kernel code\n"
	                                   "c0000000-c0ffffff : System RAM", &bytes), 0);
	ck_assert_uint_eq(bytes, UINT64_C(0x80000000) + 0x1000000);

	/* single-byte range: the end is inclusive */
	ck_assert_int_eq(memory_from_iomem("00001000-00001000 : System RAM\n", &bytes), 0);
	ck_assert_uint_eq(bytes, 1);
}
END_TEST

START_TEST(test_iomem_unusable)
{
	uint64_t bytes = 99;

	diag_clear();
	ck_assert_int_eq(memory_from_iomem(iomem_zeroed, &bytes), -ENODATA);
	ck_assert_ptr_nonnull(strstr(diag_message(), "zero addresses"));
	ck_assert_int_eq(memory_from_iomem("", &bytes), -ENODATA);
	ck_assert_ptr_nonnull(strstr(diag_message(), "no top-level \"System RAM\""));
	/* only nested System RAM does not count */
	ck_assert_int_eq(memory_from_iomem("00000000-ffffffff : PCI Bus\n"
	                                   "  00001000-0009ffff : System RAM\n",
	                                   &bytes), -ENODATA);
	/* near misses of the name */
	ck_assert_int_eq(memory_from_iomem("00001000-0009ffff : System RAM (boot)\n"
	                                   "00001000-0009ffff : system ram\n",
	                                   &bytes), -ENODATA);

	ck_assert_int_eq(memory_from_iomem("xyz-1000 : System RAM\n", &bytes), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "line 1"));
	ck_assert_int_eq(memory_from_iomem("00000000-00000fff : Reserved\n"
	                                   "2000-1000 : System RAM\n", &bytes), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "line 2: range ends before"));
	ck_assert_int_eq(memory_from_iomem("0-ffffffffffffffff : System RAM\n",
	                                   &bytes), -EINVAL);
	ck_assert_int_eq(memory_from_iomem("0-fffffffffffffffff : System RAM\n",
	                                   &bytes), -EINVAL);
	ck_assert_int_eq(memory_from_iomem("1000-2000: System RAM\n", &bytes), -EINVAL);
	ck_assert_uint_eq(bytes, 99);
}
END_TEST

START_TEST(test_iomem_crash)
{
	uint64_t bytes = 99;

	ck_assert_int_eq(memory_crash_from_iomem(iomem_x86, &bytes), 0);
	ck_assert_uint_eq(bytes, X86_CRASH);
	ck_assert_int_eq(memory_crash_from_iomem("00001000-0009ffff : System RAM\n",
	                                         &bytes), 0);
	ck_assert_uint_eq(bytes, 0);
	bytes = 99;
	ck_assert_int_eq(memory_crash_from_iomem(iomem_zeroed, &bytes), -ENODATA);
	ck_assert_uint_eq(bytes, 99);
}
END_TEST

START_TEST(test_meminfo)
{
	uint64_t bytes = 99;

	ck_assert_int_eq(memory_from_meminfo(meminfo, &bytes), 0);
	ck_assert_uint_eq(bytes, UINT64_C(16315508) * 1024);
	/* not the first line, no trailing newline */
	ck_assert_int_eq(memory_from_meminfo("Foo: 1 kB\nMemTotal:\t2048 kB", &bytes), 0);
	ck_assert_uint_eq(bytes, 2048 * 1024);

	bytes = 99;
	diag_clear();
	ck_assert_int_eq(memory_from_meminfo("MemFree: 1 kB\n", &bytes), -ENODATA);
	ck_assert_ptr_nonnull(strstr(diag_message(), "no MemTotal"));
	/* "MemTotal" must start a line */
	ck_assert_int_eq(memory_from_meminfo("XMemTotal: 1 kB\n", &bytes), -ENODATA);
	ck_assert_int_eq(memory_from_meminfo("MemTotal: abc kB\n", &bytes), -EINVAL);
	ck_assert_int_eq(memory_from_meminfo("MemTotal: 1024 MB\n", &bytes), -EINVAL);
	ck_assert_int_eq(memory_from_meminfo("MemTotal: 1024\n", &bytes), -EINVAL);
	ck_assert_int_eq(memory_from_meminfo("MemTotal: 0 kB\n", &bytes), -EINVAL);
	ck_assert_int_eq(memory_from_meminfo("MemTotal: 18014398509481984 kB\n",
	                                     &bytes), -EINVAL);
	ck_assert_uint_eq(bytes, 99);
}
END_TEST

/* A temporary root with the given files (NULL content: left out). */
static char *make_root(const char *iomem, const char *mi, const char *crash)
{
	char *dir = tu_copy_tree(NULL);
	const struct {
		const char *path;
		const char *data;
	} files[] = {
		{ "/proc/iomem", iomem },
		{ "/proc/meminfo", mi },
		{ "/sys/kernel/kexec_crash_size", crash },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path;

		if (!files[i].data)
			continue;
		path = tu_path(dir, files[i].path);
		tu_write(path, files[i].data);
		free(path);
	}
	return dir;
}

static int system_ram_in(const char *dir, uint64_t *bytes, const char **source)
{
	struct sysroot *root = NULL;
	int r;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	r = memory_system_ram(root, bytes, source);
	sysroot_free(root);
	return r;
}

START_TEST(test_system_ram)
{
	const char *source = NULL;
	uint64_t bytes = 0;
	char *dir;

	/* iomem wins when readable */
	dir = make_root(iomem_x86, meminfo, "268435456\n");
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), 0);
	ck_assert_uint_eq(bytes, X86_RAM);
	ck_assert_str_eq(source, "/proc/iomem");
	tu_rm_tree(dir);

	/* zeroed iomem: MemTotal plus the crash reservation MemTotal lacks */
	dir = make_root(iomem_zeroed, meminfo, "268435456\n");
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), 0);
	ck_assert_uint_eq(bytes, UINT64_C(16315508) * 1024 + 268435456);
	ck_assert_str_eq(source, "MemTotal + kexec_crash_size");
	tu_rm_tree(dir);

	/* no iomem, no kexec_crash_size (kernel without kexec) */
	dir = make_root(NULL, meminfo, NULL);
	ck_assert_int_eq(system_ram_in(dir, &bytes, NULL), 0);
	ck_assert_uint_eq(bytes, UINT64_C(16315508) * 1024);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_system_ram_errors)
{
	const char *source = "unchanged";
	uint64_t bytes = 99;
	char *dir;

	dir = make_root(NULL, NULL, "0\n");
	diag_clear();
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "/proc/iomem is missing and "
	                             "/proc/meminfo is missing"));
	ck_assert_ptr_nonnull(strstr(diag_message(), dir));
	tu_rm_tree(dir);

	dir = make_root(iomem_zeroed, NULL, NULL);
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "/proc/iomem is unusable"));
	tu_rm_tree(dir);

	/* a malformed iomem is reported, not papered over with meminfo */
	dir = make_root("2000-1000 : System RAM\n", meminfo, NULL);
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), -EINVAL);
	tu_rm_tree(dir);

	dir = make_root(NULL, meminfo, "lots\n");
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "kexec_crash_size"));
	tu_rm_tree(dir);

	dir = make_root(NULL, "MemTotal: many kB\n", "0\n");
	ck_assert_int_eq(system_ram_in(dir, &bytes, &source), -EINVAL);
	tu_rm_tree(dir);

	ck_assert_uint_eq(bytes, 99);
	ck_assert_str_eq(source, "unchanged");
}
END_TEST

/* The shared samples: grep output of /proc/iomem for "Crash kernel", and
 * kexec_crash_size values, some derived from those very ranges (named
 * derived-from-iomem-<start>-<end>.txt). */
START_TEST(test_shared_samples)
{
	const char *shared = tu_shared_fixtures();
	char *dir_path;
	DIR *dir;
	struct dirent *de;
	size_t checked = 0;

	if (!shared) {
		fprintf(stderr, "test_shared_samples: no shared fixtures, skipping\n");
		return;
	}
	dir_path = tu_printf("%s/samples/proc-iomem", shared);
	dir = opendir(dir_path);
	if (!dir) {
		fprintf(stderr, "test_shared_samples: no %s, skipping\n", dir_path);
		free(dir_path);
		return;
	}
	while ((de = readdir(dir))) {
		char *path, *text;
		uint64_t crash = 0, ram;
		unsigned long long start, end;

		if (de->d_name[0] == '.')
			continue;
		path = tu_printf("%s/%s", dir_path, de->d_name);
		text = tu_read(path, NULL);
		ck_assert_ptr_nonnull(text);
		ck_assert_msg(memory_crash_from_iomem(text, &crash) == 0, "%s: %s",
		              path, diag_message());
		ck_assert_msg(crash > 0, "%s: no Crash kernel range", path);
		/* grep output holds no System RAM line */
		ck_assert_int_eq(memory_from_iomem(text, &ram), -ENODATA);

		/* the kexec_crash_size derived from the same range agrees */
		if (sscanf(text, " %llx-%llx", &start, &end) == 2) {
			char *derived = tu_printf("%s/samples/kexec_crash_size/"
			                          "derived-from-iomem-%08llx-%08llx.txt",
			                          shared, start, end);
			char *value = tu_read(derived, NULL);

			if (value) {
				ck_assert_uint_eq(strtoull(value, NULL, 10), crash);
				checked++;
			}
			free(value);
			free(derived);
		}
		free(text);
		free(path);
	}
	closedir(dir);
	free(dir_path);
	ck_assert_msg(checked > 0, "no iomem sample matched a kexec_crash_size one");
}
END_TEST

/* The kexec_crash_size samples through the MemTotal fallback. */
START_TEST(test_shared_crash_size)
{
	const char *shared = tu_shared_fixtures();
	char *dir_path;
	DIR *dir;
	struct dirent *de;
	size_t n = 0;

	if (!shared) {
		fprintf(stderr, "test_shared_crash_size: no shared fixtures, skipping\n");
		return;
	}
	dir_path = tu_printf("%s/samples/kexec_crash_size", shared);
	dir = opendir(dir_path);
	if (!dir) {
		fprintf(stderr, "test_shared_crash_size: no %s, skipping\n", dir_path);
		free(dir_path);
		return;
	}
	while ((de = readdir(dir))) {
		char *path, *value, *root;
		uint64_t bytes = 0;
		const char *source = NULL;

		if (de->d_name[0] == '.')
			continue;
		path = tu_printf("%s/%s", dir_path, de->d_name);
		value = tu_read(path, NULL);
		ck_assert_ptr_nonnull(value);
		root = make_root(iomem_zeroed, meminfo, value);
		ck_assert_msg(system_ram_in(root, &bytes, &source) == 0, "%s: %s",
		              path, diag_message());
		ck_assert_uint_eq(bytes, UINT64_C(16315508) * 1024 +
		                  strtoull(value, NULL, 10));
		ck_assert_str_eq(source, "MemTotal + kexec_crash_size");
		tu_rm_tree(root);
		free(value);
		free(path);
		n++;
	}
	closedir(dir);
	free(dir_path);
	ck_assert_uint_gt(n, 0);
}
END_TEST

static Suite *skd_memory_suite(void)
{
	Suite *s = suite_create("memory");
	TCase *tc;

	tc = tcase_create("parsers");
	tcase_add_test(tc, test_iomem);
	tcase_add_test(tc, test_iomem_unusable);
	tcase_add_test(tc, test_iomem_crash);
	tcase_add_test(tc, test_meminfo);
	suite_add_tcase(s, tc);

	tc = tcase_create("sysroot");
	tcase_add_test(tc, test_system_ram);
	tcase_add_test(tc, test_system_ram_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("samples");
	tcase_add_test(tc, test_shared_samples);
	tcase_add_test(tc, test_shared_crash_size);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_memory_suite)
