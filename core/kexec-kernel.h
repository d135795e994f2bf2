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

/* Would a crash kernel loaded by tools that use `loader` ("kexec_load",
 * "kexec_file_load", NULL unknown: as security_state_read() leaves it)
 * get a wrong ELF core header, given `text_symbol` (kexec_kernel's)? 1 yes
 * (arm64, no _text, kexec_load), -1 maybe (no _text, loader unknown), 0 no
 * or not known to be. */
int kexec_core_header_broken(int text_symbol, const char *loader);
/* The one line that says why, for status and config. */
#define KEXEC_CORE_HEADER_WHY \
	"this arm64 kernel's /proc/kallsyms has no _text, and the kdump tools " \
	"load the crash kernel with %s: kexec-tools then writes a wrong ELF core " \
	"header and a crash leaves an incomplete dump; boot a kernel built with " \
	"CONFIG_KALLSYMS_ALL=y or CONFIG_KEXEC_FILE=y"
#define KEXEC_CORE_HEADER_LOADER(broken) \
	((broken) > 0 ? "kexec_load" : "kexec_load where its kexec-tools does not " \
	                               "use kexec_file_load")

#endif
