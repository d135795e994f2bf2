#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# apt failing as the real one does, on the Debian 12 fixture with the fake
# apt-get (tests/fake-tools/apt-get: apt-archive, apt-update):
# - an install that cannot fetch the archive claims nothing: after the
#   admin installs the packages, apply and uninstall leave the admin's
#   packages and service alone (issue 18, item 3);
# - an index that cannot be fetched, whether apt says so with "E:" and
#   exit 100 or with "W:" and exit 0: by default a warning and the install
#   goes on, with APT_ALLOW_INDEX_FAILURE=false a failure before anything
#   changes (item 4).
# Transcript: tests/golden/apt-failures.txt.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
skd_configmap crashkernel 256M
fake="$SKD_TOP_SRCDIR/tests/fake-tools"
state_file=var/lib/skyhook-kdump/state

fresh_root() {
	skd_root "$SKD_TOP_SRCDIR/tests/fixtures/debian-12"
	mkdir -p "$work/root/var/lib/skd-fake"
	skd_add_ram "$work/root" 16
	skd_add_ram "$work/orig" 16
}

# the admin, by hand: apt-get update and install with the real defaults
# (the postinst enables the unit), after the archive is reachable again
admin_installs() {
	rm -f "$work/root/var/lib/skd-fake/apt-archive"
	SKD_FAKE_ROOT="$work/root" DEBIAN_FRONTEND=noninteractive \
		"$fake/apt-get" update >/dev/null
	SKD_FAKE_ROOT="$work/root" DEBIAN_FRONTEND=noninteractive \
		"$fake/apt-get" -y install kdump-tools makedumpfile >/dev/null 2>&1
	echo "(the admin installs kdump-tools makedumpfile)" >>"$work/transcript"
	echo >>"$work/transcript"
}

installed() {
	awk -v p="$1" 'BEGIN { RS = ""; FS = "\n"; r = 1 }
		$0 ~ "(^|\n)Package: " p "(\n|$)" && $0 ~ /\nStatus: install ok installed/ { r = 0 }
		END { exit r }' "$work/root/var/lib/dpkg/status"
}

unit_enabled() {
	[ -L "$work/root/etc/systemd/system/multi-user.target.wants/kdump-tools.service" ]
}

claims() {
	grep -q "^package=$1\$" "$work/root/$state_file" 2>/dev/null
}

state_to_transcript() {
	{
		echo "## $state_file"
		if [ -f "$work/root/$state_file" ]; then
			grep -v '^written-by=' "$work/root/$state_file"
		else
			echo "(none)"
		fi
		echo
	} >>"$work/transcript"
}

## 1. the install fails, the admin installs, apply again, uninstall
fresh_root
echo unreachable >"$work/root/var/lib/skd-fake/apt-archive"
skd_run apply
skd_expect_exit 4
skd_check grep -q 'installing packages failed: "apt-get install" failed with exit status 100: E: Unable to fetch some archives' "$work/out"
state_to_transcript
for p in kdump-tools kexec-tools makedumpfile crash; do
	skd_check eval "! claims $p"
done
skd_check eval "! grep -q '^service-was-enabled=' '$work/root/$state_file'"
admin_installs
skd_run apply
skd_expect_exit 0
state_to_transcript
# only crash was missing: it is ours, and the service was the admin's
skd_check claims crash
for p in kdump-tools kexec-tools makedumpfile; do
	skd_check eval "! claims $p"
done
skd_check grep -q '^service-was-enabled=1$' "$work/root/$state_file"
skd_run uninstall
skd_expect_exit 0
for p in kdump-tools kexec-tools makedumpfile; do
	skd_check installed "$p"
done
skd_check eval "! installed crash"
skd_check unit_enabled
skd_check eval "! grep -q 'purge.*kdump-tools' '$work/commands.log'"

## 2. the same without a second apply: uninstall still leaves them alone
fresh_root
echo unreachable >"$work/root/var/lib/skd-fake/apt-archive"
skd_run apply
skd_expect_exit 4
admin_installs
skd_run uninstall
skd_expect_exit 0
for p in kdump-tools kexec-tools makedumpfile; do
	skd_check installed "$p"
done
skd_check unit_enabled

## 3. an index that cannot be fetched, by default: a warning, and on
for mode in index-unreachable index-failure; do
	fresh_root
	echo "$mode" >"$work/root/var/lib/skd-fake/apt-update"
	echo "# apt-update: $mode" >>"$work/transcript"
	skd_run apply
	skd_expect_exit 0
	skd_check grep -q 'could not fetch some package indexes (.*Failed to fetch .*); going on with the install' "$work/out"
	skd_check installed kdump-tools
done

## 4. ... and with APT_ALLOW_INDEX_FAILURE=false: fatal before any change
for mode in index-unreachable index-failure; do
	fresh_root
	echo "$mode" >"$work/root/var/lib/skd-fake/apt-update"
	echo "# apt-update: $mode, APT_ALLOW_INDEX_FAILURE=false" >>"$work/transcript"
	export APT_ALLOW_INDEX_FAILURE=false
	skd_run apply
	unset APT_ALLOW_INDEX_FAILURE
	skd_expect_exit 4
	skd_check grep -q 'APT_ALLOW_INDEX_FAILURE=false makes that fatal: .*Failed to fetch' "$work/out"
	skd_check eval "! installed kdump-tools"
	skd_check eval "! grep -q ' install ' '$work/commands.log'"
done
skd_record_changes

skd_golden apt-failures
skd_finish
