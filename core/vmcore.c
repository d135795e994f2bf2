/* SPDX-License-Identifier: Apache-2.0 */
/* Which format a dump file is in, by its first bytes, and the helpers the
 * format readers share. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"
#include "vmcore-internal.h"

#define FLAT_SIGNATURE "makedumpfile"

int vmcore_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n;

		if (off + done > (uint64_t)INT64_MAX)
			return -ENODATA;
		n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENODATA;
		done += (size_t)n;
	}
	return 0;
}

void vmcore_problem(struct vmcore_info *v, const char *fmt, ...)
{
	va_list ap;

	v->complete = false;
	if (v->problem)
		return;
	va_start(ap, fmt);
	if (vasprintf(&v->problem, fmt, ap) < 0)
		v->problem = NULL;
	va_end(ap);
}

char *vmcore_clean(const char *s, size_t len)
{
	size_t n = strnlen(s, len), j = 0;
	char *c = malloc(n + 1);

	if (!c)
		return NULL;
	/* a NUL-terminated copy first: the UTF-8 helpers read up to one */
	memcpy(c, s, n);
	c[n] = '\0';
	for (size_t i = 0; i < n;) {
		const unsigned char *p = (const unsigned char *)c + i;
		size_t k = utf8_control_len(p);

		if (k) {
			c[j++] = '?';
			i += k;
			continue;
		}
		k = utf8_seq_len(p);
		if (!k)
			k = 1;
		memmove(c + j, c + i, k);
		i += k;
		j += k;
	}
	c[j] = '\0';
	return c;
}

bool vmcore_time_plausible(int64_t t, int64_t now)
{
	return t >= VMCORE_TIME_MIN &&
	       (now > INT64_MAX - VMCORE_TIME_SLACK || t <= now + VMCORE_TIME_SLACK);
}

/* Decimal digits only, without overflow; false for anything else. */
static bool parse_seconds(const char *s, size_t len, int64_t *ret)
{
	int64_t t = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = s[i] - '0';

		if (d < 0 || d > 9 || t > (INT64_MAX - d) / 10)
			return false;
		t = t * 10 + d;
	}
	*ret = t;
	return true;
}

/* The value of KEY= on a line of its own, or NULL; *ret_len its length. */
static const char *vmcoreinfo_value(const char *text, size_t len, const char *key,
                                    size_t *ret_len)
{
	size_t klen = strlen(key), pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;

		if (llen > klen && memcmp(line, key, klen) == 0) {
			*ret_len = llen - klen;
			return line + klen;
		}
		pos += llen + 1;
	}
	return NULL;
}

void vmcore_parse_vmcoreinfo(struct vmcore_info *v, const char *text, size_t len)
{
	const char *val;
	size_t vlen;
	int64_t t;

	val = vmcoreinfo_value(text, len, "OSRELEASE=", &vlen);
	if (val && vlen > 0 && vlen <= 256) {
		free(v->release);
		v->release = vmcore_clean(val, vlen);
	}
	val = vmcoreinfo_value(text, len, "CRASHTIME=", &vlen);
	if (val && parse_seconds(val, vlen, &t) && t > 0) {
		v->have_time = true;
		v->crash_time = t;
	}
}

static bool is_dmesg_name(const char *name)
{
	size_t n = strlen(name);

	return strncmp(name, "dmesg", 5) == 0 ||
	       (strncmp(name, "vmcore-dmesg", 12) == 0 && n > 4 &&
	        strcmp(name + n - 4, ".txt") == 0);
}

int vmcore_inspect(int fd, const char *name, struct vmcore_info *ret)
{
	unsigned char magic[24] = { 0 };
	struct vmcore_info v = { 0 };
	struct stat st;
	int r;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	v.size = (uint64_t)st.st_size;
	v.complete = true;
	if (name && is_dmesg_name(name)) {
		r = vmcore_inspect_dmesg(fd, &v);
		goto out;
	}
	if (v.size == 0) {
		vmcore_problem(&v, "empty file");
		r = 0;
		goto out;
	}
	r = vmcore_pread(fd, magic, v.size < sizeof(magic) ? (size_t)v.size : sizeof(magic), 0);
	if (r < 0 && r != -ENODATA)
		goto out;
	if (memcmp(magic, "\177ELF", 4) == 0)
		r = vmcore_inspect_elf(fd, &v);
	else if (memcmp(magic, KDUMP_SIGNATURE, 8) == 0)
		r = vmcore_inspect_kdump(fd, &v);
	else if (memcmp(magic, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE)) == 0)
		r = vmcore_inspect_flat(fd, &v);
	else {
		vmcore_problem(&v, "not a crash dump: no ELF, kdump-compressed or "
		               "flattened header");
		r = 0;
	}
	/* a garbled or forged time is no time: the caller falls back */
	if (v.have_time && !vmcore_time_plausible(v.crash_time, (int64_t)time(NULL)))
		v.have_time = false;
out:
	if (r < 0) {
		vmcore_info_clear(&v);
		return r;
	}
	*ret = v;
	return 0;
}

void vmcore_info_clear(struct vmcore_info *v)
{
	if (!v)
		return;
	free(v->release);
	free(v->panic);
	free(v->problem);
	memset(v, 0, sizeof(*v));
}

const char *vmcore_format_name(enum vmcore_format f)
{
	switch (f) {
	case VMCORE_ELF: return "elf";
	case VMCORE_KDUMP_COMPRESSED: return "kdump-compressed";
	case VMCORE_FLATTENED: return "flattened";
	case VMCORE_DMESG: return "dmesg";
	case VMCORE_UNKNOWN: break;
	}
	return "unknown";
}
