#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The SDK as a third party uses it: install this build into a DESTDIR,
# build examples/backend-suse with its own Makefile through pkg-config
# only, install the backend into the SDK's backendsdir, have the installed
# skyhook-kdump find and choose it for an openSUSE root, and pass the
# installed conformance suite on that root.
set -eu
: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${SKD_TOP_BUILDDIR:=$SKD_TOP_SRCDIR}"
MAKE=${MAKE:-make}
fixture="$SKD_TOP_SRCDIR/tests/fixtures/opensuse-leap-15.6"
if ! command -v "${PKG_CONFIG:-pkg-config}" >/dev/null 2>&1; then
	echo "SKIP: no pkg-config"
	exit 77
fi
# the loader refuses group- or world-writable backend files and directories
umask 022
work=$(mktemp -d "${TMPDIR:-/tmp}/skd-sdk-XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
dest="$work/dest"

run=0
failed=0
step() { # DESCRIPTION COMMAND...
	what=$1
	shift
	run=$((run + 1))
	if "$@" >"$work/out" 2>&1; then
		echo "PASS: $what"
	else
		echo "FAIL: $what:"
		sed 's/^/    /' "$work/out"
		failed=$((failed + 1))
		echo "$((run - failed)) passed, $failed failed"
		exit 1
	fi
}

# 1. the SDK, the host, its backends and the suite, into DESTDIR (only the
# parts needed: "install" would also refresh the build tree's backends/,
# which the tests running beside this one are loading)
step "install the SDK into DESTDIR" "$MAKE" -C "$SKD_TOP_BUILDDIR" \
	install-skyhook_kdump_includeHEADERS install-pkgconfigDATA \
	install-binPROGRAMS install-backendLTLIBRARIES \
	install-conformancefaketoolsSCRIPTS install-conformancefaketoolsDATA \
	DESTDIR="$dest"
pc=$(find "$dest" -name skyhook-kdump.pc | head -n 1)
# bin/ or sbin/, as the prefix and the packager chose
host=$(find "$dest" -path '*bin/skyhook-kdump' -type f | head -n 1)
suite=$(find "$dest" -path '*bin/skyhook-kdump-conformance' -type f | head -n 1)
fake=$(find "$dest" -path '*/conformance/fake-tools' -type d | head -n 1)

# 2. pkg-config only: the header and the backend directory inside DESTDIR
PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$dest
PKG_CONFIG_LIBDIR=$PKG_CONFIG_PATH
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
cp -R "$SKD_TOP_SRCDIR/examples/backend-suse" "$work/example"
chmod -R u+w "$work/example"
rm -f "$work/example/suse.so"
step "the example builds with its own Makefile" "$MAKE" -C "$work/example"
backendsdir=$("${PKG_CONFIG:-pkg-config}" --variable=backendsdir skyhook-kdump)
# pkgconf puts the sysroot in front of the variable too; pkg-config does not
case $backendsdir in
"$dest"/*) destdir= ;;
*) destdir=$dest ;;
esac
step "the example installs into backendsdir" "$MAKE" -C "$work/example" install DESTDIR="$destdir"
step "suse.so is in the installed host's backend directory" \
	test -f "$destdir$backendsdir/suse.so"
find "$dest" -type d -exec chmod 0755 {} +

# 3. the installed host finds it in the backend directory and chooses it by
# os-release (inside DESTDIR that directory is not the one compiled in, and
# not beside the program either when the libdir is a multiarch one)
SKYHOOK_KDUMP_BACKEND_PATH="$destdir$backendsdir"
export SKYHOOK_KDUMP_BACKEND_PATH
step "the installed host runs" "$host" --root "$fixture" backends
cp "$work/out" "$work/backends"
step "... finds the example and chooses it for openSUSE Leap" \
	grep -q '^this system (ID=opensuse-leap .*) uses: suse ' "$work/backends"

# 4. the installed suite, which finds the installed host and fake tools
# relative to itself
test -d "$fake"
run=$((run + 1))
if "$suite" "$destdir$backendsdir/suse.so" "$fixture" >"$work/out" 2>&1; then
	echo "PASS: the example passes skyhook-kdump-conformance ($(tail -n 1 "$work/out" | sed 's/^# //'))"
else
	echo "FAIL: the example fails skyhook-kdump-conformance:"
	sed 's/^/    /' "$work/out"
	failed=$((failed + 1))
fi
grep -q "^# host $host\$" "$work/out" || {
	echo "FAIL: the suite did not run the installed host"
	failed=$((failed + 1))
}

echo "$((run - failed)) passed, $failed failed"
[ "$failed" = 0 ]
