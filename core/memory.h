/* SPDX-License-Identifier: Apache-2.0 */
/* How much RAM the machine has, as the kernel counts it for crashkernel=. */
#ifndef SKD_MEMORY_H
#define SKD_MEMORY_H

#include <stdint.h>

struct sysroot;

/* Sum of the top-level "System RAM" ranges of /proc/iomem (which still
 * includes the crash reservation). Where iomem is unreadable or zeroed
 * (non-root readers see zeros), MemTotal from /proc/meminfo plus
 * /sys/kernel/kexec_crash_size. *ret_source says which was used:
 * "/proc/iomem" or "MemTotal + kexec_crash_size". */
int memory_system_ram(struct sysroot *root, uint64_t *ret_bytes,
                      const char **ret_source);

/* The parsers, for tests and fuzzing. */
int memory_from_iomem(const char *text, uint64_t *ret_bytes);
int memory_from_meminfo(const char *text, uint64_t *ret_bytes);
/* Sum of the "Crash kernel" ranges of /proc/iomem at any depth (the
 * reservation the running kernel made, low part included); 0 when none. */
int memory_crash_from_iomem(const char *text, uint64_t *ret_bytes);

#endif
