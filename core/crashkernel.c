/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashkernel.h"
#include "diag.h"

#define PREFIX "crashkernel="
#define PREFIX_LEN (sizeof(PREFIX) - 1)
#define SZ_128M (UINT64_C(128) << 20)
/* How much of the input a message quotes around the offending offset. */
#define QUOTE_WINDOW 64

struct parser {
	const char *in;         /* raw input, offsets in messages count from here */
	size_t len;
	const char *what;
	size_t pos;
	size_t end;             /* end of the trimmed text */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One byte for a message, never raw: control and non-ASCII bytes as \xNN,
 * and `delim` (the quote around it) and backslash escaped. */
static void escape_byte(unsigned char c, char delim, char out[5])
{
	switch (c) {
	case '\n': strcpy(out, "\\n"); return;
	case '\t': strcpy(out, "\\t"); return;
	case '\r': strcpy(out, "\\r"); return;
	case '\\': strcpy(out, "\\\\"); return;
	default:
		break;
	}
	if (c == (unsigned char)delim) {
		out[0] = '\\';
		out[1] = (char)c;
		out[2] = '\0';
	} else if (c < 0x20 || c > 0x7e) {
		snprintf(out, 5, "\\x%02x", c);
	} else {
		out[0] = (char)c;
		out[1] = '\0';
	}
}

/* The input as a quoted string for messages: escaped, and for long input
 * only a window around `focus`, marked with "...". */
static void quote_input(const char *in, size_t len, size_t focus, char *buf,
                        size_t size)
{
	size_t from = 0, to = len, n = 0;

	assert(size >= 4 * QUOTE_WINDOW + 16);
	if (len > QUOTE_WINDOW) {
		from = focus > QUOTE_WINDOW / 3 ? focus - QUOTE_WINDOW / 3 : 0;
		if (from > len - QUOTE_WINDOW)
			from = len - QUOTE_WINDOW;
		to = from + QUOTE_WINDOW;
	}
	buf[n++] = '"';
	if (from > 0)
		n += (size_t)snprintf(buf + n, size - n, "...");
	for (size_t i = from; i < to; i++) {
		char e[5];

		escape_byte((unsigned char)in[i], '"', e);
		n += (size_t)snprintf(buf + n, size - n, "%s", e);
	}
	if (to < len)
		n += (size_t)snprintf(buf + n, size - n, "...");
	snprintf(buf + n, size - n, "\"");
}

static int fail_at(const struct parser *p, size_t offset, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int fail_at(const struct parser *p, size_t offset, const char *fmt, ...)
{
	char quoted[4 * QUOTE_WINDOW + 16], reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	quote_input(p->in, p->len, offset, quoted, sizeof(quoted));
	return diag_set(-EINVAL, "%s: %s: %s", p->what, quoted, reason);
}

/* "unexpected character 'x' at offset N" or "unexpected end ...", the
 * message for whatever stopped the grammar at p->pos. */
static int fail_unexpected(const struct parser *p, const char *expected)
{
	char e[5];

	if (p->pos >= p->end)
		return fail_at(p, p->pos, "unexpected end at offset %zu%s%s%s",
		               p->pos, expected ? " (expected " : "",
		               expected ? expected : "", expected ? ")" : "");
	escape_byte((unsigned char)p->in[p->pos], '\'', e);
	return fail_at(p, p->pos, "unexpected character '%s' at offset %zu%s%s%s",
	               e, p->pos, expected ? " (expected " : "",
	               expected ? expected : "", expected ? ")" : "");
}

static bool peek(const struct parser *p, char c)
{
	return p->pos < p->end && p->in[p->pos] == c;
}

static int expect(struct parser *p, char c, const char *expected)
{
	if (!peek(p, c))
		return fail_unexpected(p, expected);
	p->pos++;
	return 0;
}

static int suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	case 'T': case 't': return 40;
	case 'P': case 'p': return 50;
	case 'E': case 'e': return 60;
	default: return 0;
	}
}

/* A number as the kernel's memparse() reads it, restricted to decimal:
 * memparse takes "0x.." as hex and "0.." as octal, which nobody means in
 * a size, so both are refused rather than silently reinterpreted. */
static int parse_number(struct parser *p, uint64_t *ret)
{
	size_t start = p->pos;
	uint64_t v = 0;
	int shift;

	if (p->pos >= p->end || !is_digit(p->in[p->pos]))
		return fail_unexpected(p, "a number");
	if (p->in[p->pos] == '0' && p->pos + 1 < p->end) {
		char next = p->in[p->pos + 1];

		if (next == 'x' || next == 'X')
			return fail_at(p, start, "hexadecimal number at offset %zu: "
			               "write sizes in decimal with a K/M/G/T/P/E suffix",
			               start);
		if (is_digit(next))
			return fail_at(p, start, "number with a leading zero at "
			               "offset %zu (the kernel would read it as octal)",
			               start);
	}
	for (; p->pos < p->end && is_digit(p->in[p->pos]); p->pos++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(p->in[p->pos] - '0'), &v))
			return fail_at(p, start, "number at offset %zu does not fit "
			               "in 64 bits", start);
	}
	if (p->pos < p->end && (shift = suffix_shift(p->in[p->pos])) > 0) {
		if (v > (UINT64_MAX >> shift))
			return fail_at(p, start, "number at offset %zu does not fit "
			               "in 64 bits with its suffix '%c'", start,
			               p->in[p->pos]);
		v <<= shift;
		p->pos++;
	}
	*ret = v;
	return 0;
}

/* Where the current item ends: the next blank or the end. */
static size_t item_end(const struct parser *p)
{
	size_t e = p->pos;

	while (e < p->end && !is_blank(p->in[e]))
		e++;
	return e;
}

static bool ranges_overlap(const struct ck_range *a, const struct ck_range *b)
{
	return a->start < b->end && b->start < a->end;
}

static const char *format_range(const struct ck_range *r, char *buf, size_t len)
{
	char a[32], b[32];

	snprintf(buf, len, "%s-%s", format_size(r->start, a, sizeof(a)),
	         r->end == UINT64_MAX ? "" : format_size(r->end, b, sizeof(b)));
	return buf;
}

static int parse_offset(struct parser *p, struct ck_item *item)
{
	size_t at = p->pos;
	int r;

	r = parse_number(p, &item->offset);
	if (r < 0)
		return r;
	/* The kernel takes base 0 as "anywhere": "@0" would not pin it. */
	if (item->offset == 0)
		return fail_at(p, at, "offset 0 at offset %zu means no offset to "
		               "the kernel; leave out '@0'", at);
	item->has_offset = true;
	return 0;
}

/* start-[end]:size[,start-[end]:size...][@offset] */
static int parse_ranges(struct parser *p, size_t end, struct ck_item *item)
{
	int r;

	item->kind = CK_RANGES;
	for (;;) {
		struct ck_range range = { .end = UINT64_MAX };
		size_t at = p->pos, size_at;
		struct ck_range *n;

		r = parse_number(p, &range.start);
		if (r < 0)
			return r;
		r = expect(p, '-', "'-'");
		if (r < 0)
			return r;
		if (!peek(p, ':')) {
			r = parse_number(p, &range.end);
			if (r < 0)
				return r;
			if (range.end <= range.start)
				return fail_at(p, at, "empty range at offset %zu: the "
				               "end must be above the start", at);
		}
		r = expect(p, ':', "':'");
		if (r < 0)
			return r;
		size_at = p->pos;
		r = parse_number(p, &range.size);
		if (r < 0)
			return r;
		if (range.size == 0)
			return fail_at(p, size_at, "size 0 at offset %zu", size_at);
		for (size_t i = 0; i < item->n_ranges; i++) {
			char a[80], b[80];

			if (!ranges_overlap(&item->ranges[i], &range))
				continue;
			return fail_at(p, at, "range %s at offset %zu overlaps range %s",
			               format_range(&range, b, sizeof(b)), at,
			               format_range(&item->ranges[i], a, sizeof(a)));
		}
		n = realloc(item->ranges, (item->n_ranges + 1) * sizeof(*n));
		if (!n)
			return diag_set(-ENOMEM, "%s: out of memory", p->what);
		item->ranges = n;
		item->ranges[item->n_ranges++] = range;
		if (!peek(p, ','))
			break;
		p->pos++;
	}
	if (peek(p, '@')) {
		p->pos++;
		r = parse_offset(p, item);
		if (r < 0)
			return r;
	}
	if (p->pos != end)
		return fail_unexpected(p, "',', '@' or the end of the item");
	return 0;
}

/* size[@offset], size,high, size,low */
static int parse_simple(struct parser *p, size_t end, struct ck_item *item)
{
	size_t at = p->pos;
	int r;

	r = parse_number(p, &item->size);
	if (r < 0)
		return r;
	item->kind = CK_SIZE;
	if (peek(p, '@')) {
		p->pos++;
		r = parse_offset(p, item);
		if (r < 0)
			return r;
	} else if (peek(p, ',')) {
		size_t word = ++p->pos;

		/* The kernel compares the suffix with strncmp: lower case only. */
		if (end - word == 4 && memcmp(p->in + word, "high", 4) == 0) {
			item->kind = CK_HIGH;
		} else if (end - word == 3 && memcmp(p->in + word, "low", 3) == 0) {
			item->kind = CK_LOW;
		} else {
			while (p->pos < end && p->in[p->pos] >= 'a' &&
			       p->in[p->pos] <= 'z')
				p->pos++;
			if (p->pos < end)
				return fail_unexpected(p, NULL);
			return fail_at(p, word, "unknown suffix ',%.*s' at offset %zu "
			               "(expected ',high' or ',low')",
			               (int)(end - word > 16 ? 16 : end - word),
			               p->in + word, word - 1);
		}
		p->pos = end;
	}
	if (p->pos != end)
		return fail_unexpected(p, NULL);
	if (item->size == 0)
		return fail_at(p, at, "size 0 at offset %zu", at);
	return 0;
}

static int parse_item(struct parser *p, struct ck_item *item)
{
	size_t end = item_end(p);

	if (end - p->pos == 4 && memcmp(p->in + p->pos, "auto", 4) == 0) {
		item->kind = CK_AUTO;
		p->pos = end;
		return 0;
	}
	/* As the kernel: a ':' in the item means the range syntax. */
	if (memchr(p->in + p->pos, ':', end - p->pos))
		return parse_ranges(p, end, item);
	return parse_simple(p, end, item);
}

static const char *kind_name(enum ck_kind kind)
{
	switch (kind) {
	case CK_SIZE: return "a size";
	case CK_RANGES: return "a list of ranges";
	case CK_HIGH: return "',high'";
	case CK_LOW: return "',low'";
	case CK_AUTO: return "'auto'";
	}
	return "?";
}

/* Which items go together, following parse_crashkernel(): the kernel uses
 * the last plain item and then ignores ",high" and ",low"; without one it
 * needs ",high", and ",low" is optional. Everything the kernel would
 * silently ignore or override is refused. */
static int check_combination(const struct parser *p, const struct ck_item *items,
                             const size_t *offsets, size_t n)
{
	size_t plain = n, high = n, low = n;

	for (size_t i = 0; i < n; i++) {
		if (items[i].kind == CK_AUTO && n > 1)
			return fail_at(p, offsets[i], "'auto' at offset %zu cannot be "
			               "combined with other items", offsets[i]);
		switch (items[i].kind) {
		case CK_SIZE:
		case CK_RANGES:
			if (plain < n)
				return fail_at(p, offsets[i], "%s at offset %zu after %s at "
				               "offset %zu: the kernel would use only the "
				               "last", kind_name(items[i].kind), offsets[i],
				               kind_name(items[plain].kind), offsets[plain]);
			plain = i;
			break;
		case CK_HIGH:
			if (high < n)
				return fail_at(p, offsets[i], "',high' given twice (offsets "
				               "%zu and %zu)", offsets[high], offsets[i]);
			high = i;
			break;
		case CK_LOW:
			if (low < n)
				return fail_at(p, offsets[i], "',low' given twice (offsets "
				               "%zu and %zu)", offsets[low], offsets[i]);
			low = i;
			break;
		case CK_AUTO:
			break;
		}
	}
	if (plain < n && (high < n || low < n)) {
		size_t i = high < n ? high : low;

		return fail_at(p, offsets[i], "%s at offset %zu would be ignored by "
		               "the kernel next to %s", kind_name(items[i].kind),
		               offsets[i], kind_name(items[plain].kind));
	}
	if (low < n && high == n)
		return fail_at(p, offsets[low], "',low' at offset %zu needs a ',high' "
		               "item", offsets[low]);
	return 0;
}

const char *format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	assert(buf && len >= 32);
	for (int i = 5; i >= 0 && bytes; i--) {
		if ((bytes & ((UINT64_C(1) << (10 * (i + 1))) - 1)) == 0) {
			u = i;
			break;
		}
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c",
		         (unsigned long long)(bytes >> (10 * (u + 1))), units[u]);
	return buf;
}

static void print_item(FILE *f, const struct ck_item *item)
{
	char a[32], b[32], c[32];

	switch (item->kind) {
	case CK_AUTO:
		fputs("auto", f);
		return;
	case CK_HIGH:
	case CK_LOW:
		fprintf(f, "%s,%s", format_size(item->size, a, sizeof(a)),
		        item->kind == CK_HIGH ? "high" : "low");
		return;
	case CK_SIZE:
		fputs(format_size(item->size, a, sizeof(a)), f);
		break;
	case CK_RANGES:
		for (size_t i = 0; i < item->n_ranges; i++) {
			const struct ck_range *r = &item->ranges[i];

			fprintf(f, "%s%s-%s:%s", i ? "," : "",
			        format_size(r->start, a, sizeof(a)),
			        r->end == UINT64_MAX ? "" : format_size(r->end, b, sizeof(b)),
			        format_size(r->size, c, sizeof(c)));
		}
		break;
	}
	if (item->has_offset)
		fprintf(f, "@%s", format_size(item->offset, a, sizeof(a)));
}

/* The items, separated by single spaces, each preceded by `prefix` if set. */
static int render(const struct crashkernel *ck, const char *prefix, char **ret)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < ck->n_items; i++) {
		if (i)
			fputc(' ', f);
		if (prefix)
			fputs(prefix, f);
		print_item(f, &ck->items[i]);
	}
	if (fclose(f) != 0) {
		free(text);
		return -ENOMEM;
	}
	*ret = text;
	return 0;
}

void crashkernel_free(struct crashkernel *ck)
{
	if (!ck)
		return;
	for (size_t i = 0; i < ck->n_items; i++)
		free(ck->items[i].ranges);
	free(ck->items);
	free(ck->normalized);
	free(ck);
}

/* Trimmed bounds of the input and the checks on single bytes, before the
 * grammar: NUL, non-ASCII and control characters anywhere. */
static int check_bytes(struct parser *p, size_t *ret_begin)
{
	size_t b = 0, e = p->len;

	for (size_t i = 0; i < p->len; i++) {
		unsigned char c = (unsigned char)p->in[i];

		if (c == '\0')
			return fail_at(p, i, "NUL byte at offset %zu", i);
		if (c >= 0x80)
			return fail_at(p, i, "non-ASCII byte 0x%02x at offset %zu", c, i);
	}
	while (e > 0 && is_blank(p->in[e - 1]))
		e--;
	if (e > 0 && p->in[e - 1] == '\n')
		e--;
	while (e > 0 && is_blank(p->in[e - 1]))
		e--;
	while (b < e && is_blank(p->in[b]))
		b++;
	for (size_t i = b; i < e; i++) {
		unsigned char c = (unsigned char)p->in[i];
		char esc[5];

		if (c == '\n')
			return fail_at(p, i, "newline at offset %zu inside the value", i);
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			escape_byte(c, '\'', esc);
			return fail_at(p, i, "control character '%s' at offset %zu",
			               esc, i);
		}
	}
	p->end = e;
	*ret_begin = b;
	return 0;
}

int crashkernel_parse(const char *input, size_t len, const char *what,
                      struct crashkernel **ret)
{
	struct parser p = { .in = input, .len = len, .what = what };
	struct crashkernel *ck = NULL;
	size_t *offsets = NULL;
	const char *again;
	size_t begin = 0;
	int r;

	assert(input || len == 0);
	assert(what && ret);

	if (len > CK_INPUT_MAX)
		return fail_at(&p, 0, "too long: %zu bytes, at most %d", len,
		               CK_INPUT_MAX);
	r = check_bytes(&p, &begin);
	if (r < 0)
		return r;
	if (begin == p.end)
		return fail_at(&p, begin, "empty value");
	p.pos = begin;
	if (p.end - p.pos >= PREFIX_LEN && memcmp(p.in + p.pos, PREFIX, PREFIX_LEN) == 0) {
		p.pos += PREFIX_LEN;
		if (p.pos == p.end)
			return fail_at(&p, p.pos, "nothing after '" PREFIX "'");
		if (is_blank(p.in[p.pos]))
			return fail_at(&p, p.pos, "blank after '" PREFIX "' at offset %zu",
			               p.pos);
	}
	/* The kernel takes one parameter per item; accepting a second prefix
	 * here would invite "crashkernel=crashkernel=..." into a cmdline. */
	again = memmem(p.in + p.pos, p.end - p.pos, PREFIX, PREFIX_LEN);
	if (again)
		return fail_at(&p, (size_t)(again - p.in), "'" PREFIX "' given twice "
		               "(again at offset %zu)", (size_t)(again - p.in));

	ck = calloc(1, sizeof(*ck));
	if (!ck)
		return diag_set(-ENOMEM, "%s: out of memory", what);
	while (p.pos < p.end) {
		struct ck_item *items;
		size_t *offs;

		items = realloc(ck->items, (ck->n_items + 1) * sizeof(*items));
		if (!items) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
		ck->items = items;
		offs = realloc(offsets, (ck->n_items + 1) * sizeof(*offs));
		if (!offs) {
			r = diag_set(-ENOMEM, "%s: out of memory", what);
			goto out;
		}
		offsets = offs;
		offsets[ck->n_items] = p.pos;
		memset(&ck->items[ck->n_items], 0, sizeof(*items));
		ck->n_items++;
		r = parse_item(&p, &ck->items[ck->n_items - 1]);
		if (r < 0)
			goto out;
		while (p.pos < p.end && is_blank(p.in[p.pos]))
			p.pos++;
	}
	r = check_combination(&p, ck->items, offsets, ck->n_items);
	if (r < 0)
		goto out;
	r = render(ck, NULL, &ck->normalized);
	if (r < 0) {
		r = diag_set(r, "%s: out of memory", what);
		goto out;
	}
	*ret = ck;
	ck = NULL;
out:
	free(offsets);
	crashkernel_free(ck);
	return r;
}

bool crashkernel_is_auto(const struct crashkernel *ck)
{
	assert(ck);
	for (size_t i = 0; i < ck->n_items; i++)
		if (ck->items[i].kind == CK_AUTO)
			return true;
	return false;
}

int crashkernel_cmdline(const struct crashkernel *ck, char **ret)
{
	int r;

	assert(ck && ret);
	if (crashkernel_is_auto(ck))
		return diag_set(-EINVAL, "crashkernel=auto must be resolved first");
	r = render(ck, PREFIX, ret);
	if (r < 0)
		return diag_set(r, "crashkernel: out of memory");
	return 0;
}

/* The size a ranges item gives, as parse_crashkernel_mem() computes it:
 * RAM rounded up to 128M, ranges tried in order, first match wins. Its
 * size check runs on each range up to the match, not on later ones. */
static int ranges_size(const struct crashkernel *ck, const struct ck_item *item,
                       uint64_t system_ram, const char *what, uint64_t *ret)
{
	uint64_t total = system_ram, rem = system_ram % SZ_128M;
	char ram[32], rounded[32], size[32], range[80];

	if (rem && __builtin_add_overflow(total, SZ_128M - rem, &total))
		return diag_set(-EINVAL, "%s: RAM size %s out of range", what,
		                format_size(system_ram, ram, sizeof(ram)));
	for (size_t i = 0; i < item->n_ranges; i++) {
		const struct ck_range *r = &item->ranges[i];

		if (r->size >= total)
			return diag_set(-EINVAL, "%s: \"%.200s\" on %s of RAM (rounded "
			                "up to %s): range %s asks for %s, not less than "
			                "that, so the kernel refuses the whole value",
			                what, ck->normalized,
			                format_size(system_ram, ram, sizeof(ram)),
			                format_size(total, rounded, sizeof(rounded)),
			                format_range(r, range, sizeof(range)),
			                format_size(r->size, size, sizeof(size)));
		if (total >= r->start && total < r->end) {
			*ret = r->size;
			return 0;
		}
	}
	*ret = 0;
	return 0;
}

int crashkernel_size_for(const struct crashkernel *ck, uint64_t system_ram,
                         const char *what, uint64_t *ret_bytes)
{
	const struct ck_item *plain = NULL, *high = NULL, *low = NULL;
	uint64_t bytes = 0;
	int r;

	assert(ck && what && ret_bytes);
	if (crashkernel_is_auto(ck))
		return diag_set(-EINVAL, "%s: auto must be resolved first", what);
	if (system_ram == 0)
		return diag_set(-EINVAL, "%s: RAM size 0", what);
	for (size_t i = 0; i < ck->n_items; i++) {
		const struct ck_item *item = &ck->items[i];

		if (item->kind == CK_HIGH)
			high = item;
		else if (item->kind == CK_LOW)
			low = item;
		else
			plain = item;
	}
	if (plain && plain->kind == CK_RANGES) {
		r = ranges_size(ck, plain, system_ram, what, &bytes);
		if (r < 0)
			return r;
	} else if (plain) {
		bytes = plain->size;
	} else if (high) {
		if (__builtin_add_overflow(high->size,
		                           low ? low->size : CK_DEFAULT_LOW_SIZE, &bytes))
			bytes = UINT64_MAX;
	}
	*ret_bytes = bytes;
	return 0;
}

int crashkernel_reserved(const struct crashkernel *ck, uint64_t system_ram,
                         const char *what, uint64_t *ret_bytes)
{
	char ram[32], got[32];
	uint64_t bytes;
	int r = crashkernel_size_for(ck, system_ram, what, &bytes);

	if (r < 0)
		return r;
	format_size(system_ram, ram, sizeof(ram));
	if (bytes == 0)
		return diag_set(-EINVAL, "%s: \"%.200s\" reserves nothing on a machine "
		                "with %s of RAM", what, ck->normalized, ram);
	if (bytes > system_ram / 2)
		return diag_set(-EINVAL, "%s: \"%.200s\" reserves %s, more than half "
		                "of the %s of RAM", what, ck->normalized,
		                format_size(bytes, got, sizeof(got)), ram);
	*ret_bytes = bytes;
	return 0;
}

int parse_size(const char *s, uint64_t *ret)
{
	struct parser p = { .in = s, .what = "size" };
	uint64_t v;
	int r;

	assert(s && ret);
	p.len = p.end = strlen(s);
	for (size_t i = 0; i < p.len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return fail_at(&p, i, "non-ASCII byte 0x%02x at offset %zu",
			               (unsigned char)s[i], i);
	r = parse_number(&p, &v);
	if (r < 0)
		return r;
	if (p.pos != p.end)
		return fail_unexpected(&p, NULL);
	/* parse_number() sets v whenever it returns 0; its fail_at() calls
	 * (variadic) always return -EINVAL, which the analyzer misses */
	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	if (v == 0)
		return fail_at(&p, 0, "size 0");
	*ret = v;
	return 0;
}
