/* SPDX-License-Identifier: Apache-2.0 */
/* The running kernel's crash dump state, from <root>/proc and <root>/sys:
 * kexec_crash_loaded is the truth about an armed node (a kdump service
 * that says "active" can have failed to load). */
#ifndef SKD_KERNEL_H
#define SKD_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

struct sysroot;

struct kernel_state {
	bool have_cmdline;          /* false: no running kernel in the root */
	char *cmdline_crashkernel;  /* cmdline_last_crashkernel(), or NULL */
	bool have_crash_size;
	uint64_t crash_size;        /* /sys/kernel/kexec_crash_size */
	bool have_crash_loaded;
	bool crash_loaded;          /* /sys/kernel/kexec_crash_loaded */
};

int kernel_state_read(struct sysroot *root, struct kernel_state *ret);
void kernel_state_clear(struct kernel_state *k);
/* The crashkernel= value the kernel uses from a command line, as
 * parse_crashkernel() picks it: the last plain word; without one, the
 * last ",high" and the last ",low" words, joined with one space in their
 * order on the line ("512M,high 128M,low"). NULL when there is none;
 * malloc'd. */
char *cmdline_last_crashkernel(const char *cmdline);

#endif
