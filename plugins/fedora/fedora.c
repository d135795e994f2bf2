/* SPDX-License-Identifier: Apache-2.0 */
/* Fedora 30+: dnf, BLS entries edited with grubby. Only the release table
 * lives here; the operations are the RPM family's. */
#include "config.h"

#include <string.h>

#include <skyhook-kdump/backend.h>

#include "rpm-initrd.h"
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

/* kdumpctl's default (kdump-lib.sh; rhkdump/kdump-utils history, with
 * the release each Fedora branch carried):
 * - x86_64 "1G-4G:192M,4G-64G:256M,64G-:512M" from kexec-tools 2.0.23-2
 *   (2022-01, Fedora 36; earlier releases had no default, and the same
 *   table suits them), "2G-64G:256M,64G-:512M" from kdump-utils 1.0.53
 *   (2025-03-06, first branched into Fedora 43);
 * - aarch64 "2G-:448M" up to Fedora 36, "1G-4G:256M,4G-64G:320M,64G-:576M"
 *   from 2.0.24-4 (Fedora 37), "2G-4G:256M,4G-64G:320M,64G-:576M" from
 *   kdump-utils 1.0.54 (Fedora 43);
 * - the aarch64 deltas from 2.0.26-7 and SME/SEV from 2.0.27-4: Fedora 39
 *   branched with 2.0.26-8 and took 2.0.27 as an update. */
static const struct rpm_auto auto_30 = {
	.x86_64 = "1G-4G:192M,4G-64G:256M,64G-:512M", .aarch64 = "2G-:448M",
	.source = "kexec-tools 2.0.20-2.0.23 (Fedora 30-36)",
};
static const struct rpm_auto auto_37 = {
	.ask = true,
	.x86_64 = "1G-4G:192M,4G-64G:256M,64G-:512M",
	.aarch64 = "1G-4G:256M,4G-64G:320M,64G-:576M",
	.source = "kexec-tools 2.0.25-2.0.26 (Fedora 37-38)",
};
static const struct rpm_auto auto_39 = {
	.ask = true,
	.x86_64 = "1G-4G:192M,4G-64G:256M,64G-:512M",
	.aarch64 = "1G-4G:256M,4G-64G:320M,64G-:576M",
	.arm64_deltas = true, .sme_delta = true,
	.source = "kexec-tools 2.0.27 and later, kdump-utils before 1.0.53 (Fedora 39-42)",
};
static const struct rpm_auto auto_43 = {
	.ask = true,
	.x86_64 = "2G-64G:256M,64G-:512M",
	.aarch64 = "2G-4G:256M,4G-64G:320M,64G-:576M",
	.arm64_deltas = true, .sme_delta = true,
	.source = "kdump-utils 1.0.54 and later (Fedora 43 on)",
};

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
	rel.auto_rules = major >= 43 ? &auto_43 : major >= 39 ? &auto_39
	               : major >= 37 ? &auto_37 : &auto_30;
	/* the directive appeared with the default, in Fedora 36 */
	rel.auto_reset = major >= 36;
	return rpmfamily_use(h, &rel);
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("fedora"),
	.init = fedora_init,
	RPMFAMILY_OPS,
	RPMFAMILY_INITRD_OPS,
};
