#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Whether a crashkernel= value is kdumpctl's default (which kdumpctl puts
# back at every kernel install unless /etc/kdump.conf says
# "auto_reset_crashkernel no") is decided with the node's own answer,
# "kdumpctl get-default-crashkernel", where it exists (issue 19, item 4).
# The fake kdumpctl computes its answer from the node (its base table,
# the platform's deltas), so here it differs from the backend's table as
# it would on a node whose kdump-utils moved to a newer table:
# - a value equal to the backend's table but not to kdumpctl's answer is
#   custom: config turns the reset off, and a kernel installed after config
#   keeps the value;
# - kdumpctl's own answer is its default: /etc/kdump.conf is left alone;
# - config asks once and records the answer; the checks and a converged
#   config start no process;
# - a kdumpctl that fails stops config before any change.
# shellcheck source=tests/cli/lib.sh
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
# the backend's table for RHEL 9.4+ x86_64 (kexec-tools 2.0.27), and
# kdump-utils' from v1.0.53 (fe18f93) on
table=1G-4G:192M,4G-64G:256M,64G-:512M
newer=2G-64G:256M,64G-:512M

# fresh: a RHEL 9 root with 16 GiB whose kdumpctl has the newer table,
# booted with its default entry's options
fresh() {
	skd_root "$fixtures/rhel-9"
	for _d in "$work/root" "$work/orig"; do
		skd_add_ram "$_d" 16
		echo "$newer" >"$_d/var/lib/skd-fake/kdump-default-crashkernel"
	done
	_ko=$(sed -n 's/^kernelopts=//p' "$work/root/boot/grub2/grubenv")
	echo "BOOT_IMAGE=(hd0,gpt2)/vmlinuz $_ko" >"$work/root/proc/cmdline"
}

# newest_entry_value: crashkernel= of the newest kernel's BLS entry
newest_entry_value() {
	_f=$(for _e in "$work/root/boot/loader/entries/"*.conf; do
		case $_e in *-rescue.conf) ;; *) echo "$_e" ;; esac
	done | sort -V | tail -n 1)
	sed -n 's/^options[[:space:]]*//p' "$_f" | tr ' ' '\n' | sed -n 's/^crashkernel=//p' | tail -n 1
}

kernel_install() {
	SKD_FAKE_ROOT="$work/root" "$SKD_FAKE_TOOLS/kernel-install" add "$1" "/lib/modules/$1/vmlinuz" >/dev/null
}

reset_setting() {
	sed -e 's/#.*//' "$work/root/etc/kdump.conf" | awk '$1 == "auto_reset_crashkernel" { print $2 }'
}

skd_setup

# ---- the backend's table value, not kdumpctl's default: custom ------------
fresh
skd_configmap crashkernel "$table"
skd_exec apply
skd_expect "apply" 0
: >"$work/commands.log"
skd_exec config
skd_expect "config of the backend's table value" 0
skd_check grep -qx 'kdumpctl get-default-crashkernel' "$work/commands.log"
skd_check [ "$(reset_setting)" = no ]
state=$work/root/var/lib/skyhook-kdump/state
skd_check grep -qx "auto-crashkernel=$newer" "$state"
skd_check grep -qx 'auto-basis=kdumpctl get-default-crashkernel on this node' "$state"
: >"$work/commands.log"
skd_exec config-check
skd_expect "config-check after config" 0
skd_check [ ! -s "$work/commands.log" ]
before=$(skd_tree_hash "$work/root")
skd_exec config
skd_expect "converged config" 0 "already configured"
skd_check [ ! -s "$work/commands.log" ]
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
# a kernel installed now keeps the value, and the checks still pass
kernel_install 5.14.0-570.99.1.el9_6.x86_64
tests_run=$((tests_run + 1))
if [ "$(newest_entry_value)" = "$table" ]; then
	echo "PASS: a kernel installed after config carries crashkernel=$table"
else
	echo "FAIL: a kernel installed after config has crashkernel=$(newest_entry_value), want $table" >&2
	tests_failed=$((tests_failed + 1))
fi
# the new kernel's capture initrd is config's to build: the only problem
skd_exec config-check
skd_expect "config-check after a kernel install" 1 \
	'capture initrd of kernel 5\.14\.0-570\.99\.1\.el9_6\.x86_64, which boots next'
skd_check sh -c "[ \"\$(cat '$work/out' '$work/err' | grep -c 'NOT OK')\" = 1 ]"
# the checks read the same decision: the reset turned on again is named
sed -i 's/^auto_reset_crashkernel no$/auto_reset_crashkernel yes/' "$work/root/etc/kdump.conf"
skd_exec config-check
skd_expect "config-check with the reset back on" 1 \
	"auto_reset_crashkernel is not \"no\" in \"/etc/kdump.conf\": kdumpctl would reset the custom crashkernel=$table"

# ---- kdumpctl's own default: the package's file is left alone --------------
fresh
skd_configmap crashkernel "$newer"
skd_exec apply
skd_exec config
skd_expect "config of kdumpctl's default" 0
skd_check cmp -s "$work/root/etc/kdump.conf" "$work/root/var/lib/skd-fake/repo/kexec-tools/files/etc/kdump.conf"
skd_exec config-check
skd_expect "config-check of kdumpctl's default" 0
kernel_install 5.14.0-570.99.1.el9_6.x86_64
skd_exec config-check
skd_expect "config-check of kdumpctl's default after a kernel install" 1 \
	'capture initrd of kernel 5\.14\.0-570\.99\.1\.el9_6\.x86_64, which boots next'
skd_check sh -c "[ \"\$(cat '$work/out' '$work/err' | grep -c 'NOT OK')\" = 1 ]"

# ---- a kdumpctl that fails: nothing changes --------------------------------
fresh
skd_configmap crashkernel 768M
skd_exec apply
rm "$work/root/var/lib/skd-fake/kdump-default-crashkernel"
before=$(skd_tree_hash "$work/root")
skd_exec config
skd_expect "config with a failing kdumpctl" 4 \
	'"kdumpctl get-default-crashkernel" failed with exit status 1.*nothing was changed'
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]

skd_finish
