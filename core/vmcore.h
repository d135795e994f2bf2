/* SPDX-License-Identifier: Apache-2.0 */
/* What one crash dump file is, read without loading it: its format (ELF
 * vmcore, makedumpfile's kdump-compressed or flattened format, or a kernel
 * log only), the crashed kernel's release, the crash time and panic message
 * where the file carries them, and whether it is complete. Any file may be
 * truncated or garbled: that is reported in `problem`, never trusted. */
#ifndef SKD_VMCORE_H
#define SKD_VMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vmcore_format {
	VMCORE_UNKNOWN = 0,
	VMCORE_ELF,               /* ELF core: /proc/vmcore copy, makedumpfile -E */
	VMCORE_KDUMP_COMPRESSED,  /* makedumpfile -c/-l/-p/-z: "KDUMP   " header */
	VMCORE_FLATTENED,         /* makedumpfile -F: "makedumpfile" header */
	VMCORE_DMESG,             /* a kernel log only (dmesg.*, vmcore-dmesg.txt) */
};

struct vmcore_info {
	enum vmcore_format format;
	uint64_t size;            /* bytes of the file */
	bool have_time;
	int64_t crash_time;       /* seconds since the epoch: CRASHTIME, header */
	char *release;            /* crashed kernel's release, or NULL */
	char *panic;              /* panic message, or NULL */
	bool complete;
	char *problem;            /* why it is not complete or not readable */
};

/* Inspect an open regular file. `name` (its file name) tells a kernel log
 * from an unknown file. Returns 0 even for garbled files (then `problem`
 * says what is wrong); negative only when the file cannot be read. */
int vmcore_inspect(int fd, const char *name, struct vmcore_info *ret);
void vmcore_info_clear(struct vmcore_info *v);
/* "elf", "kdump-compressed", "flattened", "dmesg", "unknown" */
const char *vmcore_format_name(enum vmcore_format f);
/* The panic message of a kernel log ("Kernel panic - not syncing: ...",
 * or the sysrq crash trigger line), or NULL (malloc'd). */
char *dmesg_panic_message(const char *text, size_t len);

#endif
