/* SPDX-License-Identifier: Apache-2.0 */
/* The backend note reader on arbitrary bytes given as a ".so": never
 * loaded, only read with libelf. What it accepts is complete. The note
 * payload parser also gets the bytes directly. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "diag.h"
#include "fuzz.h"
#include "note.h"

static void check_note(const struct backend_note *n)
{
	FUZZ_CHECK(n->name && n->name[0]);
	FUZZ_CHECK(n->ids);
	for (char **id = n->ids; *id; id++)
		FUZZ_CHECK(**id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct backend_note n = { 0 };
	int fd = fuzz_memfd(data, size), r;

	if (fd >= 0) {
		r = note_read_fd(fd, "fuzz.so", &n);
		FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EINVAL ||
		           r == -ENOEXEC || r == -ENOMEM);
		if (r == 0)
			check_note(&n);
		note_clear(&n);
		close(fd);
	}
	if (note_parse_payload((const char *)data, size, "fuzz", &n) == 0)
		check_note(&n);
	note_clear(&n);
	diag_clear();
	return 0;
}
