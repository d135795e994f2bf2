/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel image headers through their packing. Sources:
 * - arm64: Documentation/arch/arm64/booting.rst ("Call the kernel image"):
 *   image_size (le64) at 16, flags (le64) at 24 with the page size in bits
 *   1-2 (0 unspecified, 1 4K, 2 16K, 3 64K), the magic "ARM\x64" at 56.
 * - EFI zboot: drivers/firmware/efi/libstub/zboot-header.S (Linux 6.1+):
 *   "MZ" at 0, "zimg" at 4, the payload's offset (le32) at 8 and size
 *   (le32) at 12, the compression's name (NUL-terminated) at 24; a "gzip"
 *   payload is a gzip stream (scripts/Makefile.lib, cmd_gzip).
 * - x86: Documentation/arch/x86/boot.rst: boot_flag 0xAA55 at 0x1fe, "HdrS"
 *   at 0x202, xloadflags at 0x236 (bit 0: XLF_KERNEL_64). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "kimage.h"
#include "sysroot.h"

#define ARM64_IMAGE_SIZE 16
#define ARM64_FLAGS 24
#define ARM64_MAGIC 56
#define ZBOOT_OFFSET 8
#define ZBOOT_SIZE 12
#define ZBOOT_COMP 24
#define ZBOOT_COMP_MAX 32
/* Where a gzip stream's first bytes of output are: its header and the
 * first block's code tables come first, a few hundred bytes at most; a
 * larger window covers a long file name in the header. */
#define PACKED_READ (16u * 1024)

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

bool kimage_arm64(const unsigned char *head, size_t len, uint64_t *ret_image_size,
                  unsigned *ret_page_size)
{
	static const unsigned sizes[4] = { 0, 4096, 16384, 65536 };

	if (len < ARM64_MAGIC + 4 || le32(head + ARM64_MAGIC) != 0x644d5241)
		return false;
	*ret_image_size = le64(head + ARM64_IMAGE_SIZE);
	*ret_page_size = sizes[(le64(head + ARM64_FLAGS) >> 1) & 3];
	return true;
}

bool kimage_x86(const unsigned char *head, size_t len, bool *ret_64bit)
{
	if (len < 0x238 || head[0x1fe] != 0x55 || head[0x1ff] != 0xaa ||
	    memcmp(head + 0x202, "HdrS", 4))
		return false;
	*ret_64bit = head[0x236] & 1;
	return true;
}

/* Up to KIMAGE_HEAD_MAX bytes of what the gzip stream at `in` unpacks to. */
static int gunzip_head(const unsigned char *in, size_t len, struct kimage *k)
{
	z_stream z = { 0 };
	int r;

	/* 15 + 16: a gzip header, not zlib's */
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)in;
	z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	z.next_out = k->head;
	z.avail_out = sizeof(k->head);
	r = inflate(&z, Z_SYNC_FLUSH);
	k->head_len = sizeof(k->head) - z.avail_out;
	inflateEnd(&z);
	/* a stream cut short still gave its first bytes */
	if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
		return -EINVAL;
	return k->head_len ? 0 : -EINVAL;
}

static bool is_gzip(const unsigned char *p, size_t len)
{
	return len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

static bool is_zboot(const unsigned char *p, size_t len)
{
	return len >= ZBOOT_COMP + ZBOOT_COMP_MAX && p[0] == 'M' && p[1] == 'Z' &&
	       !memcmp(p + 4, "zimg", 4);
}

static bool zboot_is_gzip(const unsigned char *p)
{
	return !strncmp((const char *)p + ZBOOT_COMP, "gzip", ZBOOT_COMP_MAX);
}

static void keep_as_is(const unsigned char *data, size_t len, struct kimage *k)
{
	k->head_len = len < sizeof(k->head) ? len : sizeof(k->head);
	memcpy(k->head, data, k->head_len);
}

/* The zboot payload's compression, when it is not gzip: said, not read. */
static void zboot_unreadable(const unsigned char *data, struct kimage *k)
{
	size_t n = strnlen((const char *)data + ZBOOT_COMP, ZBOOT_COMP_MAX);

	k->packing = "EFI zboot";
	if (n == 4 && !memcmp(data + ZBOOT_COMP, "zstd", 4))
		k->unreadable = "an EFI zboot image with a zstd payload";
	else if (n == 4 && !memcmp(data + ZBOOT_COMP, "lzma", 4))
		k->unreadable = "an EFI zboot image with an lzma payload";
	else
		k->unreadable = "an EFI zboot image with a payload other than gzip";
}

int kimage_unpack(const unsigned char *data, size_t len, uint64_t file_size,
                  struct kimage *k)
{
	memset(k, 0, sizeof(*k));
	k->file_size = file_size;
	if (is_gzip(data, len)) {
		k->packing = "gzip";
		return gunzip_head(data, len, k);
	}
	if (is_zboot(data, len)) {
		uint32_t off = le32(data + ZBOOT_OFFSET), size = le32(data + ZBOOT_SIZE);

		if (!zboot_is_gzip(data)) {
			zboot_unreadable(data, k);
			keep_as_is(data, len, k);
			return 0;
		}
		if (off >= len || size > len - off || !is_gzip(data + off, len - off))
			return -EINVAL;
		k->packing = "EFI zboot, gzip";
		return gunzip_head(data + off, size, k);
	}
	keep_as_is(data, len, k);
	return 0;
}

int kimage_read(struct sysroot *root, const char *path, struct kimage *ret)
{
	unsigned char *buf;
	struct stat st;
	ssize_t n;
	uint32_t off;
	int fd, r;

	memset(ret, 0, sizeof(*ret));
	fd = sysroot_open_fd(root, path, &st);
	if (fd < 0)
		return fd;
	buf = malloc(PACKED_READ);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = pread(fd, buf, PACKED_READ, 0);
	if (n < 0) {
		r = -errno;
	} else if (is_zboot(buf, (size_t)n) && zboot_is_gzip(buf) &&
	           (off_t)(off = le32(buf + ZBOOT_OFFSET)) < st.st_size) {
		/* the payload follows the EFI stub: its start is what counts */
		n = pread(fd, buf, PACKED_READ, off);
		ret->file_size = (uint64_t)st.st_size;
		ret->packing = "EFI zboot, gzip";
		r = n > 0 && is_gzip(buf, (size_t)n) ? gunzip_head(buf, (size_t)n, ret) : -EINVAL;
	} else {
		r = kimage_unpack(buf, (size_t)n, (uint64_t)st.st_size, ret);
	}
	free(buf);
	close(fd);
	return r;
}
