/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel logs saved beside a dump (dmesg.<stamp> of kdump-tools,
 * vmcore-dmesg.txt of kdump-utils): the panic message. Only the tail is
 * read, as the panic is at the end and a log can be large. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore-internal.h"

#define PANIC_MAX 512u

static const char *find_in(const char *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

/* The message from `start` to the end of its line, trimmed. */
static char *message(const char *start, const char *line_end)
{
	size_t n = (size_t)(line_end - start);

	while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t' ||
	                 start[n - 1] == '\r'))
		n--;
	return vmcore_clean(start, n > PANIC_MAX ? PANIC_MAX : n);
}

/* "sysrq: Trigger a crash" (since Linux 5.4), "SysRq : Trigger a crash"
 * before. */
static const char *find_sysrq(const char *line, size_t len)
{
	const char *t = find_in(line, len, "Trigger a crash");
	const char *s;

	if (!t)
		return NULL;
	s = find_in(line, (size_t)(t - line), "sysrq");
	if (!s)
		s = find_in(line, (size_t)(t - line), "SysRq");
	return s;
}

char *dmesg_panic_message(const char *text, size_t len)
{
	const char *sysrq = NULL, *sysrq_end = NULL, *end_marker = NULL, *end_marker_end = NULL;
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;
		const char *p = find_in(line, llen, "Kernel panic - not syncing");

		if (p && !find_in(line, (size_t)(p - line), "---[ end "))
			return message(p, line + llen);
		if (p && !end_marker) {
			const char *close = find_in(p, llen - (size_t)(p - line), " ]---");

			end_marker = p;
			end_marker_end = close ? close : line + llen;
		}
		if (!sysrq && (p = find_sysrq(line, llen))) {
			sysrq = p;
			sysrq_end = line + llen;
		}
		pos += llen + 1;
	}
	if (end_marker)
		return message(end_marker, end_marker_end);
	if (sysrq)
		return message(sysrq, sysrq_end);
	return NULL;
}

int vmcore_inspect_dmesg(int fd, struct vmcore_info *v)
{
	size_t len = v->size > VMCORE_DMESG_MAX ? VMCORE_DMESG_MAX : (size_t)v->size;
	char *text;
	int r;

	v->format = VMCORE_DMESG;
	if (len == 0) {
		vmcore_problem(v, "empty kernel log");
		return 0;
	}
	text = malloc(len);
	if (!text)
		return -ENOMEM;
	r = vmcore_pread(fd, text, len, v->size - len);
	if (r == -ENODATA) {
		vmcore_problem(v, "the kernel log shrank while it was read");
		r = 0;
	} else if (r == 0) {
		v->panic = dmesg_panic_message(text, len);
	}
	free(text);
	return r;
}
