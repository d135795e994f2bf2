#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make skyhook-package-arm64: the package for Grace and Graviton nodes,
# cross-built here. Its files are aarch64 ELF files that need nothing but
# glibc 2.17 (make check-portable-arm64), and, through qemu-user (the
# qemu-aarch64 of qemu-user or qemu-user-static, with the arm64 C library
# of libc6:arm64 or libc6-arm64-cross), the program runs: --version, the
# backends it finds beside itself, and a validate of `auto` on an arm64
# fixture root, which answers with the arm64 value of that release.
# Skips without the cross compiler, its libelf, or qemu-user.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/..}/tests/cli/lib.sh"

cc=${SKYHOOK_ARM64_CC:-aarch64-linux-gnu-gcc}
skip() { echo "SKIP: $*"; exit 77; }
command -v "$cc" >/dev/null 2>&1 ||
	skip "no arm64 cross compiler $cc (apt-get install gcc-aarch64-linux-gnu)"
for lib in libelf.a libz.a; do
	[ -f "$("$cc" -print-file-name="$lib")" ] ||
		skip "no $lib for arm64 (dpkg --add-architecture arm64; apt-get install libelf-dev:arm64 zlib1g-dev:arm64)"
done
command -v readelf >/dev/null 2>&1 || skip "readelf is missing"

skd_setup
pkg="$work/pkg"

make_target() { # TARGET [VAR=VALUE...]
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SKD_TOP_BUILDDIR" \
		"$@" SKYHOOK_PACKAGE_DIR="$pkg" >"$work/out" 2>&1 ||
		{ cat "$work/out" >&2; return 1; }
}
says() { grep -q "$1" "$work/out" || { cat "$work/out" >&2; return 1; }; }
machine() { readelf -h "$1" | sed -n 's/^ *Machine: *//p'; }

skd_check make_target skyhook-package-arm64
for f in skyhook_dir/skyhook-kdump skyhook_dir/backends/debian.so skyhook_dir/backends/rhel.so \
	skyhook_dir/backends/amazon.so skyhook_dir/backends/fedora.so; do
	skd_check test "$(machine "$pkg/$f")" = AArch64
done
skd_check test -f "$pkg/config.json"
skd_check make_target check-portable-arm64 GLIBC_MAX=2.17
skd_check says '^5 ELF files; highest glibc version needed: 2\.17; maximum allowed: 2\.17$'
skd_check says '^  needs: libdl.so.2 libc.so.6 ld-linux-aarch64.so.1$'

# qemu-user: binfmt_misc when it is set up, else qemu-aarch64 by name
sysroot=
for d in / /usr/aarch64-linux-gnu; do
	if [ -e "$d/lib/ld-linux-aarch64.so.1" ]; then sysroot=$d; break; fi
done
qemu=
if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] &&
   grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 && [ "$sysroot" = / ]; then
	qemu=binfmt
else
	for q in qemu-aarch64 qemu-aarch64-static; do
		command -v "$q" >/dev/null 2>&1 && { qemu=$q; break; }
	done
fi
if [ -z "$qemu" ] || [ -z "$sysroot" ]; then
	echo "SKIP (the rest): no qemu-aarch64 or binfmt_misc for arm64 programs, or no arm64 C library"
	skd_finish
	exit
fi
echo "arm64 programs run through: $qemu (C library in $sysroot)"
arm64() { # PROGRAM ARG...
	if [ "$qemu" = binfmt ]; then
		"$@"
	else
		"$qemu" -L "$sysroot" "$@"
	fi
}

bin="$pkg/skyhook_dir/skyhook-kdump"
runs() { # OUTPUT ARG...: the package's program, its output kept
	out=$1
	shift
	arm64 "$bin" "$@" >"$work/$out" 2>&1 || { cat "$work/$out" >&2; return 1; }
}
skd_check runs version --version
skd_check grep -q '^skyhook-kdump ' "$work/version"
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/debian-12-arm64"
skd_check runs backends --root "$work/root" backends
skd_check grep -q "^  debian .*/skyhook_dir/backends/debian.so (ABI" "$work/backends"
skd_check grep -q "uses: debian (.*/skyhook_dir/backends/debian.so)" "$work/backends"

# auto on Debian 12 arm64: kdump-tools' arm64 value, not the amd64 one
skd_configmap crashkernel auto
validates() { SKYHOOK_DIR="$work" runs validate --root "$work/root" validate; }
skd_check validates
cat "$work/validate"
skd_check grep -q "^auto: kdump-tools' .* for arm64 on Debian 12" "$work/validate"
skd_check grep -q '^reserves: ' "$work/validate"

skd_finish
