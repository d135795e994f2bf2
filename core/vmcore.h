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
	bool have_time;           /* only for a plausible time (vmcore_time_plausible) */
	int64_t crash_time;       /* seconds since the epoch: CRASHTIME, header */
	char *release;            /* crashed kernel's release, or NULL */
	char *panic;              /* panic message, or NULL */
	bool complete;
	char *problem;            /* why it is not complete or not readable */
};

/* A crash time is plausible from 2000-01-01 UTC (no kernel that writes
 * CRASHTIME ran a node before) to a day after `now`: a crash cannot come
 * after the moment it is looked at, and the day covers a clock kept in
 * local time (UTC+14 at most) or a little fast. The file's modification
 * time is no bound: whoever can write a dump sets it at will, and a
 * capture kernel's clock can be wrong where the crashed kernel's was set
 * right by NTP. */
#define VMCORE_TIME_MIN INT64_C(946684800)
#define VMCORE_TIME_SLACK INT64_C(86400)
bool vmcore_time_plausible(int64_t t, int64_t now);

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
