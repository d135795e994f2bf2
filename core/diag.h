/* SPDX-License-Identifier: Apache-2.0 */
/* One error message for the whole program: the function that detects a
 * failure describes it with diag_set(), the caller that handles it prints
 * diag_message() once. */
#ifndef SKD_DIAG_H
#define SKD_DIAG_H

/* Exit codes of the program (documented in --help and skyhook-kdump(8)). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_CHECK_FAILED = 1,  /* a check found the system not as desired */
	EXIT_BAD_INPUT = 2,
	EXIT_UNSUPPORTED = 3,
	EXIT_OP_FAILED = 4,
};

/* Store a one-line message (printf format) and return `err` unchanged. */
int diag_set(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#ifdef __clang_analyzer__
/* tells the static analyzer (make lint) what it returns, so that callers'
 * "r < 0" checks are understood */
#define diag_set(err, ...) (diag_set((err), __VA_ARGS__), (err))
#endif
/* The last message, or "" when none. */
const char *diag_message(void);
void diag_clear(void);

#endif
