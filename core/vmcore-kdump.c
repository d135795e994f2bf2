/* SPDX-License-Identifier: Apache-2.0 */
/* makedumpfile's kdump-compressed format: a disk_dump_header block, the
 * kdump sub-header (which points at the VMCOREINFO text), two memory
 * bitmaps, one page descriptor per dumped page, then the page data. The
 * file is complete when makedumpfile did not flag it incomplete and it
 * reaches the end of the last page's data; the number of descriptors is
 * the number of bits set in the second bitmap. Layout: diskdump_mod.h
 * (64-bit makedumpfile; the header is in the dumping machine's byte
 * order). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore-internal.h"

/* Offsets in struct disk_dump_header (64-bit layout). */
#define H_VERSION 8
#define H_RELEASE (12 + 2 * 65)         /* utsname.release */
#define H_TIMESTAMP 408                 /* struct timeval, after padding */
#define H_STATUS 424
#define H_BLOCK_SIZE 428
#define H_SUB_HDR_SIZE 432
#define H_BITMAP_BLOCKS 436
/* Offsets in struct kdump_sub_header. */
#define S_SPLIT 12
#define S_OFFSET_VMCOREINFO 32
#define S_SIZE_VMCOREINFO 40
#define S_START_PFN_64 80
#define S_END_PFN_64 88
#define PAGE_DESC_SIZE 24u              /* off_t offset, u32 size, u32 flags, u64 */
/* Versions makedumpfile has written so far are 1 to 6; leave room. */
#define MAX_HEADER_VERSION 64u
/* 4 GiB of bitmaps covers 64 TiB of RAM in 4 KiB pages. */
#define MAX_BITMAP_BYTES (UINT64_C(4) << 30)
#define BITMAP_CHUNK (1u << 20)

bool kdump_header_parse(const unsigned char *b, struct kdump_header *h,
                        struct vmcore_info *v)
{
	uint32_t le = (uint32_t)vmcore_get(b + H_VERSION, 4, false);
	uint32_t be = (uint32_t)vmcore_get(b + H_VERSION, 4, true);

	memset(h, 0, sizeof(*h));
	if (le >= 1 && le <= MAX_HEADER_VERSION)
		h->big_endian = false;
	else if (be >= 1 && be <= MAX_HEADER_VERSION)
		h->big_endian = true;
	else {
		vmcore_problem(v, "kdump header version %" PRIu32 " is not known "
		               "(garbled header?)", le);
		return false;
	}
#define G(off, n) vmcore_get(b + (off), (n), h->big_endian)
	h->header_version = (uint32_t)G(H_VERSION, 4);
	h->timestamp = (int64_t)G(H_TIMESTAMP, 8);
	h->status = (uint32_t)G(H_STATUS, 4);
	h->block_size = (uint32_t)G(H_BLOCK_SIZE, 4);
	h->sub_hdr_size = (uint32_t)G(H_SUB_HDR_SIZE, 4);
	h->bitmap_blocks = (uint32_t)G(H_BITMAP_BLOCKS, 4);
#undef G
	free(v->release);
	v->release = vmcore_clean((const char *)b + H_RELEASE, 65);
	if (v->release && !v->release[0]) {
		free(v->release);
		v->release = NULL;
	}
	if (h->timestamp > 0) {
		v->have_time = true;
		v->crash_time = h->timestamp;
	}
	if (h->block_size < 512 || h->block_size > (1u << 20) ||
	    (h->block_size & (h->block_size - 1))) {
		vmcore_problem(v, "kdump header: block size %" PRIu32 " is not plausible "
		               "(garbled, or written by a 32-bit makedumpfile)", h->block_size);
		return false;
	}
	if (h->status & KDUMP_STATUS_INCOMPLETE)
		vmcore_problem(v, "makedumpfile marked the dump incomplete (the disk "
		               "filled up or the capture was interrupted)");
	return true;
}

void kdump_sub_header_parse(const unsigned char *b, const struct kdump_header *h,
                            struct kdump_sub_header *s)
{
#define G(off, n) vmcore_get(b + (off), (n), h->big_endian)
	memset(s, 0, sizeof(*s));
	if (h->header_version >= 2)
		s->split = (int32_t)G(S_SPLIT, 4);
	if (h->header_version >= 3) {
		s->offset_vmcoreinfo = G(S_OFFSET_VMCOREINFO, 8);
		s->size_vmcoreinfo = G(S_SIZE_VMCOREINFO, 8);
	}
	if (h->header_version >= 6) {
		s->start_pfn = G(S_START_PFN_64, 8);
		s->end_pfn = G(S_END_PFN_64, 8);
	}
#undef G
}

/* Reads the VMCOREINFO text the sub-header points at, when it is there. */
static void read_vmcoreinfo(int fd, const struct kdump_sub_header *s,
                            struct vmcore_info *v)
{
	char *text;

	if (s->size_vmcoreinfo == 0 || s->size_vmcoreinfo > VMCORE_NOTE_MAX)
		return;
	if (s->offset_vmcoreinfo > v->size ||
	    s->size_vmcoreinfo > v->size - s->offset_vmcoreinfo) {
		vmcore_problem(v, "truncated: the vmcoreinfo at byte %" PRIu64 " is past "
		               "the end of the file", s->offset_vmcoreinfo);
		return;
	}
	text = malloc(s->size_vmcoreinfo);
	if (!text)
		return;
	if (vmcore_pread(fd, text, s->size_vmcoreinfo, s->offset_vmcoreinfo) == 0)
		vmcore_parse_vmcoreinfo(v, text, s->size_vmcoreinfo);
	free(text);
}

/* Bits set in the second bitmap: the number of page descriptors. */
static int count_dumped_pages(int fd, uint64_t off, uint64_t len, uint64_t *ret)
{
	unsigned char *buf = malloc(BITMAP_CHUNK);
	uint64_t n = 0, done = 0;
	int r = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t chunk = len - done < BITMAP_CHUNK ? (size_t)(len - done) : BITMAP_CHUNK;

		r = vmcore_pread(fd, buf, chunk, off + done);
		if (r < 0)
			break;
		for (size_t i = 0; i + 8 <= chunk; i += 8) {
			uint64_t w;

			memcpy(&w, buf + i, 8);
			n += (uint64_t)__builtin_popcountll(w);
		}
		for (size_t i = chunk & ~(size_t)7; i < chunk; i++)
			n += (uint64_t)__builtin_popcount(buf[i]);
		done += chunk;
	}
	free(buf);
	*ret = n;
	return r;
}

int vmcore_inspect_kdump(int fd, struct vmcore_info *v)
{
	unsigned char hb[KDUMP_HEADER_SIZE], sb[KDUMP_SUB_HEADER_SIZE], pd[PAGE_DESC_SIZE];
	struct kdump_header h;
	struct kdump_sub_header s;
	uint64_t bitmap_off, bitmap_len, table_off, table_end, pages, last_off, last_end;
	int r;

	v->format = VMCORE_KDUMP_COMPRESSED;
	if (v->size < KDUMP_HEADER_SIZE || vmcore_pread(fd, hb, sizeof(hb), 0) < 0) {
		vmcore_problem(v, "truncated: the kdump header is incomplete (%" PRIu64
		               " bytes)", v->size);
		return 0;
	}
	if (!kdump_header_parse(hb, &h, v))
		return 0;
	/* the sub-header is the block after the header */
	if ((uint64_t)h.block_size + KDUMP_SUB_HEADER_SIZE > v->size ||
	    vmcore_pread(fd, sb, sizeof(sb), h.block_size) < 0) {
		vmcore_problem(v, "truncated: the kdump sub-header is missing");
		return 0;
	}
	kdump_sub_header_parse(sb, &h, &s);
	read_vmcoreinfo(fd, &s, v);

	bitmap_off = (uint64_t)h.block_size * (1 + (uint64_t)h.sub_hdr_size);
	bitmap_len = (uint64_t)h.block_size * h.bitmap_blocks;
	if (h.bitmap_blocks == 0 || bitmap_len > MAX_BITMAP_BYTES) {
		vmcore_problem(v, "kdump header: %" PRIu32 " bitmap blocks is not plausible",
		               h.bitmap_blocks);
		return 0;
	}
	table_off = bitmap_off + bitmap_len;
	if (table_off > v->size) {
		vmcore_problem(v, "truncated: %" PRIu64 " of %" PRIu64 " bytes of headers "
		               "and bitmaps", v->size, table_off);
		return 0;
	}
	/* the second half of the bitmap area says which pages were dumped */
	r = count_dumped_pages(fd, bitmap_off + bitmap_len / 2, bitmap_len / 2, &pages);
	if (r < 0 && r != -ENODATA)
		return r;
	table_end = table_off + pages * PAGE_DESC_SIZE;
	if (table_end > v->size) {
		vmcore_problem(v, "truncated: the page descriptor table of %" PRIu64
		               " pages ends at byte %" PRIu64 ", the file at %" PRIu64,
		               pages, table_end, v->size);
		return 0;
	}
	if (pages == 0)
		return 0;
	if (vmcore_pread(fd, pd, sizeof(pd), table_end - PAGE_DESC_SIZE) < 0) {
		vmcore_problem(v, "truncated: the last page descriptor cannot be read");
		return 0;
	}
	last_off = vmcore_get(pd, 8, h.big_endian);
	last_end = last_off + vmcore_get(pd + 8, 4, h.big_endian);
	if (last_off < table_end || last_off > INT64_MAX) {
		vmcore_problem(v, "the last page descriptor points at byte %" PRIu64
		               ", inside the headers (the capture stopped before "
		               "writing it, or the file is garbled)", last_off);
		return 0;
	}
	if (last_end > v->size)
		vmcore_problem(v, "truncated: %" PRIu64 " of %" PRIu64 " bytes", v->size,
		               last_end);
	return 0;
}
