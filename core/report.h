/* SPDX-License-Identifier: Apache-2.0 */
/* What a command did and what it found, printed as it happens (text) or
 * once at the end (--json). Each line stands alone, so the Skyhook agent's
 * log shows one reason per line. */
#ifndef SKD_REPORT_H
#define SKD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

struct report {
	const char *command;
	bool json;
	FILE *out;
	char **done;            /* changes made */
	char **problems;        /* why a check failed */
	char **notes;           /* everything else worth saying */
};

void report_init(struct report *r, const char *command, bool json, FILE *out);
void report_done(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_problem(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_note(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Under --json, the JSON document (text lines were printed as they came);
 * frees the lists. */
void report_finish(struct report *r, int exit_code, const char *error);

/* JSON string escaping, shared with the other --json writers; bytes that
 * are not valid UTF-8 become U+FFFD, so the output is always valid JSON. */
void json_string(FILE *f, const char *s);

/* Text output of a value that may hold anything (a file name, a field of
 * a file): each control character (utf8_control_len()) becomes a space,
 * so the value stays on its line and cannot drive the terminal. */
void text_flat(FILE *f, const char *s);
/* The same into a new string (for a message), or NULL without memory. */
char *text_flat_dup(const char *s);

#endif
