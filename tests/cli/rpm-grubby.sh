#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The RPM family with a grubby as the real grubby-bls behaves (issue 19,
# items 1 and 5; tests/fake-tools/grubby cites the source):
# - Amazon Linux 2023: apply, config and uninstall leave /etc/default/grub
#   byte-identical, its GRUB_CMDLINE_LINUX_DEFAULT included (grubby-bls's
#   sed on "^GRUB_CMDLINE_LINUX.*" would overwrite it with a
#   GRUB_CMDLINE_LINUX of ours), and any later grubby --update-kernel=ALL
#   run by someone else leaves that line alone too;
# - grubby exits 0 when its edits fail (a read-only /boot): config and
#   uninstall exit 4 with one line naming the entry (uninstall: the one
#   that does not carry the value from before apply, or still carries ours).
# shellcheck source=tests/cli/lib.sh
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"

# same_file WHAT PATH: $work/root/PATH is byte-identical to the fixture's
same_file() {
	tests_run=$((tests_run + 1))
	if cmp -s "$work/orig/$2" "$work/root/$2"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2 changed:" >&2
		diff -u "$work/orig/$2" "$work/root/$2" >&2 || true
		tests_failed=$((tests_failed + 1))
	fi
}

# the fake grubby, as another program on the node would run it
grubby() {
	SKD_FAKE_ROOT="$work/root" "$SKD_FAKE_TOOLS/grubby" "$@" >/dev/null 2>&1
}

skd_setup

# ---- item 1: Amazon Linux 2023 ---------------------------------------------
for name in amzn-2023 amzn-2023-aarch64; do
	skd_root "$fixtures/$name"
	skd_add_ram "$work/root" 16
	skd_configmap crashkernel 512M
	skd_exec apply
	skd_expect "$name: apply" 0
	skd_exec config
	skd_expect "$name: config" 0
	tests_run=$((tests_run + 1))
	if grep -q '^GRUB_CMDLINE_LINUX_DEFAULT="console=tty0 .* crashkernel=512M"$' \
		"$work/root/etc/default/grub" &&
		! grep -q '^GRUB_CMDLINE_LINUX=' "$work/root/etc/default/grub"; then
		echo "PASS: $name: crashkernel=512M in GRUB_CMDLINE_LINUX_DEFAULT, no GRUB_CMDLINE_LINUX"
	else
		echo "FAIL: $name: /etc/default/grub after config:" >&2
		sed 's/^/    /' "$work/root/etc/default/grub" >&2
		tests_failed=$((tests_failed + 1))
	fi
	skd_exec config-check
	skd_expect "$name: config-check" 0
	# an admin's or kdumpctl's grubby run afterwards
	grubby --update-kernel=ALL --args=quiet
	skd_exec config-check
	skd_expect "$name: config-check after another grubby run" 0
	skd_exec uninstall
	skd_expect "$name: uninstall" 0
	skd_exec uninstall-check
	skd_expect "$name: uninstall-check" 0
	same_file "$name: apply, config, uninstall: /etc/default/grub unchanged" etc/default/grub
done

# ---- item 5: grubby exits 0 when its edits fail ----------------------------
for name in amzn-2023 rhel-9 rhel-8 fedora-41; do
	skd_root "$fixtures/$name"
	skd_add_ram "$work/root" 16
	skd_configmap crashkernel 512M
	skd_exec apply
	skd_expect "$name: apply" 0
	touch "$work/root/var/lib/skd-fake/grubby-boot-readonly"
	skd_exec config
	skd_expect "$name: config with a read-only /boot fails" 4 \
		'grubby exited 0, but the boot entry "/boot/loader/entries/[^"]*\.conf" does not carry crashkernel=512M'
	tests_run=$((tests_run + 1))
	if [ "$(wc -l <"$work/err")" = 1 ]; then
		echo "PASS: $name: one line"
	else
		echo "FAIL: $name: more than one line:" >&2
		sed 's/^/    /' "$work/err" >&2
		tests_failed=$((tests_failed + 1))
	fi
	rm "$work/root/var/lib/skd-fake/grubby-boot-readonly"
	skd_exec config
	skd_expect "$name: config once /boot is writable" 0
	touch "$work/root/var/lib/skd-fake/grubby-boot-readonly"
	skd_exec uninstall
	skd_expect "$name: uninstall with a read-only /boot fails" 4 \
		'grubby exited 0, but the boot entry "/boot/loader/entries/[^"]*\.conf" (still carries crashkernel=$|does not carry crashkernel=[^5])'
done

# an entry without an "options" line: grubby-bls's sed changes nothing in it
skd_root "$fixtures/rhel-9"
skd_add_ram "$work/root" 16
skd_configmap crashkernel 512M
skd_exec apply
skd_expect "rhel-9: apply" 0
for entry in "$work/root/boot/loader/entries/"*.conf; do
	entry=${entry##*/}
	break
done
sed -i 's/^options /# options /' "$work/root/boot/loader/entries/$entry"
skd_exec config
skd_expect "rhel-9: config with an entry without options fails" 4 \
	"grubby exited 0, but the boot entry \"/boot/loader/entries/${entry%.conf}.conf\" does not carry crashkernel=512M"

skd_finish
