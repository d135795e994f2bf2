#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The RPM family's checks read back everything config writes or relies on,
# and a kernel installed after config carries the value (issue 19, items 2
# and 3), with the fake tools on fixture roots:
# - after apply and config, each tampered artefact makes config-check exit 1
#   naming it (every BLS entry, rescue included; /etc/kernel/cmdline;
#   /etc/default/grub; auto_reset_crashkernel; RHEL 8's literal options);
#   uninstall-check fails on our value left in /etc/kernel/cmdline;
# - a kernel installed with the fake kernel-install (20-grub.install and
#   kdump-utils' 92-crashkernel.install) after config, before and after the
#   reboot, boots with the configured value: every entry carries it;
# shellcheck source=tests/cli/lib.sh
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"

# kernel_entries: the BLS entries of kernels (not rescue), oldest first
kernel_entries() {
	for _f in "$work/root/boot/loader/entries/"*.conf; do
		case $_f in *-rescue.conf) ;; *) [ ! -f "$_f" ] || echo "$_f" ;; esac
	done | sort -V
}

# fresh FIXTURE: a copy with 16 GiB of RAM, booted with its own options
# (the default entry's) as /proc/cmdline
fresh() {
	skd_root "$fixtures/$1"
	for _d in "$work/root" "$work/orig"; do
		[ -f "$_d/proc/meminfo" ] || skd_add_ram "$_d" 16
	done
	if [ ! -f "$work/root/proc/cmdline" ]; then
		_e=$(kernel_entries | tail -n 1)
		_o='root=/dev/sda1 ro'
		[ -z "$_e" ] || _o=$(sed -n 's/^options[[:space:]]*//p' "$_e")
		# shellcheck disable=SC2016 # GRUB's variable, literally
		case $_o in *'$kernelopts'*) _o=$(sed -n 's/^kernelopts=//p' "$work/root/boot/grub2/grubenv") ;; esac
		echo "BOOT_IMAGE=(hd0,gpt2)/vmlinuz $_o" >"$work/root/proc/cmdline"
	fi
}

# tamper FILE SED-SCRIPT WHAT EXIT PATTERN: config-check on the root with
# FILE edited, then FILE as it was
tamper() {
	cp -p "$1" "$work/saved"
	sed -i "$2" "$1"
	skd_exec config-check
	skd_expect "$3" 1 "$4"
	cp -p "$work/saved" "$1"
}

# entries_carry WHAT VALUE: every BLS entry's options (grubenv's $kernelopts
# expanded) carry crashkernel=VALUE, the last crashkernel= being the one
entries_carry() {
	tests_run=$((tests_run + 1))
	_bad=
	_ko=$(sed -n 's/^kernelopts=//p' "$work/root/boot/grub2/grubenv" 2>/dev/null || true)
	for _f in "$work/root/boot/loader/entries/"*.conf; do
		_o=$(sed -n 's/^options[[:space:]]*//p' "$_f" | sed "s|\\\$kernelopts|$_ko|")
		_v=$(echo "$_o" | tr ' ' '\n' | sed -n 's/^crashkernel=//p' | tail -n 1)
		[ "$_v" = "$2" ] || _bad="$_bad $(basename "$_f"):${_v:-none}"
	done
	if [ -z "$_bad" ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: entries without crashkernel=$2:$_bad" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

# kernel_install KVER: a kernel package's %posttrans
kernel_install() {
	SKD_FAKE_ROOT="$work/root" "$SKD_FAKE_TOOLS/kernel-install" add "$1" "/lib/modules/$1/vmlinuz" >/dev/null
}

skd_setup
skd_configmap crashkernel 256M

# ---- item 2: every artefact read back --------------------------------------

for d in rhel-8 rhel-9 rhel-10 fedora-41 amzn-2023; do
	fresh $d
	skd_exec apply
	skd_exec config
	skd_expect "$d: config" 0
	skd_exec config-check
	skd_expect "$d: config-check after config" 0
	E=$work/root/boot/loader/entries
	rescue=$(ls "$E"/*-rescue.conf)
	# a kernel's entry other than the default one, when there are two
	other=
	[ "$(kernel_entries | wc -l)" -lt 2 ] || other=$(kernel_entries | head -n 1)
	for f in "$rescue" $other; do
		n=$(basename "$f")
		tamper "$f" 's/^options .*/options root=\/dev\/sda1 ro/' "$d: $n with literal options without crashkernel=" \
			"the boot entry \"/boot/loader/entries/$n\" does not carry crashkernel=256M"
		tamper "$f" 's/^options .*/options root=\/dev\/sda1 ro crashkernel=512M/' "$d: $n with another value" \
			"the boot entry \"/boot/loader/entries/$n\" does not carry crashkernel=256M"
	done
	k=$work/root/etc/kernel/cmdline
	# config makes sure it is there (amzn-2023 has none)
	[ "$d" = rhel-8 ] || skd_check test -f "$k"
	if [ "$d" != rhel-8 ] && [ -f "$k" ]; then
		tamper "$k" 's/crashkernel=[^ ]*//' "$d: /etc/kernel/cmdline without crashkernel=" \
			'"/etc/kernel/cmdline" does not carry crashkernel=256M'
		tamper "$k" 's/crashkernel=[^ ]*/crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M/' \
			"$d: /etc/kernel/cmdline back at the default" '"/etc/kernel/cmdline" does not carry crashkernel=256M'
		mv "$k" "$work/saved"
		skd_exec config-check
		skd_expect "$d: /etc/kernel/cmdline missing" 1 '"/etc/kernel/cmdline" is missing: a kernel installed before the reboot'
		mv "$work/saved" "$k"
	fi
	tamper "$work/root/etc/default/grub" 's/crashkernel=[^ "]*//' "$d: /etc/default/grub without crashkernel=" \
		'GRUB_CMDLINE_LINUX(_DEFAULT)? in "/etc/default/grub" does not carry crashkernel=256M'
	if grep -q auto_reset_crashkernel "$work/root/etc/kdump.conf"; then
		tamper "$work/root/etc/kdump.conf" 's/^auto_reset_crashkernel no$/auto_reset_crashkernel yes/' \
			"$d: auto_reset_crashkernel yes again" 'auto_reset_crashkernel is not "no" in "/etc/kdump.conf"'
	fi
	skd_exec config-check
	skd_expect "$d: config-check with everything back" 0
done

for d in rhel-7 amzn-2; do
	fresh $d
	skd_exec apply
	skd_exec config
	skd_exec config-check
	skd_expect "$d: config-check after config" 0
	var=GRUB_CMDLINE_LINUX
	[ $d = rhel-7 ] || var=GRUB_CMDLINE_LINUX_DEFAULT
	tamper "$work/root/etc/default/grub" 's/crashkernel=[^ "]*//' "$d: /etc/default/grub without crashkernel=" \
		"$var in \"/etc/default/grub\" does not carry crashkernel=256M"
done

# uninstall-check: our value left in /etc/kernel/cmdline
skd_configmap crashkernel 1G
fresh rhel-9
skd_exec apply
skd_exec config
skd_exec uninstall
skd_expect "rhel-9: uninstall" 0
skd_exec uninstall-check
skd_expect "rhel-9: uninstall-check after uninstall" 0
sed -i 's/crashkernel=[^ ]*/crashkernel=1G/' "$work/root/etc/kernel/cmdline"
skd_exec uninstall-check
skd_expect "rhel-9: uninstall-check with crashkernel=1G left in /etc/kernel/cmdline" 1 \
	'"/etc/kernel/cmdline" does not carry crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M'
# a file config created goes with uninstall
fresh amzn-2023
skd_exec apply
skd_exec config
skd_check test -f "$work/root/etc/kernel/cmdline"
skd_exec uninstall
skd_expect "amzn-2023: uninstall" 0
skd_check test ! -e "$work/root/etc/kernel/cmdline"
skd_exec uninstall-check
skd_expect "amzn-2023: uninstall-check" 0
skd_configmap crashkernel 256M

# ---- item 3: a kernel installed after config --------------------------------

for d in rhel-8 rhel-9 rhel-10 fedora-41 amzn-2023; do
	fresh $d
	skd_exec apply
	skd_exec config
	skd_expect "$d: config" 0
	kernel_install 9.9.1-1.test.x86_64
	entries_carry "$d: a kernel installed after config, before the reboot" 256M
	# its entry carries the value; its capture initrd is config's to build
	skd_exec config-check
	skd_expect "$d: config-check after that" 1 \
		'capture initrd of kernel 9\.9\.1-1\.test\.x86_64, which boots next .*kdump\.img is missing; config builds it'
	skd_exec config
	skd_expect "$d: config builds it" 0 'built the capture initrd of kernel 9\.9\.1-1\.test\.x86_64'
	skd_exec config-check
	skd_expect "$d: config-check after config" 0
	skd_boot_files "$work/root" 256M 268435456
	kernel_install 9.9.2-1.test.x86_64
	entries_carry "$d: a kernel installed after the reboot" 256M
	skd_exec config-check
	skd_expect "$d: config-check after that" 1 'capture initrd of kernel 9\.9\.2-1\.test\.x86_64'
done

# ---- the capture initrd: a build that fails stops config before the reboot -

fresh rhel-9
skd_exec apply
echo fail >"$work/root/var/lib/skd-fake/mkdumprd"
skd_exec config
skd_expect "rhel-9: config with mkdumprd failing" 4 \
	'building the capture initrd of kernel 5\.14\.0-570\.12\.1\.el9_6\.x86_64 failed: mkdumprd failed with exit status 1: .*dracut\[E\]: Creation of /boot/initramfs-5\.14\.0-570\.12\.1\.el9_6\.x86_64kdump\.img failed'
skd_exec config-check
skd_expect "rhel-9: config-check after it" 1 'kdump\.img is missing; config builds it'
rm "$work/root/var/lib/skd-fake/mkdumprd"
skd_exec config
skd_expect "rhel-9: config once the cause is fixed" 0 'built the capture initrd of kernel 5\.14\.0-570\.12\.1\.el9_6\.x86_64'
: >"$work/commands.log"
skd_exec config
skd_expect "rhel-9: then config converges" 0 'already configured'
skd_check [ ! -s "$work/commands.log" ]
skd_exec config-check
skd_expect "rhel-9: config-check passes" 0
# kdump.conf changed after the build: the initrd is older than an input
touch "$work/root/etc/kdump.conf"
skd_exec config-check
skd_expect "rhel-9: config-check with kdump.conf newer" 1 'kdump\.img is older than /etc/kdump\.conf'

skd_finish
