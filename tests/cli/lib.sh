#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Shared by the CLI tests: run the built program on a temporary copy of a
# fixture root with the recording command runner, and compare a transcript
# (output, exit codes, commands run, files changed) with a golden file.
# SKD_TEST_REGENERATE=1 rewrites the golden files instead (review the diff).

set -eu

: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SKD_TOP_BUILDDIR:=$SKD_TOP_SRCDIR}"
SKD_BIN="$SKD_TOP_BUILDDIR/skyhook-kdump"
SKD_GOLDEN_DIR="$SKD_TOP_SRCDIR/tests/golden"
SKD_FAKE_TOOLS="$SKD_TOP_SRCDIR/tests/fake-tools"

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
	SKYHOOK_KDUMP_BACKEND_PATH="${SKD_BACKEND_PATH:-}" \
	"$SKD_BIN" --root "$work/root" --configmaps "$work/configmaps" "$@" \
		>"$work/out" 2>&1
	status=$?
	set -e
	{
		echo "\$ skyhook-kdump $*"
		sed -e "s|$work/root|ROOT|g" -e "s|$work|WORK|g" "$work/out"
		echo "[exit $status]"
		if [ -s "$work/commands.log" ]; then
			sed -e "s|$work/root|ROOT|g" -e 's/^/  cmd: /' "$work/commands.log"
		fi
		echo
	} >>"$work/transcript"
	last_status=$status
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
