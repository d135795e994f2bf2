#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The whole lifecycle on every distribution release of tests/fixtures/ with
# the fake tools answering like the real ones: apply, config, the checks,
# a simulated reboot, converged re-runs that install, regenerate and write
# nothing, a kdump.conf in the other family's format on some roots, and an
# uninstall that leaves only the documented leftovers. One golden
# transcript per root: tests/golden/distro-<root>.txt.
# SKD_DISTRO_ROOTS="debian-12 rhel-9" runs only those roots.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
roots=${SKD_DISTRO_ROOTS:-$(cd "$fixtures" && for d in *; do
	[ "$d" = mockos ] || echo "$d"
done)}

# the RHEL family's directives, for a Debian root
rhel_conf='path /var/crash
core_collector makedumpfile -l --message-level 1 -d 31'
# the KEY=value example of the upstream package's README, for a RHEL root
debian_conf='# kdump-tools configuration
# ---------------------------------------------------------------------------
# USE_KDUMP - controls kdump will be configured
#     0 - kdump kernel will not be loaded
#     1 - kdump kernel will be loaded and kdump is configured
#
USE_KDUMP=1


# ---------------------------------------------------------------------------
# Kdump Kernel:
# KDUMP_KERNEL - A full pathname to a kdump kernel.
# KDUMP_INITRD - A full pathname to the kdump initrd (if used).
#     If these are not set, kdump-config will try to use the current kernel
#     and initrd if it is relocatable.  Otherwise, you will need to specify
#     these manually.
KDUMP_KERNEL=/var/lib/kdump/vmlinuz
KDUMP_INITRD=/var/lib/kdump/initrd.img


# ---------------------------------------------------------------------------
# vmcore Handling:
# KDUMP_COREDIR - local path to save the vmcore to.
KDUMP_COREDIR="/var/crash"
#KDUMP_FAIL_CMD="reboot -f"
#KDUMP_DUMP_DMESG=
#KDUMP_NUM_DUMPS=
#KDUMP_COMPRESSION=


# ---------------------------------------------------------------------------
# Makedumpfile options:
#MAKEDUMP_ARGS="-c -d 31"


# ---------------------------------------------------------------------------
# Kexec/Kdump args
#KDUMP_KEXEC_ARGS=""
#KDUMP_CMDLINE=""
#KDUMP_CMDLINE_APPEND="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll nousb"

# ---------------------------------------------------------------------------
# Remote dump facilities:
#HOSTTAG="hostname|[ip]"
#NFS="<nfs mount>"
#NFS_TIMEO="600"
#NFS_RETRANS="3"
#FTP="<server>:<path>"
#FTP_USER=""
#FTP_PASSWORD=""
#FTP_PORT=21
#SSH="<user at server>"
#SSH_KEY="<path>"'

# kdump.conf in the other family's format: translated, installed, checked,
# and a second config writes nothing
kdump_conf_scenario() {
	skd_configmap kdump.conf "$1"
	skd_run config;       skd_expect_exit 0
	skd_check skd_no_changes_run
	skd_run config-check; skd_expect_exit 0
	before=$(skd_tree_hash "$work/root")
	skd_run config;       skd_expect_exit 0
	skd_check [ ! -s "$work/commands.log" ]
	skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
}

lifecycle() {
	name=$1
	: >"$work/transcript"
	rm -f "$work/configmaps/"*
	skd_root "$fixtures/$name"
	# a 16 GiB machine where the fixture does not say
	if [ ! -e "$work/root/proc/iomem" ]; then
		skd_add_ram "$work/root" 16
		skd_add_ram "$work/orig" 16
	fi
	skd_configmap crashkernel 512M

	skd_run apply;        skd_expect_exit 0
	skd_run apply-check;  skd_expect_exit 0
	skd_run config;       skd_expect_exit 0
	skd_run config-check; skd_expect_exit 0

	# the reboot, as the kernel and systemd would leave things
	skd_boot_files "$work/root" 512M 536870912
	skd_run post-interrupt-check; skd_expect_exit 0

	# converged: apply and config again install, regenerate and write nothing
	before=$(skd_tree_hash "$work/root")
	skd_run apply;  skd_expect_exit 0
	skd_check skd_no_changes_run
	skd_check [ ! -s "$work/commands.log" ]
	skd_run config; skd_expect_exit 0
	skd_check skd_no_changes_run
	skd_check [ ! -s "$work/commands.log" ]
	skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]

	case $name in
	debian-12|debian-12-booted|ubuntu-24.04) kdump_conf_scenario "$rhel_conf" ;;
	rhel-9|rocky-9|fedora-41|amzn-2023) kdump_conf_scenario "$debian_conf" ;;
	esac

	skd_run uninstall;       skd_expect_exit 0
	skd_run uninstall-check; skd_expect_exit 0
	skd_record_changes
	skd_check skd_leftovers
	skd_golden "distro-$name"
}

skd_setup
for r in $roots; do
	lifecycle "$r"
done
skd_finish
