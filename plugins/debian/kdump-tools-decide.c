/* SPDX-License-Identifier: Apache-2.0 */
/* What Debian's and Ubuntu's kdump-tools (kdump-config) decide on a node,
 * read from its configuration in place: the kexec system call, the capture
 * kernel's command line and the kdump initrd.
 *
 * Sources:
 * - kdump-config's kdump_load (kdump-tools 1:1.8.1): "kexec -p", then
 *   "-s" when check_secure_boot (SecureBoot=1, SetupMode=0) or
 *   securelevel is 1, then KDUMP_KEXEC_ARGS from /etc/default/kdump-tools.
 *   Packaged kexec-tools: Debian 12 2.0.25, Debian 13 2.0.29, Ubuntu 22.04
 *   2.0.22, Ubuntu 24.04 2.0.28.
 * - kdump-config (amd64): KDUMP_CMDLINE (else /proc/cmdline), then
 *   KDUMP_CMDLINE_APPEND, whose default, when it is unset or empty (it is
 *   set with ${VAR:=...}), is below.
 * - kdump-tools' initramfs hook builds /var/lib/kdump/initrd.img-<release>;
 *   until it does, the system's /boot/initrd.img-<release> is the nearest
 *   size. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "debian.h"
#include "kexec-args.h"

#define APPEND_DEFAULT \
	"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"

/* The kexec-tools of a release that does not have it installed: 1 file
 * load first, 0 kexec_load, -1 unknown (a derivative, no VERSION_ID). */
static int release_tries_file_load(const struct skd_host *h)
{
	struct deb_release rel;

	if (deb_release_detect(h, &rel) < 0)
		return -1;
	// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
	if (!rel.version_known)
		return -1;
	if (rel.family == DEB_FAMILY_DEBIAN)
		return rel.major >= 13;
	return rel.major >= 24;
}

int deb_kexec_syscall(const struct skd_host *h, bool secure_boot,
                      const char **ret_syscall, char **ret_basis)
{
	char *conf = NULL, *args = NULL, *level = NULL, *version = NULL;
	size_t len;
	enum kexec_flag f;
	int file_first;

	*ret_syscall = NULL;
	*ret_basis = NULL;
	if (kexec_args_read_config(h, DEB_KDUMP_CONFIG, &conf) >= 0)
		args = shell_var_value(conf, "KDUMP_KEXEC_ARGS");
	f = kexec_args_last_flag(args);
	if (!secure_boot &&
	    h->read_file(h, "/sys/kernel/security/securelevel", &level, &len) >= 0)
		secure_boot = level[0] == '1';
	free(level);
	free(args);
	free(conf);
	/* KDUMP_KEXEC_ARGS comes after kdump-config's own "-s": it wins */
	if (f == KEXEC_FLAG_FILE)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "KDUMP_KEXEC_ARGS has -s (kexec_file_load)");
	if (f == KEXEC_FLAG_LOAD)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_LOAD,
		              "KDUMP_KEXEC_ARGS has -c (kexec_load)");
	if (f == KEXEC_FLAG_AUTO)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "KDUMP_KEXEC_ARGS has -a: kexec_file_load first, "
		              "kexec_load only where the kernel lacks it");
	if (secure_boot)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "kdump-config adds -s (kexec_file_load) under Secure "
		              "Boot (SecureBoot=1, SetupMode=0)");
	/* an unreadable database: as if not installed */
	if (deb_package_version(h, "kexec-tools", &version) == -ENOMEM)
		return -ENOMEM;
	if (version) {
		file_first = kexec_tools_tries_file_load(version);
		free(version);
		if (file_first)
			return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
			              "kdump-config adds no -s without Secure Boot; the "
			              "installed kexec-tools (2.0.27 or later) tries "
			              "kexec_file_load first");
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_LOAD,
		              "kdump-config adds no -s without Secure Boot; the "
		              "installed kexec-tools (before 2.0.27) uses kexec_load");
	}
	file_first = release_tries_file_load(h);
	if (file_first == 1)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "kdump-config adds no -s without Secure Boot; the "
		              "kexec-tools of this release (2.0.27 or later, not "
		              "installed yet) tries kexec_file_load first");
	if (file_first == 0)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_LOAD,
		              "kdump-config adds no -s without Secure Boot; the "
		              "kexec-tools of this release (before 2.0.27, not "
		              "installed yet) uses kexec_load");
	return kexec_args_answer(ret_syscall, ret_basis, NULL,
	              "kdump-config adds no -s without Secure Boot, and the "
	              "kexec-tools version is unknown: kexec_load before 2.0.27, "
	              "kexec_file_load first since");
}

int deb_capture_cmdline(const struct skd_host *h, char **ret_base,
                        char **ret_base_from, char **ret_append,
                        char **ret_append_from)
{
	static const struct capture_vars vars = {
		.path = DEB_KDUMP_CONFIG,
		.base_var = "KDUMP_CMDLINE",
		.append_var = "KDUMP_CMDLINE_APPEND",
		.default_append = APPEND_DEFAULT,
		.default_from = "kdump-config's default KDUMP_CMDLINE_APPEND",
		.default_while_unset = true,
	};

	return capture_cmdline(h, &vars, ret_base, ret_base_from, ret_append,
	                       ret_append_from);
}

int deb_kdump_initrd(const struct skd_host *h, const char *kernel_release,
                     char **ret_path, char **ret_stand_in)
{
	static const char *const path[2] = { "/var/lib/kdump/initrd.img-", "" };
	static const char *const stand_in[2] = { "/boot/initrd.img-", "" };

	return capture_initrd(h, kernel_release, path, stand_in, ret_path, ret_stand_in);
}
