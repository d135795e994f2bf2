/* SPDX-License-Identifier: Apache-2.0 */
/* Red Hat Enterprise Linux 7+ and its rebuilds (CentOS, Rocky, AlmaLinux,
 * Oracle Linux) and derivatives naming rhel or centos in ID_LIKE. Only the
 * release table lives here; the operations are the RPM family's. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "rpm-initrd.h"
#include "rpmfamily.h"

SKD_BACKEND_NOTE("rhel", "rhel centos rocky almalinux ol");

static const char *const packages_el[] = { "kexec-tools", "crash", NULL };
/* EL10 moved kdumpctl out of kexec-tools into kdump-utils, which relies on
 * makedumpfile as a separate package. */
static const char *const packages_el10[] = {
	"kdump-utils", "kexec-tools", "makedumpfile", "crash", NULL,
};

/* What "auto" means, per release (rpm-auto.c applies the node's deltas).
 * EL7 and EL8 kernels expand crashkernel=auto themselves:
 * - EL7 x86_64: 160 MiB plus 2 bits per 4 KiB page (64 MiB per TiB) from
 *   2 GiB of RAM (RHEL 7 Kernel Crash Dump Guide, "Memory Requirements for
 *   kdump", "Minimum Threshold for Automatic Memory Reservation"), as a
 *   table rounded up at each range's upper end; EL7 aarch64 (the ALT
 *   kernel): 512M from 2G (RHEL 7 Kernel Administration Guide, table 7.1).
 * - EL8: kernel/crash_core.c of the c8s kernel: x86_64
 *   "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M", arm64 "2G-:448M".
 * From EL9 on kdumpctl sets the value (kexec-tools, then kdump-utils,
 * kdump-lib.sh); the package that ships with each minor release, as seen
 * beside its kernel in package lists (kexec-tools 2.0.25-13.el9_2,
 * 2.0.26-8.el9 in 9.3, 2.0.27-8.el9_4 in 9.4; kdump-utils 1.0.51-11.el10_0,
 * whose x86_64 table the RHEL 10 documentation shows as 2G-64G):
 * - 9.0: 2.0.23, x86_64 "1G-4G:192M,4G-64G:256M,64G-:512M", aarch64
 *   "2G-:448M";
 * - 9.1 and 9.2: 2.0.24-4 and later, aarch64
 *   "1G-4G:256M,4G-64G:320M,64G-:576M";
 * - 9.3: 2.0.26-8, the aarch64 deltas (2.0.26-7);
 * - 9.4 on: 2.0.27 and later, the SME/SEV delta too (2.0.27-4);
 * - 10: x86_64 "2G-64G:256M,64G-:512M" (kdump-utils 1.0.53, commit fe18f93,
 *   which the RHEL 10 documentation shows although 10.0 ships 1.0.51: a
 *   backport), aarch64 "2G-4G:256M,4G-64G:320M,64G-:576M" (commit ca42bd6
 *   of the same day, "Fix all 1G boundary to 2G", taken to come with it;
 *   the documentation's arm64 table still starts at 1G).
 * Which el9 builds carry which upstream change is inferred from their
 * version, not read from RHEL's own sources. */
#define EL8_X86 "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M"
#define EL9_X86 "1G-4G:192M,4G-64G:256M,64G-:512M"
#define ARM64_448 "2G-:448M"
#define ARM64_1G "1G-4G:256M,4G-64G:320M,64G-:576M"

static const struct rpm_auto auto_el7 = {
	.x86_64 = "2G-64G:164M,64G-1T:224M,1T-2T:288M,2T-4T:416M,4T-:672M",
	.aarch64 = "2G-:512M",
	.source = "the EL7 kernel's crashkernel=auto",
};
static const struct rpm_auto auto_el8 = {
	.x86_64 = EL8_X86, .aarch64 = ARM64_448,
	.source = "the EL8 kernel's crashkernel=auto",
};
static const struct rpm_auto auto_el9_0 = {
	.ask = true,
	.x86_64 = EL9_X86, .aarch64 = ARM64_448,
	.source = "kexec-tools 2.0.23 (EL 9.0)",
};
static const struct rpm_auto auto_el9_1 = {
	.ask = true,
	.x86_64 = EL9_X86, .aarch64 = ARM64_1G,
	.source = "kexec-tools 2.0.24-2.0.25 (EL 9.1-9.2)",
};
static const struct rpm_auto auto_el9_3 = {
	.ask = true,
	.x86_64 = EL9_X86, .aarch64 = ARM64_1G, .arm64_deltas = true,
	.source = "kexec-tools 2.0.26 (EL 9.3)",
};
static const struct rpm_auto auto_el9_4 = {
	.ask = true,
	.x86_64 = EL9_X86, .aarch64 = ARM64_1G, .arm64_deltas = true, .sme_delta = true,
	.source = "kexec-tools 2.0.27 and later (EL 9.4 on)",
};
static const struct rpm_auto auto_el10 = {
	.ask = true,
	.x86_64 = "2G-64G:256M,64G-:512M", .aarch64 = "2G-4G:256M,4G-64G:320M,64G-:576M",
	.arm64_deltas = true, .sme_delta = true,
	.source = "kdump-utils 1.0.51 (EL 10)",
};

static const struct rpm_release el7 = {
	.package_manager = "yum",
	.packages = packages_el,
	.auto_rules = &auto_el7,
	.bootloader_method = "GRUB_CMDLINE_LINUX in /etc/default/grub + grub2-mkconfig",
	.boot = RPM_BOOT_MKCONFIG,
	.grub_var = "GRUB_CMDLINE_LINUX",
};

static const struct rpm_release el8 = {
	.package_manager = "dnf",
	.packages = packages_el,
	.auto_rules = &auto_el8,
	.bootloader_method = "grubby (BLS, grubenv kernelopts) + /etc/default/grub",
	.boot = RPM_BOOT_BLS,
	.grub_var = "GRUB_CMDLINE_LINUX",
};

static const struct rpm_release el9 = {
	.package_manager = "dnf",
	.packages = packages_el,
	.auto_rules = &auto_el9_4,
	.bootloader_method = "grubby (BLS) + /etc/default/grub + /etc/kernel/cmdline",
	.boot = RPM_BOOT_BLS,
	.grub_var = "GRUB_CMDLINE_LINUX",
	.kernel_cmdline = true,
	.auto_reset = true,
};

static const struct rpm_release el10 = {
	.package_manager = "dnf",
	.packages = packages_el10,
	.auto_rules = &auto_el10,
	.bootloader_method = "grubby (BLS) + /etc/default/grub + /etc/kernel/cmdline",
	.boot = RPM_BOOT_BLS,
	.grub_var = "GRUB_CMDLINE_LINUX",
	.kernel_cmdline = true,
	.auto_reset = true,
};

static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, " \t");
		if (n == len && memcmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, " \t");
	}
	return false;
}

static int rhel_init(const struct skd_host *h)
{
	static const char *const ids = "rhel centos rocky almalinux ol";
	const char *id = h->get(h, "os.id"), *like = h->get(h, "os.id_like");
	const char *version = h->get(h, "os.version_id");
	struct rpm_release rel;
	unsigned major, minor;

	if (!id || strcmp(id, "amzn") == 0 || strcmp(id, "fedora") == 0 ||
	    (!has_word(ids, id) && !has_word(like, "rhel") &&
	     !has_word(like, "centos")))
		return h->error(h, -SKD_E_UNSUPPORTED, "ID=%s ID_LIKE=%s is not "
		                "a RHEL-family system", id ? id : "(none)",
		                like ? like : "(none)");
	if (rpmfamily_version_major(version, &major) < 0)
		return h->error(h, -SKD_E_UNSUPPORTED, "%s: cannot read "
		                "VERSION_ID=\"%s\"", id, version ? version : "");
	if (major < 7)
		return h->error(h, -SKD_E_UNSUPPORTED, "%s %s is not supported "
		                "(7 or later needed)", id, version);
	rel = major == 7 ? el7 : major == 8 ? el8 : major == 9 ? el9 : el10;
	if (major == 9) {
		/* a VERSION_ID without a minor ("9", CentOS Stream): the newest */
		minor = strchr(version, '.') ? (unsigned)atoi(strchr(version, '.') + 1) : 99;
		rel.auto_rules = minor == 0 ? &auto_el9_0 : minor <= 2 ? &auto_el9_1
		               : minor == 3 ? &auto_el9_3 : &auto_el9_4;
	}
	rel.efi_dir = rpmfamily_efi_dir(id);
	return rpmfamily_use(h, &rel);
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("rhel"),
	.init = rhel_init,
	RPMFAMILY_OPS,
	RPMFAMILY_INITRD_OPS,
};
