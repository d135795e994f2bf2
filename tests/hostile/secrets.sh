#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Secrets stay secret: a kdump.conf carrying credentials (FTP_PASSWORD,
# SSH_KEY, sshkey) is installed mode 0600, also over a package's 0644 file
# and again when someone loosened it; its values never appear in the
# output of any mode, with --dry-run, -v -v or --json (diffs and notes
# show "****"), nor anywhere in the root but the installed file. Backend
# files and directories that others can write, or that another user owns,
# are not loaded.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

modes="apply apply-check config config-check post-interrupt-check upgrade upgrade-check uninstall uninstall-check"
skd_setup


# no_secret: neither secret in the last output
no_secret() {
	if grep -q -e S3cr3t-4711 -e kdump-key-4711 "$work/out" "$work/err"; then
		echo "a secret in the output of: $*" >&2
		grep -e S3cr3t-4711 -e kdump-key-4711 "$work/out" "$work/err" >&2
		return 1
	fi
}

mode_of() {
	stat -c %a "$work/root$1"
}

# scenario FIXTURE INSTALLED_PATH KDUMP_CONF
scenario() {
	rm -rf "$work/root" "$work/configmaps"
	mkdir -p "$work/root" "$work/configmaps"
	cp -a "$SKD_TOP_SRCDIR/tests/fixtures/$1/." "$work/root/"
	chmod -R u+w "$work/root"
	skd_add_ram "$work/root" 16
	echo 256M >"$work/configmaps/crashkernel"
	printf '%b' "$3" >"$work/configmaps/kdump.conf"
	for mode in $modes; do
		[ "$mode" != uninstall ] || skd_check [ "$(mode_of "$2")" = 600 ]
		for opts in "--dry-run -v -v" "--dry-run --json" "-v -v"; do
			# $opts are several options, split on purpose
			# shellcheck disable=SC2086
			skd_exec $opts "$mode"
			skd_check no_secret "$opts $mode"
		done
		if [ "$mode" = config ]; then
			# over the package's 0644 file: 0600, and only there
			skd_check [ "$(mode_of "$2")" = 600 ]
			skd_check [ "$(grep -rl -e S3cr3t-4711 -e kdump-key-4711 "$work/root")" = "$work/root$2" ]
			# loosened by someone: config-check says so, config repairs it
			chmod 0644 "$work/root$2"
			skd_exec config-check
			skd_check [ "$status" = 1 ]
			skd_check grep -q "holds credentials but group or others can read it" "$work/out" "$work/err"
			skd_exec config
			skd_check [ "$(mode_of "$2")" = 600 ]
			skd_exec status -v
			skd_check no_secret status
		fi
	done
	# uninstall left no copy behind
	skd_check [ -z "$(grep -rl -e S3cr3t-4711 -e kdump-key-4711 "$work/root")" ]
}

scenario debian-12 /etc/default/kdump-tools \
	'USE_KDUMP=1\nFTP=ftp.example.com:/dumps\nFTP_USER=kdump\nFTP_PASSWORD="S3cr3t-4711"\n'
scenario ubuntu-22.04 /etc/default/kdump-tools \
	'USE_KDUMP=1\nSSH=kdump@backup.example.com\nSSH_KEY=/root/.ssh/kdump-key-4711\n'
# the other family's format: translated, the notes masked too
scenario debian-12 /etc/default/kdump-tools \
	'ssh kdump@backup.example.com\nsshkey /root/.ssh/kdump-key-4711\n'
scenario rhel-9 /etc/kdump.conf \
	'ssh kdump@backup.example.com\nsshkey /root/.ssh/kdump-key-4711\npath /var/crash\n'
scenario fedora-41 /etc/kdump.conf \
	'SSH=kdump@backup.example.com\nSSH_KEY=/root/.ssh/kdump-key-4711\n'

# backends others could have changed are not loaded
mkdir -p "$work/backends"
cp "$SKD_TOP_BUILDDIR/plugins/debian/.libs/debian.so" "$work/backends/"
chmod 0777 "$work/backends"
"$SKD_BIN" --root "$work/root" --backend-dir "$work/backends" backends >"$work/out" 2>&1 || true
skd_check grep -q "rejected  $work/backends: backend directory \"$work/backends\" is group- and world-writable" "$work/out"
chmod 0755 "$work/backends"
chmod 0664 "$work/backends/debian.so"
"$SKD_BIN" --root "$work/root" --backend-dir "$work/backends" backends >"$work/out" 2>&1 || true
skd_check grep -q "rejected  $work/backends/debian.so: backend \"$work/backends/debian.so\" is group-writable" "$work/out"
chmod 0644 "$work/backends/debian.so"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$work/backends/debian.so"
	"$SKD_BIN" --root "$work/root" --backend-dir "$work/backends" backends >"$work/out" 2>&1 || true
	skd_check grep -q "rejected  $work/backends/debian.so: backend \"$work/backends/debian.so\" is owned by uid 65534" "$work/out"
fi

skd_finish
