/* SPDX-License-Identifier: Apache-2.0 */
/* Secure Boot (EFI variables) and kernel lockdown (securityfs), read from
 * the root, and whether the loader the kdump tools use may work there. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

void security_state_read(struct sysroot *root, const struct skd_facts *facts,
                         struct security_state *ret)
{
	struct security_state s = { .secure_boot = -1, .loader_permitted = -1 };
	int setup_mode;

	s.secure_boot = efi_bool(root, "SecureBoot");
	setup_mode = efi_bool(root, "SetupMode");
	s.lockdown = lockdown_mode(root);
	/* kdump-config (check_secure_boot) and kdumpctl
	 * (is_secure_boot_enforced) add "-s" only when both variables exist
	 * with SecureBoot=1 and SetupMode=0 */
	security_loader_decide(root, facts, s.secure_boot == 1 && setup_mode == 0, &s);
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
