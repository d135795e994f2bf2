/* SPDX-License-Identifier: Apache-2.0 */
/* Amazon Linux 2 (EL7 lineage: yum, /etc/default/grub + grub2-mkconfig)
 * and Amazon Linux 2023 (Fedora lineage: dnf, BLS + grubby). Only the
 * release table lives here; the operations are the RPM family's. */
#include "config.h"

#include <string.h>

#include <skyhook-kdump/backend.h>

#include "rpm-initrd.h"
#include "rpmfamily.h"

SKD_BACKEND_NOTE("amazon", "amzn");

static const char *const packages[] = { "kexec-tools", "crash", NULL };

/* Amazon's kernels are upstream-based and have no crashkernel=auto, and
 * we found no Amazon document naming a size. AL2's kexec-tools comes from
 * EL7 and its kernels (4.14, 5.10) are of the EL8 era: the EL8 tables
 * (x86_64 and arm64, kernel/crash_core.c of c8s). AL2023 took kexec-tools
 * from Fedora 34-36, whose kdumpctl rules are these (aarch64 "2G-:448M",
 * no per-node deltas); it added kdump-utils as a new package in release
 * 2023.6.20250107, whose version we could not read: on a running node,
 * kdumpctl get-default-crashkernel answers instead. */
static const struct rpm_auto auto_al2 = {
	.x86_64 = "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M",
	.aarch64 = "2G-:448M",
	.source = "the EL8-era tables (Amazon Linux 2)",
};
static const struct rpm_auto auto_al2023 = {
	.x86_64 = "1G-4G:192M,4G-64G:256M,64G-:512M",
	.aarch64 = "2G-:448M",
	.source = "kexec-tools of Fedora 34-36 (Amazon Linux 2023)",
};

static const struct rpm_release al2 = {
	.package_manager = "yum",
	.packages = packages,
	.auto_rules = &auto_al2,
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
	.auto_rules = &auto_al2023,
	.bootloader_method = "grubby (BLS) + /etc/default/grub",
	.boot = RPM_BOOT_BLS,
	/* AL2023's file has only this variable. A GRUB_CMDLINE_LINUX of our
	 * own would make any later "grubby --update-kernel=ALL --args" (the
	 * admin's, kdumpctl's) overwrite this one with it: grubby-bls's sed
	 * matches both names. */
	.grub_var = "GRUB_CMDLINE_LINUX_DEFAULT",
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
		return rpmfamily_use(h, &al2);
	if (major >= 2022 && major < 3000)
		return rpmfamily_use(h, &al2023);
	return h->error(h, -SKD_E_UNSUPPORTED, "Amazon Linux %s is not "
	                "supported (2 or 2023 needed)", version);
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("amazon"),
	.init = amazon_init,
	RPMFAMILY_OPS,
	RPMFAMILY_INITRD_OPS,
};
