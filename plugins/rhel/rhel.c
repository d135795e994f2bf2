/* SPDX-License-Identifier: Apache-2.0 */
/* Red Hat Enterprise Linux 7+ and its rebuilds (CentOS, Rocky, AlmaLinux,
 * Oracle Linux) and derivatives naming rhel or centos in ID_LIKE. Only the
 * release table lives here; the operations are the RPM family's. */
#include "config.h"

#include <string.h>

#include <skyhook-kdump/backend.h>

#include "rpmfamily.h"

SKD_BACKEND_NOTE("rhel", "rhel centos rocky almalinux ol");

static const char *const packages_el[] = { "kexec-tools", "crash", NULL };
/* EL10 moved kdumpctl out of kexec-tools into kdump-utils, which relies on
 * makedumpfile as a separate package. */
static const char *const packages_el10[] = {
	"kdump-utils", "kexec-tools", "makedumpfile", "crash", NULL,
};

/* EL7's crashkernel=auto reserves, from 2 GiB of RAM on x86_64, 160 MiB
 * plus 2 bits per 4 KiB page (64 MiB per TiB): RHEL 7 Kernel Crash Dump
 * Guide, "Memory Requirements for kdump" and "Minimum Threshold for
 * Automatic Memory Reservation". As a table, rounded up at each range's
 * upper end. */
#define EL7_DEFAULT "2G-64G:164M,64G-1T:224M,1T-2T:288M,2T-4T:416M,4T-:672M"
/* EL8 kernels expand crashkernel=auto with this table (RHEL 8 "Memory
 * requirements for kdump", x86_64). */
#define EL8_DEFAULT "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M"
/* kdumpctl's default (kdump-lib.sh), since kexec-tools of 2021-11. */
#define EL9_DEFAULT "1G-4G:192M,4G-64G:256M,64G-:512M"
/* kdump-utils 1.0.53 (kdump-lib.sh, 2025-03) for RHEL 10. */
#define EL10_DEFAULT "2G-64G:256M,64G-:512M"

static const struct rpm_release el7 = {
	.package_manager = "yum",
	.packages = packages_el,
	.default_crashkernel = EL7_DEFAULT,
	.bootloader_method = "GRUB_CMDLINE_LINUX in /etc/default/grub + grub2-mkconfig",
	.boot = RPM_BOOT_MKCONFIG,
	.grub_var = "GRUB_CMDLINE_LINUX",
};

static const struct rpm_release el8 = {
	.package_manager = "dnf",
	.packages = packages_el,
	.default_crashkernel = EL8_DEFAULT,
	.bootloader_method = "grubby (BLS, grubenv kernelopts) + /etc/default/grub",
	.boot = RPM_BOOT_BLS,
	.grub_var = "GRUB_CMDLINE_LINUX",
};

static const struct rpm_release el9 = {
	.package_manager = "dnf",
	.packages = packages_el,
	.default_crashkernel = EL9_DEFAULT,
	.bootloader_method = "grubby (BLS) + /etc/default/grub + /etc/kernel/cmdline",
	.boot = RPM_BOOT_BLS,
	.grub_var = "GRUB_CMDLINE_LINUX",
	.kernel_cmdline = true,
	.auto_reset = true,
};

static const struct rpm_release el10 = {
	.package_manager = "dnf",
	.packages = packages_el10,
	.default_crashkernel = EL10_DEFAULT,
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
	unsigned major;

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
	rel.efi_dir = rpmfamily_efi_dir(id);
	rpmfamily_use(&rel);
	return 0;
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("rhel"),
	.init = rhel_init,
	RPMFAMILY_OPS,
};
