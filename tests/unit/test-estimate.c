/* SPDX-License-Identifier: Apache-2.0 */
/* The estimate: its rules over a table of machines (estimate_compute), the
 * parsers under it, and estimate_gather on temporary roots. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "estimate.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_estimate_suite(void);

#define M (UINT64_C(1) << 20)
#define G (UINT64_C(1) << 30)

#define EL9 "1G-4G:192M,4G-64G:256M,64G-:512M"
#define UBUNTU "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M"

static const struct estimate_part *find_part(const struct estimate *e, const char *what)
{
	for (size_t i = 0; i < e->n_parts; i++)
		if (!strcmp(e->parts[i].what, what))
			return &e->parts[i];
	return NULL;
}

static bool has_note(const struct estimate *e, const char *needle)
{
	for (size_t i = 0; e->notes && e->notes[i]; i++)
		if (strstr(e->notes[i], needle))
			return true;
	return false;
}

/* A machine with a kernel and a kdump initrd; tests change what they need. */
static struct estimate_machine machine(uint64_t ram, unsigned cpus, unsigned limit)
{
	struct estimate_machine m = {
		.ram_known = true, .ram = ram, .ram_source = "test",
		.cpus = cpus, .cpus_source = "test", .capture_cpus = limit,
		.kernel_path = (char *)"/boot/vmlinuz-6.1.0", .kernel_size = 60 * M,
		.kernel_size_basis = "init_size",
		.initrd_path = (char *)"/var/lib/kdump/initrd.img-6.1.0",
		.initrd_size = 30 * M, .initrd_packing = "cpio",
	};
	return m;
}

static struct estimate compute(const struct estimate_machine *m, const char *dflt)
{
	struct estimate e;

	ck_assert_int_eq(estimate_compute(m, dflt, &e), 0);
	return e;
}

/* kernel 60M + initrd 3 x 30M + runtime 16M = 166M: the EL9 default of
 * 256M on 16G covers it. */
START_TEST(default_covers_16g)
{
	struct estimate_machine m = machine(16 * G, 8, 1);
	struct estimate e = compute(&m, EL9);

	ck_assert_uint_eq(e.default_bytes, 256 * M);
	ck_assert_uint_eq(e.needed_bytes, 166 * M);
	ck_assert_uint_eq(e.recommended, 256 * M);
	ck_assert_str_eq(e.recommended_value, "256M");
	ck_assert_str_eq(e.default_value, EL9);
	ck_assert_uint_eq(find_part(&e, "kernel")->bytes, 60 * M);
	ck_assert_uint_eq(find_part(&e, "initrd")->bytes, 90 * M);
	ck_assert_uint_eq(find_part(&e, "runtime")->bytes, 16 * M);
	ck_assert_uint_eq(find_part(&e, "cpus")->bytes, 0);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "initrd")->basis, "3 x 30M"));
	ck_assert_ptr_nonnull(strstr(e.recommended_basis, "covers"));
	ck_assert_ptr_null(e.notes[0]);
	estimate_clear(&e);
}
END_TEST

/* 512M of RAM: the EL9 table starts at 1G, so it reserves nothing, and
 * that is said; what the parts need is still recommended. */
START_TEST(small_ram_default_zero)
{
	struct estimate_machine m = machine(512 * M, 1, 1);
	struct estimate e = compute(&m, EL9);

	ck_assert_uint_eq(e.default_bytes, 0);
	ck_assert_uint_eq(e.recommended, 192 * M);   /* 166M rounded to 32M */
	ck_assert(has_note(&e, "reserves nothing on 512M of RAM"));
	ck_assert(has_note(&e, "refuses the whole value"));
	ck_assert(!has_note(&e, "more than half"));
	ck_assert_ptr_nonnull(strstr(e.recommended_basis, "more than the default's 0M"));
	estimate_clear(&e);
}
END_TEST

/* 256M of RAM: even the parts are more than half of it. */
START_TEST(tiny_ram_more_than_half)
{
	struct estimate_machine m = machine(256 * M, 1, 1);
	struct estimate e = compute(&m, "384M-:128M");

	ck_assert_uint_eq(e.default_bytes, 0);
	ck_assert(has_note(&e, "reserves nothing"));
	ck_assert(has_note(&e, "more than half of the 256M of RAM"));
	estimate_clear(&e);
}
END_TEST

/* 1T with 256 CPUs and no CPU limit: 256M for the CPUs, on top of the
 * 166M, is 422M, rounded up to 448M; the default gives 512M. */
START_TEST(big_machine_many_cpus)
{
	struct estimate_machine m = machine(1024 * G, 256, 0);
	struct estimate e = compute(&m, EL9);

	ck_assert_uint_eq(find_part(&e, "cpus")->bytes, 256 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "cpus")->basis, "256 of 256 CPUs"));
	ck_assert_uint_eq(e.needed_bytes, 422 * M);
	ck_assert_uint_eq(e.recommended, 512 * M);
	estimate_clear(&e);

	/* the Ubuntu table gives 4G on 1T: far above */
	e = compute(&m, UBUNTU);
	ck_assert_uint_eq(e.recommended, 4 * G);
	ck_assert_str_eq(e.recommended_value, "4G");
	estimate_clear(&e);
}
END_TEST

/* nr_cpus=1 vs none on the same machine; nr_cpus=4 counts 4 CPUs. */
START_TEST(cpu_limits)
{
	struct estimate_machine m = machine(32 * G, 128, 1);
	struct estimate e = compute(&m, EL9);

	ck_assert_uint_eq(find_part(&e, "cpus")->bytes, 0);
	estimate_clear(&e);
	m.capture_cpus = 0;
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "cpus")->bytes, 128 * M);
	ck_assert_uint_eq(e.recommended, 320 * M);  /* 294M */
	estimate_clear(&e);
	m.capture_cpus = 4;
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "cpus")->bytes, 4 * M);
	estimate_clear(&e);
	/* CPU count unknown and no limit: nothing can be counted */
	m.cpus = 0;
	m.capture_cpus = 0;
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "cpus")->bytes, 0);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "cpus")->basis, "unknown"));
	estimate_clear(&e);
}
END_TEST

/* mlx5 and nvidia loaded on a 1T GPU node with 224 CPUs. */
START_TEST(mlx5_and_nvidia)
{
	struct estimate_driver drivers[] = {
		{ (char *)"mlx5_core", 2 * M },
		{ (char *)"nvidia", 60 * M },
		{ (char *)"ext4", 1 * M },     /* no rule: ignored */
	};
	struct estimate_machine m = machine(1024 * G, 224, 1);
	struct estimate e;

	m.drivers = drivers;
	m.n_drivers = 3;
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "driver mlx5_core")->bytes, 150 * M);
	ck_assert_uint_eq(find_part(&e, "driver nvidia")->bytes, 98 * M);
	ck_assert_ptr_null(find_part(&e, "driver ext4"));
	ck_assert_ptr_nonnull(strstr(find_part(&e, "driver mlx5_core")->basis, "kdump-utils"));
	/* 166 + 150 + 98 = 414M, rounded up to 416M; the default is 512M */
	ck_assert_uint_eq(e.needed_bytes, 414 * M);
	ck_assert_uint_eq(e.recommended, 512 * M);
	estimate_clear(&e);

	/* with all CPUs up, the parts win: 638M -> 640M */
	m.capture_cpus = 0;
	e = compute(&m, EL9);
	ck_assert_uint_eq(e.needed_bytes, 638 * M);
	ck_assert_uint_eq(e.recommended, 640 * M);
	ck_assert_str_eq(e.recommended_value, "640M");
	ck_assert_ptr_nonnull(strstr(e.recommended_basis, "rounded up to a multiple of 32M"));
	estimate_clear(&e);
}
END_TEST

/* arm64 with 64K pages (a Grace node), then 4K pages, then x86 with SME:
 * each addition where it applies, with kdump-utils' figures. */
START_TEST(platform_parts)
{
	struct estimate_driver drivers[] = { { (char *)"mlx5_core", 2 * M } };
	struct estimate_machine m = machine(480 * G, 72, 1);
	struct estimate e;

	m.arch = "aarch64";
	m.page_size = 65536;
	m.page_size_source = "the arm64 header of the running kernel's image";
	m.smmu = "arm-smmu-v3.0.auto";
	m.drivers = drivers;
	m.n_drivers = 1;
	e = compute(&m, "2G-4G:940M,4G-64G:1004M,64G-:1260M");
	ck_assert_uint_eq(find_part(&e, "pages")->bytes, 100 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "pages")->basis, "the arm64 header"));
	ck_assert_uint_eq(find_part(&e, "smmu")->bytes, 384 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "smmu")->basis, "arm-smmu-v3.0.auto"));
	ck_assert_uint_eq(find_part(&e, "driver mlx5_core")->bytes, 200 * M);
	ck_assert_ptr_null(find_part(&e, "encryption"));
	/* the default covers the parts: recommended as it is, not rounded */
	ck_assert_uint_eq(e.recommended, 1260 * M);
	ck_assert_str_eq(e.recommended_value, "1260M");
	estimate_clear(&e);

	/* 4K pages: no page or SMMU part; mlx5 bound but built in (not in
	 * /proc/modules) still counts, at 150M */
	m.page_size = 4096;
	m.n_drivers = 0;
	m.mlx5_bound = true;
	e = compute(&m, "2G-:448M");
	ck_assert_ptr_null(find_part(&e, "pages"));
	ck_assert_ptr_null(find_part(&e, "smmu"));
	ck_assert_uint_eq(find_part(&e, "driver mlx5_core")->bytes, 150 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "driver mlx5_core")->basis, "bound"));
	estimate_clear(&e);

	/* x86 under SME */
	m = machine(64 * G, 16, 1);
	m.arch = "x86_64";
	m.page_size = 4096;
	m.mem_encryption = "AMD SME";
	m.mem_encryption_source = "the sme flag of /proc/cpuinfo";
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "encryption")->bytes, 64 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "encryption")->basis, "AMD SME"));
	estimate_clear(&e);
}
END_TEST

START_TEST(initrd_missing_or_standing_in)
{
	struct estimate_machine m = machine(16 * G, 8, 1);
	struct estimate e;

	m.initrd_stand_in = true;
	m.initrd_path = (char *)"/boot/initrd.img-6.1.0";
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "initrd")->bytes, 90 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "initrd")->basis, "not built yet"));
	estimate_clear(&e);

	m.initrd_path = NULL;
	m.initrd_size = 0;
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "initrd")->bytes, 0);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "initrd")->basis, "not counted"));
	estimate_clear(&e);

	m.kernel_path = NULL;
	e = compute(&m, EL9);
	ck_assert_uint_eq(find_part(&e, "kernel")->bytes, 64 * M);
	estimate_clear(&e);
}
END_TEST

/* An initrd so large the parts exceed every default. */
START_TEST(huge_initrd)
{
	struct estimate_machine m = machine(32 * G, 16, 1);
	struct estimate e;

	m.initrd_size = 200 * M;
	e = compute(&m, UBUNTU);
	/* 60 + 600 + 16 = 676M -> 704M, above the 512M default */
	ck_assert_uint_eq(e.default_bytes, 1024 * M);  /* 32G is in 32G-64G */
	ck_assert_uint_eq(e.recommended, 1024 * M);
	estimate_clear(&e);
	m.ram = 16 * G;
	e = compute(&m, UBUNTU);
	ck_assert_uint_eq(e.default_bytes, 512 * M);
	ck_assert_uint_eq(e.recommended, 704 * M);
	ck_assert_str_eq(e.recommended_value, "704M");
	estimate_clear(&e);
}
END_TEST

/* A compressed initrd counts 6.4 times (packed, unpacked at 2.7 times,
 * as much free: docs/calibration.md); an uncompressed cpio 3 times. */
START_TEST(compressed_initrd)
{
	struct estimate_machine m = machine(2 * G, 2, 1);
	struct estimate e;

	m.initrd_size = 10 * M;
	m.initrd_packing = "zstd";
	e = compute(&m, UBUNTU);
	ck_assert_uint_eq(find_part(&e, "initrd")->bytes, 64 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "initrd")->basis, "6.4 x 10M"));
	ck_assert_ptr_nonnull(strstr(find_part(&e, "initrd")->basis, "(zstd)"));
	estimate_clear(&e);
	m.initrd_packing = NULL;
	e = compute(&m, UBUNTU);
	ck_assert_uint_eq(find_part(&e, "initrd")->bytes, 64 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "initrd")->basis, "compression unknown"));
	estimate_clear(&e);
	m.initrd_packing = "cpio";
	e = compute(&m, UBUNTU);
	ck_assert_uint_eq(find_part(&e, "initrd")->bytes, 30 * M);
	estimate_clear(&e);
}
END_TEST

/* The capture kernel's CMA counts whole: on Debian 12 arm64 it took 64M
 * of a 128M reservation that the capture kernel then ran out of
 * (docs/calibration.md). None: no part, as on x86. */
START_TEST(cma_part)
{
	struct estimate_machine m = machine(2 * G, 2, 1);
	struct estimate e = compute(&m, UBUNTU);

	ck_assert_ptr_null(find_part(&e, "cma"));
	ck_assert_uint_eq(e.needed_bytes, 166 * M);
	estimate_clear(&e);
	m.capture_cma = 64 * M;
	m.capture_cma_basis = (char *)"CONFIG_CMA_SIZE_MBYTES=64 in /boot/config-6.1.0";
	e = compute(&m, UBUNTU);
	ck_assert_uint_eq(find_part(&e, "cma")->bytes, 64 * M);
	ck_assert_ptr_nonnull(strstr(find_part(&e, "cma")->basis, "CONFIG_CMA_SIZE_MBYTES=64"));
	ck_assert_uint_eq(e.needed_bytes, 230 * M);
	estimate_clear(&e);
}
END_TEST

/* Each architecture names the measurement it was checked against. */
START_TEST(checked_against)
{
	struct estimate_machine m = machine(2 * G, 2, 1);
	struct estimate e;

	m.arch = "x86_64";
	e = compute(&m, UBUNTU);
	ck_assert_ptr_nonnull(e.checked_against);
	ck_assert_ptr_nonnull(strstr(e.checked_against, "x86_64"));
	estimate_clear(&e);
	m.arch = "aarch64";
	e = compute(&m, UBUNTU);
	ck_assert_ptr_nonnull(strstr(e.checked_against, "arm64"));
	estimate_clear(&e);
	m.arch = "ppc64le";
	e = compute(&m, UBUNTU);
	ck_assert_ptr_null(e.checked_against);
	estimate_clear(&e);
}
END_TEST

START_TEST(compute_refusals)
{
	struct estimate_machine m = machine(16 * G, 8, 1);
	struct estimate e;

	ck_assert_int_eq(estimate_compute(&m, "bogus", &e), -EINVAL);
	ck_assert_int_eq(estimate_compute(&m, NULL, &e), -EINVAL);
	m.ram_known = false;
	ck_assert_int_eq(estimate_compute(&m, EL9, &e), -EINVAL);
	estimate_clear(&e);
}
END_TEST

/* ---- parsers ------------------------------------------------------------ */

START_TEST(cpu_lists)
{
	ck_assert_uint_eq(estimate_cpu_list_count("0-255\n"), 256);
	ck_assert_uint_eq(estimate_cpu_list_count("0\n"), 1);
	ck_assert_uint_eq(estimate_cpu_list_count("0-3,8,10-11"), 7);
	ck_assert_uint_eq(estimate_cpu_list_count(""), 0);
	ck_assert_uint_eq(estimate_cpu_list_count("x"), 0);
	ck_assert_uint_eq(estimate_cpu_list_count("3-1"), 0);
	ck_assert_uint_eq(estimate_cpu_list_count("0-"), 0);
	ck_assert_uint_eq(estimate_cpu_list_count("0-4294967295"), 0);
}
END_TEST

START_TEST(cma_params)
{
	uint64_t v = 1;

	ck_assert_int_eq(cmdline_cma("ro quiet hugetlb_cma=1G", &v), 0);
	ck_assert_int_eq(cmdline_cma("cma=64M ro cma=0", &v), 1);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(cmdline_cma("ro cma=256M@0-4G", &v), 1);
	ck_assert_uint_eq(v, 256 * M);
	ck_assert_int_eq(cmdline_cma("cma=", &v), -EINVAL);
	ck_assert_int_eq(cmdline_cma("cma=lots", &v), -EINVAL);
	ck_assert_uint_eq(kconfig_cma_default("CONFIG_DMA_CMA=y\nCONFIG_CMA_SIZE_MBYTES=64\n"
	                                      "CONFIG_CMA_SIZE_SEL_MBYTES=y\n"), 64 * M);
	/* no DMA CMA, or a size chosen as a share of memory: not counted */
	ck_assert_uint_eq(kconfig_cma_default("CONFIG_CMA_SIZE_MBYTES=64\n"
	                                      "CONFIG_CMA_SIZE_SEL_MBYTES=y\n"), 0);
	ck_assert_uint_eq(kconfig_cma_default("CONFIG_DMA_CMA=y\nCONFIG_CMA_SIZE_MBYTES=0\n"
	                                      "CONFIG_CMA_SIZE_SEL_PERCENTAGE=y\n"), 0);
	ck_assert_uint_eq(kconfig_cma_default(""), 0);
}
END_TEST

START_TEST(cpu_limit_params)
{
	const char *param = NULL;

	ck_assert_uint_eq(cmdline_cpu_limit("ro quiet", &param), 0);
	ck_assert_uint_eq(cmdline_cpu_limit("irqpoll nr_cpus=1 reset_devices", &param), 1);
	ck_assert_str_eq(param, "nr_cpus");
	ck_assert_uint_eq(cmdline_cpu_limit("nr_cpus=8 x nr_cpus=2", &param), 2);
	ck_assert_uint_eq(cmdline_cpu_limit("maxcpus=1 noirqdistrib", &param), 1);
	ck_assert_str_eq(param, "maxcpus");
	ck_assert_uint_eq(cmdline_cpu_limit("nr_cpus=16 maxcpus=1", &param), 1);
	ck_assert_str_eq(param, "maxcpus");
	ck_assert_uint_eq(cmdline_cpu_limit("xnr_cpus=1 nr_cpus=abc", &param), 0);
}
END_TEST

/* A synthetic bzImage: boot flag, "HdrS", protocol 2.15, init_size. */
static unsigned char *bzimage(uint32_t init_size, uint16_t version, size_t *ret_len)
{
	size_t len = 0x1000;
	unsigned char *d = calloc(1, len);

	d[0x1fe] = 0x55;
	d[0x1ff] = 0xaa;
	memcpy(d + 0x202, "HdrS", 4);
	d[0x206] = version & 0xff;
	d[0x207] = version >> 8;
	for (int i = 0; i < 4; i++)
		d[0x260 + i] = (init_size >> (8 * i)) & 0xff;
	*ret_len = len;
	return d;
}

START_TEST(kernel_headers)
{
	const char *basis;
	size_t len;
	unsigned char *d = bzimage(0x3c00000, 0x020f, &len), arm[64] = { 0 };

	ck_assert_uint_eq(estimate_kernel_memory(d, len, 12 * M, &basis), 60 * M);
	ck_assert_ptr_nonnull(strstr(basis, "init_size"));
	/* the file is larger than init_size: the file counts */
	ck_assert_uint_eq(estimate_kernel_memory(d, len, 70 * M, &basis), 70 * M);
	free(d);
	/* protocol 2.09 has no init_size */
	d = bzimage(0x3c00000, 0x0209, &len);
	ck_assert_uint_eq(estimate_kernel_memory(d, len, 10 * M, &basis), 40 * M);
	ck_assert_ptr_nonnull(strstr(basis, "4 x the file size"));
	/* truncated before init_size */
	ck_assert_uint_eq(estimate_kernel_memory(d, 0x250, 10 * M, &basis), 40 * M);
	free(d);
	/* arm64 Image: image_size at 16, "ARM\x64" at 56 */
	arm[16 + 3] = 0x03;                 /* 0x3000000 = 48M */
	memcpy(arm + 56, "ARM\x64", 4);
	/* plus 10M of boot-time allocations, measured (docs/calibration.md) */
	ck_assert_uint_eq(estimate_kernel_memory(arm, sizeof(arm), 30 * M, &basis), 58 * M);
	ck_assert_ptr_nonnull(strstr(basis, "image_size in the arm64 Image header"));
	ck_assert_ptr_nonnull(strstr(basis, "10M"));
	ck_assert_uint_eq(estimate_kernel_memory(NULL, 0, 5 * M, &basis), 20 * M);
}
END_TEST

/* ---- gather on temporary roots ------------------------------------------ */

static void put_size(const char *dir, const char *rel, size_t len)
{
	char *data = calloc(1, len);

	tu_put_bin(dir, rel, data, len);
	free(data);
}

/* What the Debian backend answers for a release: kdump-config's default
 * append, its initrd under /var/lib/kdump, the system one standing in. */
static struct estimate_tools deb_tools(const char *release, const char *append,
                                       const char *append_from)
{
	struct estimate_tools t = { 0 };

	t.kernel_release = release ? strdup(release) : NULL;
	t.cmdline_append = strdup(append ? append : "reset_devices "
	                          "systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb");
	t.cmdline_append_from = strdup(append_from ? append_from
	                               : "kdump-config's default KDUMP_CMDLINE_APPEND");
	if (release) {
		t.initrd_path = tu_printf("/var/lib/kdump/initrd.img-%s", release);
		t.initrd_stand_in = tu_printf("/boot/initrd.img-%s", release);
	}
	return t;
}

/* What the RPM family's backends answer: /boot/initramfs-RELkdump.img,
 * the system initramfs standing in. */
static struct estimate_tools rpm_tools(const char *release, const char *append,
                                       const char *append_from)
{
	struct estimate_tools t = { 0 };

	t.kernel_release = strdup(release);
	t.cmdline_append = append ? strdup(append) : NULL;
	t.cmdline_append_from = append_from ? strdup(append_from) : NULL;
	t.initrd_path = tu_printf("/boot/initramfs-%skdump.img", release);
	t.initrd_stand_in = tu_printf("/boot/initramfs-%s.img", release);
	return t;
}

static void gather(const char *dir, struct estimate_tools t, struct estimate_machine *m)
{
	struct sysroot *root;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	ck_assert_int_eq(estimate_gather(root, &t, NULL, m), 0);
	sysroot_free(root);
	estimate_tools_clear(&t);
}

static void add_ram(const char *dir)
{
	tu_put(dir, "proc/iomem", "00001000-0009ffff : System RAM\n"
	    "00100000-3fffffff : System RAM\n100000000-3ffffffff : System RAM\n");
}

START_TEST(gather_debian)
{
	char *dir = tu_copy_tree(NULL);
	struct estimate_machine m;
	size_t len;
	unsigned char *bz = bzimage(50 * M, 0x020f, &len);

	add_ram(dir);
	tu_put(dir, "proc/sys/kernel/osrelease", "6.1.0-37-amd64\n");
	tu_put(dir, "proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-37-amd64 ro quiet\n");
	tu_put(dir, "sys/devices/system/cpu/possible", "0-63\n");
	tu_put(dir, "proc/modules",
	    "mlx5_core 2293760 1 mlx5_ib, Live 0xffffffffc0a00000\n"
	    "ext4 1015808 1 - Live 0xffffffffc0400000\n"
	    "nvidia 62902272 10 nvidia_uvm,nvidia_modeset, Live 0xffffffffc1000000 (POE)\n");
	tu_put_bin(dir, "boot/vmlinuz-6.1.0-37-amd64", bz, len);
	put_size(dir, "boot/initrd.img-6.1.0-37-amd64", 3 * M);
	put_size(dir, "boot/vmlinuz-5.10.0-9-amd64", 100);
	free(bz);

	/* no kdump-tools config: kdump-config's default append, nr_cpus=1;
	 * the kdump initrd is not built: the system one stands in */
	gather(dir, deb_tools("6.1.0-37-amd64", NULL, NULL), &m);
	ck_assert(m.ram_known);
	ck_assert_uint_eq(m.ram, UINT64_C(0x3ffffffff) - 0x100000000 + 1 +
	                         0x3ff00000 + 0x9f000);
	ck_assert_uint_eq(m.cpus, 64);
	ck_assert_str_eq(m.cpus_source, "/sys/devices/system/cpu/possible");
	ck_assert_str_eq(m.kernel_release, "6.1.0-37-amd64");
	ck_assert_uint_eq(m.capture_cpus, 1);
	ck_assert_str_eq(m.capture_cpus_basis,
	                 "nr_cpus=1 in kdump-config's default KDUMP_CMDLINE_APPEND");
	ck_assert_str_eq(m.kernel_path, "/boot/vmlinuz-6.1.0-37-amd64");
	ck_assert_uint_eq(m.kernel_size, 50 * M);
	ck_assert_ptr_nonnull(strstr(m.kernel_size_basis, "init_size"));
	ck_assert_str_eq(m.initrd_path, "/boot/initrd.img-6.1.0-37-amd64");
	ck_assert(m.initrd_stand_in);
	ck_assert_uint_eq(m.initrd_size, 3 * M);
	ck_assert_uint_eq(m.n_drivers, 2);
	ck_assert_str_eq(m.drivers[0].name, "mlx5_core");
	ck_assert_uint_eq(m.drivers[0].module_size, 2293760);
	ck_assert_str_eq(m.drivers[1].name, "nvidia");
	estimate_machine_clear(&m);

	/* the kdump initrd built, and an append without nr_cpus */
	put_size(dir, "var/lib/kdump/initrd.img-6.1.0-37-amd64", 2 * M);
	tu_put(dir, "etc/default/kdump-tools", "USE_KDUMP=1\n"
	    "KDUMP_CMDLINE_APPEND=\"reset_devices systemd.unit=kdump-tools-dump.service irqpoll\"\n");
	gather(dir, deb_tools("6.1.0-37-amd64", "reset_devices systemd.unit=kdump-tools-dump.service irqpoll",
	                      "KDUMP_CMDLINE_APPEND of /etc/default/kdump-tools"), &m);
	ck_assert_str_eq(m.initrd_path, "/var/lib/kdump/initrd.img-6.1.0-37-amd64");
	ck_assert(!m.initrd_stand_in);
	ck_assert_uint_eq(m.capture_cpus, 0);
	ck_assert_str_eq(m.capture_cpus_basis,
	                 "no nr_cpus= or maxcpus= in KDUMP_CMDLINE_APPEND of /etc/default/kdump-tools");
	estimate_machine_clear(&m);

	/* nr_cpus on the running kernel's command line carries over */
	tu_put(dir, "proc/cmdline", "ro nr_cpus=8\n");
	gather(dir, deb_tools("6.1.0-37-amd64", "reset_devices irqpoll",
	                      "KDUMP_CMDLINE_APPEND of /etc/default/kdump-tools"), &m);
	ck_assert_uint_eq(m.capture_cpus, 8);
	ck_assert_ptr_nonnull(strstr(m.capture_cpus_basis, "/proc/cmdline"));
	estimate_machine_clear(&m);

	/* its packing: past an uncompressed early cpio (microcode), zstd */
	ck_assert_ptr_null(m.initrd_packing);
	{
		char early[1024] = { 0 };
		int n = snprintf(early, sizeof(early), "070701%08X%08X%08X%08X%08X%08X%08X"
		                 "%08X%08X%08X%08X%08X%08X%s%c%s", 0, 0100644, 0, 0, 1, 0,
		                 5, 0, 0, 0, 0, 10, 0, "kernel/uc", 0, "data!");
		static const unsigned char zstd[] = { 0x28, 0xb5, 0x2f, 0xfd, 0, 0 };

		/* the header (110) and name (10 with its NUL) end at 120, the
		 * data (5) pads to 128; then zeros, as after a trailer */
		ck_assert_int_eq(n, 128 - 3);
		memcpy(early + 512, zstd, sizeof(zstd));
		tu_put_bin(dir, "var/lib/kdump/initrd.img-6.1.0-37-amd64", early, 512 + sizeof(zstd));
		gather(dir, deb_tools("6.1.0-37-amd64", NULL, NULL), &m);
		ck_assert_str_eq(m.initrd_packing, "zstd");
		estimate_machine_clear(&m);
		tu_put_bin(dir, "var/lib/kdump/initrd.img-6.1.0-37-amd64", early, 512);
		gather(dir, deb_tools("6.1.0-37-amd64", NULL, NULL), &m);
		ck_assert_str_eq(m.initrd_packing, "cpio");
		estimate_machine_clear(&m);
	}

	/* the kernel's default CMA area (Debian's arm64 config), then cma=
	 * on the command line the capture kernel takes over */
	ck_assert_uint_eq(m.capture_cma, 0);
	tu_put(dir, "boot/config-6.1.0-37-amd64", "CONFIG_CMA=y\nCONFIG_DMA_CMA=y\n"
	    "CONFIG_CMA_SIZE_MBYTES=64\nCONFIG_CMA_SIZE_SEL_MBYTES=y\n");
	tu_put(dir, "proc/cmdline", "ro quiet\n");
	gather(dir, deb_tools("6.1.0-37-amd64", NULL, NULL), &m);
	ck_assert_uint_eq(m.capture_cma, 64 * M);
	ck_assert_ptr_nonnull(strstr(m.capture_cma_basis,
	                             "CONFIG_CMA_SIZE_MBYTES=64 in /boot/config-6.1.0-37-amd64"));
	estimate_machine_clear(&m);
	tu_put(dir, "proc/cmdline", "ro cma=0\n");
	gather(dir, deb_tools("6.1.0-37-amd64", NULL, NULL), &m);
	ck_assert_uint_eq(m.capture_cma, 0);
	estimate_machine_clear(&m);
	gather(dir, deb_tools("6.1.0-37-amd64", "nr_cpus=1 cma=32M", "KDUMP_CMDLINE_APPEND"), &m);
	ck_assert_uint_eq(m.capture_cma, 32 * M);
	ck_assert_ptr_nonnull(strstr(m.capture_cma_basis, "cma= on the capture kernel's"));
	estimate_machine_clear(&m);

	/* a release given explicitly that has no files: unknowns */
	gather(dir, deb_tools("9.9.9", NULL, NULL), &m);
	ck_assert_ptr_null(m.kernel_path);
	ck_assert_ptr_null(m.initrd_path);
	estimate_machine_clear(&m);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(gather_rpm)
{
	char *dir = tu_copy_tree(NULL);
	struct estimate_machine m;

	add_ram(dir);
	tu_put(dir, "proc/cpuinfo", "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\n"
	    "processor\t: 2\n\nprocessor\t: 3\n");
	/* no osrelease in /proc: the newest kernel in /boot, rescue left out */
	put_size(dir, "boot/vmlinuz-5.14.0-503.11.1.el9_5.x86_64", 1000);
	put_size(dir, "boot/vmlinuz-5.14.0-570.12.1.el9_6.x86_64", 1000);
	put_size(dir, "boot/vmlinuz-0-rescue-a1b2c3", 1000);
	put_size(dir, "boot/initramfs-5.14.0-570.12.1.el9_6.x86_64.img", 40 * M);
	gather(dir, rpm_tools("5.14.0-570.12.1.el9_6.x86_64", "nr_cpus=1",
	                      "the packaged KDUMP_COMMANDLINE_APPEND (no /etc/sysconfig/kdump yet)"), &m);
	ck_assert_str_eq(m.kernel_release, "5.14.0-570.12.1.el9_6.x86_64");
	ck_assert_uint_eq(m.cpus, 4);
	ck_assert_str_eq(m.cpus_source, "/proc/cpuinfo");
	ck_assert_uint_eq(m.kernel_size, 4000);
	ck_assert_ptr_nonnull(strstr(m.kernel_size_basis, "4 x the file size"));
	ck_assert(m.initrd_stand_in);
	ck_assert_uint_eq(m.initrd_size, 40 * M);
	/* no /etc/sysconfig/kdump yet: the packaged append has nr_cpus=1 */
	ck_assert_uint_eq(m.capture_cpus, 1);
	ck_assert_ptr_nonnull(strstr(m.capture_cpus_basis, "packaged"));
	ck_assert_uint_eq(m.n_drivers, 0);
	estimate_machine_clear(&m);

	put_size(dir, "boot/initramfs-5.14.0-570.12.1.el9_6.x86_64kdump.img", 20 * M);
	tu_put(dir, "etc/sysconfig/kdump", "KDUMP_COMMANDLINE=\"\"\n"
	    "KDUMP_COMMANDLINE_APPEND=\"irqpoll nr_cpus=1 reset_devices\"\nKEXEC_ARGS=\"-s\"\n");
	gather(dir, rpm_tools("5.14.0-570.12.1.el9_6.x86_64", "irqpoll nr_cpus=1 reset_devices",
	                      "KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump"), &m);
	ck_assert_str_eq(m.initrd_path, "/boot/initramfs-5.14.0-570.12.1.el9_6.x86_64kdump.img");
	ck_assert(!m.initrd_stand_in);
	ck_assert_str_eq(m.capture_cpus_basis,
	                 "nr_cpus=1 in KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump");
	estimate_machine_clear(&m);

	tu_put(dir, "etc/sysconfig/kdump", "KDUMP_COMMANDLINE_APPEND=\"irqpoll reset_devices\"\n");
	gather(dir, rpm_tools("5.14.0-570.12.1.el9_6.x86_64", "irqpoll reset_devices",
	                      "KDUMP_COMMANDLINE_APPEND of /etc/sysconfig/kdump"), &m);
	ck_assert_uint_eq(m.capture_cpus, 0);
	estimate_machine_clear(&m);
	tu_rm_tree(dir);
}
END_TEST

/* Nothing at all in the root: everything unknown, still no error. */
START_TEST(gather_empty_root)
{
	char *dir = tu_copy_tree(NULL);
	struct estimate_machine m;
	struct estimate e;
	struct sysroot *root;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	ck_assert_int_eq(estimate_gather(root, NULL, NULL, &m), 0);
	sysroot_free(root);
	ck_assert(!m.ram_known);
	ck_assert_uint_eq(m.cpus, 0);
	ck_assert_ptr_null(m.kernel_release);
	ck_assert_int_eq(estimate_compute(&m, EL9, &e), -EINVAL);
	estimate_machine_clear(&m);
	tu_rm_tree(dir);
}
END_TEST

/* The RAM the caller read already is taken as given: the root's iomem,
 * which says otherwise, is not read again. */
START_TEST(gather_known_ram)
{
	char *dir = tu_copy_tree(NULL);
	const struct estimate_ram ram = { 64ull << 30, "the caller" };
	struct estimate_machine m;
	struct sysroot *root;

	add_ram(dir);
	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	ck_assert_int_eq(estimate_gather(root, NULL, &ram, &m), 0);
	ck_assert(m.ram_known);
	ck_assert_uint_eq(m.ram, 64ull << 30);
	ck_assert_str_eq(m.ram_source, "the caller");
	estimate_machine_clear(&m);
	ck_assert_int_eq(estimate_gather(root, NULL, NULL, &m), 0);
	ck_assert(m.ram_known);
	ck_assert_uint_ne(m.ram, 64ull << 30);
	estimate_machine_clear(&m);
	sysroot_free(root);
	tu_rm_tree(dir);
}
END_TEST

Suite *skd_estimate_suite(void)
{
	Suite *s = suite_create("estimate");
	TCase *rules = tcase_create("rules");
	TCase *parsers = tcase_create("parsers");
	TCase *roots = tcase_create("gather");

	tcase_add_test(rules, default_covers_16g);
	tcase_add_test(rules, small_ram_default_zero);
	tcase_add_test(rules, tiny_ram_more_than_half);
	tcase_add_test(rules, big_machine_many_cpus);
	tcase_add_test(rules, cpu_limits);
	tcase_add_test(rules, mlx5_and_nvidia);
	tcase_add_test(rules, platform_parts);
	tcase_add_test(rules, initrd_missing_or_standing_in);
	tcase_add_test(rules, huge_initrd);
	tcase_add_test(rules, compute_refusals);
	tcase_add_test(rules, cma_part);
	tcase_add_test(rules, compressed_initrd);
	tcase_add_test(rules, checked_against);
	tcase_add_test(parsers, cma_params);
	tcase_add_test(parsers, cpu_lists);
	tcase_add_test(parsers, cpu_limit_params);
	tcase_add_test(parsers, kernel_headers);
	tcase_add_test(roots, gather_debian);
	tcase_add_test(roots, gather_rpm);
	tcase_add_test(roots, gather_empty_root);
	tcase_add_test(roots, gather_known_ram);
	suite_add_tcase(s, rules);
	suite_add_tcase(s, parsers);
	suite_add_tcase(s, roots);
	return s;
}

SKD_TEST_MAIN(skd_estimate_suite)
