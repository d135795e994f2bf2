#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make check-portable: the package made here, whatever this machine's
# glibc, needs nothing but glibc 2.17 (every symbol bound to its version at
# or below it, libdl named for dlopen, libelf linked in) and runs here; the
# check lists every shipped ELF file with its glibc versions, and fails with
# a maximum below what the files need, and when a shipped file needs a
# shared library that is not glibc's.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/..}/tests/cli/lib.sh"

for tool in readelf getconf; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool is missing"
		exit 77
	fi
done
host_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9][0-9.]*\)$/\1/p')
if [ -z "$host_glibc" ]; then
	echo "SKIP: this system's C library is not glibc"
	exit 77
fi

skd_setup
pkg="$work/pkg"

check_portable() { # GLIBC_MAX [PACKAGE_DIR]: make check-portable
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SKD_TOP_BUILDDIR" \
		check-portable GLIBC_MAX="$1" SKYHOOK_PACKAGE_DIR="${2:-$pkg}" \
		>"$work/out" 2>&1
}
script() { # GLIBC_MAX PACKAGE_DIR: the script alone, on a package as it is
	sh "$SKD_TOP_SRCDIR/packaging/skyhook/check-portable.sh" "$1" "$2" >"$work/out" 2>&1
}
says() { grep -q "$1" "$work/out" || { cat "$work/out" >&2; return 1; }; }
fails() { ! "$@"; }

# the fleet's floor: passes, whatever glibc built it
skd_check check_portable 2.17
cat "$work/out"
skd_check says '^check-portable: OK$'
skd_check says 'highest glibc version needed: 2\.\(1[0-7]\|[0-9]\)[.;]'
# dlopen and kin live in libdl before glibc 2.34: the program names it
skd_check says '^  needs: libdl.so.2 libc.so.6'
skd_check fails says 'GLIBC_2\.34'

# it runs: its start-up, the backends it loads, an answer on a fixture
pkgbin="$pkg/skyhook_dir/skyhook-kdump"
says_version() { "$pkgbin" --version | grep -q '^skyhook-kdump '; }
skd_check says_version
skd_configmap crashkernel 512M
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/debian-12"
skd_add_ram "$work/root" 16
runs_validate() {
	SKYHOOK_DIR="$work" "$pkgbin" --root "$work/root" validate >"$work/validate.out" 2>&1
}
skd_check runs_validate
skd_check grep -q '^reserves: 512M' "$work/validate.out"
runs_backends() {
	"$pkgbin" backends >"$work/backends.out" 2>&1
}
skd_check runs_backends
skd_check grep -q "^  debian .*$pkg/skyhook_dir/backends/debian.so (ABI" "$work/backends.out"

# this machine's glibc: passes too
skd_check check_portable "$host_glibc"
skd_check says '^5 ELF files; highest glibc version needed: '
skd_check says '^check-portable: OK$'
for f in skyhook_dir/skyhook-kdump skyhook_dir/backends/debian.so skyhook_dir/backends/rhel.so \
	skyhook_dir/backends/amazon.so skyhook_dir/backends/fedora.so; do
	skd_check says "^$f\$"
done
skd_check says '^  needs: libc.so.6'
skd_check fails says 'needs:.*libelf'
skd_check says '^  glibc versions: GLIBC_2\.'

# the highest version found is the maximum that passes; one below fails
highest=$(sed -n 's/.*highest glibc version needed: \([0-9.]*\);.*/\1/p' "$work/out")
skd_check script "$highest" "$pkg"
below=$(echo "$highest" | awk -F. '{ if ($2 > 0) print $1 "." $2 - 1; else print $1 - 1 ".99" }')
skd_check fails script "$below" "$pkg"
skd_check says "^FAIL: skyhook_dir/.* needs GLIBC_$highest, above the maximum GLIBC_$below\$"
# and through make: a too-low maximum fails the target
skd_check fails check_portable 2.2
skd_check says 'above the maximum GLIBC_2.2$'

# a shipped file that needs another shared library: the build tree's own
# program, linked with the shared libelf
if readelf -d "$SKD_TOP_BUILDDIR/skyhook-kdump" 2>/dev/null | grep -q 'NEEDED.*libelf'; then
	cp "$SKD_TOP_BUILDDIR/skyhook-kdump" "$pkg/skyhook_dir/skyhook-kdump"
	skd_check fails script "$host_glibc" "$pkg"
	skd_check says '^FAIL: skyhook_dir/skyhook-kdump needs libelf.so.1, which is not part of glibc'
fi
# bad input
skd_check fails script 2.x "$pkg"
skd_check says "is not a version"
skd_check fails script 2.17 "$work/nothing-here"
skd_check says "no package directory"
mkdir "$work/empty"
skd_check fails script 2.17 "$work/empty"
skd_check says "no ELF file"

skd_finish
