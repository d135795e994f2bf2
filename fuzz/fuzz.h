/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the fuzz harnesses: the libFuzzer entry point and a check that
 * aborts, so a broken property is reported like a crash (by libFuzzer) or
 * a failed test (by the replay driver). */
#ifndef SKD_FUZZ_H
#define SKD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): it must stay on in builds with -DNDEBUG. */
#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: property failed: %s\n", \
			        __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* An anonymous in-memory file holding the input, for readers that take a
 * file descriptor; -1 when it cannot be made. */
int fuzz_memfd(const uint8_t *data, size_t size);

#endif
