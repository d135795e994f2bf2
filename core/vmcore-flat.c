/* SPDX-License-Identifier: Apache-2.0 */
/* makedumpfile's flattened format (-F, for dumps sent through a pipe): a
 * 4096-byte header, then chunks of the kdump-compressed (or ELF) file, each
 * after a big-endian (offset, size) pair, and a (-1, -1) end marker. The
 * file is complete only when the walk reaches that marker. The kdump
 * header, sub-header and vmcoreinfo are read from the chunks that hold
 * them. Layout: makedumpfile.h. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore-internal.h"

#define FLAT_HEADER_SIZE 4096u
#define FLAT_TYPE 1
#define FLAT_VERSION 1
#define DATA_HEADER_SIZE 16u

/* What to look for in the chunks, in the order makedumpfile writes it. */
struct flat_state {
	bool have_header, have_sub, done_info;
	struct kdump_header h;
	struct kdump_sub_header s;
};

/* The chunk at file position `pos` holds logical bytes [off, off+size);
 * reads [want, want+len) from it when it is all there. */
static bool chunk_read(int fd, uint64_t pos, uint64_t off, uint64_t size,
                       uint64_t want, void *buf, size_t len)
{
	if (want < off || want - off > size || len > size - (want - off))
		return false;
	return vmcore_pread(fd, buf, len, pos + (want - off)) == 0;
}

static void look_into_chunk(int fd, uint64_t pos, uint64_t off, uint64_t size,
                            struct flat_state *st, struct vmcore_info *v)
{
	unsigned char buf[KDUMP_HEADER_SIZE];

	if (!st->have_header && off == 0 &&
	    chunk_read(fd, pos, off, size, 0, buf, KDUMP_HEADER_SIZE) &&
	    memcmp(buf, KDUMP_SIGNATURE, 8) == 0) {
		st->have_header = kdump_header_parse(buf, &st->h, v);
	}
	if (st->have_header && !st->have_sub &&
	    chunk_read(fd, pos, off, size, st->h.block_size, buf, KDUMP_SUB_HEADER_SIZE)) {
		st->have_sub = true;
		kdump_sub_header_parse(buf, &st->h, &st->s);
	}
	if (st->have_sub && !st->done_info && st->s.size_vmcoreinfo > 0 &&
	    st->s.size_vmcoreinfo <= VMCORE_NOTE_MAX) {
		char *text = malloc(st->s.size_vmcoreinfo);

		if (text && chunk_read(fd, pos, off, size, st->s.offset_vmcoreinfo, text,
		                       st->s.size_vmcoreinfo)) {
			vmcore_parse_vmcoreinfo(v, text, st->s.size_vmcoreinfo);
			st->done_info = true;
		}
		free(text);
	}
}

int vmcore_inspect_flat(int fd, struct vmcore_info *v)
{
	unsigned char hdr[32], dh[DATA_HEADER_SIZE];
	struct flat_state st = { 0 };
	uint64_t pos = FLAT_HEADER_SIZE;
	int64_t type, version;

	v->format = VMCORE_FLATTENED;
	if (v->size < sizeof(hdr) || vmcore_pread(fd, hdr, sizeof(hdr), 0) < 0) {
		vmcore_problem(v, "truncated: the flattened header is incomplete");
		return 0;
	}
	type = (int64_t)vmcore_get(hdr + 16, 8, true);
	version = (int64_t)vmcore_get(hdr + 24, 8, true);
	if (type != FLAT_TYPE || version != FLAT_VERSION) {
		vmcore_problem(v, "flattened header of type %" PRId64 ", version %" PRId64
		               " is not known", type, version);
		return 0;
	}
	/* every step moves forward by at least a data header: it ends */
	for (;;) {
		int64_t off, size;

		if (pos > v->size || v->size - pos < DATA_HEADER_SIZE) {
			vmcore_problem(v, "truncated: ends at byte %" PRIu64 " without the "
			               "end marker", v->size);
			return 0;
		}
		if (vmcore_pread(fd, dh, sizeof(dh), pos) < 0) {
			vmcore_problem(v, "data header at byte %" PRIu64 " cannot be read", pos);
			return 0;
		}
		off = (int64_t)vmcore_get(dh, 8, true);
		size = (int64_t)vmcore_get(dh + 8, 8, true);
		if (off == -1 && size == -1)
			return 0;       /* the end marker: complete */
		if (off < 0 || size < 0) {
			vmcore_problem(v, "data header at byte %" PRIu64 " is garbled (offset "
			               "%" PRId64 ", size %" PRId64 ")", pos, off, size);
			return 0;
		}
		pos += DATA_HEADER_SIZE;
		if ((uint64_t)size > v->size - pos) {
			vmcore_problem(v, "truncated: the chunk at byte %" PRIu64 " of %" PRId64
			               " bytes runs past the end of the file", pos, size);
			return 0;
		}
		look_into_chunk(fd, pos, (uint64_t)off, (uint64_t)size, &st, v);
		pos += (uint64_t)size;
	}
}
