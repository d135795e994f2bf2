/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "note.h"
#include "testutil.h"

/* --- note_parse_payload on byte strings ------------------------------ */

#define P(s) (s), sizeof(s)     /* with the final NUL */

static void payload_bad(const char *desc, size_t len, const char *why)
{
	struct backend_note n = { .name = (char *)"untouched" };
	int r;

	diag_clear();
	r = note_parse_payload(desc, len, "lib.so", &n);
	ck_assert_msg(r == -EINVAL, "accepted (%d): %s", r, diag_message());
	ck_assert_str_eq(n.name, "untouched");     /* only filled on success */
	ck_assert_msg(strncmp(diag_message(), "lib.so: ", 8) == 0, "'%s'",
	              diag_message());
	ck_assert_msg(strstr(diag_message(), why), "'%s' lacks '%s'",
	              diag_message(), why);
}

START_TEST(test_payload_good)
{
	struct backend_note n = { 0 };

	ck_assert_int_eq(note_parse_payload(P("format=1\0name=debian\0abi=1.0\0"
	                                      "ids=debian ubuntu"), "x", &n), 0);
	ck_assert_str_eq(n.name, "debian");
	ck_assert_uint_eq(n.abi_major, 1);
	ck_assert_uint_eq(n.abi_minor, 0);
	ck_assert_str_eq(n.ids[0], "debian");
	ck_assert_str_eq(n.ids[1], "ubuntu");
	ck_assert_ptr_null(n.ids[2]);
	note_clear(&n);
	ck_assert_ptr_null(n.name);
	ck_assert_ptr_null(n.ids);
	note_clear(&n);         /* twice is harmless */
}
END_TEST

START_TEST(test_payload_macro)
{
	/* exactly what SKD_BACKEND_NOTE puts in a backend */
	static const char payload[] = SKD__NOTE_PAYLOAD("rhel", "rhel centos almalinux");
	struct backend_note n = { 0 };

	ck_assert_int_eq(note_parse_payload(payload, sizeof(payload), "x", &n), 0);
	ck_assert_str_eq(n.name, "rhel");
	ck_assert_uint_eq(n.abi_major, SKD_ABI_MAJOR);
	ck_assert_uint_eq(n.abi_minor, SKD_ABI_MINOR);
	ck_assert_str_eq(n.ids[2], "almalinux");
	note_clear(&n);
}
END_TEST

START_TEST(test_payload_order_unknown_padding)
{
	struct backend_note n = { 0 };

	/* any order; unknown keys ignored; NUL padding skipped */
	ck_assert_int_eq(note_parse_payload(P("ids=a\0future=x y\0abi=12.34\0"
	                                      "name=n.a_m-e\0format=1\0\0\0"), "x", &n), 0);
	ck_assert_str_eq(n.name, "n.a_m-e");
	ck_assert_uint_eq(n.abi_major, 12);
	ck_assert_uint_eq(n.abi_minor, 34);
	ck_assert_str_eq(n.ids[0], "a");
	ck_assert_ptr_null(n.ids[1]);
	note_clear(&n);
}
END_TEST

START_TEST(test_payload_framing)
{
	payload_bad("", 0, "empty payload");
	payload_bad("format=1\0name=a\0abi=1.0\0ids=a", 29, "not NUL-terminated");
	payload_bad("format=1", 8, "not NUL-terminated");
	payload_bad(P("format=1\0name=a\0abi=1.0\0ids=a\0junk"), "'junk' is not key=value");
	payload_bad(P("format=1\0format=1\0name=a\0abi=1.0\0ids=a"), "'format' twice");
	payload_bad(P("format=1\0name=a\0name=b\0abi=1.0\0ids=a"), "'name' twice");
	{
		char *big = calloc(1, 8192);
		ck_assert_ptr_nonnull(big);
		payload_bad(big, 8192, "8192 bytes");
		free(big);
	}
}
END_TEST

START_TEST(test_payload_format)
{
	payload_bad(P("name=a\0abi=1.0\0ids=a"), "no format=");
	payload_bad(P("format=2\0name=a\0abi=1.0\0ids=a"), "format '2' is unknown");
	payload_bad(P("format=\0name=a\0abi=1.0\0ids=a"), "format '' is unknown");
	payload_bad(P("format=1 \0name=a\0abi=1.0\0ids=a"), "is unknown");
	/* an unknown format is reported even when the rest is garbage */
	payload_bad(P("format=9\0name=A B"), "format '9' is unknown");
}
END_TEST

START_TEST(test_payload_missing)
{
	payload_bad(P("format=1\0abi=1.0\0ids=a"), "no name=");
	payload_bad(P("format=1\0name=a\0ids=a"), "no abi=");
	payload_bad(P("format=1\0name=a\0abi=1.0"), "no ids=");
}
END_TEST

START_TEST(test_payload_abi)
{
	static const char *const bad[] = {
		"", "1", "1.", ".1", "a.b", "1.2.3", "+1.0", " 1.0", "1.0 ",
		"-1.0", "1.-0", "1234567890.0", "1.1234567890", "0x1.0", "one.zero",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[128];
		int n = snprintf(buf, sizeof(buf), "format=1%cname=a%cabi=%s%cids=a",
		                 0, 0, bad[i], 0);
		char *want = tu_printf("abi '%s' is not MAJOR.MINOR", bad[i]);

		payload_bad(buf, (size_t)n + 1, want);
		free(want);
	}
	{
		struct backend_note n = { 0 };
		ck_assert_int_eq(note_parse_payload(P("format=1\0name=a\0abi=007.123456789\0"
		                                      "ids=a"), "x", &n), 0);
		ck_assert_uint_eq(n.abi_major, 7);
		ck_assert_uint_eq(n.abi_minor, 123456789);
		note_clear(&n);
	}
}
END_TEST

START_TEST(test_payload_name_chars)
{
	payload_bad(P("format=1\0name=\0abi=1.0\0ids=a"), "name '' is not valid");
	payload_bad(P("format=1\0name=Debian\0abi=1.0\0ids=a"), "name 'Debian'");
	payload_bad(P("format=1\0name=../x\0abi=1.0\0ids=a"), "name '../x'");
	payload_bad(P("format=1\0name=a b\0abi=1.0\0ids=a"), "is not valid");
	/* a control character is not echoed as is */
	payload_bad(P("format=1\0name=a\033[2J\0abi=1.0\0ids=a"), "name 'a?[2J'");
	payload_bad(P("format=1\0name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	              "\0abi=1.0\0ids=a"), "is not valid");
}
END_TEST

START_TEST(test_payload_ids)
{
	static const char *const bad[] = {
		"", " ", "a  b", " a", "a ", "A", "a/b", "a\tb", "deb\xc3\xa9",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[128];
		int n = snprintf(buf, sizeof(buf), "format=1%cname=a%cabi=1.0%cids=%s",
		                 0, 0, 0, bad[i]);

		payload_bad(buf, (size_t)n + 1, "bad ids");
	}
}
END_TEST

/* --- note_read_fd on hand-built ELF files ---------------------------- */

struct buf {
	char *data;
	size_t len;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
	b->data = realloc(b->data, b->len + n + 4);
	ck_assert_ptr_nonnull(b->data);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	while (b->len % 4)
		b->data[b->len++] = 0;
}

/* One note record: header, owner (with its NUL), payload, each padded. */
static void add_note(struct buf *b, const char *owner, uint32_t type,
                     const char *desc, size_t descsz)
{
	uint32_t hdr[3] = { (uint32_t)strlen(owner) + 1, (uint32_t)descsz, type };

	buf_add(b, hdr, sizeof(hdr));
	buf_add(b, owner, strlen(owner) + 1);
	buf_add(b, desc, descsz);
}

static void add_our_note(struct buf *b, const char *payload, size_t len)
{
	add_note(b, SKD_NOTE_OWNER, SKD_NOTE_TYPE, payload, len);
}

#define GOOD_PAYLOAD "format=1\0name=mock\0abi=1.0\0ids=mockos"

/* A relocatable ELF file whose sections are these note sections. Returns
 * an fd open for reading at offset 0. */
static int write_elf(const struct buf *notes, size_t n)
{
	char path[] = "/tmp/skd-note-XXXXXX";
	char strtab[256] = "";
	size_t stroff = 1;
	size_t name_off[8];
	int fd;
	Elf *e;
	Elf64_Ehdr *eh;
	Elf_Scn *scn;
	Elf_Data *d;
	Elf64_Shdr *sh;

	ck_assert_uint_le(n, 8);
	ck_assert_uint_ne(elf_version(EV_CURRENT), EV_NONE);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	ck_assert_ptr_nonnull(e);
	eh = elf64_newehdr(e);
	ck_assert_ptr_nonnull(eh);
	eh->e_ident[EI_DATA] = (*(const uint16_t *)"\1\0" == 1) ? ELFDATA2LSB : ELFDATA2MSB;
	eh->e_type = ET_REL;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;

	for (size_t i = 0; i < n; i++) {
		name_off[i] = stroff;
		stroff += (size_t)sprintf(strtab + stroff, ".note.test%zu", i) + 1;
		scn = elf_newscn(e);
		ck_assert_ptr_nonnull(scn);
		d = elf_newdata(scn);
		d->d_buf = notes[i].data;
		d->d_size = notes[i].len;
		d->d_type = ELF_T_BYTE;         /* written as is, in host order */
		d->d_align = 4;
		sh = elf64_getshdr(scn);
		sh->sh_type = SHT_NOTE;
		sh->sh_name = (Elf64_Word)name_off[i];
		sh->sh_addralign = 4;
	}
	scn = elf_newscn(e);
	ck_assert_ptr_nonnull(scn);
	d = elf_newdata(scn);
	size_t shstr_name = stroff;
	stroff += (size_t)sprintf(strtab + stroff, ".shstrtab") + 1;
	d->d_buf = strtab;
	d->d_size = stroff;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	sh = elf64_getshdr(scn);
	sh->sh_type = SHT_STRTAB;
	sh->sh_name = (Elf64_Word)shstr_name;
	eh->e_shstrndx = (Elf64_Half)elf_ndxscn(scn);

	ck_assert_msg(elf_update(e, ELF_C_WRITE) > 0, "elf_update: %s", elf_errmsg(-1));
	elf_end(e);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static int read_notes(const struct buf *notes, size_t n, struct backend_note *ret)
{
	int fd = write_elf(notes, n);
	int r;

	diag_clear();
	r = note_read_fd(fd, "t.so", ret);
	close(fd);
	return r;
}

static void buf_free(struct buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(b[i].data);
}

START_TEST(test_elf_good_among_others)
{
	struct buf s[2] = { { 0 } };
	struct backend_note n = { 0 };

	add_note(&s[0], "GNU", 3, "\x01\x02\x03\x04", 4);
	/* our owner with another type: for later use, ignored today */
	add_note(&s[0], SKD_NOTE_OWNER, SKD_NOTE_TYPE + 1, "x", 1);
	add_our_note(&s[1], P(GOOD_PAYLOAD));
	ck_assert_int_eq(read_notes(s, 2, &n), 0);
	ck_assert_str_eq(n.name, "mock");
	ck_assert_str_eq(n.ids[0], "mockos");
	note_clear(&n);
	buf_free(s, 2);
}
END_TEST

START_TEST(test_elf_no_note)
{
	struct buf s[1] = { { 0 } };
	struct backend_note n = { 0 };

	ck_assert_int_eq(read_notes(s, 0, &n), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "t.so: no skyhook-kdump note"));

	add_note(&s[0], "GNU", 1, "abcd", 4);
	add_note(&s[0], "skyhook-kdum", SKD_NOTE_TYPE, P(GOOD_PAYLOAD));
	add_note(&s[0], "skyhook-kdumpx", SKD_NOTE_TYPE, P(GOOD_PAYLOAD));
	ck_assert_int_eq(read_notes(s, 1, &n), -ENOENT);
	buf_free(s, 1);
}
END_TEST

START_TEST(test_elf_two_notes)
{
	struct buf s[2] = { { 0 } };
	struct backend_note n = { 0 };

	add_our_note(&s[0], P(GOOD_PAYLOAD));
	add_our_note(&s[0], P(GOOD_PAYLOAD));
	ck_assert_int_eq(read_notes(s, 1, &n), -EINVAL);
	ck_assert_str_eq(diag_message(), "t.so: carries two skyhook-kdump notes, expected one");
	ck_assert_ptr_null(n.name);

	/* in two sections as well */
	add_our_note(&s[1], P(GOOD_PAYLOAD));
	free(s[0].data);
	s[0] = (struct buf){ 0 };
	add_our_note(&s[0], P(GOOD_PAYLOAD));
	ck_assert_int_eq(read_notes(s, 2, &n), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "two skyhook-kdump notes"));
	buf_free(s, 2);
}
END_TEST

START_TEST(test_elf_garbled_payload)
{
	struct buf s[1] = { { 0 } };
	struct backend_note n = { 0 };

	add_our_note(&s[0], GOOD_PAYLOAD, sizeof(GOOD_PAYLOAD) - 1);
	ck_assert_int_eq(read_notes(s, 1, &n), -EINVAL);
	ck_assert_str_eq(diag_message(), "t.so: backend note payload is not NUL-terminated");
	buf_free(s, 1);
}
END_TEST

START_TEST(test_elf_sizes_beyond_section)
{
	struct buf s[1] = { { 0 } };
	struct backend_note n = { 0 };
	uint32_t hdr[3] = { sizeof(SKD_NOTE_OWNER), 0x7ffffff0u, SKD_NOTE_TYPE };

	/* a header claiming a payload far past the end of the section */
	buf_add(&s[0], hdr, sizeof(hdr));
	buf_add(&s[0], SKD_NOTE_OWNER, sizeof(SKD_NOTE_OWNER));
	buf_add(&s[0], "format=1", 8);
	ck_assert_int_lt(read_notes(s, 1, &n), 0);
	ck_assert_ptr_null(n.name);
	buf_free(s, 1);

	s[0] = (struct buf){ 0 };
	hdr[0] = 0xfffffff0u;
	hdr[1] = 4;
	buf_add(&s[0], hdr, sizeof(hdr));
	buf_add(&s[0], "abcd", 4);
	ck_assert_int_lt(read_notes(s, 1, &n), 0);
	buf_free(s, 1);
}
END_TEST

START_TEST(test_elf_huge_note_section)
{
	struct buf s[1] = { { 0 } };
	struct backend_note n = { 0 };

	/* zeros are a run of empty notes: valid, but far too many bytes */
	s[0].len = 2u << 20;
	s[0].data = calloc(1, s[0].len);
	ck_assert_ptr_nonnull(s[0].data);
	ck_assert_int_eq(read_notes(s, 1, &n), -EINVAL);
	ck_assert_str_eq(diag_message(), "t.so: note section of 2097152 bytes, "
	                 "at most 1048576 expected");
	buf_free(s, 1);
}
END_TEST

static int fd_with(const void *data, size_t len)
{
	char path[] = "/tmp/skd-note-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

START_TEST(test_not_elf)
{
	static const char *const inputs[] = { "", "hello", "\177ELF", "!<arch>\nabc" };
	struct backend_note n = { 0 };

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		int fd = fd_with(inputs[i], strlen(inputs[i]));

		ck_assert_int_eq(note_read_fd(fd, "x.so", &n), -ENOEXEC);
		ck_assert_str_eq(diag_message(), "x.so: not an ELF file");
		close(fd);
	}
}
END_TEST

/* --- the built mock backends ----------------------------------------- */

static char *mock_path(const char *name)
{
	char *p = tu_printf("%s/tests/plugins/.libs/%s.so", tu_builddir(), name);
	struct stat st;

	ck_assert_msg(stat(p, &st) == 0, "%s not built", p);
	return p;
}

static int read_mock(const char *name, struct backend_note *ret)
{
	char *p = mock_path(name);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	int r;

	ck_assert_int_ge(fd, 0);
	diag_clear();
	r = note_read_fd(fd, p, ret);
	close(fd);
	free(p);
	return r;
}

START_TEST(test_mock_notes)
{
	struct backend_note n = { 0 };

	ck_assert_int_eq(read_mock("mock-good", &n), 0);
	ck_assert_str_eq(n.name, "mock-good");
	ck_assert_uint_eq(n.abi_major, SKD_ABI_MAJOR);
	ck_assert_uint_eq(n.abi_minor, SKD_ABI_MINOR);
	ck_assert_str_eq(n.ids[0], "mockos");
	ck_assert_ptr_null(n.ids[1]);
	note_clear(&n);

	ck_assert_int_eq(read_mock("mock-fail", &n), 0);
	ck_assert_str_eq(n.name, "mock-fail");
	ck_assert_str_eq(n.ids[0], "mockfail");
	note_clear(&n);

	ck_assert_int_eq(read_mock("mock-no-note", &n), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "mock-no-note.so: no skyhook-kdump note"));

	ck_assert_int_eq(read_mock("mock-bad-note", &n), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(),
	                             "mock-bad-note.so: backend note payload is not NUL-terminated"));
}
END_TEST

/* --- arbitrary bytes must never crash -------------------------------- */

static void check_result(int r, const struct backend_note *n)
{
	ck_assert_msg(r == 0 || r == -ENOENT || r == -EINVAL || r == -ENOEXEC,
	              "unexpected %d: %s", r, diag_message());
	if (r == 0) {
		ck_assert_ptr_nonnull(n->name);
		ck_assert_ptr_nonnull(n->ids);
		ck_assert_ptr_nonnull(n->ids[0]);
	} else {
		ck_assert_ptr_null(n->name);
		ck_assert_msg(diag_message()[0], "error %d without a message", r);
	}
}

START_TEST(test_truncated_mock)
{
	char *p = mock_path("mock-good");
	size_t len, step;
	char *data = tu_read(p, &len);
	char path[] = "/tmp/skd-note-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_ptr_nonnull(data);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	/* every length in the headers, then a stride through the rest */
	for (size_t l = 0; l < len; l += step) {
		struct backend_note n = { 0 };
		int r;

		step = l < 1024 ? 1 : 13;
		ck_assert_int_eq(ftruncate(fd, 0), 0);
		ck_assert_int_eq(pwrite(fd, data, l, 0), (ssize_t)l);
		diag_clear();
		r = note_read_fd(fd, "cut.so", &n);
		check_result(r, &n);
		/* the section headers are at the end: a cut file has none */
		ck_assert_msg(r < 0, "truncated at %zu of %zu, accepted", l, len);
		note_clear(&n);
	}
	close(fd);
	free(data);
	free(p);
}
END_TEST

START_TEST(test_flipped_bytes)
{
	char *p = mock_path("mock-good");
	size_t len;
	char *data = tu_read(p, &len);
	char *copy = malloc(len);
	char path[] = "/tmp/skd-note-XXXXXX";
	int fd = mkstemp(path);
	unsigned seed = 12345, accepted = 0, refused = 0;

	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	for (int iter = 0; iter < 3000; iter++) {
		struct backend_note n = { 0 };
		int flips = 1 + (int)(rand_r(&seed) % 16);
		int r;

		memcpy(copy, data, len);
		for (int i = 0; i < flips; i++) {
			/* half of the flips hit the first 4 KiB: headers and notes */
			size_t at = (rand_r(&seed) & 1) ? rand_r(&seed) % (len < 4096 ? len : 4096)
			                                : rand_r(&seed) % len;
			copy[at] = (char)(rand_r(&seed) & 0xff);
		}
		ck_assert_int_eq(pwrite(fd, copy, len, 0), (ssize_t)len);
		diag_clear();
		r = note_read_fd(fd, "flipped.so", &n);
		check_result(r, &n);
		if (r == 0)
			accepted++;
		else
			refused++;
		note_clear(&n);
	}
	/* both outcomes happen, or the mutation did not reach anything */
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_gt(refused, 0);
	close(fd);
	free(copy);
	free(data);
	free(p);
}
END_TEST

START_TEST(test_random_files)
{
	unsigned seed = 777;
	char path[] = "/tmp/skd-note-XXXXXX";
	int fd = mkstemp(path);
	char buf[4096];

	ck_assert_int_ge(fd, 0);
	unlink(path);
	for (int iter = 0; iter < 2000; iter++) {
		struct backend_note n = { 0 };
		size_t len = rand_r(&seed) % sizeof(buf);
		int r;

		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rand_r(&seed) & 0xff);
		/* a valid ELF identification, so libelf looks further */
		if (len >= 16 && iter % 2 == 0) {
			memcpy(buf, "\177ELF", 4);
			buf[4] = (char)(1 + rand_r(&seed) % 2);
			buf[5] = (char)(1 + rand_r(&seed) % 2);
			buf[6] = 1;
		}
		ck_assert_int_eq(ftruncate(fd, 0), 0);
		ck_assert_int_eq(pwrite(fd, buf, len, 0), (ssize_t)len);
		diag_clear();
		r = note_read_fd(fd, "random.so", &n);
		check_result(r, &n);
		ck_assert_int_lt(r, 0);
	}
	close(fd);
}
END_TEST

static Suite *skd_note_suite(void)
{
	Suite *s = suite_create("note");
	TCase *tc = tcase_create("payload");

	tcase_add_test(tc, test_payload_good);
	tcase_add_test(tc, test_payload_macro);
	tcase_add_test(tc, test_payload_order_unknown_padding);
	tcase_add_test(tc, test_payload_framing);
	tcase_add_test(tc, test_payload_format);
	tcase_add_test(tc, test_payload_missing);
	tcase_add_test(tc, test_payload_abi);
	tcase_add_test(tc, test_payload_name_chars);
	tcase_add_test(tc, test_payload_ids);
	suite_add_tcase(s, tc);

	tc = tcase_create("elf");
	tcase_add_test(tc, test_elf_good_among_others);
	tcase_add_test(tc, test_elf_no_note);
	tcase_add_test(tc, test_elf_two_notes);
	tcase_add_test(tc, test_elf_garbled_payload);
	tcase_add_test(tc, test_elf_sizes_beyond_section);
	tcase_add_test(tc, test_elf_huge_note_section);
	tcase_add_test(tc, test_not_elf);
	tcase_add_test(tc, test_mock_notes);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_truncated_mock);
	tcase_add_test(tc, test_flipped_bytes);
	tcase_add_test(tc, test_random_files);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_note_suite)
