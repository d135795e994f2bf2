/* SPDX-License-Identifier: Apache-2.0 */
/* What the running kernel gives kexec-tools to load a crash kernel with:
 * whether it has kexec_file_load() at all, and on arm64 whether
 * /proc/kallsyms has _text, without which kexec_load() gets a wrong ELF
 * core header (docs/vm-arm64.md: kexec-tools reads _text for PAGE_OFFSET
 * and the kernel image's segment, and writes 0-based nonsense without
 * it; makedumpfile then cannot read the page tables: an incomplete dump). */
#ifndef SKD_KEXEC_KERNEL_H
#define SKD_KEXEC_KERNEL_H

#include <stdbool.h>

struct sysroot;

struct kexec_kernel {
	int file_load;          /* kexec_file_load(): -1 unknown, 0 no, 1 yes */
	char *file_load_source; /* the .config read, or NULL */
	int text_symbol;        /* _text in /proc/kallsyms: -1 not read or
	                           unreadable, 0 no, 1 yes */
};

/* Read the kernel `release`'s /boot/config-RELEASE for CONFIG_KEXEC_FILE,
 * and, when `arch` is "aarch64" and the root is the running system
 * (`running`), /proc/kallsyms for _text. Never fails: what cannot be read
 * stays unknown. */
void kexec_kernel_read(struct sysroot *root, const char *release,
                       const char *arch, bool running,
                       struct kexec_kernel *ret);
void kexec_kernel_clear(struct kexec_kernel *k);

#endif
