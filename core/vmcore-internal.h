/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the readers of each dump format (vmcore-*.c): bounded reads,
 * the problem string, the VMCOREINFO text, makedumpfile's header. */
#ifndef SKD_VMCORE_INTERNAL_H
#define SKD_VMCORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmcore.h"

/* The most a note or vmcoreinfo text may take; real ones are a few KiB. */
#define VMCORE_NOTE_MAX (1u << 20)
/* The tail of a kernel log read for the panic line. */
#define VMCORE_DMESG_MAX (8u << 20)

/* Exactly len bytes at off: 0, -ENODATA when the file ends first, or a
 * negative errno. */
int vmcore_pread(int fd, void *buf, size_t len, uint64_t off);
/* Records why the file is not complete; the first problem wins, as later
 * ones usually follow from it. Always clears `complete`. */
void vmcore_problem(struct vmcore_info *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A copy of at most len bytes of s, up to a NUL, each control character
 * (C0, DEL, C1: utf8_control_len()) as '?', so a garbled file cannot
 * break a line of output nor drive a terminal. */
char *vmcore_clean(const char *s, size_t len);
/* OSRELEASE= and CRASHTIME= of a VMCOREINFO text. */
void vmcore_parse_vmcoreinfo(struct vmcore_info *v, const char *text, size_t len);

/* makedumpfile's disk_dump_header as written by a 64-bit makedumpfile,
 * in either byte order (diskdump_mod.h). */
#define KDUMP_SIGNATURE "KDUMP   "
#define KDUMP_HEADER_SIZE 464u
#define KDUMP_SUB_HEADER_SIZE 104u
#define KDUMP_STATUS_INCOMPLETE 0x8u     /* DUMP_DH_COMPRESSED_INCOMPLETE */

struct kdump_header {
	bool big_endian;
	uint32_t header_version;
	int64_t timestamp;
	uint32_t status;
	uint32_t block_size;
	uint32_t sub_hdr_size;      /* blocks */
	uint32_t bitmap_blocks;
};

/* Fields of the sub-header used here (header_version 3 and later). */
struct kdump_sub_header {
	int32_t split;
	uint64_t offset_vmcoreinfo;
	uint64_t size_vmcoreinfo;
	uint64_t start_pfn;         /* of a split file */
	uint64_t end_pfn;
};

/* Parses and checks the first KDUMP_HEADER_SIZE bytes; sets release and
 * time in `v`. Returns false (with a problem) when it is not usable. */
bool kdump_header_parse(const unsigned char *buf, struct kdump_header *h,
                        struct vmcore_info *v);
void kdump_sub_header_parse(const unsigned char *buf, const struct kdump_header *h,
                            struct kdump_sub_header *ret);

int vmcore_inspect_elf(int fd, struct vmcore_info *v);
int vmcore_inspect_kdump(int fd, struct vmcore_info *v);
int vmcore_inspect_flat(int fd, struct vmcore_info *v);
int vmcore_inspect_dmesg(int fd, struct vmcore_info *v);

/* Big-endian and little-endian loads from unaligned bytes. */
static inline uint64_t vmcore_get(const unsigned char *p, size_t n, bool big_endian)
{
	uint64_t x = 0;

	for (size_t i = 0; i < n; i++)
		x |= (uint64_t)p[big_endian ? i : n - 1 - i] << (8 * (n - 1 - i));
	return x;
}

#endif
