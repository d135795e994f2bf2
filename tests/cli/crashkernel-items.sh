#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 19 item 8, on both families (debian-12, rhel-9):
# - a value of several items ("512M,high 128M,low", as the README
#   advertises) is accepted by validate and by every mode: apply, config
#   (one crashkernel= word per item everywhere config writes), config-check,
#   post-interrupt-check after the reboot, uninstall, uninstall-check;
# - config on a node that already carries the value changes nothing and
#   says nothing was set (no "set in the bootloader (was <same value>)");
# - a value the backend refuses stops config before the state records
#   anything.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
value='512M,high 128M,low'

# skd_words FILE: the crashkernel= words of FILE, one line per line
skd_words() {
	grep -o 'crashkernel=[^ "]*' "$1" | tr '\n' ' ' | sed 's/ $//'
}

for fixture in debian-12 rhel-9; do
	skd_root "$SKD_TOP_SRCDIR/tests/fixtures/$fixture"
	skd_add_ram "$work/root" 16
	skd_add_ram "$work/orig" 16
	skd_configmap crashkernel "$value"
	echo "# $fixture: crashkernel=$value through every mode" >>"$work/transcript"
	skd_run validate --crashkernel "$value" --memory 16G
	skd_expect_exit 0
	skd_run apply
	skd_expect_exit 0
	skd_run config
	skd_expect_exit 0
	if [ "$fixture" = debian-12 ]; then
		skd_check test "$(skd_words "$work/root/etc/default/grub.d/zz-skyhook-kdump.cfg" | tail -n 1)" != ""
		skd_check grep -q 'crashkernel=512M,high crashkernel=128M,low"$' \
			"$work/root/etc/default/grub.d/zz-skyhook-kdump.cfg"
	else
		for f in "$work"/root/boot/loader/entries/*.conf "$work/root/etc/kernel/cmdline" \
			"$work/root/etc/default/grub"; do
			skd_check test "$(skd_words "$f")" = 'crashkernel=512M,high crashkernel=128M,low'
		done
	fi
	skd_run config-check
	skd_expect_exit 0
	# converged: a second config changes nothing and claims nothing
	skd_tree_hash "$work/root" >"$work/hash"
	skd_run config
	skd_expect_exit 0
	skd_check test "$(skd_tree_hash "$work/root")" = "$(cat "$work/hash")"
	skd_check skd_no_changes_run
	skd_check sh -c "! grep -q 'set in the bootloader' '$work/out'"
	# the reboot: 512M high plus 128M low reserved, the kernel loaded
	skd_boot_files "$work/root" "crashkernel=512M,high crashkernel=128M,low" 671088640
	sed -i 's/crashkernel=crashkernel=/crashkernel=/' "$work/root/proc/cmdline"
	skd_run post-interrupt-check
	skd_expect_exit 0
	skd_run uninstall
	skd_expect_exit 0
	skd_run uninstall-check
	skd_expect_exit 0
	skd_record_changes
done

# A node that carries the distribution's value already: config sets
# nothing, moves nothing, and says so (rhel-9: crashkernel= leads
# GRUB_CMDLINE_LINUX there).
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/rhel-9"
skd_add_ram "$work/root" 16
skd_add_ram "$work/orig" 16
skd_configmap crashkernel '1G-4G:192M,4G-64G:256M,64G-:512M'
echo "# rhel-9: config with the value already in place" >>"$work/transcript"
skd_run apply
skd_expect_exit 0
cp "$work/root/etc/default/grub" "$work/grub.before"
skd_run config
skd_expect_exit 0
skd_check cmp -s "$work/grub.before" "$work/root/etc/default/grub"
skd_check sh -c "! grep -q 'set in the bootloader' '$work/out'"
skd_run config-check
skd_expect_exit 0

# Debian 12 with kdump-tools installed by the admin (no state of ours)
# and a GRUB drop-in read after ours that sets another crashkernel=: config
# refuses, and writes no state first.
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/debian-12"
skd_add_ram "$work/root" 16
skd_add_ram "$work/orig" 16
skd_configmap crashkernel "$value"
echo "# debian-12: a refused value leaves no state" >>"$work/transcript"
skd_run apply
skd_expect_exit 0
rm -rf "$work/root/var/lib/skyhook-kdump"
# shellcheck disable=SC2016 # for the shell grub-mkconfig runs
printf '%s\n' 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=1G"' \
	>"$work/root/etc/default/grub.d/zzz-admin.cfg"
skd_run config
skd_expect_exit 4
skd_check test ! -e "$work/root/var/lib/skyhook-kdump/state"

skd_golden crashkernel-items
skd_finish
