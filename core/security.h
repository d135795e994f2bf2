/* SPDX-License-Identifier: Apache-2.0 */
/* Secure Boot and kernel lockdown, and whether the kexec system call the
 * distro's kdump tools use may load a crash kernel under them: lockdown
 * refuses kexec_load(); kexec_file_load() checks the kernel's signature.
 * Which system call the tools use is the backend's answer (kexec_syscall,
 * ABI 1.3): the host names no distribution. */
#ifndef SKD_SECURITY_H
#define SKD_SECURITY_H

#include <stdbool.h>

struct kexec_kernel;
struct sysroot;
struct skd_backend;
struct skd_host;

struct security_state {
	int secure_boot;          /* -1 unknown (no EFI variables), 0 off, 1 on */
	const char *lockdown;     /* "none", "integrity", "confidentiality", or
	                             NULL when the kernel has no lockdown LSM */
	const char *loader;       /* "kexec_file_load" or "kexec_load", NULL
	                             when it depends on what is not known (the
	                             kexec-tools version) or the backend does
	                             not say */
	char *loader_basis;       /* why we think the tools use that loader
	                             (malloc'd; NULL only out of memory) */
	int loader_permitted;     /* -1 unknown, 0 no, 1 yes */
};
/* lockdown and loader are static strings; loader_basis is freed by
 * security_state_clear(). */

/* Read <root>/sys/firmware/efi/efivars and <root>/sys/kernel/security/
 * lockdown, and ask the backend `be` (through its host `h`) which loader
 * its tools use, telling it whether their own Secure Boot test holds
 * (SecureBoot=1 and SetupMode=0). A backend without kexec_syscall leaves
 * the loader unknown. `k` (may be NULL) is the running kernel: one without
 * kexec_file_load() gets kexec_load() whatever the tools try first.
 * Never fails: what cannot be read is unknown. */
void security_state_read(struct sysroot *root, const struct skd_backend *be,
                         const struct skd_host *h, const struct kexec_kernel *k,
                         struct security_state *ret);
void security_state_clear(struct security_state *s);

#endif
