#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The whole lifecycle on every distribution release of tests/fixtures/ with
# the fake tools answering like the real ones: apply, config, the checks,
# a simulated reboot, converged re-runs that install, regenerate and write
# nothing, a kdump.conf in the other family's format on some roots, and an
# uninstall that leaves only the documented leftovers. One golden
# transcript per root: tests/golden/distro-<root>.txt.
# This script runs the roots of the Debian family (those with a dpkg
# status file); distro-lifecycle-rpm.sh runs the RPM family through it
# (SKD_DISTRO_FAMILY=rpm). SKD_DISTRO_ROOTS="debian-12 rhel-9" runs only
# those roots, each in the script of its family.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
case ${SKD_DISTRO_FAMILY:-deb} in
rpm) marker=var/lib/skd-fake/rpm-installed ;;
*) marker=var/lib/dpkg/status ;;
esac
# the roots of this family that one of our backends serves (an example
# backend's fixture, such as openSUSE's, is tested with that backend)
roots=$(cd "$fixtures" && for d in ${SKD_DISTRO_ROOTS:-*}; do
	[ ! -f "$d/$marker" ] ||
		! "$SKD_BIN" --root "$fixtures/$d" backends >/dev/null 2>&1 || echo "$d"
done)

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
kdump_conf_scenario() { # TEXT INSTALLED_PATH
	skd_configmap kdump.conf "$1"
	skd_run config;       skd_expect_exit 0
	skd_check skd_no_changes_run
	{
		echo "## $2 after config"
		cat "$work/root$2"
		echo
	} >>"$work/transcript"
	skd_run config-check; skd_expect_exit 0
	before=$(skd_tree_hash "$work/root")
	skd_run config;       skd_expect_exit 0
	skd_check [ ! -s "$work/commands.log" ]
	skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
}

# The same words in another order: uninstall removes crashkernel= and then
# adds the value from before apply again, at the end of the line.
words() {
	awk '{ gsub(/"/, " "); for (i = 1; i <= NF; i++) print $i }' "$1" | LC_ALL=C sort
}
same_words() {
	[ "$(words "$work/orig/$1")" = "$(words "$work/root/$1")" ]
}

# Leftovers that are known and reported, labelled in the transcript.
known_leftover() {
	case $1 in
	./boot/loader/entries/*.conf|./etc/default/grub|./etc/kernel/cmdline|./boot/grub2/grubenv|./boot/efi/EFI/*/grub.cfg|./boot/grub2/grub.cfg)
		if same_words "$1"; then
			echo "FINDING: same words, the restored crashkernel= moved to the end"
			return 0
		fi
		# nothing but an empty GRUB_CMDLINE_LINUX="" at the end
		if [ "$1" = ./etc/default/grub ] &&
		   [ "$(sed '$d' "$work/root/$1")" = "$(cat "$work/orig/$1")" ] &&
		   [ "$(tail -n 1 "$work/root/$1")" = 'GRUB_CMDLINE_LINUX=""' ]; then
			echo 'FINDING: the GRUB_CMDLINE_LINUX="" that config added stays'
			return 0
		fi ;;
	./sbin|./sbin/kexec|./var/lib/dpkg/info|./var/lib/dpkg/info/kexec-tools.list)
		echo "FINDING: kexec-tools, pulled in by kdump-tools, stays installed"
		return 0 ;;
	./boot/initramfs-*kdump.img)
		echo "FINDING: the capture initrd config built (kdumpctl builds the same at start) stays: removing kexec-tools leaves it"
		return 0 ;;
	./boot/initrd.img-*)
		echo "FINDING: rebuilt by initramfs-tools' trigger, which apply held back and the purge ran"
		return 0 ;;
	./var/lib/dpkg/status)
		# nothing but the stanza of kexec-tools
		if [ "$(awk 'BEGIN { RS = ""; ORS = "\n\n" } !/(^|\n)Package: kexec-tools\n/' \
			"$work/root/var/lib/dpkg/status")" = "$(cat "$work/orig/var/lib/dpkg/status")" ]; then
			echo "FINDING: kexec-tools, pulled in by kdump-tools, stays installed"
			return 0
		fi ;;
	./etc/default/grub.d|./etc/default/grub.d/kdump-tools.cfg)
		if [ "$name" = debian-9 ]; then
			echo "package leftover: kdump-tools 1.6.1's link to kdump-tools.default, dangling after purge (grub-mkconfig skips it)"
			return 0
		fi ;;
	./etc/default/grub.d/zz-skyhook-kdump.cfg)
		if [ -f "$work/orig/$1" ] && [ ! -e "$work/root/$1" ]; then
			echo "FINDING: our drop-in from before apply (no state) removed; the bootloader's crashkernel= is the one from before"
			return 0
		fi ;;
	esac
	return 1
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
	skd_run config; skd_expect_exit 0
	skd_check skd_no_changes_run
	skd_check [ ! -s "$work/commands.log" ]
	skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]

	case $name in
	debian-12|debian-12-booted|ubuntu-24.04)
		kdump_conf_scenario "$rhel_conf" /etc/default/kdump-tools ;;
	rhel-9|rocky-9|fedora-41|amzn-2023)
		kdump_conf_scenario "$debian_conf" /etc/kdump.conf ;;
	esac

	skd_run uninstall;       skd_expect_exit 0
	skd_run uninstall-check; skd_expect_exit 0
	skd_record_changes
	skd_check skd_leftovers known_leftover
	skd_golden "distro-$name"
}

skd_setup
for r in $roots; do
	lifecycle "$r"
done
skd_finish
