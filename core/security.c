/* SPDX-License-Identifier: Apache-2.0 */
/* Secure Boot (EFI variables) and kernel lockdown (securityfs), read from
 * the root, and whether the loader the kdump tools use may work there. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "kexec-kernel.h"
#include "loader.h"
#include "security.h"
#include "sysroot.h"

/* EFI_GLOBAL_VARIABLE; efivarfs files hold 4 bytes of attributes, then
 * the value (one byte for SecureBoot and SetupMode). */
#define EFIVARS "/sys/firmware/efi/efivars/"
#define EFI_GLOBAL "-8be4df61-93ca-11d2-aa0d-e0e6ffaa4a8c"

/* -1 when missing or short, else the value byte as 0/1. */
static int efi_bool(struct sysroot *root, const char *name)
{
	char path[128], *data = NULL;
	size_t len;
	int v = -1;

	strcpy(path, EFIVARS);
	strcat(path, name);
	strcat(path, EFI_GLOBAL);
	if (sysroot_read(root, path, 4096, &data, &len) < 0)
		return -1;
	if (len >= 5)
		v = data[4] != 0;
	free(data);
	return v;
}

/* "none [integrity] confidentiality": the bracketed word. */
static const char *lockdown_mode(struct sysroot *root)
{
	static const char *const modes[] = { "none", "integrity", "confidentiality" };
	char *text = NULL, *open, *close;
	const char *mode = NULL;
	size_t len;

	if (sysroot_read(root, "/sys/kernel/security/lockdown", 4096, &text, &len) < 0)
		return NULL;
	open = strchr(text, '[');
	close = open ? strchr(open, ']') : NULL;
	if (close) {
		*close = '\0';
		for (size_t i = 0; i < 3; i++)
			if (!strcmp(open + 1, modes[i]))
				mode = modes[i];
	}
	free(text);
	return mode;
}

/* The backend's answer: loader (one of our own static names, or NULL) and
 * a malloc'd basis. */
static void ask_backend(const struct skd_backend *be, const struct skd_host *h,
                        bool tools_secure_boot, struct security_state *s)
{
	const char *syscall = NULL;
	char *basis = NULL;
	int r;

	if (!be || !h || !backend_has_op(be, kexec_syscall)) {
		if (asprintf(&s->loader_basis, "backend '%s' does not say which kexec "
		             "system call its tools use", be && be->name ? be->name : "?") < 0)
			s->loader_basis = NULL;
		return;
	}
	r = be->kexec_syscall(h, tools_secure_boot, &syscall, &basis);
	if (r < 0) {
		/* what it left is not ours (backend.h) */
		if (asprintf(&s->loader_basis, "backend '%s' could not say which kexec "
		             "system call its tools use: %s", be->name,
		             diag_message()[0] ? diag_message() : strerror(-r)) < 0)
			s->loader_basis = NULL;
		diag_clear();
		return;
	}
	/* only the two names the ABI allows, as our own strings: the
	 * backend's may go when it is unloaded */
	if (syscall && !strcmp(syscall, "kexec_file_load"))
		s->loader = "kexec_file_load";
	else if (syscall && !strcmp(syscall, "kexec_load"))
		s->loader = "kexec_load";
	else if (syscall) {
		free(basis);
		if (asprintf(&s->loader_basis, "backend '%s' names an unknown kexec "
		             "system call \"%s\"", be->name, syscall) < 0)
			s->loader_basis = NULL;
		return;
	}
	if (basis && *basis) {
		s->loader_basis = basis;
		return;
	}
	free(basis);
	if (asprintf(&s->loader_basis, "backend '%s' gives no basis", be->name) < 0)
		s->loader_basis = NULL;
}

/* kexec-tools' kexec_file_load() fails with ENOSYS on a kernel built
 * without CONFIG_KEXEC_FILE: with -s nothing is loaded ("syscall
 * kexec_file_load not available"); without it (2.0.27 and later try it
 * first) kexec_load() is what loads. Either way kexec_file_load() is not
 * what lockdown will judge. */
static void kernel_without_file_load(const struct kexec_kernel *k,
                                     struct security_state *s)
{
	char *basis = NULL;

	if (!k || k->file_load != 0 || (s->loader && strcmp(s->loader, "kexec_file_load")))
		return;
	if (asprintf(&basis, "%s; but this kernel has no kexec_file_load "
	             "(CONFIG_KEXEC_FILE is not set in %s): kexec-tools falls back "
	             "to kexec_load, and loads nothing where -s forces it",
	             s->loader_basis ? s->loader_basis : "the tools' choice is unknown",
	             k->file_load_source ? k->file_load_source : "the kernel's config") < 0)
		return;
	free(s->loader_basis);
	s->loader_basis = basis;
	s->loader = "kexec_load";
}

void security_state_read(struct sysroot *root, const struct skd_backend *be,
                         const struct skd_host *h, const struct kexec_kernel *k,
                         struct security_state *ret)
{
	struct security_state s = { .secure_boot = -1, .loader_permitted = -1 };
	int setup_mode;

	s.secure_boot = efi_bool(root, "SecureBoot");
	setup_mode = efi_bool(root, "SetupMode");
	s.lockdown = lockdown_mode(root);
	/* the tools' own Secure Boot test, as the ABI defines it: both
	 * variables exist, SecureBoot=1 and SetupMode=0 */
	ask_backend(be, h, s.secure_boot == 1 && setup_mode == 0, &s);
	kernel_without_file_load(k, &s);
	if (!s.lockdown || !strcmp(s.lockdown, "none"))
		s.loader_permitted = 1;
	else if (!s.loader)
		s.loader_permitted = -1;
	else
		/* lockdown refuses kexec_load(); kexec_file_load() is allowed
		 * for a kernel signed with a trusted key, as distribution
		 * kernels are */
		s.loader_permitted = !strcmp(s.loader, "kexec_file_load");
	*ret = s;
}

void security_state_clear(struct security_state *s)
{
	if (!s)
		return;
	free(s->loader_basis);
	s->loader_basis = NULL;
}
