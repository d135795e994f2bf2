/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "crashkernel.h"
#include "diag.h"
#include "testutil.h"

#define K (UINT64_C(1) << 10)
#define M (UINT64_C(1) << 20)
#define G (UINT64_C(1) << 30)
#define T (UINT64_C(1) << 40)
#define E (UINT64_C(1) << 60)
/* In the expectation tables: the value is refused on that RAM size. */
#define NO 0

#define WHAT "configmap 'crashkernel'"

/* The RAM sizes of the valid table's columns. 4G-1 rounds up to 4G like
 * every size within 128M below it; 1G-4G ranges end there. */
static const uint64_t ram_sizes[] = {
	512 * M, 1 * G, 2 * G, 4 * G - 1, 4 * G, 16 * G, 64 * G, 1 * T,
};
#define N_RAM (sizeof(ram_sizes) / sizeof(ram_sizes[0]))

struct valid {
	const char *input;
	const char *normalized;
	uint64_t bytes[N_RAM];
};

static const struct valid valid_cases[] = {
	/*                                            512M    1G      2G      4G-1    4G      16G     64G     1T */
	{ "256M", "256M",                         { 256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	{ "268435456", "256M",                    { 256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	{ "1536M", "1536M",                       { NO,     NO,     NO,     1536*M, 1536*M, 1536*M, 1536*M, 1536*M } },
	{ "1024M", "1G",                          { NO,     NO,     1*G,    1*G,    1*G,    1*G,    1*G,    1*G } },
	{ "1048576k", "1G",                       { NO,     NO,     1*G,    1*G,    1*G,    1*G,    1*G,    1*G } },
	{ "256m@16m", "256M@16M",                 { 256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	{ "crashkernel=256M\n", "256M",           { 256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	{ " \t256M \n", "256M",                   { 256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	{ "257M", "257M",                         { NO,     257*M,  257*M,  257*M,  257*M,  257*M,  257*M,  257*M } },
	{ "1E", "1E",                             { NO,     NO,     NO,     NO,     NO,     NO,     NO,     NO } },
	{ "2048G", "2T",                          { NO,     NO,     NO,     NO,     NO,     NO,     NO,     NO } },
	{ "512G", "512G",                         { NO,     NO,     NO,     NO,     NO,     NO,     NO,     512*G } },
	/* ,high gets the default low part (256M) when no ,low is given */
	{ "512M,high", "512M,high",               { NO,     NO,     768*M,  768*M,  768*M,  768*M,  768*M,  768*M } },
	{ "512M,high 128M,low", "512M,high 128M,low",
	                                          { NO,     NO,     640*M,  640*M,  640*M,  640*M,  640*M,  640*M } },
	{ "128M,low 512M,high", "128M,low 512M,high",
	                                          { NO,     NO,     640*M,  640*M,  640*M,  640*M,  640*M,  640*M } },
	{ "crashkernel=512m,high \t 128m,low", "512M,high 128M,low",
	                                          { NO,     NO,     640*M,  640*M,  640*M,  640*M,  640*M,  640*M } },
	{ "64M,high", "64M,high",                 { NO,     320*M,  320*M,  320*M,  320*M,  320*M,  320*M,  320*M } },
	/* distro defaults: Fedora/RHEL kexec-tools "auto" successors, Debian, Ubuntu, SUSE */
	{ "384M-:128M", "384M-:128M",             { 128*M,  128*M,  128*M,  128*M,  128*M,  128*M,  128*M,  128*M } },
	{ "512M-:192M", "512M-:192M",             { 192*M,  192*M,  192*M,  192*M,  192*M,  192*M,  192*M,  192*M } },
	/* 512M and 1G: a range before the match asks for the whole RAM */
	{ "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M",
	  "2G-4G:320M,4G-32G:512M,32G-64G:1G,64G-128G:2G,128G-:4G",
	                                          { NO,     NO,     320*M,  512*M,  512*M,  512*M,  2*G,    4*G } },
	/* 512M: the 64G- range's 512M is not below the RAM */
	{ "1G-4G:192M,4G-64G:256M,64G-:512M", "1G-4G:192M,4G-64G:256M,64G-:512M",
	                                          { NO,     192*M,  192*M,  256*M,  256*M,  256*M,  512*M,  512*M } },
	/* 1G: no range matches */
	{ "2G-64G:256M,64G-:512M", "2G-64G:256M,64G-:512M",
	                                          { NO,     NO,     256*M,  256*M,  256*M,  256*M,  512*M,  512*M } },
	{ "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M", "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M",
	                                          { NO,     160*M,  160*M,  192*M,  192*M,  192*M,  256*M,  512*M } },
	/* memparse: "384" is 384 bytes, so this range matches every machine,
	 * exactly as the kernel reads it */
	{ "384-:128M", "384-:128M",               { 128*M,  128*M,  128*M,  128*M,  128*M,  128*M,  128*M,  128*M } },
	{ "0-2G:128M,2G-:256M", "0-2G:128M,2G-:256M",
	                                          { 128*M,  128*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	/* out of order but disjoint: valid, order kept, first match wins */
	{ "4G-64G:256M,1G-4G:192M", "4G-64G:256M,1G-4G:192M",
	                                          { NO,     192*M,  192*M,  256*M,  256*M,  256*M,  NO,     NO } },
	/* the end is exclusive: 4G-1 rounds up to 4G, outside 1G-4G */
	{ "1g-4g:192m", "1G-4G:192M",             { NO,     192*M,  192*M,  NO,     NO,     NO,     NO,     NO } },
	{ "1G-:256M@16M", "1G-:256M@16M",         { NO,     256*M,  256*M,  256*M,  256*M,  256*M,  256*M,  256*M } },
	{ "1G-2G:128M,2G-4G:256M@64M", "1G-2G:128M,2G-4G:256M@64M",
	                                          { NO,     128*M,  256*M,  NO,     NO,     NO,     NO,     NO } },
	/* The kernel checks sizes only up to the matching range: the 8G of the
	 * second range does not refuse the value on 1G. */
	{ "0-2G:512M,2G-:8G", "0-2G:512M,2G-:8G", { NO,     512*M,  NO,     NO,     NO,     8*G,    8*G,    8*G } },
	{ "1t-:1t", "1T-:1T",                     { NO,     NO,     NO,     NO,     NO,     NO,     NO,     NO } },
	{ "1p-:1e", "1P-:1E",                     { NO,     NO,     NO,     NO,     NO,     NO,     NO,     NO } },
	{ "0-18446744073709551615:128M", "0-:128M",
	                                          { 128*M,  128*M,  128*M,  128*M,  128*M,  128*M,  128*M,  128*M } },
};

static void check_message(const char *what)
{
	const char *msg = diag_message();

	ck_assert_msg(strncmp(msg, what, strlen(what)) == 0 &&
	              strncmp(msg + strlen(what), ": ", 2) == 0,
	              "message does not start with \"%s: \": %s", what, msg);
	for (const char *p = msg; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p <= 0x7e,
		              "raw byte 0x%02x in message: %s", (unsigned char)*p, msg);
}

START_TEST(test_valid)
{
	const struct valid *c = &valid_cases[_i];
	struct crashkernel *ck = NULL, *again = NULL;

	diag_clear();
	ck_assert_msg(crashkernel_parse(c->input, strlen(c->input), WHAT, &ck) == 0,
	              "\"%s\" refused: %s", c->input, diag_message());
	ck_assert_str_eq(ck->normalized, c->normalized);
	ck_assert(!crashkernel_is_auto(ck));

	/* the normalized text is a fixed point */
	ck_assert_int_eq(crashkernel_parse(ck->normalized, strlen(ck->normalized),
	                                   WHAT, &again), 0);
	ck_assert_str_eq(again->normalized, c->normalized);
	crashkernel_free(again);

	for (size_t i = 0; i < N_RAM; i++) {
		uint64_t bytes = 12345;
		char ram[32];
		int r;

		diag_clear();
		r = crashkernel_reserved(ck, ram_sizes[i], "node 'n1'", &bytes);
		format_size(ram_sizes[i], ram, sizeof(ram));
		if (c->bytes[i] == NO) {
			ck_assert_msg(r == -EINVAL, "\"%s\" on %s: expected refusal, "
			              "got %d bytes %llu", c->input, ram, r,
			              (unsigned long long)bytes);
			ck_assert_msg(bytes == 12345, "output written on failure");
			check_message("node 'n1'");
		} else {
			ck_assert_msg(r == 0, "\"%s\" on %s refused: %s", c->input, ram,
			              diag_message());
			ck_assert_msg(bytes == c->bytes[i], "\"%s\" on %s: %llu, "
			              "expected %llu", c->input, ram,
			              (unsigned long long)bytes,
			              (unsigned long long)c->bytes[i]);
		}
	}
	crashkernel_free(ck);
}
END_TEST

struct invalid {
	const char *input;
	size_t len;             /* 0: strlen(input) */
	const char *reason;     /* a part of the message */
};

static const struct invalid invalid_cases[] = {
	{ "", 0, "empty value" },
	{ " \t\n", 0, "empty value" },
	{ "\n", 0, "empty value" },
	{ "crashkernel=", 0, "nothing after 'crashkernel='" },
	{ "crashkernel= 256M", 0, "blank after 'crashkernel='" },
	/* quotes and shell metacharacters */
	{ "256M\" init=/bin/sh", 0, "unexpected character '\"' at offset 4" },
	{ "'256M'", 0, "unexpected character '\\'' at offset 0" },
	{ "\"256M\"", 0, "unexpected character '\"' at offset 0" },
	{ "256M;reboot", 0, "unexpected character ';' at offset 4" },
	{ "$(reboot)", 0, "unexpected character '$' at offset 0" },
	{ "256M`id`", 0, "unexpected character '`' at offset 4" },
	{ "256M|cat", 0, "unexpected character '|'" },
	{ "256M&", 0, "unexpected character '&'" },
	{ "256M>x", 0, "unexpected character '>'" },
	{ "256M\\", 0, "unexpected character '\\\\'" },
	{ "256M #x", 0, "unexpected character '#' at offset 5" },
	/* newlines and control characters inside */
	{ "256M\nquiet", 0, "newline at offset 4" },
	{ "256M\n\n", 0, "newline at offset 4" },
	{ "\n256M", 0, "newline at offset 0" },
	{ "256M\r\n", 0, "control character '\\r' at offset 4" },
	{ "\x01" "256M", 0, "control character '\\x01' at offset 0" },
	{ "256M\x7f", 0, "control character '\\x7f'" },
	{ "256M\x1b[31m", 0, "control character '\\x1b'" },
	/* NUL and non-ASCII */
	{ "256M\0 init=/bin/sh", 18, "NUL byte at offset 4" },
	{ "\0", 1, "NUL byte at offset 0" },
	{ "256M\xc2\xa0", 0, "non-ASCII byte 0xc2 at offset 4" },
	{ "\xef\xbc\x92" "56M", 0, "non-ASCII byte 0xef at offset 0" },
	/* the prefix */
	{ "crashkernel=crashkernel=256M", 0, "'crashkernel=' given twice" },
	{ "crashkernel=512M,high crashkernel=128M,low", 0, "'crashkernel=' given twice" },
	{ "Crashkernel=256M", 0, "unexpected character 'C' at offset 0" },
	{ "crashkernel:256M", 0, "unexpected character 'c'" },
	/* numbers */
	{ "0x10000000", 0, "hexadecimal number at offset 0" },
	{ "0X100M", 0, "hexadecimal number" },
	{ "1G-0x100000000:128M", 0, "hexadecimal number at offset 3" },
	{ "0400M", 0, "leading zero at offset 0" },
	{ "1G-04G:128M", 0, "leading zero at offset 3" },
	{ "00-2G:128M", 0, "leading zero" },
	{ "18446744073709551616", 0, "does not fit in 64 bits" },
	{ "99999999999999999999999M", 0, "does not fit in 64 bits" },
	{ "16E", 0, "does not fit in 64 bits with its suffix 'E'" },
	{ "17179869184G", 0, "with its suffix 'G'" },
	{ "1G-16e:128M", 0, "with its suffix 'e'" },
	{ "-256M", 0, "unexpected character '-' at offset 0" },
	{ "+256M", 0, "unexpected character '+'" },
	{ "256MB", 0, "unexpected character 'B' at offset 4" },
	{ "256 M", 0, "unexpected character 'M' at offset 4 (expected a number)" },
	{ "256MM", 0, "unexpected character 'M'" },
	{ "1.5G", 0, "unexpected character '.'" },
	{ "256Z", 0, "unexpected character 'Z'" },
	/* zero sizes and offsets */
	{ "0", 0, "size 0 at offset 0" },
	{ "0M", 0, "size 0" },
	{ "0@16M", 0, "size 0" },
	{ "1G-:0", 0, "size 0 at offset 4" },
	{ "0-1G:0M,1G-:128M", 0, "size 0" },
	{ "0,high", 0, "size 0" },
	{ "512M,high 0K,low", 0, "size 0 at offset 10" },
	{ "256M@0", 0, "offset 0" },
	/* ranges */
	{ "4G-1G:256M", 0, "empty range at offset 0" },
	{ "1G-1G:256M", 0, "empty range" },
	{ "1G-2G:128M,3G-3G:256M", 0, "empty range at offset 11" },
	{ "1G-4G:192M,2G-8G:256M", 0, "range 2G-8G at offset 11 overlaps range 1G-4G" },
	{ "1G-:192M,2G-4G:256M", 0, "overlaps range 1G-" },
	{ "2G-4G:192M,0-:256M", 0, "overlaps" },
	{ "0-2G:128M,1G-3G:192M,4G-:256M", 0, "overlaps" },
	{ "1G-4G:192M,1G-4G:192M", 0, "overlaps" },
	/* no ':' means the simple syntax, as for the kernel */
	{ "1G-4G", 0, "unexpected character '-' at offset 2" },
	{ "1G-4G:256M 4G-", 0, "unexpected character '-' at offset 13" },
	{ "1G-4G:256M 4G-8G", 0, "unexpected character '-' at offset 13" },
	{ "1G-4G:256M 4G-8G:", 0, "unexpected end at offset 17 (expected a number)" },
	{ "1G-4G:256M 4G-8G:x", 0, "unexpected character 'x' at offset 17" },
	{ "1G-4G:256M 4G-8G :256M", 0, "unexpected character '-' at offset 13" },
	{ "1G-4G:256M :256M", 0, "unexpected character ':' at offset 11 (expected a number)" },
	{ "1G-4G:256M		4G-8G:", 0, "unexpected end at offset 18" },
	{ "1G-4G:256M 4G-8G:256M:", 0, "unexpected character ':' at offset 21" },
	{ "1G-4G-8G:256M", 0, "unexpected character '-' at offset 5 (expected ':')" },
	{ "1G-4G:", 0, "unexpected end at offset 6 (expected a number)" },
	{ "1G:256M", 0, "unexpected character ':' at offset 2 (expected '-')" },
	{ ":256M", 0, "unexpected character ':' at offset 0 (expected a number)" },
	{ "1G-4G:256M,", 0, "unexpected end at offset 11" },
	{ "1G-4G:256M,4G", 0, "unexpected end" },
	{ "1G-4G:256M@", 0, "unexpected end at offset 11 (expected a number)" },
	{ "1G-4G:256M@16M@32M", 0, "unexpected character '@' at offset 14" },
	{ "1G-4G:256M,high", 0, "unexpected character 'h'" },
	{ "1G-4G:256M;4G-:512M", 0, "unexpected character ';'" },
	{ "1G--4G:256M", 0, "unexpected character '-'" },
	/* simple forms and suffixes */
	{ "256M@", 0, "unexpected end at offset 5 (expected a number)" },
	{ "256M@16M@32M", 0, "unexpected character '@' at offset 8" },
	{ "256M,cma", 0, "unknown suffix ',cma' at offset 4" },
	{ "256M,foo", 0, "unknown suffix ',foo'" },
	{ "256M,HIGH", 0, "unexpected character 'H'" },
	{ "256M,high@16M", 0, "unexpected character '@' at offset 9" },
	{ "256M,high,low", 0, "unexpected character ','" },
	{ "256M,", 0, "unknown suffix ','" },
	{ "256M@16M,high", 0, "unexpected character ','" },
	/* auto */
	{ "AUTO", 0, "unexpected character 'A'" },
	{ "autox", 0, "unexpected character 'a'" },
	{ "auto 256M", 0, "'auto' at offset 0 cannot be combined" },
	{ "256M auto", 0, "'auto' at offset 5 cannot be combined" },
	{ "auto auto", 0, "cannot be combined" },
	{ "512M,high auto", 0, "cannot be combined" },
	/* combinations the kernel would ignore or override */
	{ "256M 512M", 0, "a size at offset 5 after a size at offset 0: the kernel would use only the last" },
	{ "256M 1G-:128M", 0, "a list of ranges at offset 5 after a size" },
	{ "1G-4G:192M 4G-:256M", 0, "would use only the last" },
	{ "256M 512M,high", 0, "',high' at offset 5 would be ignored by the kernel next to a size" },
	{ "128M,low 1G-:256M", 0, "',low' at offset 0 would be ignored" },
	{ "128M,low", 0, "',low' at offset 0 needs a ',high' item" },
	{ "512M,high 256M,high", 0, "',high' given twice (offsets 0 and 10)" },
	{ "512M,high 128M,low 64M,low", 0, "',low' given twice" },
};

START_TEST(test_invalid)
{
	const struct invalid *c = &invalid_cases[_i];
	size_t len = c->len ? c->len : strlen(c->input);
	struct crashkernel *ck = NULL;

	diag_clear();
	ck_assert_msg(crashkernel_parse(c->input, len, WHAT, &ck) == -EINVAL,
	              "\"%s\" accepted as \"%s\"", c->input,
	              ck ? ck->normalized : "?");
	ck_assert_ptr_null(ck);
	check_message(WHAT);
	ck_assert_msg(strstr(diag_message(), c->reason),
	              "\"%s\": message lacks \"%s\": %s", c->input, c->reason,
	              diag_message());
}
END_TEST

START_TEST(test_message_exact)
{
	static const char input[] = "256M\" init=/bin/sh";
	struct crashkernel *ck = NULL;

	ck_assert_int_eq(crashkernel_parse(input, strlen(input), WHAT, &ck), -EINVAL);
	ck_assert_str_eq(diag_message(), "configmap 'crashkernel': "
	                 "\"256M\\\" init=/bin/sh\": unexpected character '\"' "
	                 "at offset 4");
	ck_assert_int_eq(crashkernel_parse("\t256M\n\x02", 7, "x", &ck), -EINVAL);
	ck_assert_str_eq(diag_message(), "x: \"\\t256M\\n\\x02\": newline at "
	                 "offset 5 inside the value");
	ck_assert_int_eq(crashkernel_parse("\t256M\x02\n", 7, "x", &ck), -EINVAL);
	ck_assert_str_eq(diag_message(), "x: \"\\t256M\\x02\\n\": control "
	                 "character '\\x02' at offset 5");
}
END_TEST

START_TEST(test_too_long)
{
	char buf[CK_INPUT_MAX + 2];
	struct crashkernel *ck = NULL;

	/* 4096 bytes that trim to a valid value are fine, 4097 are not */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "256M", 4);
	ck_assert_int_eq(crashkernel_parse(buf, CK_INPUT_MAX, WHAT, &ck), 0);
	ck_assert_str_eq(ck->normalized, "256M");
	crashkernel_free(ck);
	ck = NULL;
	ck_assert_int_eq(crashkernel_parse(buf, CK_INPUT_MAX + 1, WHAT, &ck), -EINVAL);
	ck_assert_ptr_null(ck);
	check_message(WHAT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "too long: 4097 bytes"));
}
END_TEST

START_TEST(test_long_input_message_truncated)
{
	/* many valid ranges, then junk near the end: the message quotes a
	 * window around the junk, not all of the input */
	char *input = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&input, &n);
	struct crashkernel *ck = NULL;
	const char *msg;

	for (int i = 1; i < 200; i++)
		fprintf(f, "%s%dG-%dG:128M", i > 1 ? "," : "", i, i + 1);
	fputs(",\x01\xff", f);
	fclose(f);
	ck_assert_int_le(n, CK_INPUT_MAX);

	ck_assert_int_eq(crashkernel_parse(input, n, WHAT, &ck), -EINVAL);
	check_message(WHAT);
	msg = diag_message();
	ck_assert_msg(strlen(msg) < 400, "message too long: %s", msg);
	ck_assert_ptr_nonnull(strstr(msg, "\"..."));
	ck_assert_ptr_nonnull(strstr(msg, "\\x01\\xff\""));
	ck_assert_ptr_nonnull(strstr(msg, "non-ASCII byte 0xff"));
	free(input);
}
END_TEST

START_TEST(test_length_honoured)
{
	struct crashkernel *ck = NULL;

	/* the input need not be NUL-terminated where len ends */
	ck_assert_int_eq(crashkernel_parse("256M garbage", 4, WHAT, &ck), 0);
	ck_assert_str_eq(ck->normalized, "256M");
	crashkernel_free(ck);
}
END_TEST

START_TEST(test_structure)
{
	struct crashkernel *ck = NULL;

	ck_assert_int_eq(crashkernel_parse("crashkernel=1G-4G:192M,4G-:256M@16M",
	                                   35, WHAT, &ck), 0);
	ck_assert_uint_eq(ck->n_items, 1);
	ck_assert_int_eq(ck->items[0].kind, CK_RANGES);
	ck_assert_uint_eq(ck->items[0].n_ranges, 2);
	ck_assert_uint_eq(ck->items[0].ranges[0].start, 1 * G);
	ck_assert_uint_eq(ck->items[0].ranges[0].end, 4 * G);
	ck_assert_uint_eq(ck->items[0].ranges[0].size, 192 * M);
	ck_assert_uint_eq(ck->items[0].ranges[1].start, 4 * G);
	ck_assert_uint_eq(ck->items[0].ranges[1].end, UINT64_MAX);
	ck_assert_uint_eq(ck->items[0].ranges[1].size, 256 * M);
	ck_assert(ck->items[0].has_offset);
	ck_assert_uint_eq(ck->items[0].offset, 16 * M);
	crashkernel_free(ck);

	ck_assert_int_eq(crashkernel_parse("512M,high 128M,low", 18, WHAT, &ck), 0);
	ck_assert_uint_eq(ck->n_items, 2);
	ck_assert_int_eq(ck->items[0].kind, CK_HIGH);
	ck_assert_uint_eq(ck->items[0].size, 512 * M);
	ck_assert(!ck->items[0].has_offset);
	ck_assert_int_eq(ck->items[1].kind, CK_LOW);
	ck_assert_uint_eq(ck->items[1].size, 128 * M);
	crashkernel_free(ck);

	ck_assert_int_eq(crashkernel_parse("256M@16M", 8, WHAT, &ck), 0);
	ck_assert_uint_eq(ck->n_items, 1);
	ck_assert_int_eq(ck->items[0].kind, CK_SIZE);
	ck_assert_uint_eq(ck->items[0].size, 256 * M);
	ck_assert(ck->items[0].has_offset);
	ck_assert_uint_eq(ck->items[0].offset, 16 * M);
	ck_assert_ptr_null(ck->items[0].ranges);
	crashkernel_free(ck);
}
END_TEST

START_TEST(test_auto)
{
	struct crashkernel *ck = NULL;
	uint64_t bytes = 7;
	char *line = NULL;

	ck_assert_int_eq(crashkernel_parse("crashkernel=auto\n", 17, WHAT, &ck), 0);
	ck_assert(crashkernel_is_auto(ck));
	ck_assert_uint_eq(ck->n_items, 1);
	ck_assert_int_eq(ck->items[0].kind, CK_AUTO);
	ck_assert_str_eq(ck->normalized, "auto");

	diag_clear();
	ck_assert_int_eq(crashkernel_reserved(ck, 16 * G, "node", &bytes), -EINVAL);
	ck_assert_uint_eq(bytes, 7);
	ck_assert_str_eq(diag_message(), "node: auto must be resolved first");
	ck_assert_int_eq(crashkernel_cmdline(ck, &line), -EINVAL);
	ck_assert_ptr_null(line);
	crashkernel_free(ck);
	crashkernel_free(NULL);
}
END_TEST

static uint64_t reserved_on(const char *value, uint64_t ram)
{
	struct crashkernel *ck = NULL;
	uint64_t bytes = 0;
	int r;

	ck_assert_int_eq(crashkernel_parse(value, strlen(value), WHAT, &ck), 0);
	r = crashkernel_reserved(ck, ram, "node", &bytes);
	crashkernel_free(ck);
	return r < 0 ? NO : bytes;
}

START_TEST(test_rounding_boundaries)
{
	static const char v[] = "1G-4G:192M,4G-64G:256M,64G-:512M";

	/* the acceptance example */
	ck_assert_uint_eq(reserved_on(v, 16 * G), 268435456);
	ck_assert_uint_eq(reserved_on(v, 512 * M), NO);
	/* the kernel matches RAM rounded up to 128M */
	ck_assert_uint_eq(reserved_on(v, 4 * G - 128 * M), 192 * M);
	ck_assert_uint_eq(reserved_on(v, 4 * G - 128 * M + 1), 256 * M);
	ck_assert_uint_eq(reserved_on(v, 4 * G - 1), 256 * M);
	ck_assert_uint_eq(reserved_on(v, 4 * G), 256 * M);
	ck_assert_uint_eq(reserved_on(v, 1 * G - 128 * M), NO);
	ck_assert_uint_eq(reserved_on(v, 1 * G - 128 * M + 1), 192 * M);
	ck_assert_uint_eq(reserved_on(v, 64 * G - 1), 512 * M);
	ck_assert_uint_eq(reserved_on(v, 64 * G - 128 * M), 256 * M);
	/* odd sizes and the largest RAM that still rounds up */
	ck_assert_uint_eq(reserved_on(v, 12345 * M + 7), 256 * M);
	ck_assert_uint_eq(reserved_on("1G-:256M", UINT64_MAX - 128 * M + 1), 256 * M);
	ck_assert_uint_eq(reserved_on("1G-:256M", UINT64_MAX), NO);
	/* the half limit, on the RAM as given */
	ck_assert_uint_eq(reserved_on("256M", 512 * M), 256 * M);
	ck_assert_uint_eq(reserved_on("256M", 512 * M - 1), NO);
	ck_assert_uint_eq(reserved_on("1E", UINT64_MAX), 1 * E);
	ck_assert_uint_eq(reserved_on("8E,high 8E,low", UINT64_MAX), NO);
	ck_assert_uint_eq(reserved_on("256M", 0), NO);
}
END_TEST

START_TEST(test_reserved_messages)
{
	struct crashkernel *ck = NULL;
	uint64_t bytes;

	ck_assert_int_eq(crashkernel_parse("2G-:256M", 8, WHAT, &ck), 0);
	ck_assert_int_eq(crashkernel_reserved(ck, 1 * G, "node 'a'", &bytes), -EINVAL);
	ck_assert_str_eq(diag_message(), "node 'a': \"2G-:256M\" reserves nothing "
	                 "on a machine with 1G of RAM");
	crashkernel_free(ck);

	ck_assert_int_eq(crashkernel_parse("1536M", 5, WHAT, &ck), 0);
	ck_assert_int_eq(crashkernel_reserved(ck, 2 * G, "node 'b'", &bytes), -EINVAL);
	ck_assert_str_eq(diag_message(), "node 'b': \"1536M\" reserves 1536M, more "
	                 "than half of the 2G of RAM");
	crashkernel_free(ck);

	ck_assert_int_eq(crashkernel_parse("1G-4G:192M,4G-64G:256M,64G-:512M", 32,
	                                   WHAT, &ck), 0);
	ck_assert_int_eq(crashkernel_reserved(ck, 500 * M, "node 'c'", &bytes), -EINVAL);
	ck_assert_str_eq(diag_message(), "node 'c': \"1G-4G:192M,4G-64G:256M,64G-:512M\" "
	                 "on 500M of RAM (rounded up to 512M): range 64G- asks "
	                 "for 512M, not less than that, so the kernel refuses the "
	                 "whole value");
	crashkernel_free(ck);
}
END_TEST

START_TEST(test_cmdline)
{
	struct crashkernel *ck = NULL;
	char *line = NULL;

	ck_assert_int_eq(crashkernel_parse("512m,high  128M,low\n", 20, WHAT, &ck), 0);
	ck_assert_int_eq(crashkernel_cmdline(ck, &line), 0);
	ck_assert_str_eq(line, "crashkernel=512M,high crashkernel=128M,low");
	free(line);
	crashkernel_free(ck);

	ck_assert_int_eq(crashkernel_parse("1G-:256M@16M", 12, WHAT, &ck), 0);
	ck_assert_int_eq(crashkernel_cmdline(ck, &line), 0);
	ck_assert_str_eq(line, "crashkernel=1G-:256M@16M");
	free(line);
	crashkernel_free(ck);
}
END_TEST

START_TEST(test_format_size)
{
	static const struct {
		uint64_t bytes;
		const char *text;
	} cases[] = {
		{ 0, "0" }, { 1, "1" }, { 384, "384" }, { 1023, "1023" },
		{ 1024, "1K" }, { 1536, "1536" }, { 1536 * K, "1536K" },
		{ 268435456, "256M" }, { 1536 * M, "1536M" }, { 1024 * M, "1G" },
		{ 4 * G - 1, "4294967295" }, { 16 * G, "16G" }, { 2048 * G, "2T" },
		{ E, "1E" }, { 15 * E, "15E" }, { UINT64_MAX, "18446744073709551615" },
		{ UINT64_MAX - 1023, "18014398509481983K" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(format_size(cases[i].bytes, buf, sizeof(buf)),
		                 cases[i].text);
}
END_TEST

START_TEST(test_parse_size)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "16G", 16 * G }, { "16g", 16 * G }, { "512M", 512 * M },
		{ "1073741824", 1 * G }, { "1k", 1024 }, { "1", 1 }, { "1E", E },
		{ "15e", 15 * E }, { "2T", 2 * T }, { "18446744073709551615", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "G", "16GB", "16 G", " 16G", "16G ", "16G\n", "0x10", "0X10G",
		"010", "0", "0G", "-1", "+1", "1.5G", "18446744073709551616",
		"16E", "17179869184G", "16Gi", "\xc2\xb5", "1\x01",
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 0;
		ck_assert_msg(parse_size(good[i].text, &v) == 0, "\"%s\": %s",
		              good[i].text, diag_message());
		ck_assert_uint_eq(v, good[i].bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 42;
		diag_clear();
		ck_assert_msg(parse_size(bad[i], &v) == -EINVAL, "\"%s\" accepted",
		              bad[i]);
		ck_assert_uint_eq(v, 42);
		check_message("size");
	}
}
END_TEST

static Suite *skd_crashkernel_suite(void)
{
	Suite *s = suite_create("crashkernel");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_valid, 0,
	                    (int)(sizeof(valid_cases) / sizeof(valid_cases[0])));
	tcase_add_loop_test(tc, test_invalid, 0,
	                    (int)(sizeof(invalid_cases) / sizeof(invalid_cases[0])));
	tcase_add_test(tc, test_message_exact);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_long_input_message_truncated);
	tcase_add_test(tc, test_length_honoured);
	tcase_add_test(tc, test_structure);
	tcase_add_test(tc, test_auto);
	tcase_add_test(tc, test_cmdline);
	suite_add_tcase(s, tc);

	tc = tcase_create("reserved");
	tcase_add_test(tc, test_rounding_boundaries);
	tcase_add_test(tc, test_reserved_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("size");
	tcase_add_test(tc, test_format_size);
	tcase_add_test(tc, test_parse_size);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_crashkernel_suite)
