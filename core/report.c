/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "report.h"
#include "strv.h"
#include "utf8.h"

void report_init(struct report *r, const char *command, bool json, FILE *out)
{
	memset(r, 0, sizeof(*r));
	r->command = command;
	r->json = json;
	r->out = out;
	r->done = calloc(1, sizeof(char *));
	r->problems = calloc(1, sizeof(char *));
	r->notes = calloc(1, sizeof(char *));
}

static void add(struct report *r, char ***list, const char *tag,
                const char *fmt, va_list ap)
{
	char *line;

	if (vasprintf(&line, fmt, ap) < 0)
		return;
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (!r->json)
		fprintf(r->out, "%s: %s%s\n", r->command, tag, line);
	if (*list)
		strv_push(list, line);
	free(line);
}

void report_done(struct report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(r, &r->done, "", fmt, ap);
	va_end(ap);
}

void report_problem(struct report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(r, &r->problems, "NOT OK: ", fmt, ap);
	va_end(ap);
}

void report_note(struct report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(r, &r->notes, "", fmt, ap);
	va_end(ap);
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		size_t n = utf8_seq_len(p);

		if (n == 0) {
			fputs(UTF8_REPLACEMENT, f);
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, f);
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void text_flat(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
		size_t n = utf8_control_len(p);

		if (n) {
			fputc(' ', f);
			p += n;
			continue;
		}
		/* a valid sequence whole, so its continuation bytes are never
		 * taken for C1 controls; any other byte as it is */
		n = utf8_seq_len(p);
		fwrite(p, 1, n ? n : 1, f);
		p += n ? n : 1;
	}
}

char *text_flat_dup(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	text_flat(f, s);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void json_list(FILE *f, const char *key, char **v)
{
	fprintf(f, ",\"%s\":[", key);
	for (char **p = v; p && *p; p++) {
		if (p != v)
			fputc(',', f);
		json_string(f, *p);
	}
	fputc(']', f);
}

void report_finish(struct report *r, int exit_code, const char *error)
{
	static const char *const results[] = {
		"ok", "check-failed", "bad-input", "unsupported", "failed",
	};
	const char *result = exit_code >= 0 && exit_code <= 4 ? results[exit_code] : "failed";

	if (r->json) {
		fputs("{\"command\":", r->out);
		json_string(r->out, r->command);
		fprintf(r->out, ",\"result\":\"%s\",\"exit_code\":%d", result, exit_code);
		fputs(",\"error\":", r->out);
		if (error && *error)
			json_string(r->out, error);
		else
			fputs("null", r->out);
		json_list(r->out, "done", r->done);
		json_list(r->out, "problems", r->problems);
		json_list(r->out, "notes", r->notes);
		fputs("}\n", r->out);
	}
	strv_free(r->done);
	strv_free(r->problems);
	strv_free(r->notes);
	r->done = r->problems = r->notes = NULL;
}
