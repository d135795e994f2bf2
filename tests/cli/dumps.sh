#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# dumps: listing the crash dumps of a copy of a fixture root, from the
# configured dump directory and from DIR; --json checked against
# schemas/dumps.schema.json; --prune --keep N with --dry-run (nothing
# changes) and for real (only dumps go, the user's files stay); a remote
# dump target and bad input refused. The sample dump directory (both
# distro layouts, unfinished captures, a kernel log alone, loose files and
# things that are no dump) is written by test-dumps --make-dumps into the
# temporary copy. Transcripts: tests/golden/dumps-<root>.txt. Then what a
# local user can put in a shared dump directory (test-dumps
# --make-hostile-dumps): times that overflow or are not plausible, a name
# with a newline and terminal escapes; the output stays one line per
# entry without a control character, and --json matches the schema.
# Transcript: tests/golden/dumps-hostile.txt.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

SCHEMA="$SKD_TOP_SRCDIR/schemas/dumps.schema.json"
MAKE_DUMPS="$SKD_TOP_BUILDDIR/tests/unit/test-dumps"

if [ ! -x "$MAKE_DUMPS" ]; then
	echo "SKIP: $MAKE_DUMPS is not built"
	exit 77
fi
have_jsonschema=
if python3 -c 'import jsonschema' 2>/dev/null; then
	have_jsonschema=1
else
	echo "python3 jsonschema not importable: --json output not checked against the schema"
fi

# check_json COUNT: the last --json run matches the schema and lists COUNT
# dumps.
check_json() {
	tests_run=$((tests_run + 1))
	if ! grep -q "\"count\":$1," "$work/out"; then
		echo "FAIL: --json output does not count $1 dumps:" >&2
		cat "$work/out" >&2
		tests_failed=$((tests_failed + 1))
	fi
	[ -n "$have_jsonschema" ] || return 0
	tests_run=$((tests_run + 1))
	if ! python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
		"$SCHEMA" "$work/out"; then
		echo "FAIL: --json output does not match $SCHEMA:" >&2
		cat "$work/out" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

# What is left in the dump directory, for the transcript.
record_tree() {
	{
		echo "## $1"
		(cd "$work/root$1" && find . -mindepth 1 | LC_ALL=C sort)
		echo
	} >>"$work/transcript"
}

unchanged() {
	skd_check [ "$(skd_tree_hash "$work/root")" = "$before" ]
}

# The last run's output holds no control character but newlines (no C0,
# DEL or C1 in UTF-8), and LINES lines.
flat_output() {
	python3 -c 'import re, sys
d = open(sys.argv[1], "rb").read()
sys.exit(re.search(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", d) is not None
         or d.count(b"\n") != int(sys.argv[2]))' "$work/out" "$1"
}

make_dumps() {
	mkdir -p "$1"
	skd_check "$MAKE_DUMPS" --make-dumps "$1"
}

skd_setup
fixtures="$SKD_TOP_SRCDIR/tests/fixtures"

# --- Debian 12: kdump-tools' KEY=value configuration
: >"$work/transcript"
skd_root "$fixtures/debian-12"
# nothing dumped yet: the directory is not there
skd_run dumps; skd_expect_exit 0
skd_run dumps --json; skd_expect_exit 0
check_json 0
make_dumps "$work/root/var/crash"
before=$(skd_tree_hash "$work/root")
skd_run dumps; skd_expect_exit 0
skd_run dumps --json; skd_expect_exit 0
check_json 7
skd_run dumps /var/crash/emptydir; skd_expect_exit 0
skd_run dumps --json /var/crash/emptydir; skd_expect_exit 0
check_json 0
# a dump directory set in the configuration
mkdir -p "$work/root/etc/default" "$work/root/srv/crash"
echo 'KDUMP_COREDIR="/srv/crash"' >"$work/root/etc/default/kdump-tools"
make_dumps "$work/root/srv/crash"
rm -rf "$work/root/srv/crash/2024"* "$work/root/srv/crash/127"*
skd_run dumps; skd_expect_exit 0
# dumps sent over SSH: only DIR can say where to look
printf 'KDUMP_COREDIR="/srv/crash"\nSSH="kdump@backup.example.com"\n' \
	>"$work/root/etc/default/kdump-tools"
skd_run dumps; skd_expect_exit 2
skd_run dumps /var/crash/202401020304; skd_expect_exit 0
rm -f "$work/root/etc/default/kdump-tools"
rm -rf "$work/root/srv"
unchanged
# bad input
skd_run dumps /nonexistent; skd_expect_exit 2
skd_run dumps /var/crash/kexec_cmd; skd_expect_exit 2
skd_run dumps var/crash; skd_expect_exit 2
skd_run dumps --prune; skd_expect_exit 2
skd_run dumps --keep 1; skd_expect_exit 2
skd_run dumps --prune --keep many; skd_expect_exit 2
skd_run dumps --prune --keep 1 --json; skd_expect_exit 2
skd_run dumps --prune --keep 1 /nonexistent; skd_expect_exit 2
unchanged
# prune: first what would go, then for real
skd_run --dry-run dumps --prune --keep 2; skd_expect_exit 0
unchanged
skd_run dumps --prune --keep 10; skd_expect_exit 0
unchanged
skd_run dumps --prune --keep 2; skd_expect_exit 0
record_tree /var/crash
skd_check test -f "$work/root/var/crash/202312250000/notes.txt"
skd_check test -f "$work/root/var/crash/kexec_cmd"
skd_check test -L "$work/root/var/crash/vmcore"
skd_check test -L "$work/root/var/crash/outside"
skd_check test -f "$work/root/etc/os-release"
skd_run dumps; skd_expect_exit 0
skd_run dumps --json; skd_expect_exit 0
check_json 2
skd_run dumps --prune --keep 0; skd_expect_exit 0
record_tree /var/crash
skd_run dumps; skd_expect_exit 0
skd_golden dumps-debian-12

# --- RHEL 9: kdump-utils' directives
: >"$work/transcript"
skd_root "$fixtures/rhel-9"
mkdir -p "$work/root/var/crash"
skd_run dumps; skd_expect_exit 0
make_dumps "$work/root/var/crash"
printf 'path /var/crash\ncore_collector makedumpfile -l --message-level 7 -d 31\n' \
	>"$work/root/etc/kdump.conf"
skd_run dumps; skd_expect_exit 0
skd_run dumps --json; skd_expect_exit 0
check_json 7
# to NFS, "path" is relative to the export: refused without DIR
printf 'nfs backup.example.com:/export/crash\npath /var/crash\n' >"$work/root/etc/kdump.conf"
skd_run dumps; skd_expect_exit 2
skd_run dumps --prune --keep 1; skd_expect_exit 2
skd_run --dry-run dumps --prune --keep 5 /var/crash; skd_expect_exit 0
skd_run dumps --prune --keep 5 /var/crash; skd_expect_exit 0
record_tree /var/crash
skd_golden dumps-rhel-9

# --- what a local user can put in a shared dump directory
: >"$work/transcript"
skd_root "$fixtures/debian-12"
skd_check "$MAKE_DUMPS" --make-hostile-dumps "$work/root/var/crash"
skd_run dumps; skd_expect_exit 0
skd_check flat_output 6
skd_run dumps --json; skd_expect_exit 0
check_json 5
skd_run --dry-run dumps --prune --keep 3; skd_expect_exit 0
skd_check flat_output 4
skd_run dumps --prune --keep 3; skd_expect_exit 0
skd_check flat_output 4
skd_run dumps; skd_expect_exit 0
skd_golden dumps-hostile

skd_finish
