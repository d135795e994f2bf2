#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Shared by the CLI tests: run the built program on a temporary copy of a
# fixture root with the recording command runner, and compare a transcript
# (output, exit codes, commands run, files changed) with a golden file.
# SKD_TEST_REGENERATE=1 rewrites the golden files instead (review the diff).

set -eu

: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SKD_TOP_BUILDDIR:=$SKD_TOP_SRCDIR}"
# SKD_TEST_BIN: a program to run instead (make check-valgrind's wrapper)
SKD_BIN="${SKD_TEST_BIN:-$SKD_TOP_BUILDDIR/skyhook-kdump}"
SKD_GOLDEN_DIR="$SKD_TOP_SRCDIR/tests/golden"
# SKD_TEST_FAKE_TOOLS_DIR: another directory of fakes (tests/fake-tools/README,
# "Running with the real grubby-bls")
SKD_FAKE_TOOLS="${SKD_TEST_FAKE_TOOLS_DIR:-$SKD_TOP_SRCDIR/tests/fake-tools}"

tests_run=0
tests_failed=0

# A work area removed on exit; $work/root is the managed root.
skd_setup() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/skd-cli-XXXXXX")
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/configmaps"
	: >"$work/commands.log"
}

# skd_root FIXTURE_DIR: a fresh copy of the fixture as $work/root, and a
# pristine copy to diff against at the end.
skd_root() {
	rm -rf "$work/root" "$work/orig"
	mkdir -p "$work/root" "$work/orig"
	cp -a "$1/." "$work/root/"
	cp -a "$1/." "$work/orig/"
	# a read-only source tree (make distcheck) must not make the copies
	# read-only: tools rewrite files with their usual modes
	chmod -R u+w "$work/root" "$work/orig"
	# grub-mkconfig leaves its menu read-only (0444); git keeps no such
	# mode, so a fresh clone would otherwise see a mode change
	for _cfg in boot/grub/grub.cfg boot/grub2/grub.cfg boot/efi/EFI/*/grub.cfg; do
		for _d in "$work/root" "$work/orig"; do
			if [ -f "$_d/$_cfg" ]; then chmod 0444 "$_d/$_cfg"; fi
		done
	done
}

skd_configmap() {
	printf '%s\n' "$2" >"$work/configmaps/$1"
}

# Runs the program with the test hooks; output and exit code go to the
# transcript, with the temporary paths replaced by stable names.
skd_run() {
	: >"$work/commands.log"
	set +e
	SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$SKD_FAKE_TOOLS" \
	SKYHOOK_KDUMP_TEST_COMMAND_LOG="$work/commands.log" \
	SKYHOOK_KDUMP_TEST_DUMP_FREE="${SKD_DUMP_FREE:-100G}" \
	SKYHOOK_KDUMP_BACKEND_PATH="${SKD_BACKEND_PATH:-}" \
	"$SKD_BIN" --root "$work/root" --configmaps "$work/configmaps" "$@" \
		>"$work/out" 2>&1
	status=$?
	set -e
	{
		echo "\$ skyhook-kdump $*" | sed -e "s|$work|WORK|g"
		sed -e "s|$work/root|ROOT|g" -e "s|$work|WORK|g" \
			-e 's/: [0-9.]* GiB free$/: N GiB free/' "$work/out"
		echo "[exit $status]"
		if [ -s "$work/commands.log" ]; then
			sed -e "s|$work/root|ROOT|g" -e 's/^/  cmd: /' "$work/commands.log"
		fi
		echo
	} >>"$work/transcript"
	last_status=$status
}

# skd_exec ARGS...: the program on $work/root with the test hooks, for
# tests that check its output themselves: stdout in $work/out, stderr in
# $work/err, the exit code in $status.
skd_exec() {
	set +e
	SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$SKD_FAKE_TOOLS" \
	SKYHOOK_KDUMP_TEST_COMMAND_LOG="$work/commands.log" \
	SKYHOOK_KDUMP_BACKEND_PATH='' \
	"$SKD_BIN" --root "$work/root" --configmaps "$work/configmaps" "$@" \
		>"$work/out" 2>"$work/err" </dev/null
	status=$?
	set -e
}

# skd_expect WHAT EXIT [PATTERN...]: the last skd_exec exited EXIT and its
# output (stdout and stderr) has a line matching each PATTERN (grep -E).
skd_expect() {
	_what=$1 _want=$2
	shift 2
	tests_run=$((tests_run + 1))
	_ok=1
	[ "$status" = "$_want" ] || _ok=0
	for _p in "$@"; do
		cat "$work/out" "$work/err" | grep -Eq -- "$_p" || _ok=0
	done
	if [ "$_ok" = 1 ]; then
		echo "PASS: $_what"
	else
		echo "FAIL: $_what: exit $status (want $_want), output:" >&2
		sed 's/^/    /' "$work/out" "$work/err" >&2
		[ $# = 0 ] || printf '    wanted lines matching: %s\n' "$*" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

# skd_expect_exit CODE: the last run's exit code.
skd_expect_exit() {
	tests_run=$((tests_run + 1))
	if [ "$last_status" != "$1" ]; then
		echo "FAIL: expected exit $1, got $last_status:" >&2
		cat "$work/out" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

skd_tree_hash() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | LC_ALL=C sort &&
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat) | sha256sum | cut -d' ' -f1
}

# The files that differ from the pristine copy, for the transcript.
skd_record_changes() {
	{
		echo "## files changed"
		(cd "$work" && diff -ruN --no-dereference orig root) |
			sed -e '/^diff /d' -e 's/^\(---\|+++\) \([^\t]*\)\t.*/\1 \2/'
		echo
	} >>"$work/transcript" || true
}

# Compare the transcript with tests/golden/NAME.txt.
skd_golden() {
	golden="$SKD_GOLDEN_DIR/$1.txt"
	tests_run=$((tests_run + 1))
	if [ "${SKD_TEST_REGENERATE:-0}" = 1 ]; then
		cp "$work/transcript" "$golden"
		echo "regenerated $golden"
		return 0
	fi
	if ! diff -u "$golden" "$work/transcript"; then
		echo "FAIL: transcript differs from $golden (SKD_TEST_REGENERATE=1 rewrites it)" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

skd_check() {
	tests_run=$((tests_run + 1))
	if ! "$@"; then
		echo "FAIL: $*" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

skd_finish() {
	echo "$((tests_run - tests_failed)) passed, $tests_failed failed"
	[ "$tests_failed" = 0 ]
}

# skd_add_ram ROOT_DIR GIB: proc/iomem and proc/meminfo of a machine with
# GIB GiB of RAM (above 3 GiB, 1 GiB below 4 GiB is a hole), for roots
# that have none.
skd_add_ram() {
	mkdir -p "$1/proc"
	printf '%s\n' '00000000-00000fff : Reserved' '00001000-0009fbff : System RAM' >"$1/proc/iomem"
	if [ "$2" -le 3 ]; then
		printf '00100000-%08x : System RAM\n' $(( $2 * 1073741824 - 1 )) >>"$1/proc/iomem"
	else
		printf '%s\n' '00100000-bfffffff : System RAM' >>"$1/proc/iomem"
		printf '100000000-%x : System RAM\n' $(( ($2 + 1) * 1073741824 - 1 )) >>"$1/proc/iomem"
	fi
	printf 'MemTotal:       %s kB\nMemFree:        %s kB\n' \
		$(( $2 * 1048576 - 400000 )) $(( $2 * 524288 )) >"$1/proc/meminfo"
}

# skd_boot_files ROOT_DIR VALUE BYTES: the root as the kernel and systemd
# show it after the reboot that follows config: /proc/cmdline ends with
# crashkernel=VALUE (any earlier crashkernel= dropped), BYTES of crash
# memory are reserved (kexec_crash_size and a "Crash kernel" range in
# /proc/iomem), the crash kernel is loaded, and the kdump unit is
# in the fake systemctl's var/lib/skd-fake/active-units.
skd_boot_files() {
	mkdir -p "$1/proc" "$1/sys/kernel" "$1/var/lib/skd-fake"
	if [ -s "$1/proc/cmdline" ]; then
		awk -v v="$2" '{ s = ""
			for (i = 1; i <= NF; i++) if ($i !~ /^crashkernel=/) s = s $i " "
			print s "crashkernel=" v; exit }' "$1/proc/cmdline" >"$1/proc/cmdline.new"
		mv "$1/proc/cmdline.new" "$1/proc/cmdline"
	else
		echo "BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro crashkernel=$2" >"$1/proc/cmdline"
	fi
	echo "$3" >"$1/sys/kernel/kexec_crash_size"
	echo 1 >"$1/sys/kernel/kexec_crash_loaded"
	# and in /proc/iomem, inside the System RAM that starts at 1 MiB
	if [ -f "$1/proc/iomem" ]; then
		grep -v ' : Crash kernel$' "$1/proc/iomem" >"$1/proc/iomem.new" || true
		if [ "$3" -gt 0 ]; then
			awk -v end="$(printf '%08x' $((0x1000000 + $3 - 1)))" '{ print }
				/^00100000-[0-9a-f]* : System RAM$/ && !done {
					print "  01000000-" end " : Crash kernel"; done = 1 }' \
				"$1/proc/iomem.new" >"$1/proc/iomem"
			rm -f "$1/proc/iomem.new"
		else
			mv "$1/proc/iomem.new" "$1/proc/iomem"
		fi
	fi
	# the kdump service makes its dump directory when it starts
	mkdir -p "$1/var/crash"
	_unit=kdump.service
	for _d in etc/systemd/system lib/systemd/system usr/lib/systemd/system; do
		[ ! -f "$1/$_d/kdump-tools.service" ] || _unit=kdump-tools.service
	done
	touch "$1/var/lib/skd-fake/active-units"
	grep -qx "$_unit" "$1/var/lib/skd-fake/active-units" ||
		echo "$_unit" >>"$1/var/lib/skd-fake/active-units"
}

# skd_no_changes_run: the last run's command log has no command that
# installs, removes or regenerates anything.
skd_no_changes_run() {
	! grep -E '(^| )(install|update|upgrade|remove|purge|erase)( |$)|grubby .*--(update-kernel|args|remove-args)|update-grub|grub2?-mkconfig|kdumpctl (reset|_reset)' \
		"$work/commands.log"
}

# skd_leftovers [KNOWN_FN]: every path that differs between $work/orig
# and $work/root (type, mode, link target or content) must be a documented
# leftover: the simulated boot (proc/, sys/), the fake tools' own state
# (var/lib/skd-fake/, var/lib/apt/lists/), our uninstall marker and lock, a
# regenerated GRUB menu whose crashkernel= words are the original's, or a
# directory with no file below it. KNOWN_FN PATH may print a label for a
# path the caller knows about (a reported finding). The paths and their
# labels go to the transcript; anything unexplained is printed and fails.
skd_leftovers() {
	(cd "$work/orig" && find . -printf '%p %y %m %l\n' | LC_ALL=C sort) >"$work/list.orig"
	(cd "$work/root" && find . -printf '%p %y %m %l\n' | LC_ALL=C sort) >"$work/list.root"
	{
		LC_ALL=C comm -3 "$work/list.orig" "$work/list.root" | sed 's/^[[:space:]]*//; s/ .*//'
		(cd "$work" && LC_ALL=C diff -rq --no-dereference orig root 2>/dev/null) |
			sed -n 's|^Files orig/\(.*\) and root/.* differ$|./\1|p'
	} | LC_ALL=C sort -u >"$work/leftovers"
	_bad=0
	echo "## leftovers after uninstall" >>"$work/transcript"
	while IFS= read -r _f; do
		_why=
		case $_f in
		./proc|./proc/*|./sys|./sys/*) _why="simulated boot" ;;
		./var/lib/skd-fake|./var/lib/skd-fake/*) _why="fake tools' state" ;;
		./var/lib/apt|./var/lib/apt/lists|./var/lib/apt/lists/*) _why="package lists" ;;
		./var/lib/skyhook-kdump|./var/lib/skyhook-kdump/uninstalled|./var/lib/skyhook-kdump/lock)
			_why="skyhook-kdump marker" ;;
		./boot/grub/grub.cfg|./boot/grub2/grub.cfg|./boot/efi/EFI/*/grub.cfg)
			if [ "$(grep -o 'crashkernel=[^ ]*' "$work/orig/$_f" 2>/dev/null | LC_ALL=C sort -u)" = \
			     "$(grep -o 'crashkernel=[^ ]*' "$work/root/$_f" 2>/dev/null | LC_ALL=C sort -u)" ]; then
				_why="regenerated, same crashkernel="
			fi ;;
		esac
		if [ -z "$_why" ] && [ -d "$work/root/$_f" ] && [ ! -L "$work/root/$_f" ] &&
		   [ ! -d "$work/orig/$_f" ] && [ -z "$(find "$work/root/$_f" ! -type d)" ]; then
			_why="empty directory"
		fi
		if [ -z "$_why" ] && [ $# -gt 0 ]; then
			_why=$("$1" "$_f") || _why=
		fi
		if [ -z "$_why" ]; then
			echo "undocumented leftover after uninstall: $_f" >&2
			_why="UNDOCUMENTED"
			_bad=1
		fi
		echo "${_f#./}: $_why" >>"$work/transcript"
	done <"$work/leftovers"
	echo >>"$work/transcript"
	return $_bad
}
