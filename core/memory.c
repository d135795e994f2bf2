/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "memory.h"
#include "sysroot.h"

#define IOMEM "/proc/iomem"
#define MEMINFO "/proc/meminfo"
#define CRASH_SIZE "/sys/kernel/kexec_crash_size"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One address of an iomem line; *p moves past it. */
static bool parse_hex(const char **p, const char *end, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (s >= end || hex_digit(*s) < 0)
		return false;
	for (; s < end && (d = hex_digit(*s)) >= 0; s++) {
		if (v >> 60)
			return false;
		v = (v << 4) | (uint64_t)d;
	}
	*p = s;
	*ret = v;
	return true;
}

/* "start-end : name", with any indentation already skipped. */
static bool parse_iomem_line(const char *s, const char *end, uint64_t *ret_start,
                             uint64_t *ret_end, const char **ret_name)
{
	if (!parse_hex(&s, end, ret_start))
		return false;
	if (s >= end || *s++ != '-')
		return false;
	if (!parse_hex(&s, end, ret_end))
		return false;
	if (end - s < 3 || memcmp(s, " : ", 3) != 0)
		return false;
	*ret_name = s + 3;
	return true;
}

/* Sum the ranges called `name`: top-level ones only, or at any depth. */
static int sum_iomem(const char *text, const char *name, bool top_level_only,
                     uint64_t *ret_bytes, size_t *ret_count, bool *ret_zeroed)
{
	size_t name_len = strlen(name), count = 0, lineno = 0;
	bool nonzero = false;
	uint64_t sum = 0;

	for (const char *line = text; *line; ) {
		const char *eol = strchrnul(line, '\n'), *s = line, *label;
		uint64_t start, last, size;

		lineno++;
		while (s < eol && *s == ' ')
			s++;
		if (s == eol || (top_level_only && s != line))
			goto next;
		if (!parse_iomem_line(s, eol, &start, &last, &label)) {
			/* Lines of other names are not ours to judge. */
			if (!memmem(s, (size_t)(eol - s), name, name_len))
				goto next;
			return diag_set(-EINVAL, IOMEM " line %zu: expected "
			                "\"start-end : %s\"", lineno, name);
		}
		if ((size_t)(eol - label) != name_len || memcmp(label, name, name_len))
			goto next;
		if (last < start)
			return diag_set(-EINVAL, IOMEM " line %zu: range ends before it "
			                "starts", lineno);
		/* the end is inclusive: 0-ffffffffffffffff would overflow */
		size = last - start;
		if (__builtin_add_overflow(size, 1, &size) ||
		    __builtin_add_overflow(sum, size, &sum))
			return diag_set(-EINVAL, IOMEM " line %zu: sizes overflow 64 bits",
			                lineno);
		if (start || last)
			nonzero = true;
		count++;
next:
		line = *eol ? eol + 1 : eol;
	}
	*ret_bytes = sum;
	*ret_count = count;
	*ret_zeroed = count > 0 && !nonzero;
	return 0;
}

int memory_from_iomem(const char *text, uint64_t *ret_bytes)
{
	uint64_t sum;
	size_t count;
	bool zeroed;
	int r;

	assert(text && ret_bytes);
	r = sum_iomem(text, "System RAM", true, &sum, &count, &zeroed);
	if (r < 0)
		return r;
	if (count == 0)
		return diag_set(-ENODATA, IOMEM " has no top-level \"System RAM\" "
		                "range");
	/* Readers without CAP_SYS_ADMIN get every address as zero. */
	if (zeroed)
		return diag_set(-ENODATA, IOMEM " shows only zero addresses "
		                "(reading them needs root)");
	*ret_bytes = sum;
	return 0;
}

int memory_crash_from_iomem(const char *text, uint64_t *ret_bytes)
{
	uint64_t sum;
	size_t count;
	bool zeroed;
	int r;

	assert(text && ret_bytes);
	r = sum_iomem(text, "Crash kernel", false, &sum, &count, &zeroed);
	if (r < 0)
		return r;
	if (zeroed)
		return diag_set(-ENODATA, IOMEM " shows only zero addresses "
		                "(reading them needs root)");
	*ret_bytes = sum;
	return 0;
}

/* Leading decimal digits; *ret_end points past them. */
static bool parse_decimal(const char *s, uint64_t *ret, const char **ret_end)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return false;
	*ret = v;
	*ret_end = s;
	return true;
}

int memory_from_meminfo(const char *text, uint64_t *ret_bytes)
{
	static const char key[] = "MemTotal:";
	const char *line, *s;
	uint64_t kb, bytes;

	assert(text && ret_bytes);
	for (line = text; *line; line = strchrnul(line, '\n'), line += !!*line)
		if (strncmp(line, key, sizeof(key) - 1) == 0)
			break;
	if (!*line)
		return diag_set(-ENODATA, MEMINFO " has no MemTotal line");
	s = line + sizeof(key) - 1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!parse_decimal(s, &kb, &s) || strncmp(s, " kB", 3) != 0 ||
	    (s[3] != '\n' && s[3] != '\0'))
		return diag_set(-EINVAL, MEMINFO ": expected \"MemTotal: <number> "
		                "kB\"");
	if (kb == 0 || __builtin_mul_overflow(kb, 1024, &bytes))
		return diag_set(-EINVAL, MEMINFO ": MemTotal %llu kB out of range",
		                (unsigned long long)kb);
	*ret_bytes = bytes;
	return 0;
}

static int read_file(struct sysroot *root, const char *path, char **ret)
{
	size_t len;

	/* proc and sysfs files are small; the default limit is plenty */
	return sysroot_read(root, path, SYSROOT_READ_MAX, ret, &len);
}

static int read_crash_size(struct sysroot *root, uint64_t *ret)
{
	char *data = NULL;
	const char *end;
	uint64_t v;
	int r;

	r = read_file(root, CRASH_SIZE, &data);
	if (r == -ENOENT) {
		/* a kernel without kexec reserves nothing */
		*ret = 0;
		return 0;
	}
	if (r < 0)
		return diag_set(r, "cannot read %s in %s: %s", CRASH_SIZE,
		                sysroot_path(root), strerror(-r));
	if (!parse_decimal(data, &v, &end) || (*end && strcmp(end, "\n") != 0)) {
		free(data);
		return diag_set(-EINVAL, "%s in %s: expected a number of bytes",
		                CRASH_SIZE, sysroot_path(root));
	}
	free(data);
	*ret = v;
	return 0;
}

int memory_system_ram(struct sysroot *root, uint64_t *ret_bytes,
                      const char **ret_source)
{
	uint64_t bytes, crash = 0;
	char *data = NULL;
	int r, iomem_r;

	assert(root && ret_bytes);
	iomem_r = read_file(root, IOMEM, &data);
	if (iomem_r >= 0) {
		iomem_r = memory_from_iomem(data, &bytes);
		free(data);
		data = NULL;
		if (iomem_r >= 0) {
			*ret_bytes = bytes;
			if (ret_source)
				*ret_source = IOMEM;
			return 0;
		}
		/* A malformed iomem is a finding, not a reason to guess. */
		if (iomem_r != -ENODATA)
			return iomem_r;
	} else if (iomem_r != -ENOENT && iomem_r != -EACCES && iomem_r != -EPERM) {
		return diag_set(iomem_r, "cannot read " IOMEM " in %s: %s",
		                sysroot_path(root), strerror(-iomem_r));
	}

	/* MemTotal leaves out the crash reservation, which iomem counts. */
	r = read_file(root, MEMINFO, &data);
	if (r == -ENOENT)
		return diag_set(-ENOENT, "cannot tell the RAM size in %s: " IOMEM
		                " is %s and " MEMINFO " is missing",
		                sysroot_path(root),
		                iomem_r == -ENODATA ? "unusable" :
		                iomem_r == -ENOENT ? "missing" : "unreadable");
	if (r < 0)
		return diag_set(r, "cannot read " MEMINFO " in %s: %s",
		                sysroot_path(root), strerror(-r));
	r = memory_from_meminfo(data, &bytes);
	free(data);
	if (r < 0)
		return r;
	r = read_crash_size(root, &crash);
	if (r < 0)
		return r;
	if (__builtin_add_overflow(bytes, crash, &bytes))
		return diag_set(-EINVAL, "MemTotal + kexec_crash_size in %s overflow "
		                "64 bits", sysroot_path(root));
	*ret_bytes = bytes;
	if (ret_source)
		*ret_source = "MemTotal + kexec_crash_size";
	return 0;
}
