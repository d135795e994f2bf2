#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# skyhook-kdump-conformance on our four backends (each must pass on its
# fixture root) and on the broken mock backends (each must fail, on the
# check that names its fault).
set -eu
: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${SKD_TOP_BUILDDIR:=$SKD_TOP_SRCDIR}"
suite="$SKD_TOP_BUILDDIR/conformance/skyhook-kdump-conformance"
fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
mocks="$SKD_TOP_BUILDDIR/tests/plugins/.libs"
umask 022
work=$(mktemp -d "${TMPDIR:-/tmp}/skd-conformance-test-XXXXXX")
trap 'rm -rf "$work"' EXIT

run=0
failed=0
conformance() { # EXPECTED_EXIT BACKEND FIXTURE [OPTION...]
	want=$1 so=$2 root=$3
	shift 3
	run=$((run + 1))
	set +e
	"$suite" --host "$SKD_TOP_BUILDDIR/skyhook-kdump" \
		--fake-tools "$SKD_TOP_SRCDIR/tests/fake-tools" "$@" "$so" "$fixtures/$root" \
		>"$work/out" 2>&1
	status=$?
	set -e
	if [ "$status" = "$want" ]; then
		echo "PASS: $(basename "$so") on $root: exit $status ($(tail -n 1 "$work/out" | sed 's/^# //'))"
		return 0
	fi
	echo "FAIL: $(basename "$so") on $root: exit $status, expected $want"
	sed 's/^/    /' "$work/out"
	failed=$((failed + 1))
	return 1
}

# expect_line PATTERN: the last run printed a line matching PATTERN (grep -E)
expect_line() {
	run=$((run + 1))
	if grep -Eq "$1" "$work/out"; then
		echo "PASS:   has /$1/"
	else
		echo "FAIL:   no line matching /$1/ in:"
		sed 's/^/    /' "$work/out"
		failed=$((failed + 1))
	fi
}

# our backends, on the releases they serve
for pair in debian:debian-12 rhel:rhel-9 amazon:amzn-2023 fedora:fedora-41; do
	b=${pair%%:*}
	root=${pair#*:}
	so="$SKD_TOP_BUILDDIR/backends/$b.so"
	if [ ! -f "$so" ]; then
		echo "SKIP: backend $b not built"
		continue
	fi
	case $b in
	amazon)
		# a known finding: config adds GRUB_CMDLINE_LINUX="" when the file
		# has none, and uninstall keeps it (see tests/golden/distro-amzn-2023.txt)
		conformance 0 "$so" "$root" --allow-leftover /etc/default/grub || true ;;
	*)
		conformance 0 "$so" "$root" || true ;;
	esac
	expect_line '^# [0-9]+ checks: [0-9]+ passed, 0 failed$'
done

# a backend on a root it does not serve
if [ -f "$SKD_TOP_BUILDDIR/backends/debian.so" ]; then
	conformance 1 "$SKD_TOP_BUILDDIR/backends/debian.so" rhel-9 || true
	expect_line "^FAIL: fixture's os-release \(ID=rhel"
fi

# the broken mocks: each fails where it is broken
while IFS='|' read -r mock pattern; do
	conformance 1 "$mocks/$mock.so" mockos || true
	expect_line "$pattern"
	expect_line '^# [0-9]+ checks: [0-9]+ passed, [1-9][0-9]* failed$'
done <<'EOM'
mock-wrong-major|^FAIL: vtable: ABI major 2, expected 1
mock-small-struct|^FAIL: vtable: struct_size [0-9]+, smaller than
mock-no-symbol|^FAIL: vtable: no symbol "skd_backend"
mock-no-note|^FAIL: note: no \.note\.skyhook-kdump note
mock-bad-note|^FAIL: note: .*not NUL-terminated
mock-null-op|^FAIL: vtable: required operations missing: service_is_active$
mock-wrong-name|^FAIL: vtable name "mock-other-name", note name "mock-wrong-name"
mock-fail|^FAIL: get_facts\(\)
EOM

# mock-good is a sound module: every static check passes
conformance 1 "$mocks/mock-good.so" mockos || true
expect_line '^PASS: host loader accepts it'
run=$((run + 1))
if sed '/^PASS: host loader/q' "$work/out" | grep -q '^FAIL'; then
	echo "FAIL:   mock-good fails a static check"
	failed=$((failed + 1))
else
	echo "PASS:   mock-good passes every static check"
fi

# usage errors
run=$((run + 1))
if "$suite" >/dev/null 2>&1; then status=0; else status=$?; fi
if [ "$status" = 2 ]; then
	echo "PASS: no arguments: exit 2"
else
	echo "FAIL: no arguments: exit $status, expected 2"
	failed=$((failed + 1))
fi

echo "$((run - failed)) passed, $failed failed"
[ "$failed" = 0 ]
