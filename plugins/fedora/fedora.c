/* SPDX-License-Identifier: Apache-2.0 */
/* Fedora 30+: dnf, BLS entries edited with grubby. Only the release table
 * lives here; the operations are the RPM family's. */
#include "config.h"

#include <string.h>

#include <skyhook-kdump/backend.h>

#include "rpmfamily.h"

SKD_BACKEND_NOTE("fedora", "fedora");

static const char *const packages_kexec[] = { "kexec-tools", "crash", NULL };
/* kdump-utils was split out of kexec-tools in rawhide on 2024-02-29
 * (rhkdump/kdump-utils commit 372b4c6, after Fedora 40 branched on
 * 2024-02-20); its first mass rebuild was Fedora 41's, so 41 is the first
 * release where kexec-tools no longer brings kdumpctl. */
#define FIRST_KDUMP_UTILS 41
static const char *const packages_utils[] = {
	"kdump-utils", "kexec-tools", "makedumpfile", "crash", NULL,
};

/* kdumpctl's default (kdump-lib.sh, 2021-11, first in Fedora 36; earlier
 * releases had none, and the same table suits them); kdump-utils 1.0.53
 * (2025-03-06) raised it, first branched into Fedora 43. */
#define DEFAULT_36 "1G-4G:192M,4G-64G:256M,64G-:512M"
#define DEFAULT_43 "2G-64G:256M,64G-:512M"

static int fedora_init(const struct skd_host *h)
{
	const char *id = h->get(h, "os.id"), *version = h->get(h, "os.version_id");
	struct rpm_release rel = {
		.package_manager = "dnf",
		.bootloader_method = "grubby (BLS) + /etc/default/grub + /etc/kernel/cmdline",
		.boot = RPM_BOOT_BLS,
		.grub_var = "GRUB_CMDLINE_LINUX",
		.kernel_cmdline = true,
		.efi_dir = "fedora",
	};
	unsigned major;

	if (!id || strcmp(id, "fedora") != 0)
		return h->error(h, -SKD_E_UNSUPPORTED, "ID=%s is not Fedora",
		                id ? id : "(none)");
	if (rpmfamily_version_major(version, &major) < 0)
		return h->error(h, -SKD_E_UNSUPPORTED, "fedora: cannot read "
		                "VERSION_ID=\"%s\"", version ? version : "");
	if (major < 30)
		return h->error(h, -SKD_E_UNSUPPORTED, "Fedora %s is not "
		                "supported (30 or later needed)", version);
	rel.packages = major >= FIRST_KDUMP_UTILS ? packages_utils : packages_kexec;
	rel.default_crashkernel = major >= 43 ? DEFAULT_43 : DEFAULT_36;
	/* the directive appeared with the default, in Fedora 36 */
	rel.auto_reset = major >= 36;
	rpmfamily_use(&rel);
	return 0;
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("fedora"),
	.init = fedora_init,
	RPMFAMILY_OPS,
};
