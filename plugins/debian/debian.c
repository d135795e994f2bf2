/* SPDX-License-Identifier: Apache-2.0 */
/* The debian backend: Debian 9 and later, Ubuntu 18.04 and later, and
 * their derivatives (ID_LIKE=debian or ubuntu), with kdump-tools. */
#include "config.h"

#include "debian.h"
#include "systemd.h"

SKD_BACKEND_NOTE("debian", "debian ubuntu");

static int service_enable(const struct skd_host *h)
{
	return systemd_enable(h, DEB_SERVICE);
}

static int service_disable(const struct skd_host *h)
{
	return systemd_disable(h, DEB_SERVICE);
}

static int service_start(const struct skd_host *h)
{
	return systemd_start(h, DEB_SERVICE);
}

static int service_stop(const struct skd_host *h)
{
	return systemd_stop(h, DEB_SERVICE);
}

static int service_restart(const struct skd_host *h)
{
	return systemd_restart(h, DEB_SERVICE);
}

static int service_is_enabled(const struct skd_host *h, bool *ret)
{
	return systemd_is_enabled(h, DEB_SERVICE, ret);
}

static int service_is_active(const struct skd_host *h, bool *ret)
{
	return systemd_is_active(h, DEB_SERVICE, ret);
}

SKD_BACKEND_EXPORT const struct skd_backend skd_backend = {
	SKD_BACKEND_HEADER("debian"),
	.init = deb_init,
	.get_facts = deb_get_facts,
	.packages_query = deb_packages_query,
	.packages_install = deb_packages_install,
	.packages_remove = deb_packages_remove,
	.bootloader_get_crashkernel = deb_grub_get,
	.bootloader_set_crashkernel = deb_grub_set,
	.bootloader_remove_crashkernel = deb_grub_remove,
	.bootloader_regenerate = deb_grub_regenerate,
	.service_enable = service_enable,
	.service_disable = service_disable,
	.service_start = service_start,
	.service_stop = service_stop,
	.service_restart = service_restart,
	.service_is_enabled = service_is_enabled,
	.service_is_active = service_is_active,
	.kdump_config_ensure_enabled = deb_kdump_ensure_enabled,
	.kexec_syscall = deb_kexec_syscall,
	.capture_cmdline = deb_capture_cmdline,
	.kdump_initrd = deb_kdump_initrd,
	.auto_crashkernel = deb_auto_crashkernel,
	.kdump_config_is_enabled = deb_kdump_is_enabled,
	.bootloader_check_crashkernel = deb_grub_check,
	.bootloader_others_crashkernel = deb_grub_others,
	.boot_kernel_release = deb_boot_kernel_release,
	.kdump_initrd_stale = deb_kdump_initrd_stale,
	.kdump_initrd_build = deb_kdump_initrd_build,
};
