/* SPDX-License-Identifier: Apache-2.0 */
/* Secure Boot and kernel lockdown, and whether the kexec system call the
 * distro's kdump tools use may load a crash kernel under them: lockdown
 * refuses kexec_load(); kexec_file_load() checks the kernel's signature. */
#ifndef SKD_SECURITY_H
#define SKD_SECURITY_H

struct sysroot;
struct skd_facts;

struct security_state {
	int secure_boot;          /* -1 unknown (no EFI variables), 0 off, 1 on */
	const char *lockdown;     /* "none", "integrity", "confidentiality", or
	                             NULL when the kernel has no lockdown LSM */
	const char *loader;       /* "kexec_file_load" or "kexec_load" */
	const char *loader_basis; /* why we think the tools use that loader */
	int loader_permitted;     /* -1 unknown, 0 no, 1 yes */
};

/* Read <root>/sys/firmware/efi/efivars and <root>/sys/kernel/security/
 * lockdown, and decide the loader from the distro's facts and its kdump
 * configuration in place (read from the root). Never fails: what cannot
 * be read is unknown. */
void security_state_read(struct sysroot *root, const struct skd_facts *facts,
                         struct security_state *ret);

#endif
