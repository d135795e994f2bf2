#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 19 items 6 and 7 (start): the RPM family against fakes that behave
# as the real tools do.
# - yum 3 (EL7, Amazon Linux 2) skips a package no repository has and exits
#   0 (skip_missing_names_on_install=True): apply passes
#   --setopt=skip_missing_names_on_install=False, so a missing package
#   fails the install instead of being reported installed.
# - systemctl start kdump.service is skipped, exit 0, nothing loaded, when
#   the kernel command line has no crashkernel= (the unit's condition); and
#   fails when kdumpctl start fails. apply never says "started" for a
#   start that loaded nothing.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup

# the fakes themselves, as the real tools behave
skd_fake() {
	_tool=$1
	shift
	set +e
	SKD_FAKE_ROOT="$work/root" "$SKD_FAKE_TOOLS/$_tool" "$@" >"$work/fake.out" 2>&1
	fake_status=$?
	set -e
	{
		echo "\$ $_tool $*"
		cat "$work/fake.out"
		echo "[exit $fake_status]"
		echo
	} >>"$work/transcript"
}

for fixture in rhel-7 amzn-2; do
	skd_root "$SKD_TOP_SRCDIR/tests/fixtures/$fixture"
	skd_add_ram "$work/root" 16
	skd_add_ram "$work/orig" 16
	echo "# $fixture: a package no repository has" >>"$work/transcript"
	rm -rf "$work/root/var/lib/skd-fake/repo/crash"
	cp "$work/root/var/lib/skd-fake/rpm-installed" "$work/installed.before"
	# yum 3 by default: the missing name skipped, exit 0
	skd_fake yum -y install kexec-tools crash
	skd_check test "$fake_status" = 0
	skd_check grep -q '^kexec-tools-' "$work/root/var/lib/skd-fake/rpm-installed"
	cp "$work/installed.before" "$work/root/var/lib/skd-fake/rpm-installed"
	# only missing names: "Nothing to do", exit 1
	skd_fake yum -y install crash
	skd_check test "$fake_status" = 1
	# with the option: refused before anything is installed
	skd_fake yum -y install --setopt=skip_missing_names_on_install=False kexec-tools crash
	skd_check test "$fake_status" = 1
	skd_check cmp -s "$work/installed.before" "$work/root/var/lib/skd-fake/rpm-installed"
	# apply: the install fails, nothing is reported installed
	skd_root "$SKD_TOP_SRCDIR/tests/fixtures/$fixture"
	skd_add_ram "$work/root" 16
	rm -rf "$work/root/var/lib/skd-fake/repo/crash"
	skd_run apply
	skd_expect_exit 4
	skd_check sh -c "! grep -q 'installed kexec-tools' '$work/out'"
	skd_check sh -c "! grep -q '^kexec-tools-' '$work/root/var/lib/skd-fake/rpm-installed'"
done

skd_root "$SKD_TOP_SRCDIR/tests/fixtures/rhel-9"
skd_add_ram "$work/root" 16
skd_add_ram "$work/orig" 16
skd_configmap crashkernel 512M
echo "# rhel-9: kdump.service started without crashkernel= on the command line" >>"$work/transcript"
skd_run apply
skd_expect_exit 0
skd_run config
skd_expect_exit 0
# booted with 512M reserved, but a command line without crashkernel= (as
# with memory reserved by other means): the unit's condition fails
skd_boot_files "$work/root" 512M 536870912
sed -i 's/ crashkernel=[^ ]*//' "$work/root/proc/cmdline"
echo 0 >"$work/root/sys/kernel/kexec_crash_loaded"
: >"$work/root/var/lib/skd-fake/active-units"
skd_fake systemctl start kdump.service
skd_check test "$fake_status" = 0
skd_check test "$(cat "$work/root/sys/kernel/kexec_crash_loaded")" = 0
skd_check sh -c "! grep -qx kdump.service '$work/root/var/lib/skd-fake/active-units'"
skd_run apply
skd_expect_exit 0
skd_check sh -c "! grep -q '^apply: started kdump' '$work/out'"
skd_check grep -q 'no crash kernel is loaded' "$work/out"
skd_run post-interrupt-check
skd_expect_exit 1
echo "# rhel-9: kdumpctl start fails on a kernel without kexec_crash_loaded" >>"$work/transcript"
skd_boot_files "$work/root" 512M 536870912
echo 0 >"$work/root/sys/kernel/kexec_crash_loaded"
: >"$work/root/var/lib/skd-fake/active-units"
skd_fake kdumpctl start
skd_check test "$fake_status" = 0
skd_check test "$(cat "$work/root/sys/kernel/kexec_crash_loaded")" = 1
skd_fake kdumpctl stop
skd_check test "$(cat "$work/root/sys/kernel/kexec_crash_loaded")" = 0
rm "$work/root/sys/kernel/kexec_crash_loaded"
skd_fake kdumpctl start
skd_check test "$fake_status" = 1
skd_fake systemctl start kdump.service
skd_check test "$fake_status" = 1
echo 0 >"$work/root/sys/kernel/kexec_crash_size"
echo 0 >"$work/root/sys/kernel/kexec_crash_loaded"
skd_fake kdumpctl start
skd_check test "$fake_status" = 1
skd_check test "$(cat "$work/root/sys/kernel/kexec_crash_loaded")" = 0

skd_golden rpm-yum-start
skd_finish
