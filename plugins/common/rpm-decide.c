/* SPDX-License-Identifier: Apache-2.0 */
/* What kdumpctl (RHEL, Fedora, Amazon Linux: kexec-tools, later
 * kdump-utils) decides on a node, read from its configuration in place:
 * the kexec system call, the capture kernel's command line and the kdump
 * initrd.
 *
 * Sources:
 * - kdumpctl's load_kdump: KEXEC_ARGS from /etc/sysconfig/kdump, then "-s"
 *   appended by prepare_kexec_args when is_secure_boot_enforced. The
 *   x86_64 sysconfig has KEXEC_ARGS="-s" since Fedora's kexec-tools of
 *   July 2021 (RHEL 9 on); older ones "".
 * - kdumpctl's prepare_cmdline: KDUMP_COMMANDLINE (else /proc/cmdline),
 *   then KDUMP_COMMANDLINE_APPEND; every x86_64 /etc/sysconfig/kdump of
 *   kexec-tools and kdump-utils appends nr_cpus=1 (gen-kdump-sysconfig.sh).
 * - kdump-lib.sh: the kdump initrd is /boot/initramfs-<release>kdump.img;
 *   until kdumpctl builds it, the system's /boot/initramfs-<release>.img
 *   is the nearest size. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "kexec-args.h"
#include "rpmfamily.h"

#define SYSCONFIG "/etc/sysconfig/kdump"

int rpmfamily_kexec_syscall(const struct skd_host *h, bool secure_boot,
                            const char **ret_syscall, char **ret_basis)
{
	char *conf = NULL, *args = NULL;
	bool have_conf;
	enum kexec_flag f;

	*ret_syscall = NULL;
	*ret_basis = NULL;
	have_conf = kexec_args_read_config(h, SYSCONFIG, &conf) >= 0;
	if (have_conf)
		args = shell_var_value(conf, "KEXEC_ARGS");
	f = kexec_args_last_flag(args);
	free(args);
	free(conf);
	/* kdumpctl appends its "-s" after KEXEC_ARGS: Secure Boot wins */
	if (secure_boot)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "kdumpctl adds -s (kexec_file_load) under "
		              "Secure Boot (SecureBoot=1, SetupMode=0)");
	if (f == KEXEC_FLAG_FILE)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "KEXEC_ARGS in /etc/sysconfig/kdump has -s "
		              "(kexec_file_load)");
	if (f == KEXEC_FLAG_LOAD)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_LOAD,
		              "KEXEC_ARGS in /etc/sysconfig/kdump has -c (kexec_load)");
	if (f == KEXEC_FLAG_AUTO)
		return kexec_args_answer(ret_syscall, ret_basis, KEXEC_FILE_LOAD,
		              "KEXEC_ARGS in /etc/sysconfig/kdump has -a: "
		              "kexec_file_load first, kexec_load only where the kernel "
		              "lacks it");
	if (!have_conf)
		return kexec_args_answer(ret_syscall, ret_basis, NULL,
		              "no /etc/sysconfig/kdump yet: its KEXEC_ARGS will "
		              "decide (\"-s\" on x86_64 from Fedora 35 and RHEL 9 on; "
		              "kdumpctl adds -s under Secure Boot)");
	return kexec_args_answer(ret_syscall, ret_basis, NULL,
	              "KEXEC_ARGS in /etc/sysconfig/kdump names no syscall and "
	              "kdumpctl adds -s only under Secure Boot: kexec-tools' default "
	              "decides (kexec_load before 2.0.27, kexec_file_load first since)");
}

int rpmfamily_capture_cmdline(const struct skd_host *h, char **ret_base,
                              char **ret_base_from, char **ret_append,
                              char **ret_append_from)
{
	static const struct capture_vars vars = {
		.path = SYSCONFIG,
		.base_var = "KDUMP_COMMANDLINE",
		.append_var = "KDUMP_COMMANDLINE_APPEND",
		/* the packaged file, installed with kdumpctl */
		.default_append = "nr_cpus=1",
		.default_from = "the packaged KDUMP_COMMANDLINE_APPEND (no " SYSCONFIG " yet)",
	};

	return capture_cmdline(h, &vars, ret_base, ret_base_from, ret_append,
	                       ret_append_from);
}

int rpmfamily_kdump_initrd(const struct skd_host *h, const char *kernel_release,
                           char **ret_path, char **ret_stand_in)
{
	static const char *const path[2] = { "/boot/initramfs-", "kdump.img" };
	static const char *const stand_in[2] = { "/boot/initramfs-", ".img" };

	return capture_initrd(h, kernel_release, path, stand_in, ret_path, ret_stand_in);
}
