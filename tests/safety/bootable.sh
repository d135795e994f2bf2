#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The boot configuration stays bootable: a GRUB defaults file that would
# not parse as shell after our edit (or already does not) is refused with
# exit 4 and a message, and left as it was; every file we replace has its
# original kept under the state directory until uninstall, which puts it
# back and then drops the copies.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/safety/lib.sh"

skd_setup
skd_configmap crashkernel 512M
backup="$SKD_STATE_SUBDIR/backup"

differs() { ! cmp -s "$1" "$2"; }

fresh() { # FIXTURE
	sf_copy "$SKD_TOP_SRCDIR/tests/fixtures/$1" "$work/r"
	chmod -R u+w "$work/r"
	[ -e "$work/r/proc/iomem" ] || skd_add_ram "$work/r" 16
}

# an unterminated quote two lines below the variable we edit (after
# apply: config refuses a node without the kdump package before this)
fresh centos-7
sf_run "$work/r" apply
skd_check [ "$sf_status" = 0 ]
printf 'GRUB_TERMINAL_OUTPUT="console\n' >>"$work/r/etc/default/grub"
cp "$work/r/etc/default/grub" "$work/grub.before"
sf_run "$work/r" config
skd_check [ "$sf_status" = 4 ]
skd_check grep -q 'config: setting crashkernel in the bootloader failed: .*/etc/default/grub' "$work/r.out"
skd_check cmp -s "$work/grub.before" "$work/r/etc/default/grub"
skd_check [ ! -e "$work/r/$backup/etc/default/grub" ]

# an if without fi: refused as well
fresh centos-7
sf_run "$work/r" apply
skd_check [ "$sf_status" = 0 ]
printf 'if [ -e /x ]; then\nGRUB_TIMEOUT=1\n' >>"$work/r/etc/default/grub"
cp "$work/r/etc/default/grub" "$work/grub.before"
sf_run "$work/r" config
skd_check [ "$sf_status" = 4 ]
skd_check cmp -s "$work/grub.before" "$work/r/etc/default/grub"

# backups until uninstall: /etc/default/grub edited in place and
# /etc/kernel/cmdline
for fx in centos-7 rhel-9; do
	fresh "$fx"
	sf_run "$work/r" apply
	skd_check [ "$sf_status" = 0 ]
	sf_run "$work/r" config
	skd_check [ "$sf_status" = 0 ]
	for f in etc/default/grub etc/kernel/cmdline; do
		[ -e "$SKD_TOP_SRCDIR/tests/fixtures/$fx/$f" ] || continue
		# edited, and the original kept byte for byte
		skd_check differs "$SKD_TOP_SRCDIR/tests/fixtures/$fx/$f" "$work/r/$f"
		skd_check cmp -s "$SKD_TOP_SRCDIR/tests/fixtures/$fx/$f" "$work/r/$backup/$f"
		skd_check grep -qx "replaced /$f" "$work/r/$SKD_STATE_SUBDIR/files"
	done
	# a second config keeps the first original, not the edited file
	sf_run "$work/r" config
	skd_check cmp -s "$SKD_TOP_SRCDIR/tests/fixtures/$fx/etc/default/grub" \
		"$work/r/$backup/etc/default/grub"
	sf_run "$work/r" uninstall
	skd_check [ "$sf_status" = 0 ]
	skd_check [ ! -e "$work/r/$backup" ]
	skd_check [ ! -e "$work/r/$SKD_STATE_SUBDIR/files" ]
done
skd_finish
