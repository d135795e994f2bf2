/* SPDX-License-Identifier: Apache-2.0 */
/* The node's platform, read once per run: the running kernel's release,
 * architecture and page size, and the devices and features that change
 * what a capture kernel needs (an Arm SMMU, a ConnectX NIC bound to
 * mlx5_core, AMD memory encryption). Backends get it as host facts
 * ("platform.*"); the estimate counts it. Each figure says where it was
 * read, so `validate`, `estimate` and `status` can say why. */
#ifndef SKD_PLATFORM_H
#define SKD_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

struct sysroot;

struct platform {
	char *kernel_release;           /* NULL unknown */
	const char *release_source;
	char *arch;                     /* uname -m spelling: "x86_64",
	                                   "aarch64"; NULL unknown */
	const char *arch_source;
	unsigned page_size;             /* bytes; 0 unknown */
	const char *page_size_source;
	char *smmu;                     /* the first /sys/devices/platform/
	                                   arm-smmu* device, or NULL */
	bool mlx5;                      /* /sys/bus/pci/drivers/mlx5_core */
	const char *mem_encryption;     /* "AMD SME", "AMD SEV", or NULL */
	const char *mem_encryption_source;
};

/* `running`: the root is the running system ("/" and not --image), so
 * uname(2) and getpagesize(2) answer; otherwise the root's files do (see
 * platform.c for the order). Never fails: what cannot be read stays
 * unknown. -ENOMEM only. */
int platform_read(struct sysroot *root, bool running, struct platform *ret);
void platform_clear(struct platform *p);

/* The running kernel's release alone, found as platform_read finds it
 * (NULL: unknown); *ret_source (may be NULL) says where. malloc'd. */
char *platform_kernel_release(struct sysroot *root, bool running,
                              const char **ret_source);

/* The parts of the platform that change a capture kernel's needs, e.g.
 * "aarch64, 64K-page kernel, SMMU arm-smmu-v3.0.auto, mlx5_core"
 * (malloc'd). */
char *platform_describe(const struct platform *p);

/* An arm64 kernel older than 5.19, whose crashkernel=X is reserved only
 * below the DMA limit (else "cannot allocate crashkernel" and nothing)
 * and which knows no ",high"/",low": Linux 5.19, commit 944a45abfabc
 * ("arm64: kdump: Reimplement crashkernel=X"), added both. A distribution
 * kernel of an older version may carry that commit backported: the words
 * that use this say "may". */
bool platform_arm64_old_reserve(const struct platform *p);

/* The first line of the boot log kept in /var/log/dmesg that holds
 * `needle`, from the needle on (malloc'd), or NULL. */
char *platform_boot_log_find(struct sysroot *root, const char *needle);

/* The architecture an ELF file's header names (e_machine, byte order),
 * in uname -m spelling, or NULL. */
const char *platform_elf_arch(const unsigned char *head, size_t len);

#endif
