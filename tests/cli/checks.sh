#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks that tell the truth (issue 18, items 1, 2, 5 and 6), with the fake
# tools on fixture roots: config-check fails, with a reason naming it, on
# every drift config repairs (kdump switched off, a stale boot menu or boot
# entry, a missing drop-in); config on a node where apply never ran stops
# before changing anything; an admin's crashkernel= that our drop-in
# overrides is said by config-check, and left behind by uninstall without
# failing uninstall-check. The same with the real Debian 12 tools:
# tests/debian/chroot-lifecycle.sh.
# shellcheck source=tests/cli/lib.sh
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"

# expect_no WHAT PATTERN: no line of the last output matches.
expect_no() {
	tests_run=$((tests_run + 1))
	if cat "$work/out" "$work/err" | grep -Eq -- "$2"; then
		echo "FAIL: $1: a line matches /$2/:" >&2
		sed 's/^/    /' "$work/out" "$work/err" >&2
		tests_failed=$((tests_failed + 1))
	else
		echo "PASS: $1"
	fi
}

fresh() {
	skd_root "$fixtures/$1"
	skd_add_ram "$work/root" 16
	skd_add_ram "$work/orig" 16
}

skd_setup
skd_configmap crashkernel 256M

# ---- Debian 12 -------------------------------------------------------------

# item 5: config before apply changes nothing and says why
fresh debian-12
before=$(skd_tree_hash "$work/root")
skd_exec config
skd_expect "debian-12: config before apply fails" 4 \
	'/etc/default/kdump-tools is missing and kdump-tools.* not installed: run apply first; nothing was changed'
skd_check test "$(wc -l <"$work/err")" = 1
skd_check test "$(skd_tree_hash "$work/root")" = "$before"
skd_check test ! -e "$work/root/etc/default/grub.d/zz-skyhook-kdump.cfg"
skd_exec --dry-run config
skd_expect "debian-12: a dry run of config before apply still shows the changes" 0

skd_exec apply
skd_expect "debian-12: apply" 0
skd_exec config
skd_expect "debian-12: config" 0
cp "$work/root/boot/grub/grub.cfg" "$work/grub.cfg.configured"
skd_exec config-check
skd_expect "debian-12: config-check after config" 0
expect_no "debian-12: no warning on a node without an admin value" 'overridden'

# item 1: kdump switched off
sed -i 's/^USE_KDUMP=.*/USE_KDUMP=0/' "$work/root/etc/default/kdump-tools"
skd_exec config-check
skd_expect "debian-12: config-check with USE_KDUMP=0" 1 \
	'kdump is not enabled: USE_KDUMP=0 in "/etc/default/kdump-tools"; config enables it'
skd_exec apply-check
skd_expect "debian-12: apply-check with USE_KDUMP=0 says so (config repairs it)" 0 \
	'warning: kdump is not enabled: USE_KDUMP=0 in "/etc/default/kdump-tools"'
sed -i '/^USE_KDUMP=/d' "$work/root/etc/default/kdump-tools"
skd_exec config-check
skd_expect "debian-12: config-check without USE_KDUMP=" 1 \
	'kdump is not enabled: no USE_KDUMP= in "/etc/default/kdump-tools"'
skd_exec config
skd_expect "debian-12: config enables kdump again" 0 'enabled kdump in /etc/default/kdump-tools'
skd_exec config-check
skd_expect "debian-12: config-check after that" 0

# item 2: the boot menu from before config
cp "$work/orig/boot/grub/grub.cfg" "$work/root/boot/grub/grub.cfg"
skd_exec config-check
skd_expect "debian-12: config-check with the menu from before config" 1 \
	'crashkernel=256M is configured, but the boot menu is stale: no linux line of "/boot/grub/grub.cfg" carries crashkernel=256M'
sed 's/crashkernel=256M/crashkernel=384M-:128M/' "$work/grub.cfg.configured" >"$work/root/boot/grub/grub.cfg"
skd_exec config-check
skd_expect "debian-12: config-check with a menu of another value" 1 \
	'the boot menu is stale: a linux line of "/boot/grub/grub.cfg" carries crashkernel=384M-:128M'
skd_exec config
skd_expect "debian-12: config regenerates the menu" 0
skd_exec config-check
skd_expect "debian-12: config-check after that" 0

# the drop-in missing
rm "$work/root/etc/default/grub.d/zz-skyhook-kdump.cfg"
skd_exec config-check
skd_expect "debian-12: config-check without our drop-in" 1 "the bootloader's crashkernel is 384M-:128M, want 256M"
skd_exec config
skd_expect "debian-12: config writes it again" 0
skd_exec config-check
skd_expect "debian-12: config-check after config" 0

# item 6: an admin's crashkernel= while we manage the node
sed -i 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="crashkernel=1G"/' "$work/root/etc/default/grub"
skd_exec config-check
skd_expect "debian-12: config-check says an admin value is overridden" 0 \
	'warning: crashkernel=1G set in /etc/default/grub is overridden by crashkernel=256M of skyhook-kdump; uninstall leaves it in place'
skd_exec config
skd_expect "debian-12: so does config" 0 'warning: crashkernel=1G set in /etc/default/grub is overridden'
skd_exec uninstall
skd_expect "debian-12: uninstall" 0
skd_exec uninstall-check
skd_expect "debian-12: uninstall-check passes and names what is not ours" 0 \
	'crashkernel=1G stays in the bootloader: it is set in /etc/default/grub, not by skyhook-kdump \(before it there was none\)'
# the value we set is still ours, though
fresh debian-12
skd_exec apply
skd_exec config
skd_exec uninstall
skd_expect "debian-12: uninstall again" 0
cp "$work/root/var/lib/skyhook-kdump/uninstalled" "$work/marker"
sed -i 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="crashkernel=256M"/' "$work/root/etc/default/grub"
skd_exec uninstall-check
skd_expect "debian-12: uninstall-check fails on the value config set" 1 \
	"the bootloader's crashkernel is 256M, want not set as before"

# ---- RHEL 9 (BLS, grubby) --------------------------------------------------

fresh rhel-9
before=$(skd_tree_hash "$work/root")
skd_exec config
skd_expect "rhel-9: config before apply fails" 4 \
	'/etc/kdump.conf is missing and kexec-tools.* not installed: run apply first; nothing was changed'
skd_check test "$(skd_tree_hash "$work/root")" = "$before"
skd_exec apply
skd_expect "rhel-9: apply" 0
skd_exec config
skd_expect "rhel-9: config" 0
skd_exec config-check
skd_expect "rhel-9: config-check after config" 0

# item 1: kdumpctl would reset the custom value
sed -i -e '/^# skyhook-kdump keeps/d' -e 's/^auto_reset_crashkernel no$/auto_reset_crashkernel yes/' \
	"$work/root/etc/kdump.conf"
skd_exec config-check
skd_expect "rhel-9: config-check with auto_reset_crashkernel yes" 1 \
	'kdump is not enabled: auto_reset_crashkernel is not "no" in "/etc/kdump.conf": kdumpctl would reset the custom crashkernel=256M; config enables it'
skd_exec config
skd_exec config-check
skd_expect "rhel-9: config-check after config" 0

# item 2: a boot entry other than the default one without the value
entry=$(cd "$work/root/boot/loader/entries" && ls ./*503.11.1*.conf)
entry=${entry#./}
sed -i 's/crashkernel=256M/crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M/' \
	"$work/root/boot/loader/entries/$entry"
skd_exec config-check
skd_expect "rhel-9: config-check with a stale boot entry" 1 \
	"the boot entry \"/boot/loader/entries/${entry%.conf}.conf\" does not carry crashkernel=256M \\(config runs grubby\\)"
skd_exec config
skd_exec config-check
skd_expect "rhel-9: config-check after config" 0
sed -i 's/crashkernel=256M//' "$work/root/etc/kernel/cmdline"
skd_exec config-check
skd_expect "rhel-9: config-check with /etc/kernel/cmdline changed" 1 \
	'"/etc/kernel/cmdline" does not carry crashkernel=256M'
skd_exec config
skd_exec config-check
skd_expect "rhel-9: config-check after config" 0

# ---- CentOS 7 (grub.cfg from grub2-mkconfig) -------------------------------

fresh centos-7
skd_exec apply
skd_exec config
skd_expect "centos-7: config" 0
skd_exec config-check
skd_expect "centos-7: config-check after config" 0
sed -i 's/^GRUB_CMDLINE_LINUX="\(.*\)crashkernel=256M/GRUB_CMDLINE_LINUX="\1crashkernel=auto/' \
	"$work/root/etc/default/grub"
skd_exec config-check
skd_expect "centos-7: config-check with /etc/default/grub changed" 1 \
	'GRUB_CMDLINE_LINUX in "/etc/default/grub" does not carry crashkernel=256M'

# ---- the capture initrd (kdump-tools' kernel hook) ---------------------------

fresh debian-12
skd_exec apply
mkdir -p "$work/root/var/lib/skd-fake"
echo fail >"$work/root/var/lib/skd-fake/mkinitramfs"
skd_exec config
skd_expect "debian-12: config with mkinitramfs failing" 4 \
	'building the capture initrd of kernel 6\.1\.0-37-amd64 failed: /etc/kernel/postinst\.d/kdump-tools failed with exit status 1: .*update-initramfs: failed for /var/lib/kdump/initrd\.img-6\.1\.0-37-amd64 with 1\.'
rm "$work/root/var/lib/skd-fake/mkinitramfs"
skd_exec config
skd_expect "debian-12: config once the cause is fixed" 0 'built the capture initrd of kernel 6\.1\.0-37-amd64'
skd_check cmp -s "$work/root/etc/kdump/sysctl.conf" "$work/root/var/lib/kdump/latest_sysctls-6.1.0-37-amd64"
skd_exec config-check
skd_expect "debian-12: config-check passes" 0
# what kdump-config load compares: a changed sysctl copy makes it rebuild
echo 'vm.swappiness=0' >>"$work/root/var/lib/kdump/latest_sysctls-6.1.0-37-amd64"
skd_exec config-check
skd_expect "debian-12: config-check with the sysctls copy changed" 1 \
	'kdump-config load would rebuild /var/lib/kdump/initrd\.img-6\.1\.0-37-amd64: .*latest_sysctls-6\.1\.0-37-amd64 does not match /etc/kdump/sysctl\.conf'
skd_exec status
skd_expect "debian-12: status names it" 1 'capture_initrd_stale: the capture initrd of kernel 6\.1\.0-37-amd64'

skd_finish
