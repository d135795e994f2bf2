/* SPDX-License-Identifier: Apache-2.0 */
/* Adding to every size of a crashkernel table, the way kdumpctl does it
 * for its per-node deltas (kdump-lib.sh, _crashkernel_add and memsize_add,
 * rhkdump/kdump-utils since 2.0.26-7). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck-table.h"

static const char units[] = "KMGTPE";

/* "576M" -> bytes; the end of the size in *ret_end. 0 on a bad size. */
static uint64_t parse_size(const char *s, const char **ret_end)
{
	char *end;
	uint64_t v;
	const char *u;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtoull(s, &end, 10);
	u = *end ? strchr(units, *end) : NULL;
	if (u) {
		for (const char *p = units; p <= u; p++)
			v <<= 10;
		end++;
	}
	*ret_end = end;
	return v;
}

/* bytes in the largest unit that divides them */
static void format_size(uint64_t v, char *buf, size_t len)
{
	int unit = -1;

	while (unit < 5 && v && v % 1024 == 0) {
		v /= 1024;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "%" PRIu64 "%c", v, units[unit]);
}

char *ck_table_add(const char *table, uint64_t mib)
{
	size_t cap = strlen(table) + 64, n = 0;
	char *out = malloc(cap), num[32];
	const char *p = table;

	if (!out)
		return NULL;
	while (*p) {
		const char *colon = strchr(p, ':'), *comma = strchr(p, ','), *end;
		const char *size_at = colon && (!comma || colon < comma) ? colon + 1 : p;
		uint64_t size = parse_size(size_at, &end);
		int w;

		if (!size)
			goto bad;
		format_size(size + (mib << 20), num, sizeof(num));
		/* the range as it is, the new size, then the rest of this item */
		comma = strchr(end, ',');
		if (comma && comma[1] >= '0' && comma[1] <= '9')
			; /* the next range */
		else
			comma = NULL;
		w = snprintf(out + n, cap - n, "%.*s%s%.*s", (int)(size_at - p), p, num,
		             (int)(comma ? comma - end : (ptrdiff_t)strlen(end)), end);
		if (w < 0 || (size_t)w >= cap - n)
			goto bad;
		n += (size_t)w;
		if (!comma)
			break;
		out[n++] = ',';
		p = comma + 1;
	}
	out[n] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}
