/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a backend's ELF note (see SKD_BACKEND_NOTE) with libelf, without
 * loading the file. */
#ifndef SKD_NOTE_H
#define SKD_NOTE_H

#include <stddef.h>

struct backend_note {
	char *name;
	unsigned abi_major;
	unsigned abi_minor;
	char **ids;             /* NULL-terminated, in order */
};

/* -ENOENT: no note; -EINVAL: garbled (diag_set says how); -ENOEXEC: not
 * an ELF file. */
int note_read_fd(int fd, const char *what, struct backend_note *ret);
/* Parse the payload of one note ("key=value\0..."). */
int note_parse_payload(const char *desc, size_t len, const char *what,
                       struct backend_note *ret);
void note_clear(struct backend_note *n);

#endif
