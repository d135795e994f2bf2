/* SPDX-License-Identifier: Apache-2.0 */
/* The dump file reader on arbitrary bytes, once as a dump and once as a
 * kernel log: it always answers, and what it takes from the file is one
 * clean line (it is printed as is). The dump's `dumps --json` entry, with
 * a name and a file time also taken from the bytes, keeps the rules of
 * schemas/dumps.schema.json for time: an RFC 3339 UTC string, or null
 * exactly when time_source is "unknown". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dumps.h"
#include "fuzz.h"
#include "utf8.h"
#include "vmcore.h"

/* No C0, DEL or C1 (U+0080 to U+009F) control character. */
static void check_line(const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f);
		FUZZ_CHECK(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f));
	}
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq_len(p);

		FUZZ_CHECK(utf8_control_len(p) == 0);
		p += n ? n : 1;
	}
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* "YYYY-MM-DDTHH:MM:SSZ" followed by '"', each field in its range. */
static bool rfc3339_utc(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int mo, d;

	if (strlen(s) < 21 || s[20] != '"' || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) || s[10] != 'T' ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2) || s[19] != 'Z')
		return false;
	mo = num(s + 5, 2);
	d = num(s + 8, 2);
	return mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] &&
	       num(s + 11, 2) <= 23 && num(s + 14, 2) <= 59 && num(s + 17, 2) <= 60;
}

static void check_json_time(const char *json)
{
	const char *t = strstr(json, ",\"time\":");
	const char *src = strstr(json, ",\"time_source\":\"");
	bool unknown;

	FUZZ_CHECK(t && src && src > t);
	t += strlen(",\"time\":");
	src += strlen(",\"time_source\":\"");
	unknown = strncmp(src, "unknown\"", 8) == 0;
	FUZZ_CHECK(unknown || strncmp(src, "dump\"", 5) == 0 ||
	           strncmp(src, "name\"", 5) == 0 || strncmp(src, "mtime\"", 6) == 0);
	if (unknown)
		FUZZ_CHECK(strncmp(t, "null,", 5) == 0);
	else
		FUZZ_CHECK(t[0] == '"' && rfc3339_utc(t + 1));
}

/* The entry as `dumps --json` prints it: the name from the first bytes
 * (up to a NUL), the file time from the last eight. */
static void check_entry(const uint8_t *data, size_t size, struct vmcore_info *v,
                        const char *file)
{
	char name[33], core[33], *json = NULL;
	struct dump d = { .name = name, .core = core, .info = *v };
	size_t n = 0, len = 0;
	int64_t mtime = -1;
	FILE *f;

	snprintf(core, sizeof(core), "%s", file);
	while (n < size && n < sizeof(name) - 1 && data[n])
		n++;
	memcpy(name, data, n);
	name[n] = '\0';
	if (!n)
		snprintf(name, sizeof(name), "%s", file);
	if (size >= 8)
		memcpy(&mtime, data + size - 8, sizeof(mtime));
	dump_pick_time(&d, mtime, (int64_t)time(NULL));
	f = open_memstream(&json, &len);
	if (!f)
		return;
	dump_json(f, &d);
	if (fclose(f) == 0)
		check_json_time(json);
	free(json);
}

static void inspect(const uint8_t *data, size_t size, const char *name)
{
	struct vmcore_info v = { 0 };
	int fd = fuzz_memfd(data, size);

	if (fd < 0)
		return;
	FUZZ_CHECK(vmcore_inspect(fd, name, &v) == 0);
	FUZZ_CHECK(v.size == size);
	FUZZ_CHECK(vmcore_format_name(v.format) != NULL);
	check_line(v.release);
	check_line(v.panic);
	FUZZ_CHECK(v.complete || v.problem);
	check_line(v.problem);
	FUZZ_CHECK(!v.have_time || vmcore_time_plausible(v.crash_time, (int64_t)time(NULL)));
	check_entry(data, size, &v, name);
	vmcore_info_clear(&v);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *panic;

	inspect(data, size, "vmcore");
	inspect(data, size, "dmesg.202611272225");
	panic = dmesg_panic_message((const char *)data, size);
	check_line(panic);
	free(panic);
	return 0;
}
