/* SPDX-License-Identifier: Apache-2.0 */
/* What a kernel image's own header says (its architecture, the memory it
 * needs, an arm64 kernel's page size), read through the packing that
 * distributions ship it in: the arm64 Image as it is, a gzip stream of
 * one, or an EFI zboot image with a gzip payload. Only the first bytes
 * are unpacked. */
#ifndef SKD_KIMAGE_H
#define SKD_KIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sysroot;

/* The arm64 Image header is 64 bytes; the x86 setup header ends at 0x268. */
#define KIMAGE_HEAD_MAX 4096u

struct kimage {
	uint64_t file_size;
	unsigned char head[KIMAGE_HEAD_MAX];    /* the kernel's first bytes,
	                                           unpacked */
	size_t head_len;
	const char *packing;    /* NULL: as is; "gzip"; "EFI zboot, gzip" */
	const char *unreadable; /* packed in a way not unpacked here (an EFI
	                           zboot "zstd" payload): why, else NULL */
};

/* Reads `path` of the root. -ENOENT when missing; a packing that cannot be
 * unpacked is not an error (see unreadable; head then holds the packed
 * bytes). */
int kimage_read(struct sysroot *root, const char *path, struct kimage *ret);

/* The same on bytes in memory (tests, fuzzing): `data` is the start of
 * the file, `len` all of it that is at hand. */
int kimage_unpack(const unsigned char *data, size_t len, uint64_t file_size,
                  struct kimage *ret);

/* The arm64 Image header (Documentation/arch/arm64/booting.rst): true when
 * the magic is there. *ret_page_size is 4096, 16384 or 65536 from flags
 * bits 1-2, 0 when the header leaves it unspecified. */
bool kimage_arm64(const unsigned char *head, size_t len, uint64_t *ret_image_size,
                  unsigned *ret_page_size);
/* An x86 bzImage (Documentation/arch/x86/boot.rst): true when its setup
 * header is there; *ret_64bit from xloadflags (XLF_KERNEL_64). */
bool kimage_x86(const unsigned char *head, size_t len, bool *ret_64bit);

#endif
