/* SPDX-License-Identifier: Apache-2.0 */
/* Amazon Linux 2 (EL7 lineage: yum, /etc/default/grub + grub2-mkconfig)
 * and Amazon Linux 2023 (Fedora lineage: dnf, BLS + grubby). Only the
 * release table lives here; the operations are the RPM family's. */
#include "config.h"

#include <string.h>

#include <skyhook-kdump/backend.h>

#include "rpmfamily.h"

SKD_BACKEND_NOTE("amazon", "amzn");

static const char *const packages[] = { "kexec-tools", "crash", NULL };

/* Amazon's kernels are upstream-based and have no crashkernel=auto, and
 * we found no Amazon document naming a size. AL2's kexec-tools comes from
 * EL7 and its kernels (4.14, 5.10) are of the EL8 era: the EL8 table. AL2023
 * took kexec-tools from Fedora 34-36, whose kdumpctl default is this one. */
#define AL2_DEFAULT "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M"
#define AL2023_DEFAULT "1G-4G:192M,4G-64G:256M,64G-:512M"

static const struct rpm_release al2 = {
	.package_manager = "yum",
	.packages = packages,
	.default_crashkernel = AL2_DEFAULT,
	.bootloader_method =
		"GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub + grub2-mkconfig",
	.boot = RPM_BOOT_MKCONFIG,
	/* AL2's file has only this variable */
	.grub_var = "GRUB_CMDLINE_LINUX_DEFAULT",
	.efi_dir = "amzn",
};

static const struct rpm_release al2023 = {
	.package_manager = "dnf",
	.packages = packages,
	.default_crashkernel = AL2023_DEFAULT,
	.bootloader_method = "grubby (BLS) + /etc/default/grub",
	.boot = RPM_BOOT_BLS,
	.grub_var = "GRUB_CMDLINE_LINUX",
	.kernel_cmdline = true,
	/* decided from the installed kdump.conf: we could not check which
	 * kexec-tools AL2023 ships */
	.auto_reset = false,
	.efi_dir = "amzn",
};

static int amazon_init(const struct skd_host *h)
{
	const char *id = h->get(h, "os.id"), *version = h->get(h, "os.version_id");
	unsigned major;

	if (!id || strcmp(id, "amzn") != 0)
		return h->error(h, -SKD_E_UNSUPPORTED, "ID=%s is not Amazon Linux",
		                id ? id : "(none)");
	if (rpmfamily_version_major(version, &major) < 0)
		return h->error(h, -SKD_E_UNSUPPORTED, "amzn: cannot read "
		                "VERSION_ID=\"%s\"", version ? version : "");
	/* 2022 was the preview of 2023; 2018.03 is the old Amazon Linux AMI */
	if (major == 2)
		rpmfamily_use(&al2);
	else if (major >= 2022 && major < 3000)
		rpmfamily_use(&al2023);
	else
		return h->error(h, -SKD_E_UNSUPPORTED, "Amazon Linux %s is not "
		                "supported (2 or 2023 needed)", version);
	return 0;
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("amazon"),
	.init = amazon_init,
	RPMFAMILY_OPS,
};
