/* SPDX-License-Identifier: Apache-2.0 */
/* The small parsers under the estimate and the security probe: kernel
 * image headers, CPU lists, shell variable files, kernel command lines.
 * Pure functions of their input. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crashkernel.h"
#include "estimate.h"
#include "kconfig.h"

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The x86 boot protocol (Documentation/arch/x86/boot.rst): the setup header
 * starts at 0x1f1; boot_flag 0xAA55 at 0x1fe, "HdrS" at 0x202, the protocol
 * version at 0x206; from 2.10 on, init_size at 0x260 is the linear memory
 * the kernel needs from its load address until it reads its memory map,
 * which covers the decompressed kernel with its bss. kexec_file_load
 * reserves max(file, init_size) for it (kexec-bzimage64.c). */
#define BZ_BOOT_FLAG 0x1fe
#define BZ_MAGIC 0x202
#define BZ_VERSION 0x206
#define BZ_INIT_SIZE 0x260
/* arm64 (Documentation/arch/arm64/booting.rst): image_size, the effective
 * size including bss, at offset 16; the magic "ARM\x64" at offset 56. */
#define ARM64_IMAGE_SIZE 16
#define ARM64_MAGIC 56
/* image_size counts the image only; the capture kernel's memory map, page
 * tables and early buffers come on top. On x86 init_size, which also
 * counts the decompressor's room, covered them with 6M to spare. Measured
 * on Debian 12 arm64 (docs/calibration.md): at crashkernel=160M the
 * capture kernel had 47.8M free besides its 64M CMA area, 48.2M in use
 * at boot: 32.1M image_size, the 6.2M packed initrd, and 9.9M more. */
#define ARM64_BOOT_ALLOCATIONS (UINT64_C(10) << 20)

uint64_t estimate_kernel_memory(const unsigned char *data, size_t len,
                                uint64_t file_size, const char **ret_basis)
{
	if (len >= BZ_INIT_SIZE + 4 && data[BZ_BOOT_FLAG] == 0x55 &&
	    data[BZ_BOOT_FLAG + 1] == 0xaa && !memcmp(data + BZ_MAGIC, "HdrS", 4) &&
	    (data[BZ_VERSION] | data[BZ_VERSION + 1] << 8) >= 0x020a) {
		uint64_t init = le32(data + BZ_INIT_SIZE);

		*ret_basis = "init_size in the x86 boot protocol header";
		return init > file_size ? init : file_size;
	}
	if (len >= ARM64_MAGIC + 4 && le32(data + ARM64_MAGIC) == 0x644d5241 &&
	    le64(data + ARM64_IMAGE_SIZE) != 0) {
		*ret_basis = "10M the capture kernel allocates at boot beyond its "
		             "image (measured on Debian 12 arm64: docs/calibration.md) "
		             "plus image_size in the arm64 Image header";
		return le64(data + ARM64_IMAGE_SIZE) + ARM64_BOOT_ALLOCATIONS;
	}
	/* A compressed kernel grows about 3 times when unpacked, and the
	 * packed copy is loaded too. */
	*ret_basis = "4 x the file size (no x86 or arm64 header to read; a "
	             "compressed kernel unpacks to about 3 times its size)";
	return file_size * 4;
}

unsigned estimate_cpu_list_count(const char *text)
{
	const char *p = text;
	unsigned long n = 0;

	while (*p && *p != '\n') {
		char *end;
		unsigned long a, b;

		if (*p < '0' || *p > '9')
			return 0;
		a = strtoul(p, &end, 10);
		b = a;
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				return 0;
			b = strtoul(p, &end, 10);
		}
		if (b < a || b - a >= 1u << 20)
			return 0;
		n += b - a + 1;
		if (n >= 1u << 20)
			return 0;
		p = end;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return 0;
	}
	return (unsigned)n;
}

/* The value of the last "<param>=N" word, 0 when none or not a number. */
static unsigned last_param(const char *cmdline, const char *param)
{
	size_t plen = strlen(param);
	const char *p = cmdline;
	unsigned v = 0;

	while (*p) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len > plen + 1 && !strncmp(p, param, plen) && p[plen] == '=') {
			char *end;
			unsigned long n = strtoul(p + plen + 1, &end, 10);

			v = end == p + len && n < 1u << 20 ? (unsigned)n : 0;
		}
		p += len;
	}
	return v;
}

unsigned cmdline_cpu_limit(const char *cmdline, const char **ret_param)
{
	unsigned nr = last_param(cmdline, "nr_cpus");
	unsigned max = last_param(cmdline, "maxcpus");

	if (nr && (!max || nr <= max)) {
		*ret_param = "nr_cpus";
		return nr;
	}
	if (max) {
		*ret_param = "maxcpus";
		return max;
	}
	return 0;
}

int cmdline_cma(const char *cmdline, uint64_t *ret)
{
	const char *p = cmdline, *last = NULL;
	size_t last_len = 0;
	char value[64];

	while (*p) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len >= 4 && !strncmp(p, "cma=", 4)) {
			last = p + 4;
			last_len = len - 4;
		}
		p += len;
	}
	if (!last)
		return 0;
	/* cma=nn[KMG][@start[-end]]: the size only */
	last_len = strcspn(last, "@ \t\n");
	if (last_len == 0 || last_len >= sizeof(value))
		return -EINVAL;
	memcpy(value, last, last_len);
	value[last_len] = '\0';
	if (!strcmp(value, "0")) {
		*ret = 0;
		return 1;
	}
	return parse_size(value, ret) < 0 ? -EINVAL : 1;
}

uint64_t kconfig_cma_default(const char *config)
{
	size_t len;
	const char *v;
	unsigned long mb;
	char *end;

	if (!kconfig_yes(config, "CONFIG_DMA_CMA") ||
	    !kconfig_yes(config, "CONFIG_CMA_SIZE_SEL_MBYTES"))
		return 0;
	v = kconfig_value(config, "CONFIG_CMA_SIZE_MBYTES", &len);
	if (!v)
		return 0;
	mb = strtoul(v, &end, 10);
	if (end != v + len || mb > 1u << 20)
		return 0;
	return (uint64_t)mb << 20;
}

const char *initrd_compression(const unsigned char *head, size_t len)
{
	static const struct {
		const char *name;
		unsigned char magic[6];
		size_t len;
	} magics[] = {
		{ "gzip", { 0x1f, 0x8b }, 2 },
		{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
		{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6 },
		{ "lz4", { 0x02, 0x21, 0x4c, 0x18 }, 4 },
		{ "lzo", { 0x89, 'L', 'Z', 'O' }, 4 },
		{ "bzip2", { 'B', 'Z', 'h' }, 3 },
		{ "lzma", { 0x5d, 0, 0 }, 3 },
	};

	if (len >= 6 && !memcmp(head, "07070", 5))
		return "cpio";
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len && !memcmp(head, magics[i].magic, magics[i].len))
			return magics[i].name;
	return NULL;
}
