/* SPDX-License-Identifier: Apache-2.0 */
/* The dump file readers on synthetic files: an ELF vmcore with a
 * VMCOREINFO note, kdump-compressed files in both byte orders, flattened
 * files, kernel logs. Every field is checked; then the same files cut at
 * every byte and garbled must be reported, never crash, never hang. The
 * builders are also used by test-dumps.c. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "vmcore.h"

Suite *skd_vmcore_suite(void);
unsigned char *tv_elf_core(const char *vmcoreinfo, size_t *ret_len);
unsigned char *tv_kdump(const char *release, int64_t timestamp, const char *vmcoreinfo,
                        bool big_endian, size_t *ret_len);
unsigned char *tv_flat(const unsigned char *inner, size_t len, size_t chunk,
                       size_t *ret_len);

#define INFO_TEXT "OSRELEASE=6.1.0-26-amd64\nPAGESIZE=4096\nCRASHTIME=1700000000\n"

static void put(unsigned char *p, uint64_t v, size_t n, bool be)
{
	for (size_t i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* ELF64 little-endian ET_CORE: a PT_NOTE with a CORE and a VMCOREINFO
 * note, then two PT_LOAD segments of 256 bytes. */
unsigned char *tv_elf_core(const char *info, size_t *ret_len)
{
	size_t ilen = strlen(info), notes_off = 64 + 3 * 56;
	size_t notes_len = (12 + 8 + 8) + (12 + 12 + ((ilen + 3) & ~(size_t)3));
	size_t load_off = (notes_off + notes_len + 15) & ~(size_t)15;
	size_t len = load_off + 2 * 256, p;
	unsigned char *b = calloc(1, len);

	if (!b)
		abort();
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = ELFCLASS64;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put(b + 16, ET_CORE, 2, false);
	put(b + 18, EM_X86_64, 2, false);
	put(b + 20, EV_CURRENT, 4, false);
	put(b + 32, 64, 8, false);              /* e_phoff */
	put(b + 52, 64, 2, false);              /* e_ehsize */
	put(b + 54, 56, 2, false);              /* e_phentsize */
	put(b + 56, 3, 2, false);               /* e_phnum */
	for (int i = 0; i < 3; i++) {
		unsigned char *ph = b + 64 + 56 * i;
		bool note = i == 0;

		put(ph, note ? PT_NOTE : PT_LOAD, 4, false);
		put(ph + 8, note ? notes_off : load_off + 256 * (size_t)(i - 1), 8, false);
		put(ph + 16, note ? 0 : 0xffffffff81000000ull + 4096u * (unsigned)i, 8, false);
		put(ph + 24, note ? 0 : 4096u * (unsigned)i, 8, false);
		put(ph + 32, note ? notes_len : 256, 8, false);
		put(ph + 40, note ? notes_len : 4096, 8, false);
		put(ph + 48, note ? 4 : 4096, 8, false);
	}
	p = notes_off;
	put(b + p, 5, 4, false);
	put(b + p + 4, 8, 4, false);
	put(b + p + 8, NT_PRSTATUS, 4, false);
	memcpy(b + p + 12, "CORE", 5);
	p += 12 + 8 + 8;
	put(b + p, 11, 4, false);
	put(b + p + 4, ilen, 4, false);
	put(b + p + 8, 0, 4, false);
	memcpy(b + p + 12, "VMCOREINFO", 11);
	memcpy(b + p + 24, info, ilen);
	for (size_t i = load_off; i < len; i++)
		b[i] = (unsigned char)i;
	*ret_len = len;
	return b;
}

/* kdump-compressed, 4096-byte blocks: header, sub-header with the
 * vmcoreinfo, two bitmap blocks (3 pages dumped), descriptors, data. */
unsigned char *tv_kdump(const char *release, int64_t timestamp, const char *info,
                        bool be, size_t *ret_len)
{
	size_t ilen = info ? strlen(info) : 0, table = 16384, data = table + 3 * 24;
	size_t len = data + 100 + 200 + 300, off = data;
	unsigned char *b = calloc(1, len);

	if (!b)
		abort();
	memcpy(b, "KDUMP   ", 8);
	put(b + 8, 6, 4, be);
	memcpy(b + 12, "Linux", 5);
	memcpy(b + 12 + 65, "node1", 5);
	memcpy(b + 12 + 130, release, strlen(release));
	memcpy(b + 12 + 260, "x86_64", 6);
	put(b + 408, (uint64_t)timestamp, 8, be);
	put(b + 424, 0, 4, be);                 /* status */
	put(b + 428, 4096, 4, be);              /* block_size */
	put(b + 432, 1, 4, be);                 /* sub_hdr_size */
	put(b + 436, 2, 4, be);                 /* bitmap_blocks */
	put(b + 440, 64, 4, be);                /* max_mapnr */
	put(b + 460, 4, 4, be);                 /* nr_cpus */
	put(b + 4096 + 8, 31, 4, be);           /* dump_level */
	if (info) {
		put(b + 4096 + 32, 4096 + 128, 8, be);
		put(b + 4096 + 40, ilen, 8, be);
		memcpy(b + 4096 + 128, info, ilen);
	}
	put(b + 4096 + 96, 64, 8, be);          /* max_mapnr_64 */
	memset(b + 8192, 0xff, 8);              /* bitmap 1: 64 pages exist */
	b[12288] = 0x0b;                        /* bitmap 2: 3 pages dumped */
	for (int i = 0; i < 3; i++) {
		put(b + table + 24 * (size_t)i, off, 8, be);
		put(b + table + 24 * (size_t)i + 8, 100u * (unsigned)(i + 1), 4, be);
		put(b + table + 24 * (size_t)i + 12, 1, 4, be);
		off += 100u * (unsigned)(i + 1);
	}
	for (size_t i = data; i < len; i++)
		b[i] = (unsigned char)(i * 7);
	*ret_len = len;
	return b;
}

/* The flattened form of `inner`, in chunks of `chunk` bytes. */
unsigned char *tv_flat(const unsigned char *inner, size_t len, size_t chunk,
                       size_t *ret_len)
{
	size_t n = (len + chunk - 1) / chunk, out = 4096 + n * 16 + len + 16, p = 4096;
	unsigned char *b = calloc(1, out);

	if (!b)
		abort();
	memcpy(b, "makedumpfile", 12);
	put(b + 16, 1, 8, true);
	put(b + 24, 1, 8, true);
	for (size_t off = 0; off < len; off += chunk) {
		size_t sz = len - off < chunk ? len - off : chunk;

		put(b + p, off, 8, true);
		put(b + p + 8, sz, 8, true);
		memcpy(b + p + 16, inner + off, sz);
		p += 16 + sz;
	}
	memset(b + p, 0xff, 16);
	*ret_len = out;
	return b;
}

static char *scratch;

static void setup(void)
{
	scratch = tu_copy_tree(NULL);
}

static void teardown(void)
{
	tu_rm_tree(scratch);
	scratch = NULL;
}

/* A file in memory holding the first `len` bytes of `data`: the cuts and
 * garbles below make tens of thousands of them. */
static int file_with(const void *data, size_t len)
{
	int fd = memfd_create("vmcore", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert(len == 0 || pwrite(fd, data, len, 0) == (ssize_t)len);
	return fd;
}

static void inspect(const void *data, size_t len, const char *name, struct vmcore_info *v)
{
	int fd = file_with(data, len);

	ck_assert_int_eq(vmcore_inspect(fd, name, v), 0);
	close(fd);
	ck_assert_uint_eq(v->size, len);
	/* whatever the file, incomplete always says why */
	ck_assert(v->complete || v->problem);
}

static void assert_str(const char *got, const char *want)
{
	if (!want)
		ck_assert_msg(!got, "got \"%s\", expected none", got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0, "got \"%s\", expected \"%s\"",
		              got ? got : "(null)", want);
}

/* Inspecting every prefix of `b` (and garbling it) never fails hard; a
 * prefix is never complete. */
static void every_cut(const unsigned char *b, size_t len, size_t step_after)
{
	for (size_t cut = 0; cut < len; cut += cut < step_after ? 1 : 97) {
		struct vmcore_info v;

		inspect(b, cut, "vmcore", &v);
		ck_assert_msg(!v.complete, "cut at %zu of %zu: reported complete", cut, len);
		ck_assert_msg(v.problem != NULL, "cut at %zu: no problem", cut);
		vmcore_info_clear(&v);
	}
}

/* Each byte of the headers set to a few bad values, one at a time. */
static void every_garble(const unsigned char *b, size_t len, size_t upto)
{
	static const unsigned char vals[] = { 0x00, 0xff, 0x7f, 0x80, 0x01 };
	unsigned char *c = malloc(len);

	ck_assert_ptr_nonnull(c);
	for (size_t i = 0; i < upto && i < len; i++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			struct vmcore_info v;

			memcpy(c, b, len);
			c[i] = vals[k];
			inspect(c, len, "vmcore", &v);
			vmcore_info_clear(&v);
		}
	}
	free(c);
}

/* Random bytes overwritten, deterministic. */
static void random_garble(const unsigned char *b, size_t len, unsigned rounds)
{
	unsigned char *c = malloc(len);
	uint64_t x = 0x9e3779b97f4a7c15ull;

	ck_assert_ptr_nonnull(c);
	for (unsigned r = 0; r < rounds; r++) {
		struct vmcore_info v;

		memcpy(c, b, len);
		for (int k = 0; k < 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			c[(x >> 8) % len] = (unsigned char)x;
		}
		inspect(c, len, "vmcore", &v);
		vmcore_info_clear(&v);
	}
	free(c);
}

START_TEST(elf_fields)
{
	size_t len;
	unsigned char *b = tv_elf_core(INFO_TEXT, &len);
	struct vmcore_info v;

	inspect(b, len, "vmcore", &v);
	ck_assert_int_eq(v.format, VMCORE_ELF);
	ck_assert_str_eq(vmcore_format_name(v.format), "elf");
	assert_str(v.release, "6.1.0-26-amd64");
	ck_assert(v.have_time);
	ck_assert_int_eq(v.crash_time, 1700000000);
	ck_assert(v.complete);
	assert_str(v.problem, NULL);
	assert_str(v.panic, NULL);
	vmcore_info_clear(&v);
	free(b);
}
END_TEST

START_TEST(elf_without_vmcoreinfo)
{
	size_t len;
	unsigned char *b = tv_elf_core("OSRELEASE=x\n", &len);
	struct vmcore_info v;

	/* rename the note: a process core, say */
	memcpy(memmem(b, len, "VMCOREINFO", 10), "VMCOREINFX", 10);
	inspect(b, len, "vmcore", &v);
	ck_assert_int_eq(v.format, VMCORE_ELF);
	assert_str(v.release, NULL);
	ck_assert(!v.have_time);
	ck_assert(v.complete);
	assert_str(v.problem, "no VMCOREINFO note");
	vmcore_info_clear(&v);
	free(b);
}
END_TEST

START_TEST(elf_truncated)
{
	size_t len;
	unsigned char *b = tv_elf_core(INFO_TEXT, &len);
	struct vmcore_info v;

	every_cut(b, len, len);
	/* the last byte missing: the segments say how long it should be */
	inspect(b, len - 1, "vmcore", &v);
	ck_assert(!v.complete);
	assert_str(v.release, "6.1.0-26-amd64");
	ck_assert_msg(strstr(v.problem, "truncated"), "%s", v.problem);
	vmcore_info_clear(&v);
	free(b);
}
END_TEST

static void elf_bad(unsigned char *b, size_t len, const char *want)
{
	struct vmcore_info v;

	inspect(b, len, "vmcore", &v);
	ck_assert(!v.complete);
	ck_assert_msg(v.problem && strstr(v.problem, want), "problem \"%s\", expected \"%s\"",
	              v.problem, want);
	vmcore_info_clear(&v);
}

START_TEST(elf_garbled)
{
	size_t len;
	unsigned char *orig = tv_elf_core(INFO_TEXT, &len), *b = malloc(len);

	ck_assert_ptr_nonnull(b);
#define FRESH() memcpy(b, orig, len)
	FRESH(); put(b + 56, 0xfffe, 2, false);
	elf_bad(b, len, "run past the end");
	FRESH(); put(b + 56, PN_XNUM, 2, false);
	elf_bad(b, len, "no section header");
	FRESH(); put(b + 56, PN_XNUM, 2, false); put(b + 40, 1u << 30, 8, false);
	put(b + 58, 64, 2, false);
	elf_bad(b, len, "section headers");
	FRESH(); put(b + 32, UINT64_MAX - 8, 8, false);
	elf_bad(b, len, "run past the end");
	FRESH(); b[EI_DATA] = ELFDATA2MSB;      /* wrong byte order */
	elf_bad(b, len, "wrong byte order");
	FRESH(); b[EI_CLASS] = 7;
	elf_bad(b, len, "class");
	FRESH(); put(b + 16, ET_EXEC, 2, false);
	elf_bad(b, len, "not a core");
	FRESH(); put(b + 54, 32, 2, false);
	elf_bad(b, len, "program header size");
	FRESH(); put(b + 56, 0, 2, false);
	elf_bad(b, len, "without program headers");
	/* the note runs past the end of the file */
	FRESH(); put(b + 64 + 32, len, 8, false);
	elf_bad(b, len, "note segment 0 runs past the end");
	/* absurd note size and offset overflow */
	FRESH(); put(b + 64 + 32, UINT64_C(1) << 62, 8, false);
	elf_bad(b, len, "truncated");
	FRESH(); put(b + 64 + 56 + 8, UINT64_MAX - 10, 8, false);
	elf_bad(b, len, "overflow");
	/* a note whose size field lies: still no crash, still complete */
	FRESH(); put(memmem(b, len, "VMCOREINFO", 10) - 8, 1u << 30, 4, false);
	{
		struct vmcore_info v;

		inspect(b, len, "vmcore", &v);
		assert_str(v.release, NULL);
		vmcore_info_clear(&v);
	}
#undef FRESH
	every_garble(orig, len, 64 + 3 * 56 + 80);
	random_garble(orig, len, 1000);
	free(b);
	free(orig);
}
END_TEST

static void check_kdump(bool be)
{
	size_t len;
	unsigned char *b = tv_kdump("6.8.0-45-generic", 1700000100, INFO_TEXT, be, &len);
	struct vmcore_info v;

	inspect(b, len, "dump.202401020304", &v);
	ck_assert_int_eq(v.format, VMCORE_KDUMP_COMPRESSED);
	ck_assert_str_eq(vmcore_format_name(v.format), "kdump-compressed");
	/* the vmcoreinfo wins over the utsname copy and the header time */
	assert_str(v.release, "6.1.0-26-amd64");
	ck_assert(v.have_time);
	ck_assert_int_eq(v.crash_time, 1700000000);
	ck_assert(v.complete);
	assert_str(v.problem, NULL);
	vmcore_info_clear(&v);
	free(b);

	/* without vmcoreinfo: the header's release and time */
	b = tv_kdump("6.8.0-45-generic", 1700000100, NULL, be, &len);
	inspect(b, len, "vmcore", &v);
	assert_str(v.release, "6.8.0-45-generic");
	ck_assert_int_eq(v.crash_time, 1700000100);
	ck_assert(v.complete);
	vmcore_info_clear(&v);
	free(b);
}

START_TEST(kdump_fields)
{
	check_kdump(false);
	check_kdump(true);
}
END_TEST

START_TEST(kdump_incomplete_flag)
{
	size_t len;
	unsigned char *b = tv_kdump("6.1.0", 1700000100, INFO_TEXT, false, &len);
	struct vmcore_info v;

	put(b + 424, 0x8, 4, false);
	inspect(b, len, "vmcore", &v);
	ck_assert(!v.complete);
	assert_str(v.release, "6.1.0-26-amd64");
	ck_assert_msg(strstr(v.problem, "marked the dump incomplete"), "%s", v.problem);
	vmcore_info_clear(&v);
	free(b);
}
END_TEST

START_TEST(kdump_truncated)
{
	size_t len;
	unsigned char *b = tv_kdump("6.1.0", 1700000100, INFO_TEXT, false, &len);

	/* every byte of the headers and bitmaps, then every 97th */
	every_cut(b, len, 8192);
	free(b);
	b = tv_kdump("6.1.0", 1700000100, INFO_TEXT, true, &len);
	every_cut(b, len, 4096 + 200);
	free(b);
}
END_TEST

START_TEST(kdump_garbled)
{
	size_t len;
	unsigned char *orig = tv_kdump("6.1.0", 1700000100, INFO_TEXT, false, &len);
	unsigned char *b = malloc(len);

	ck_assert_ptr_nonnull(b);
#define FRESH() memcpy(b, orig, len)
	FRESH(); put(b + 8, 0, 4, false);
	elf_bad(b, len, "header version");
	FRESH(); put(b + 428, 3000, 4, false);
	elf_bad(b, len, "block size");
	FRESH(); put(b + 428, 1u << 31, 4, false);
	elf_bad(b, len, "block size");
	FRESH(); put(b + 436, 0xffffffffu, 4, false);
	elf_bad(b, len, "bitmap blocks");
	FRESH(); put(b + 436, 0, 4, false);
	elf_bad(b, len, "bitmap blocks");
	FRESH(); put(b + 432, 0x7fffffff, 4, false);
	elf_bad(b, len, "truncated");
	FRESH(); memset(b + 12288, 0xff, 4096);   /* far more pages than written */
	elf_bad(b, len, "page descriptor table");
	FRESH(); memset(b + 16384 + 48, 0, 24);  /* last descriptor never written */
	elf_bad(b, len, "inside the headers");
	FRESH(); put(b + 16384 + 48, UINT64_MAX, 8, false);
	elf_bad(b, len, "inside the headers");
	FRESH(); put(b + 16384 + 56, 0xffffffffu, 4, false);
	elf_bad(b, len, "truncated");
	/* vmcoreinfo pointing past the end, or absurdly large */
	FRESH(); put(b + 4096 + 32, UINT64_MAX - 4, 8, false);
	elf_bad(b, len, "vmcoreinfo");
	FRESH(); put(b + 4096 + 40, UINT64_MAX, 8, false);
	{
		struct vmcore_info v;

		inspect(b, len, "vmcore", &v);
		ck_assert(v.complete);
		assert_str(v.release, "6.1.0");
		vmcore_info_clear(&v);
	}
	/* control characters in the release never reach the output */
	FRESH(); memset(b + 4096 + 32, 0, 16); memcpy(b + 142, "6.1\n\033[2J", 8);
	{
		struct vmcore_info v;

		inspect(b, len, "vmcore", &v);
		assert_str(v.release, "6.1??[2J");
		vmcore_info_clear(&v);
	}
#undef FRESH
	every_garble(orig, len, 464);
	random_garble(orig, len, 1000);
	free(b);
	free(orig);
}
END_TEST

START_TEST(flat_fields)
{
	size_t klen, len;
	unsigned char *k = tv_kdump("6.1.0", 1700000100, INFO_TEXT, false, &klen);
	struct vmcore_info v;

	/* chunk sizes that split the header, the sub-header, the vmcoreinfo */
	static const size_t chunks[] = { 100000, 4096, 1000, 300, 64 };
	for (size_t i = 0; i < sizeof(chunks) / sizeof(*chunks); i++) {
		unsigned char *b = tv_flat(k, klen, chunks[i], &len);

		inspect(b, len, "vmcore.flat", &v);
		ck_assert_int_eq(v.format, VMCORE_FLATTENED);
		ck_assert_str_eq(vmcore_format_name(v.format), "flattened");
		ck_assert(v.complete);
		assert_str(v.problem, NULL);
		if (chunks[i] >= 464) {
			/* the header in the first chunk, the vmcoreinfo whole in one */
			ck_assert(v.have_time);
			ck_assert_int_eq(v.crash_time, 1700000000);
			assert_str(v.release, "6.1.0-26-amd64");
		} else {
			/* a header split over chunks is not pieced together */
			ck_assert(!v.have_time);
			assert_str(v.release, NULL);
		}
		vmcore_info_clear(&v);
		free(b);
	}
	free(k);
}
END_TEST

START_TEST(flat_truncated_and_garbled)
{
	size_t klen, len;
	unsigned char *k = tv_kdump("6.1.0", 1700000100, INFO_TEXT, false, &klen);
	unsigned char *b = tv_flat(k, klen, 1000, &len), *c = malloc(len);
	struct vmcore_info v;

	ck_assert_ptr_nonnull(c);
	every_cut(b, len, 4096 + 1024);
	/* a negative size, an absurd size, a bad type */
	memcpy(c, b, len); put(c + 4096 + 8, (uint64_t)-5, 8, true);
	elf_bad(c, len, "garbled");
	memcpy(c, b, len); put(c + 4096 + 8, UINT64_C(1) << 62, 8, true);
	elf_bad(c, len, "runs past the end");
	memcpy(c, b, len); put(c + 16, 2, 8, true);
	elf_bad(c, len, "not known");
	/* the marker missing: the data ends where a header should be */
	inspect(b, len - 16, "vmcore.flat", &v);
	ck_assert(!v.complete);
	ck_assert_msg(strstr(v.problem, "without the end marker"), "%s", v.problem);
	vmcore_info_clear(&v);
	every_garble(b, len, 4096 + 16 + 600);
	random_garble(b, len, 1000);
	free(c);
	free(b);
	free(k);
}
END_TEST

START_TEST(unknown_and_empty)
{
	struct vmcore_info v;

	inspect("", 0, "vmcore", &v);
	ck_assert(!v.complete);
	assert_str(v.problem, "empty file");
	vmcore_info_clear(&v);
	inspect("hello world, this is text", 25, "vmcore", &v);
	ck_assert_int_eq(v.format, VMCORE_UNKNOWN);
	ck_assert_str_eq(vmcore_format_name(v.format), "unknown");
	ck_assert(!v.complete);
	ck_assert_ptr_nonnull(v.problem);
	vmcore_info_clear(&v);
	inspect("\177ELF", 4, "vmcore", &v);
	ck_assert_int_eq(v.format, VMCORE_ELF);
	ck_assert(!v.complete);
	vmcore_info_clear(&v);
	inspect("KDUMP   ", 8, "vmcore", &v);
	ck_assert_int_eq(v.format, VMCORE_KDUMP_COMPRESSED);
	ck_assert(!v.complete);
	vmcore_info_clear(&v);
}
END_TEST

static void assert_panic(const char *log, const char *want)
{
	char *got = dmesg_panic_message(log, strlen(log));

	assert_str(got, want);
	free(got);
}

START_TEST(panic_messages)
{
	assert_panic("", NULL);
	assert_panic("[    0.000000] Linux version 6.1.0\n[    1.0] all fine\n", NULL);
	assert_panic("[  232.914076] sysrq: Trigger a crash\n"
	             "[  232.914100] Kernel panic - not syncing: sysrq triggered crash\n"
	             "[  232.914200] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n",
	             "Kernel panic - not syncing: sysrq triggered crash");
	/* older kernels: the trigger oopses, no panic line */
	assert_panic("[  10.1] SysRq : Trigger a crash\n[  10.2] BUG: unable to handle "
	             "kernel NULL pointer dereference at (null)\n",
	             "SysRq : Trigger a crash");
	assert_panic("[ 5.0] Kernel panic - not syncing: Fatal exception in interrupt  \r\n",
	             "Kernel panic - not syncing: Fatal exception in interrupt");
	/* no line end at the end of the log */
	assert_panic("x\nKernel panic - not syncing: VFS: Unable to mount root fs",
	             "Kernel panic - not syncing: VFS: Unable to mount root fs");
	/* only the end marker survived (the log was cut) */
	assert_panic("[ 1.0] ---[ end Kernel panic - not syncing: Oops ]---\n",
	             "Kernel panic - not syncing: Oops");
	/* the first panic is the one that counts */
	assert_panic("Kernel panic - not syncing: first\nKernel panic - not syncing: second\n",
	             "Kernel panic - not syncing: first");
	/* control characters are masked, the length bounded */
	assert_panic("Kernel panic - not syncing: a\033b\n", "Kernel panic - not syncing: a?b");
	{
		char big[2000];
		char *got;

		memset(big, 'x', sizeof(big));
		memcpy(big, "Kernel panic - not syncing: ", 28);
		got = dmesg_panic_message(big, sizeof(big));
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(strlen(got), 512);
		free(got);
	}
	/* NUL bytes inside a log do not end the search */
	{
		static const char log[] = "junk\0junk\nKernel panic - not syncing: after NUL\n";
		char *got = dmesg_panic_message(log, sizeof(log) - 1);

		assert_str(got, "Kernel panic - not syncing: after NUL");
		free(got);
	}
}
END_TEST

START_TEST(dmesg_files)
{
	static const char log[] = "[ 1.0] boot\n[ 9.5] Kernel panic - not syncing: hung_task: blocked tasks\n";
	struct vmcore_info v;

	inspect(log, sizeof(log) - 1, "vmcore-dmesg.txt", &v);
	ck_assert_int_eq(v.format, VMCORE_DMESG);
	ck_assert_str_eq(vmcore_format_name(v.format), "dmesg");
	assert_str(v.panic, "Kernel panic - not syncing: hung_task: blocked tasks");
	ck_assert(v.complete);
	assert_str(v.release, NULL);
	vmcore_info_clear(&v);
	inspect(log, sizeof(log) - 1, "dmesg.202401020304", &v);
	ck_assert_int_eq(v.format, VMCORE_DMESG);
	vmcore_info_clear(&v);
	inspect("", 0, "dmesg.202401020304", &v);
	ck_assert(!v.complete);
	assert_str(v.problem, "empty kernel log");
	vmcore_info_clear(&v);
}
END_TEST

START_TEST(not_regular)
{
	int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct vmcore_info v;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vmcore_inspect(fd, "vmcore", &v), -EINVAL);
	close(fd);
	vmcore_info_clear(NULL);
}
END_TEST


/* CRASHTIME and the kdump header's time: read without overflow, and a
 * time that is not plausible (before 2000, or more than a day from now)
 * is none, so that the dump's name or file time is taken instead. */
static bool elf_time(const char *crashtime, int64_t *ret)
{
	char info[128];
	size_t len;
	unsigned char *b;
	struct vmcore_info v;
	bool have;

	snprintf(info, sizeof(info), "OSRELEASE=6.1.0-26-amd64\nCRASHTIME=%s\n", crashtime);
	b = tv_elf_core(info, &len);
	inspect(b, len, "vmcore", &v);
	ck_assert(v.complete);
	have = v.have_time;
	*ret = v.crash_time;
	vmcore_info_clear(&v);
	free(b);
	return have;
}

START_TEST(crash_time_plausible)
{
	int64_t now = (int64_t)time(NULL), t;
	char s[32];
	size_t len;
	unsigned char *b;
	struct vmcore_info v;

	ck_assert(!elf_time("9999999999999999999", &t));     /* overflows int64_t */
	ck_assert(!elf_time("9223372036854775808", &t));     /* INT64_MAX + 1 */
	ck_assert(!elf_time("99999999999", &t));             /* the year 5138 */
	ck_assert(!elf_time("946684799", &t));               /* 1999-12-31 */
	ck_assert(elf_time("946684800", &t));
	ck_assert_int_eq(t, 946684800);
	snprintf(s, sizeof(s), "%lld", (long long)(now + 2 * 86400));
	ck_assert(!elf_time(s, &t));
	snprintf(s, sizeof(s), "%lld", (long long)(now + 3600));
	ck_assert(elf_time(s, &t));
	ck_assert_int_eq(t, now + 3600);
	/* the kdump header's time, with no CRASHTIME */
	b = tv_kdump("6.1.0-26-amd64", INT64_C(99999999999), "OSRELEASE=6.1.0-26-amd64\n",
	             false, &len);
	inspect(b, len, "vmcore", &v);
	ck_assert(!v.have_time);
	vmcore_info_clear(&v);
	free(b);
}
END_TEST

/* What is taken from a file never holds a control character: C0, DEL,
 * and C1 (U+0080 to U+009F, "\302\233" is the CSI of a terminal). */
START_TEST(clean_drops_controls)
{
	size_t len;
	unsigned char *b = tv_elf_core("OSRELEASE=6.1\302\233" "31m\033[2K\177x\302\240\303\251\n",
	                               &len);
	struct vmcore_info v;

	inspect(b, len, "vmcore", &v);
	/* U+00A0 and U+00E9 are printable and stay */
	assert_str(v.release, "6.1?31m?[2K?x\302\240\303\251");
	vmcore_info_clear(&v);
	free(b);
}
END_TEST

Suite *skd_vmcore_suite(void)
{
	Suite *s = suite_create("vmcore");
	TCase *tc = tcase_create("formats");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, elf_fields);
	tcase_add_test(tc, elf_without_vmcoreinfo);
	tcase_add_test(tc, elf_truncated);
	tcase_add_test(tc, elf_garbled);
	tcase_add_test(tc, kdump_fields);
	tcase_add_test(tc, kdump_incomplete_flag);
	tcase_add_test(tc, kdump_truncated);
	tcase_add_test(tc, kdump_garbled);
	tcase_add_test(tc, flat_fields);
	tcase_add_test(tc, flat_truncated_and_garbled);
	tcase_add_test(tc, unknown_and_empty);
	tcase_add_test(tc, panic_messages);
	tcase_add_test(tc, dmesg_files);
	tcase_add_test(tc, not_regular);
	tcase_add_test(tc, crash_time_plausible);
	tcase_add_test(tc, clean_drops_controls);
	suite_add_tcase(s, tc);
	return s;
}

#ifndef SKD_VMCORE_TEST_NO_MAIN
SKD_TEST_MAIN(skd_vmcore_suite)
#endif
