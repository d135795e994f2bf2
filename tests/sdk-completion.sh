#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The bash completion: sourced in bash (without the bash-completion
# package), it completes commands, options, directories and backend names.
set -eu
: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${SKD_TOP_BUILDDIR:=$SKD_TOP_SRCDIR}"
if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP: no bash"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/skd-completion-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dirs/alpha" "$work/dirs/beta"
: >"$work/dirs/afile"

# complete LINE...: the words offered for the last word of the line
cat >"$work/complete.bash" <<'EOS'
. "$SKD_TOP_SRCDIR/completion/skyhook-kdump.bash"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_skyhook_kdump
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' '
EOS

run=0
failed=0
expect() { # EXPECTED WORD...
	want=$1
	shift
	run=$((run + 1))
	got=$(cd "$work/dirs" && SKD_TOP_SRCDIR="$SKD_TOP_SRCDIR" bash "$work/complete.bash" "$@")
	if [ "$got" = "$want" ]; then
		echo "PASS: $*"
	else
		echo "FAIL: $*: expected '$want', got '$got'"
		failed=$((failed + 1))
	fi
}

prog="$SKD_TOP_BUILDDIR/skyhook-kdump"
expect "apply apply-check " skyhook-kdump app
expect "uninstall uninstall-check upgrade upgrade-check " skyhook-kdump u
expect "post-interrupt-check " skyhook-kdump --dry-run po
expect "--dry-run " skyhook-kdump --dr
expect "--backend --backend-dir " skyhook-kdump --backend
expect "alpha " skyhook-kdump --root al
expect "alpha beta " skyhook-kdump --backend-dir ""
expect "alpha " skyhook-kdump --configmaps a
expect "--crashkernel " skyhook-kdump validate --cr
expect "--prometheus " skyhook-kdump status --pro
expect "--prune " skyhook-kdump dumps --pr
expect "" skyhook-kdump apply --pr
expect "256M " skyhook-kdump validate --crashkernel 2
expect "" skyhook-kdump apply x
# backend names, from the built program's "backends --json"
if [ -x "$prog" ] && [ -f "$SKD_TOP_BUILDDIR/backends/debian.so" ]; then
	expect "debian " "$prog" --backend de
	expect "debian " "$prog" --root / --backend deb
fi
echo "$((run - failed)) passed, $failed failed"
[ "$failed" = 0 ]
