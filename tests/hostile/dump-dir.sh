#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dump directory: config creates a missing one (and its missing
# parents) mode 0700, as a vmcore holds all of the crashed kernel's
# memory; an existing one keeps its mode (Ubuntu shares /var/crash with
# apport, 1777). config-check reports one that went missing. Uninstall
# removes what config created while it is empty, and keeps it, with every
# dump in it, when it is not.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup


mode_of() {
	stat -c %a "$work/root$1"
}

# fresh FIXTURE KDUMP_CONF: a fixture root without the dump directory
fresh() {
	skd_root "$SKD_TOP_SRCDIR/tests/fixtures/$1"
	rm -rf "$work/root/srv" "$work/orig/srv"
	skd_add_ram "$work/root" 16
	skd_add_ram "$work/orig" 16
	rm -f "$work/configmaps/kdump.conf"
	echo 256M >"$work/configmaps/crashkernel"
	if [ -n "$2" ]; then printf '%b' "$2" >"$work/configmaps/kdump.conf"; fi
	skd_exec apply
	skd_check [ "$status" = 0 ]
}

for case in "debian-12 USE_KDUMP=1\nKDUMP_COREDIR=/srv/dumps/kdump\n" \
            "rhel-9 path /srv/dumps/kdump\ncore_collector makedumpfile -l -d 31\n"; do
	fixture=${case%% *}
	conf=${case#* }

	# a dry run says what it would create, and creates nothing
	fresh "$fixture" "$conf"
	skd_exec --dry-run config
	skd_check [ "$status" = 0 ]
	skd_check grep -q "would create directory: /srv (mode 0700)" "$work/out" "$work/err"
	skd_check grep -q "would create directory: /srv/dumps/kdump (mode 0700)" "$work/out" "$work/err"
	skd_check [ ! -e "$work/root/srv" ]

	# config: every missing part 0700; config-check passes, a second
	# config has nothing to do
	skd_exec config
	skd_check [ "$status" = 0 ]
	skd_check grep -q "created the dump directory /srv/dumps/kdump (mode 0700)" "$work/out" "$work/err"
	for d in /srv /srv/dumps /srv/dumps/kdump; do
		skd_check [ "$(mode_of "$d")" = 700 ]
	done
	skd_exec config-check
	skd_check [ "$status" = 0 ]
	skd_exec config
	skd_check [ "$status" = 0 ]
	skd_check [ -z "$(grep -h "dump directory" "$work/out" "$work/err")" ]

	# removed by someone: config-check says so, config makes it again
	rmdir "$work/root/srv/dumps/kdump"
	skd_exec config-check
	skd_check [ "$status" = 1 ]
	skd_check grep -q "the dump directory /srv/dumps/kdump is missing" "$work/out" "$work/err"
	skd_exec config
	skd_check [ "$(mode_of /srv/dumps/kdump)" = 700 ]

	# empty: uninstall removes all three, and the root is as before
	skd_exec uninstall
	skd_check [ "$status" = 0 ]
	skd_check grep -q "removed /srv/dumps/kdump, which config created" "$work/out" "$work/err"
	skd_check grep -q "removed /srv, which config created" "$work/out" "$work/err"
	skd_check [ ! -e "$work/root/srv" ]

	# holding a dump: uninstall keeps it and the directories above it
	fresh "$fixture" "$conf"
	skd_exec config
	mkdir "$work/root/srv/dumps/kdump/202611280102"
	echo core >"$work/root/srv/dumps/kdump/202611280102/vmcore"
	skd_exec uninstall
	skd_check [ "$status" = 0 ]
	skd_check grep -q "kept /srv/dumps/kdump: it is not empty" "$work/out" "$work/err"
	skd_check [ "$(grep -c "kept" "$work/out")" = 1 ]
	skd_check [ "$(cat "$work/root/srv/dumps/kdump/202611280102/vmcore")" = core ]
	skd_exec uninstall-check
	skd_check [ "$status" = 0 ]
done

# a directory that exists keeps its mode and stays after uninstall
fresh ubuntu-22.04 ""
mkdir -p "$work/root/var/crash"
chmod 1777 "$work/root/var/crash"
skd_exec config
skd_check [ "$status" = 0 ]
skd_check [ -z "$(grep -h "dump directory" "$work/out" "$work/err")" ]
skd_check [ "$(mode_of /var/crash)" = 1777 ]
skd_exec uninstall
skd_check [ -d "$work/root/var/crash" ] && skd_check [ "$(mode_of /var/crash)" = 1777 ]

# a file where the directory should be: config fails naming it, and
# changes nothing more
fresh rhel-9 'path /srv/dumps\n'
: >"$work/root/srv"
skd_exec config
skd_check [ "$status" = 4 ]
skd_check grep -q '"/srv" exists and is not a directory' "$work/out" "$work/err"
skd_check [ -f "$work/root/srv" ]

skd_finish
