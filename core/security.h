/* SPDX-License-Identifier: Apache-2.0 */
/* Secure Boot and kernel lockdown, and whether the kexec system call the
 * distro's kdump tools use may load a crash kernel under them: lockdown
 * refuses kexec_load(); kexec_file_load() checks the kernel's signature. */
#ifndef SKD_SECURITY_H
#define SKD_SECURITY_H

#include <stdbool.h>

struct sysroot;
struct skd_facts;

struct security_state {
	int secure_boot;          /* -1 unknown (no EFI variables), 0 off, 1 on */
	const char *lockdown;     /* "none", "integrity", "confidentiality", or
	                             NULL when the kernel has no lockdown LSM */
	const char *loader;       /* "kexec_file_load" or "kexec_load", NULL
	                             when it depends on what is not known (the
	                             kexec-tools version) */
	const char *loader_basis; /* why we think the tools use that loader */
	int loader_permitted;     /* -1 unknown, 0 no, 1 yes */
};
/* All strings above are static: nothing to free. */

/* Read <root>/sys/firmware/efi/efivars and <root>/sys/kernel/security/
 * lockdown, and decide the loader from the distro's facts and its kdump
 * configuration in place (read from the root). Never fails: what cannot
 * be read is unknown. */
void security_state_read(struct sysroot *root, const struct skd_facts *facts,
                         struct security_state *ret);

/* security-loader.c: the syscall the family's kdump tools will use.
 * `tools_secure_boot` is what kdump-config and kdumpctl test before adding
 * "-s" themselves: SecureBoot=1 and SetupMode=0. Sets loader and
 * loader_basis. */
void security_loader_decide(struct sysroot *root, const struct skd_facts *facts,
                            bool tools_secure_boot, struct security_state *st);
/* "1:2.0.25-3+b1" -> true when the upstream version is 2.0.27 or later,
 * whose kexec tries kexec_file_load first (kexec-tools commit 29fe506,
 * "kexec: make -a the default"). */
bool kexec_tools_tries_file_load(const char *deb_version);

#endif
