/* SPDX-License-Identifier: Apache-2.0 */
/* The node's platform: kernel image headers through their packing (raw
 * arm64 Image, gzip, EFI zboot), the ELF machine of a binary, and
 * platform_read's order of sources on temporary roots. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "kimage.h"
#include "platform.h"
#include "sysroot.h"
#include "testutil.h"

Suite *skd_platform_suite(void);

#define IMAGE_LEN 8192u
#define ZBOOT_PAYLOAD 0x10000u  /* beyond the first read of the file */

static void le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void le64(unsigned char *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

/* An arm64 Image (Documentation/arch/arm64/booting.rst) of IMAGE_LEN
 * bytes: image_size at 16, flags at 24 (page size in bits 1-2), "ARM\x64"
 * at 56. */
static unsigned char *arm64_image(uint64_t image_size, unsigned page_bits)
{
	unsigned char *p = calloc(1, IMAGE_LEN);

	ck_assert_ptr_nonnull(p);
	p[0] = 'M';
	p[1] = 'Z';
	le64(p + 16, image_size);
	le64(p + 24, (uint64_t)page_bits << 1 | 1u << 3);
	memcpy(p + 56, "ARM\x64", 4);
	return p;
}

/* `data` as a gzip stream (a gzip header, as "gzip -n" writes it). */
static unsigned char *gzip(const unsigned char *data, size_t len, size_t *ret_len)
{
	z_stream z = { 0 };
	size_t cap = deflateBound(&z, len) + 64;
	unsigned char *out = malloc(cap);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*ret_len = z.total_out;
	deflateEnd(&z);
	return out;
}

/* An EFI zboot image (drivers/firmware/efi/libstub/zboot-header.S):
 * "MZ", "zimg", the payload's offset and size, the compression's name at
 * 24, the payload at ZBOOT_PAYLOAD. */
static unsigned char *zboot(const char *comp, const unsigned char *payload,
                            size_t len, size_t *ret_len)
{
	unsigned char *p = calloc(1, ZBOOT_PAYLOAD + len);

	ck_assert_ptr_nonnull(p);
	memcpy(p, "MZ\0\0zimg", 8);
	le32(p + 8, ZBOOT_PAYLOAD);
	le32(p + 12, (uint32_t)len);
	memcpy(p + 24, comp, strlen(comp));
	memcpy(p + ZBOOT_PAYLOAD, payload, len);
	*ret_len = ZBOOT_PAYLOAD + len;
	return p;
}

START_TEST(arm64_header_fields)
{
	static const unsigned sizes[4] = { 0, 4096, 16384, 65536 };
	unsigned char *img = arm64_image(0x2010000, _i);
	uint64_t image_size = 0;
	unsigned page = 1;

	ck_assert(kimage_arm64(img, IMAGE_LEN, &image_size, &page));
	ck_assert_uint_eq(image_size, 0x2010000);
	ck_assert_uint_eq(page, sizes[_i]);
	/* cut before the magic, or without it: not an arm64 Image */
	ck_assert(!kimage_arm64(img, 59, &image_size, &page));
	img[56] = 'X';
	ck_assert(!kimage_arm64(img, IMAGE_LEN, &image_size, &page));
	free(img);
}
END_TEST

START_TEST(unpack_packings)
{
	unsigned char *img = arm64_image(0x2500000, 3), *gz, *zb;
	struct kimage k;
	size_t gz_len, zb_len;
	uint64_t image_size;
	unsigned page;

	/* as is (Debian's arm64 vmlinuz) */
	ck_assert_int_eq(kimage_unpack(img, IMAGE_LEN, IMAGE_LEN, &k), 0);
	ck_assert_ptr_null(k.packing);
	ck_assert(kimage_arm64(k.head, k.head_len, &image_size, &page));
	ck_assert_uint_eq(page, 65536);

	/* gzip (Ubuntu's) */
	gz = gzip(img, IMAGE_LEN, &gz_len);
	ck_assert_int_eq(kimage_unpack(gz, gz_len, gz_len, &k), 0);
	ck_assert_str_eq(k.packing, "gzip");
	ck_assert_uint_eq(k.file_size, gz_len);
	ck_assert(kimage_arm64(k.head, k.head_len, &image_size, &page));
	ck_assert_uint_eq(image_size, 0x2500000);

	/* EFI zboot with a gzip payload (Fedora, RHEL 10) */
	zb = zboot("gzip", gz, gz_len, &zb_len);
	ck_assert_int_eq(kimage_unpack(zb, zb_len, zb_len, &k), 0);
	ck_assert_str_eq(k.packing, "EFI zboot, gzip");
	ck_assert_ptr_null(k.unreadable);
	ck_assert(kimage_arm64(k.head, k.head_len, &image_size, &page));
	ck_assert_uint_eq(page, 65536);
	free(zb);

	/* zstd is named, not unpacked */
	zb = zboot("zstd", gz, gz_len, &zb_len);
	ck_assert_int_eq(kimage_unpack(zb, zb_len, zb_len, &k), 0);
	ck_assert_str_eq(k.unreadable, "an EFI zboot image with a zstd payload");
	ck_assert(!kimage_arm64(k.head, k.head_len, &image_size, &page));
	free(zb);

	/* a broken gzip stream (a reserved block type), a payload outside
	 * the file */
	gz[10] = 0xff;
	ck_assert_int_lt(kimage_unpack(gz, gz_len, gz_len, &k), 0);
	zb = zboot("gzip", img, 16, &zb_len);
	ck_assert_int_lt(kimage_unpack(zb, ZBOOT_PAYLOAD - 1, zb_len, &k), 0);
	free(zb);
	free(gz);
	free(img);
}
END_TEST

/* From a file, a zboot payload past the first read is read where it is. */
START_TEST(read_zboot_file)
{
	char *dir = tu_copy_tree(NULL);
	unsigned char *img = arm64_image(0x2a00000, 1), *gz, *zb;
	size_t gz_len, zb_len;
	struct sysroot *root;
	struct kimage k;
	uint64_t image_size;
	unsigned page;

	gz = gzip(img, IMAGE_LEN, &gz_len);
	zb = zboot("gzip", gz, gz_len, &zb_len);
	tu_put_bin(dir, "boot/vmlinuz-6.12.0", zb, zb_len);
	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	ck_assert_int_eq(kimage_read(root, "/boot/vmlinuz-6.12.0", &k), 0);
	ck_assert_str_eq(k.packing, "EFI zboot, gzip");
	ck_assert_uint_eq(k.file_size, zb_len);
	ck_assert(kimage_arm64(k.head, k.head_len, &image_size, &page));
	ck_assert_uint_eq(image_size, 0x2a00000);
	ck_assert_uint_eq(page, 4096);
	ck_assert_int_eq(kimage_read(root, "/boot/missing", &k), -ENOENT);
	sysroot_free(root);
	free(zb);
	free(gz);
	free(img);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(x86_header)
{
	unsigned char *p = calloc(1, 0x300);
	bool x64;

	ck_assert_ptr_nonnull(p);
	ck_assert(!kimage_x86(p, 0x300, &x64));
	p[0x1fe] = 0x55;
	p[0x1ff] = 0xaa;
	memcpy(p + 0x202, "HdrS", 4);
	ck_assert(kimage_x86(p, 0x300, &x64));
	ck_assert(!x64);
	p[0x236] = 1;   /* XLF_KERNEL_64 */
	ck_assert(kimage_x86(p, 0x300, &x64));
	ck_assert(x64);
	free(p);
}
END_TEST

START_TEST(elf_machines)
{
	unsigned char h[20] = { 0x7f, 'E', 'L', 'F', 2, 1 };

	h[18] = 62;
	ck_assert_str_eq(platform_elf_arch(h, sizeof(h)), "x86_64");
	h[18] = 183;
	ck_assert_str_eq(platform_elf_arch(h, sizeof(h)), "aarch64");
	h[18] = 21;
	ck_assert_str_eq(platform_elf_arch(h, sizeof(h)), "ppc64le");
	/* big-endian: e_machine's high byte first */
	h[5] = 2;
	h[18] = 0;
	h[19] = 21;
	ck_assert_str_eq(platform_elf_arch(h, sizeof(h)), "ppc64");
	h[19] = 99;
	ck_assert_ptr_null(platform_elf_arch(h, sizeof(h)));
	ck_assert_ptr_null(platform_elf_arch(h, 19));
	ck_assert_ptr_null(platform_elf_arch((const unsigned char *)"#!/bin/sh\n..........", 20));
}
END_TEST

static void read_platform(const char *dir, struct platform *p)
{
	struct sysroot *root;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	ck_assert_int_eq(platform_read(root, false, p), 0);
	sysroot_free(root);
}

/* A Grace-like root: each fact from the first file that has it. */
START_TEST(read_grace_root)
{
	char *dir = tu_copy_tree(NULL), *d;
	unsigned char *img = arm64_image(0x3000000, 3);
	struct platform p;

	tu_put(dir, "proc/sys/kernel/osrelease", "6.12.0-55.9.1.el10_0.aarch64+64k\n");
	tu_put(dir, "proc/sys/kernel/arch", "aarch64\n");
	tu_put_bin(dir, "boot/vmlinuz-6.12.0-55.9.1.el10_0.aarch64+64k", img, IMAGE_LEN);
	tu_put(dir, "sys/devices/platform/arm-smmu-v3.1.auto/uevent", "DRIVER=arm-smmu-v3\n");
	tu_put(dir, "sys/devices/platform/arm-smmu-v3.0.auto/uevent", "DRIVER=arm-smmu-v3\n");
	tu_put(dir, "sys/devices/platform/serial8250/uevent", "");
	tu_put(dir, "sys/bus/pci/drivers/mlx5_core/bind", "");
	read_platform(dir, &p);
	ck_assert_str_eq(p.kernel_release, "6.12.0-55.9.1.el10_0.aarch64+64k");
	ck_assert_str_eq(p.release_source, "/proc/sys/kernel/osrelease");
	ck_assert_str_eq(p.arch, "aarch64");
	ck_assert_str_eq(p.arch_source, "/proc/sys/kernel/arch");
	ck_assert_uint_eq(p.page_size, 65536);
	ck_assert_str_eq(p.page_size_source, "the arm64 header of the running kernel's image");
	ck_assert_str_eq(p.smmu, "arm-smmu-v3.0.auto");
	ck_assert(p.mlx5);
	ck_assert_ptr_null(p.mem_encryption);   /* not looked for off x86 */
	d = platform_describe(&p);
	ck_assert_str_eq(d, "aarch64, 64K-page kernel, SMMU arm-smmu-v3.0.auto, mlx5_core");
	free(d);
	platform_clear(&p);

	/* no header to read: the PMD size, then "64k" in the release */
	d = tu_path(dir, "boot/vmlinuz-6.12.0-55.9.1.el10_0.aarch64+64k");
	remove(d);
	free(d);
	tu_put(dir, "sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "33554432\n");
	read_platform(dir, &p);
	ck_assert_uint_eq(p.page_size, 16384);
	ck_assert_str_eq(p.page_size_source, "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	platform_clear(&p);
	tu_put(dir, "sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "4096\n");
	read_platform(dir, &p);
	ck_assert_uint_eq(p.page_size, 65536);
	ck_assert_str_eq(p.page_size_source, "\"64k\" in the kernel release");
	platform_clear(&p);
	free(img);
	tu_rm_tree(dir);
}
END_TEST

/* An image root: no /proc. The newest kernel in /boot, its gzip'd header
 * for the architecture and page size; else the ELF machine of /bin/sh. */
START_TEST(read_image_root)
{
	char *dir = tu_copy_tree(NULL), *d;
	unsigned char *img = arm64_image(0x2010000, 1), *gz;
	unsigned char sh[64] = { 0x7f, 'E', 'L', 'F', 2, 1 };
	size_t gz_len;
	struct platform p;

	gz = gzip(img, IMAGE_LEN, &gz_len);
	tu_put_bin(dir, "boot/vmlinuz-5.15.0-153-generic", gz, gz_len);
	tu_put(dir, "boot/vmlinuz-5.15.0-9-generic", "old");
	tu_put(dir, "boot/vmlinuz-0-rescue-abc", "rescue");
	read_platform(dir, &p);
	ck_assert_str_eq(p.kernel_release, "5.15.0-153-generic");
	ck_assert_str_eq(p.release_source, "the newest kernel in /boot");
	ck_assert_str_eq(p.arch, "aarch64");
	ck_assert_str_eq(p.arch_source, "the arm64 header of the running kernel's image");
	ck_assert_uint_eq(p.page_size, 4096);
	ck_assert_ptr_null(p.smmu);
	ck_assert(!p.mlx5);
	platform_clear(&p);

	d = tu_path(dir, "boot/vmlinuz-5.15.0-153-generic");
	remove(d);
	free(d);
	sh[18] = 183;
	tu_put_bin(dir, "bin/sh", sh, sizeof(sh));
	read_platform(dir, &p);
	ck_assert_str_eq(p.kernel_release, "5.15.0-9-generic");
	ck_assert_str_eq(p.arch, "aarch64");
	ck_assert_str_eq(p.arch_source, "the ELF machine of /bin/sh");
	ck_assert_uint_eq(p.page_size, 0);      /* nothing says */
	d = platform_describe(&p);
	ck_assert_str_eq(d, "aarch64");
	free(d);
	platform_clear(&p);
	free(gz);
	free(img);
	tu_rm_tree(dir);
}
END_TEST

/* AMD memory encryption on x86: the sme flag (kept only while the kernel
 * runs with SME), else the boot log's line. */
START_TEST(read_encryption)
{
	char *dir = tu_copy_tree(NULL), *d;
	struct platform p;

	tu_put(dir, "proc/sys/kernel/arch", "x86_64\n");
	tu_put(dir, "proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme smep\n\nprocessor\t: 1\n"
	    "flags\t\t: fpu sme\n");
	tu_put(dir, "var/log/dmesg", "[0.0] Linux version 6.8\n");
	read_platform(dir, &p);
	ck_assert_uint_eq(p.page_size, 4096);
	ck_assert_str_eq(p.page_size_source, "x86 has 4K base pages only");
	/* the first CPU's flags decide */
	ck_assert_ptr_null(p.mem_encryption);
	platform_clear(&p);

	tu_put(dir, "var/log/dmesg", "[0.0] Linux version 6.8\n"
	    "[0.1] Memory Encryption Features active: AMD SEV SEV-ES\n");
	read_platform(dir, &p);
	ck_assert_str_eq(p.mem_encryption, "AMD SEV");
	ck_assert_str_eq(p.mem_encryption_source, "the boot log in /var/log/dmesg");
	platform_clear(&p);

	tu_put(dir, "proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu sme sev\n");
	read_platform(dir, &p);
	ck_assert_str_eq(p.mem_encryption, "AMD SME");
	ck_assert_str_eq(p.mem_encryption_source, "the sme flag of /proc/cpuinfo");
	d = platform_describe(&p);
	ck_assert_str_eq(d, "x86_64, AMD SME");
	free(d);
	platform_clear(&p);
	tu_rm_tree(dir);
}
END_TEST

/* An arm64 kernel before 5.19 reserves below the DMA limit only and has
 * no ",high"/",low"; other architectures and newer kernels do not count. */
START_TEST(arm64_old_reserve)
{
	struct platform p = { .arch = (char *)"aarch64" };

	p.kernel_release = (char *)"5.15.0-153-generic";
	ck_assert(platform_arm64_old_reserve(&p));
	p.kernel_release = (char *)"4.18.0-553.el8_10.aarch64";
	ck_assert(platform_arm64_old_reserve(&p));
	p.kernel_release = (char *)"5.19.0";
	ck_assert(!platform_arm64_old_reserve(&p));
	p.kernel_release = (char *)"6.8.0-1013-nvidia-64k";
	ck_assert(!platform_arm64_old_reserve(&p));
	p.kernel_release = (char *)"weird";
	ck_assert(!platform_arm64_old_reserve(&p));
	p.kernel_release = (char *)"5.15.0-153-generic";
	p.arch = (char *)"x86_64";
	ck_assert(!platform_arm64_old_reserve(&p));
	p.arch = NULL;
	ck_assert(!platform_arm64_old_reserve(&p));
}
END_TEST

/* The running system: uname and getpagesize answer. */
START_TEST(read_running)
{
	struct sysroot *root;
	struct platform p;

	ck_assert_int_eq(sysroot_open("/", &root), 0);
	ck_assert_int_eq(platform_read(root, true, &p), 0);
	ck_assert_ptr_nonnull(p.kernel_release);
	ck_assert_str_eq(p.release_source, "uname");
	ck_assert_ptr_nonnull(p.arch);
	ck_assert_uint_eq(p.page_size, (unsigned)getpagesize());
	platform_clear(&p);
	sysroot_free(root);
}
END_TEST

Suite *skd_platform_suite(void)
{
	Suite *s = suite_create("platform");
	TCase *images = tcase_create("kernel images");
	TCase *roots = tcase_create("roots");

	tcase_add_loop_test(images, arm64_header_fields, 0, 4);
	tcase_add_test(images, unpack_packings);
	tcase_add_test(images, read_zboot_file);
	tcase_add_test(images, x86_header);
	tcase_add_test(images, elf_machines);
	tcase_add_test(roots, read_grace_root);
	tcase_add_test(roots, read_image_root);
	tcase_add_test(roots, read_encryption);
	tcase_add_test(roots, read_running);
	tcase_add_test(roots, arm64_old_reserve);
	suite_add_tcase(s, images);
	suite_add_tcase(s, roots);
	return s;
}

SKD_TEST_MAIN(skd_platform_suite)
