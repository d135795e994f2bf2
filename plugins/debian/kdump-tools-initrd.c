/* SPDX-License-Identifier: Apache-2.0 */
/* kdump-tools' capture initrd, built by config before the reboot (ABI
 * 1.5) the way kdump-tools builds it itself.
 *
 * Sources (kdump-tools 1:1.8.1, Debian 12's and 13's package, read from
 * the .deb: /usr/sbin/kdump-config, /etc/kernel/postinst.d/kdump-tools,
 * /usr/share/initramfs-tools/hooks/kdump-tools):
 * - the kernel hook /etc/kernel/postinst.d/kdump-tools VERSION is the one
 *   build step: the kernel packages run it for a new kernel, and
 *   kdump-config's kdump_create_symlinks runs it (KDUMP_KERNEL_HOOK) when
 *   /var/lib/kdump/initrd.img-$KVER is missing at "load". It copies
 *   /etc/initramfs-tools to /var/lib/kdump/initramfs-tools (MODULES=dep
 *   instead of "most"), removes the old initrd and runs "mkinitramfs -d
 *   /var/lib/kdump/initramfs-tools -o /var/lib/kdump/initrd.img-VERSION.new
 *   VERSION", then renames it; on failure it removes the .new file, prints
 *   "update-initramfs: failed for ... with N." and exits N. It exits 0
 *   having built nothing when /usr/sbin/mkinitramfs is not executable or
 *   "linux-version list" does not list VERSION.
 * - "load" first runs check_sysctl_change: unless /etc/kdump/sysctl.conf
 *   equals /var/lib/kdump/latest_sysctls-$KVER ("cmp -s"), it removes the
 *   initrd (so the hook rebuilds it), then copies the file there. The
 *   build here leaves that copy too, or the boot would rebuild.
 * - the initramfs hook copies /etc/kdump/sysctl.conf into the initrd; the
 *   rest is the kernel's modules and /etc/initramfs-tools. kdump-tools
 *   reads /etc/default/kdump-tools at load, not from the initrd. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-build.h"
#include "debian.h"

#define KDUMP_DIR "/var/lib/kdump"
#define KERNEL_HOOK "/etc/kernel/postinst.d/kdump-tools"
#define SYSCTL_CONF "/etc/kdump/sysctl.conf"
#define MKINITRAMFS "/usr/sbin/mkinitramfs"

int deb_boot_kernel_release(const struct skd_host *h, char **ret_release,
                            char **ret_basis)
{
	return boot_release_from_grub(h, "/boot/grub/grub.cfg", "/boot/grub/grubenv",
	                              ret_release, ret_basis);
}

static int paths_for(const struct skd_host *h, const char *release,
                     char **ret_initrd, char **ret_latest)
{
	*ret_initrd = *ret_latest = NULL;
	if (asprintf(ret_initrd, KDUMP_DIR "/initrd.img-%s", release) < 0) {
		*ret_initrd = NULL;
		return h->error(h, -ENOMEM, "out of memory");
	}
	if (asprintf(ret_latest, KDUMP_DIR "/latest_sysctls-%s", release) < 0) {
		free(*ret_initrd);
		*ret_initrd = *ret_latest = NULL;
		return h->error(h, -ENOMEM, "out of memory");
	}
	return 0;
}

/* 1 when path is an executable file, 0 when not; a stat that fails is
 * an error, not a missing file. */
static int executable(const struct skd_host *h, const char *path)
{
	struct skd_stat st;
	int r = h->stat(h, path, 0, &st);

	if (r < 0)
		return h->error(h, r, "cannot look at %s: %s", path, strerror(-r));
	return st.type == SKD_FILE_REGULAR && (st.mode & 0111);
}

/* check_sysctl_change's "cmp -s": false when either is missing. */
static int same_files(const struct skd_host *h, const char *a, const char *b,
                      bool *ret)
{
	char *x = NULL, *y = NULL;
	size_t xl = 0, yl = 0;
	int r1 = h->read_file(h, a, &x, &xl), r2 = h->read_file(h, b, &y, &yl);

	*ret = r1 >= 0 && r2 >= 0 && xl == yl && !memcmp(x, y, xl);
	free(x);
	free(y);
	if (r1 < 0 && r1 != -ENOENT)
		return h->error(h, r1, "cannot read %s: %s", a, strerror(-r1));
	if (r2 < 0 && r2 != -ENOENT)
		return h->error(h, r2, "cannot read %s: %s", b, strerror(-r2));
	return 0;
}

int deb_kdump_initrd_stale(const struct skd_host *h, const char *release,
                           char **ret_stale)
{
	char *initrd = NULL, *latest = NULL, *kernel = NULL, *modules = NULL;
	bool same = false;
	int r;

	*ret_stale = NULL;
	/* kdump-config builds nothing without its hook ("Unable to locate
	 * kernel hook"), nor the hook without mkinitramfs: kdump-tools then
	 * loads the kernel with no initrd, and there is nothing to build */
	if ((r = executable(h, KERNEL_HOOK)) <= 0 || (r = executable(h, MKINITRAMFS)) <= 0)
		return r;
	if ((r = paths_for(h, release, &initrd, &latest)) < 0)
		return r;
	if (asprintf(&kernel, "/boot/vmlinuz-%s", release) < 0 ||
	    asprintf(&modules, "/lib/modules/%s/modules.dep", release) < 0) {
		r = h->error(h, -ENOMEM, "out of memory");
		goto out;
	}
	{
		const char *const inputs[] = {
			SYSCTL_CONF, kernel, modules, "/etc/initramfs-tools/initramfs.conf", NULL,
		};
		r = initrd_stale_inputs(h, initrd, inputs, ret_stale);
	}
	if (r < 0 || *ret_stale)
		goto out;
	if ((r = same_files(h, SYSCTL_CONF, latest, &same)) < 0 || same)
		goto out;
	if (asprintf(ret_stale, "kdump-config load would rebuild %s: %s does not match %s",
	             initrd, latest, SYSCTL_CONF) < 0) {
		*ret_stale = NULL;
		r = h->error(h, -ENOMEM, "out of memory");
	}
out:
	free(initrd);
	free(latest);
	free(kernel);
	free(modules);
	return r;
}

/* What check_sysctl_change does after the build: the copy that tells the
 * next "load" the initrd holds the current sysctls. */
static int record_sysctls(const struct skd_host *h, const char *latest)
{
	char *text = NULL;
	size_t len;
	int r = h->read_file(h, SYSCTL_CONF, &text, &len);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return h->error(h, r, "cannot read %s: %s", SYSCTL_CONF, strerror(-r));
	r = h->write_file(h, latest, text, len, 0644);
	free(text);
	return r < 0 ? h->error(h, r, "cannot write %s: %s", latest, strerror(-r)) : 0;
}

int deb_kdump_initrd_build(const struct skd_host *h, const char *release)
{
	const char *const argv[] = { KERNEL_HOOK, release, NULL };
	struct skd_run_result res = { 0 };
	char *initrd = NULL, *latest = NULL;
	struct skd_stat st;
	int r;

	if ((r = paths_for(h, release, &initrd, &latest)) < 0)
		return r;
	r = h->run(h, argv, NULL, SKD_RUN_CHANGES, &res);
	if (r == -ENOENT) {
		r = h->error(h, r, "kdump-tools' kernel hook %s is not installed", KERNEL_HOOK);
		goto out;
	}
	if (r < 0) {
		r = h->error(h, r, "cannot run %s: %s", KERNEL_HOOK, strerror(-r));
		goto out;
	}
	if (res.status != 0) {
		r = initrd_build_failed(h, KERNEL_HOOK, &res);
		goto out;
	}
	if (h->flags & SKD_HOST_DRY_RUN)
		goto out;
	/* the hook exits 0 having built nothing without mkinitramfs or
	 * when linux-version does not list the kernel */
	r = h->stat(h, initrd, 0, &st);
	if (r >= 0 && st.type != SKD_FILE_REGULAR)
		r = h->error(h, -SKD_E_FAILED, "%s %s exited 0 but built no %s: is "
		             "/usr/sbin/mkinitramfs (initramfs-tools-core) installed, and "
		             "/boot/vmlinuz-%s?", KERNEL_HOOK, release, initrd, release);
	if (r >= 0)
		r = record_sysctls(h, latest);
out:
	h->run_result_free(h, &res);
	free(initrd);
	free(latest);
	return r < 0 ? r : 0;
}
