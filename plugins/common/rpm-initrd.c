/* SPDX-License-Identifier: Apache-2.0 */
/* kdumpctl's capture initrd, built by config before the reboot (ABI 1.5)
 * the way kdumpctl builds it at service start.
 *
 * Sources (kdump-utils v1.0.61, 63f248c; the same code sat in kexec-tools
 * up to EL9/Fedora 40):
 * - kdumpctl start: need_initrd_rebuild, then rebuild_initrd, whose
 *   rebuild_kdump_initrd runs "/sbin/mkdumprd -f $TARGET_INITRD
 *   $KDUMP_KERNELVER" ("kdumpctl rebuild" runs the same, for the running
 *   kernel unless /etc/sysconfig/kdump sets KDUMP_KERNELVER). We run that
 *   line for the kernel that boots next, which kdumpctl's own "rebuild"
 *   cannot be told (it reads KDUMP_KERNELVER from its file only).
 *   mkdumprd ends in "dracut ... $TARGET_INITRD", which writes a temporary
 *   file and renames it: a failed build leaves the old initrd in place.
 * - kdump-lib.sh prepare_kdump_bootinfo: $TARGET_INITRD is
 *   /boot/initramfs-<release>kdump.img (rpmfamily_kdump_initrd).
 * - need_initrd_rebuild: "force_no_rebuild 1" in /etc/kdump.conf never
 *   rebuilds an existing initrd; a missing one is built;
 *   check_files_modified rebuilds when one of /etc/kdump.conf, the kernel
 *   image, the core collector (makedumpfile) and /etc/fstab is newer
 *   ("stat -c %Y", seconds; we compare nanoseconds) than the initrd.
 *   Not judged here: "force_rebuild 1" (kdumpctl rebuilds at every start whatever is
 *   built before), extra_bins, the pre/post hooks, and check_fs_modified
 *   and check_drivers_modified, which ask lsinitrd (a process). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls.h"
#include "capture-build.h"
#include "grubcfg.h"
#include "kexec-args.h"
#include "rpm-initrd.h"
#include "rpmfamily.h"

#define KDUMP_CONF "/etc/kdump.conf"

int rpmfamily_boot_kernel_release(const struct skd_host *h, char **ret_release,
                                  char **ret_basis)
{
	struct bls_entries e;
	char *cfg = NULL;
	int r;

	*ret_release = *ret_basis = NULL;
	r = bls_load(h, &e);
	if (r >= 0) {
		const struct bls_entry *d = bls_default(&e);

		if (d && d->version &&
		    (!(*ret_release = strdup(d->version)) ||
		     asprintf(ret_basis, "the default boot entry %s%s", d->id,
		              e.saved_entry ? " (grubenv saved_entry)" : "") < 0)) {
			free(*ret_release);
			*ret_release = *ret_basis = NULL;
			r = -ENOMEM;
		}
		bls_clear(&e);
		if (r == -ENOMEM)
			return h->error(h, r, "out of memory");
		if (*ret_release)
			return 0;
	} else if (r != -ENOENT) {
		return h->error(h, r, "cannot read %s: %s", BLS_ENTRIES_DIR, strerror(-r));
	}
	/* EL7, Amazon Linux 2: a generated grub.cfg without BLS */
	r = grubcfg_path(h, NULL, &cfg);
	if (r < 0)
		return r;
	r = boot_release_from_grub(h, cfg, GRUBENV_PATH, ret_release, ret_basis);
	free(cfg);
	return r;
}

/* The value of a kdump.conf directive (last one wins), or NULL. */
static char *directive(const char *text, const char *name)
{
	size_t n = strlen(name);
	char *value = NULL;

	for (const char *p = text; p && *p;) {
		size_t len = strcspn(p, "\n");
		const char *l = p + strspn(p, " \t");

		if (!strncmp(l, name, n) && (l[n] == ' ' || l[n] == '\t')) {
			const char *v = l + n + strspn(l + n, " \t");
			size_t vl = strcspn(v, " \t\n#");

			free(value);
			value = strndup(v, vl);
		}
		p += len + (p[len] ? 1 : 0);
	}
	return value;
}

int rpmfamily_kdump_initrd_stale(const struct skd_host *h, const char *release,
                                 char **ret_stale)
{
	char *initrd = NULL, *stand_in = NULL, *kernel = NULL, *conf = NULL;
	char *no_rebuild = NULL;
	struct skd_stat st;
	size_t len;
	int r;

	*ret_stale = NULL;
	/* no kdumpctl yet: no service to build it either */
	r = h->stat(h, "/usr/bin/kdumpctl", 0, &st);
	if (r < 0)
		return h->error(h, r, "cannot look at /usr/bin/kdumpctl: %s", strerror(-r));
	if (st.type == SKD_FILE_NONE)
		return 0;
	r = rpmfamily_kdump_initrd(h, release, &initrd, &stand_in);
	if (r < 0)
		return r;
	if (asprintf(&kernel, "/boot/vmlinuz-%s", release) < 0) {
		kernel = NULL;
		r = h->error(h, -ENOMEM, "out of memory");
		goto out;
	}
	r = h->read_file(h, KDUMP_CONF, &conf, &len);
	if (r < 0 && r != -ENOENT) {
		r = h->error(h, r, "cannot read %s: %s", KDUMP_CONF, strerror(-r));
		goto out;
	}
	if (r >= 0)
		no_rebuild = directive(conf, "force_no_rebuild");
	if (no_rebuild && !strcmp(no_rebuild, "1")) {
		r = h->stat(h, initrd, 0, &st);
		if (r < 0) {
			r = h->error(h, r, "cannot look at %s: %s", initrd, strerror(-r));
			goto out;
		}
		if (st.type == SKD_FILE_REGULAR)
			goto out;
	}
	{
		const char *const inputs[] = {
			KDUMP_CONF, kernel, "/usr/sbin/makedumpfile", "/etc/fstab", NULL,
		};
		r = initrd_stale_inputs(h, initrd, inputs, ret_stale);
	}
out:
	free(initrd);
	free(stand_in);
	free(kernel);
	free(conf);
	free(no_rebuild);
	return r < 0 ? r : 0;
}

int rpmfamily_kdump_initrd_build(const struct skd_host *h, const char *release)
{
	char *initrd = NULL, *stand_in = NULL;
	struct skd_run_result res = { 0 };
	int r;

	r = rpmfamily_kdump_initrd(h, release, &initrd, &stand_in);
	if (r < 0)
		return r;
	{
		const char *const argv[] = { "mkdumprd", "-f", initrd, release, NULL };

		r = h->run(h, argv, NULL, SKD_RUN_CHANGES, &res);
	}
	if (r == -ENOENT)
		r = h->error(h, r, "mkdumprd is not installed (kdumpctl's package ships it)");
	else if (r < 0)
		r = h->error(h, r, "cannot run mkdumprd: %s", strerror(-r));
	else if (res.status != 0)
		r = initrd_build_failed(h, "mkdumprd", &res);
	h->run_result_free(h, &res);
	free(initrd);
	free(stand_in);
	return r < 0 ? r : 0;
}
