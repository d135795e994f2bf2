/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "kdumpconf.h"

struct line {
	const char *p;
	size_t len;             /* with the '\n', when there is one */
	uint64_t hash;
};

enum op_type { OP_EQ, OP_DEL, OP_INS };

struct op {
	enum op_type type;
	size_t ai, bi;          /* old and new lines before this one */
};

static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static int split_lines(const char *text, size_t len, struct line **ret,
                       size_t *ret_n)
{
	struct line *lines;
	size_t n = 0, count = 0, start = 0;

	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			count++;
	lines = calloc(count + 2, sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		lines[n].p = text + start;
		lines[n].len = i + 1 - start;
		n++;
		start = i + 1;
	}
	if (start < len) {
		lines[n].p = text + start;
		lines[n].len = len - start;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		lines[i].hash = hash_bytes(lines[i].p, lines[i].len);
	*ret = lines;
	*ret_n = n;
	return 0;
}

static bool line_eq(const struct line *a, const struct line *b)
{
	return a->hash == b->hash && a->len == b->len &&
	       memcmp(a->p, b->p, a->len) == 0;
}

/*
 * One step of Myers' greedy search: the furthest x reachable on diagonal k
 * with d edits, from the (d-1)-step furthest points in prev (indexed
 * k + d - 1; -1 when a diagonal has no point inside the grid). Moves that
 * would leave the n x m grid are not taken, so every kept point is on a
 * real path. -1 when none; *ret_down tells an insertion from a deletion.
 */
static long step(const long *prev, long d, long k, long n, long m,
                 bool *ret_down)
{
	long best = -1;

	*ret_down = false;
	if (k + 1 <= d - 1) {
		long x = prev[k + 1 + d - 1];

		if (x >= 0 && x - k <= m) {
			best = x;
			*ret_down = true;
		}
	}
	if (k - 1 >= -(d - 1)) {
		long x = prev[k - 1 + d - 1];

		if (x >= 0 && x + 1 <= n && x + 1 > best) {
			best = x + 1;
			*ret_down = false;
		}
	}
	return best;
}

/*
 * Myers' O(ND) algorithm on a[0..n) and b[0..m), keeping the furthest
 * point of every diagonal for each d to walk back the path. Memory is
 * O(D^2), hence the cap: past max_d edits, *ret_found is false.
 * Ops are written backwards (last edit first).
 */
static int myers(const struct line *a, size_t n, const struct line *b,
                 size_t m, size_t max_d, enum op_type *ops, size_t *ret_nops,
                 bool *ret_found)
{
	long **trace = NULL;
	long dmax = (long)(n + m);
	long d, found_d = -1;
	size_t nops = 0;
	int err = 0;

	if ((size_t)dmax > max_d)
		dmax = (long)max_d;
	trace = calloc((size_t)dmax + 1, sizeof(*trace));
	if (!trace)
		return -ENOMEM;
	for (d = 0; d <= dmax && found_d < 0; d++) {
		long *v = malloc((2 * (size_t)d + 1) * sizeof(*v));

		if (!v) {
			err = -ENOMEM;
			goto out;
		}
		trace[d] = v;
		for (long k = -d; k <= d; k += 2) {
			bool down;
			long x, y;

			x = d == 0 ? 0 : step(trace[d - 1], d, k, (long)n, (long)m, &down);
			v[k + d] = x;
			if (x < 0)
				continue;
			y = x - k;
			while (x < (long)n && y < (long)m && line_eq(&a[x], &b[y])) {
				x++;
				y++;
			}
			v[k + d] = x;
			if (x == (long)n && y == (long)m) {
				found_d = d;
				break;
			}
		}
	}
	if (found_d < 0) {
		*ret_found = false;
		goto out;
	}
	{
		long x = (long)n, y = (long)m;

		for (d = found_d; d > 0; d--) {
			long k = x - y, px, py;
			bool down;

			px = step(trace[d - 1], d, k, (long)n, (long)m, &down);
			assert(px >= 0);
			/* px is where the edit lands; before it: */
			py = px - k;
			while (x > px && y > py) {
				ops[nops++] = OP_EQ;
				x--;
				y--;
			}
			ops[nops++] = down ? OP_INS : OP_DEL;
			x = down ? px : px - 1;
			y = down ? py - 1 : py;
		}
		while (x > 0 && y > 0) {
			ops[nops++] = OP_EQ;
			x--;
			y--;
		}
		assert(x == 0 && y == 0);
	}
	*ret_nops = nops;
	*ret_found = true;
out:
	for (d = 0; d <= dmax; d++)
		free(trace[d]);
	free(trace);
	return err;
}

/* The edit script, in order, with line positions filled in. */
static int edit_script(const struct line *a, size_t n, const struct line *b,
                       size_t m, struct op **ret, size_t *ret_nops)
{
	size_t pre = 0, suf = 0, nmid = 0, nops = 0;
	enum op_type *mid = NULL;
	struct op *ops = NULL;
	size_t ai = 0, bi = 0;
	bool found;
	int err;

	/* the common head and tail cost nothing and are most of a config */
	while (pre < n && pre < m && line_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       line_eq(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	mid = malloc((n + m + 1) * sizeof(*mid));
	ops = malloc((n + m + 1) * sizeof(*ops));
	if (!mid || !ops) {
		err = -ENOMEM;
		goto out;
	}
	err = myers(a + pre, n - pre - suf, b + pre, m - pre - suf,
	            DIFF_MAX_EDITS, mid, &nmid, &found);
	if (err < 0)
		goto out;
	if (!found) {
		/* too different to be worth it: all out, all in */
		nmid = 0;
		for (size_t i = 0; i < m - pre - suf; i++)
			mid[nmid++] = OP_INS;
		for (size_t i = 0; i < n - pre - suf; i++)
			mid[nmid++] = OP_DEL;
	}
	for (size_t i = 0; i < pre; i++)
		ops[nops++] = (struct op){ OP_EQ, 0, 0 };
	for (size_t i = nmid; i > 0; i--)       /* mid is backwards */
		ops[nops++] = (struct op){ mid[i - 1], 0, 0 };
	for (size_t i = 0; i < suf; i++)
		ops[nops++] = (struct op){ OP_EQ, 0, 0 };
	for (size_t i = 0; i < nops; i++) {
		ops[i].ai = ai;
		ops[i].bi = bi;
		if (ops[i].type != OP_INS)
			ai++;
		if (ops[i].type != OP_DEL)
			bi++;
	}
	assert(ai == n && bi == m);
	*ret = ops;
	*ret_nops = nops;
	ops = NULL;
out:
	free(mid);
	free(ops);
	return err;
}

/* "start,count" as diff -u writes it: an empty range names the line
 * before it, a single line has no count. */
static void print_range(FILE *f, size_t start, size_t count)
{
	if (count == 1)
		fprintf(f, "%zu", start + 1);
	else if (count == 0)
		fprintf(f, "%zu,0", start);
	else
		fprintf(f, "%zu,%zu", start + 1, count);
}

/* Credentials never reach the output: the value of a secret setting
 * (FTP_PASSWORD=, sshkey ...) is shown as "****", whatever the file. */
static void print_line(FILE *f, char prefix, const struct line *l)
{
	size_t end = l->len, b, e;

	if (end > 0 && l->p[end - 1] == '\n')
		end--;
	if (end > 0 && l->p[end - 1] == '\r')
		end--;
	fputc(prefix, f);
	if (kdumpconf_line_secret(l->p, end, &b, &e)) {
		fwrite(l->p, 1, b, f);
		fputs("****", f);
		fwrite(l->p + e, 1, l->len - e, f);
	} else {
		fwrite(l->p, 1, l->len, f);
	}
	if (l->len == 0 || l->p[l->len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", f);
}

static void print_hunks(FILE *f, const struct op *ops, size_t nops,
                        const struct line *a, const struct line *b)
{
	size_t i = 0;

	for (;;) {
		size_t first, last, start, end, na = 0, nb = 0;

		while (i < nops && ops[i].type == OP_EQ)
			i++;
		if (i == nops)
			break;
		first = i;
		last = i;
		/* extend while the next change is close enough to share context */
		for (size_t j = i + 1; j < nops; j++) {
			if (ops[j].type == OP_EQ)
				continue;
			if (j - last - 1 > 2 * DIFF_CONTEXT)
				break;
			last = j;
		}
		start = first > DIFF_CONTEXT ? first - DIFF_CONTEXT : 0;
		end = last + 1 + DIFF_CONTEXT < nops ? last + 1 + DIFF_CONTEXT : nops;
		for (size_t j = start; j < end; j++) {
			if (ops[j].type != OP_INS)
				na++;
			if (ops[j].type != OP_DEL)
				nb++;
		}
		fputs("@@ -", f);
		print_range(f, ops[start].ai, na);
		fputs(" +", f);
		print_range(f, ops[start].bi, nb);
		fputs(" @@\n", f);
		for (size_t j = start; j < end; j++) {
			switch (ops[j].type) {
			case OP_EQ:
				print_line(f, ' ', &a[ops[j].ai]);
				break;
			case OP_DEL:
				print_line(f, '-', &a[ops[j].ai]);
				break;
			case OP_INS:
				print_line(f, '+', &b[ops[j].bi]);
				break;
			}
		}
		i = end;
	}
}

int diff_unified(const char *path, const char *old, size_t old_len,
                 const char *new, size_t new_len, char **ret)
{
	struct line *a = NULL, *b = NULL;
	struct op *ops = NULL;
	size_t n = 0, m = 0, nops = 0, size = 0;
	const char *rel;
	char *buf = NULL;
	FILE *f = NULL;
	int err;

	assert(path && ret);
	rel = path;
	while (*rel == '/')
		rel++;
	if ((old && new && old_len == new_len && memcmp(old, new, old_len) == 0) ||
	    (!old && !new)) {
		buf = strdup("");
		err = buf ? 0 : -ENOMEM;
		goto out;
	}
	err = split_lines(old ? old : "", old ? old_len : 0, &a, &n);
	if (err < 0)
		goto out;
	err = split_lines(new ? new : "", new ? new_len : 0, &b, &m);
	if (err < 0)
		goto out;
	err = edit_script(a, n, b, m, &ops, &nops);
	if (err < 0)
		goto out;
	f = open_memstream(&buf, &size);
	if (!f) {
		err = -errno;
		goto out;
	}
	if (old)
		fprintf(f, "--- a/%s\n", rel);
	else
		fputs("--- /dev/null\n", f);
	if (new)
		fprintf(f, "+++ b/%s\n", rel);
	else
		fputs("+++ /dev/null\n", f);
	print_hunks(f, ops, nops, a, b);
	if (ferror(f) | fclose(f)) {
		f = NULL;
		err = -ENOMEM;
		goto out;
	}
	f = NULL;
out:
	if (err == 0) {
		*ret = buf;
		buf = NULL;
	}
	if (f)
		fclose(f);
	free(buf);
	free(a);
	free(b);
	free(ops);
	return err;
}
