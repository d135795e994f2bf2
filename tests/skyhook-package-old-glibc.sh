#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Both packages on an older glibc than the one that built them: the x86_64
# package in a Debian 11 chroot (glibc 2.31, the oldest release Debian's
# archive still serves; before 2.33 there is no stat to call, before 2.34
# dlopen is in libdl and __libc_start_main runs constructors only through
# its init argument), the arm64 one in a Debian 11 arm64 chroot through
# qemu-user. In each: --version, validate of `auto` (the release's own
# value for its architecture) and status --json, whose verdict the
# program reaches with its backend loaded: the chroot has no kdump tools,
# so "not armed", and the packages it names are missing. The roots are
# debootstrap's minbase, cached (tests/debian/root-cache.sh). Needs root;
# skips without it, debootstrap or the archive, and for arm64 without the
# cross compiler or qemu-user. SKD_SKIP_CHROOT_TEST=1 skips it too.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/..}/tests/cli/lib.sh"

release=bullseye
if [ -n "${SKD_SKIP_CHROOT_TEST:-}" ]; then
	echo "SKIP: SKD_SKIP_CHROOT_TEST is set"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (debootstrap, chroot)"
	exit 77
fi
host_arch=$(dpkg --print-architecture 2>/dev/null || echo none)
if [ "$host_arch" != amd64 ]; then
	echo "SKIP: the chroots are made for an amd64 machine, this one is $host_arch"
	exit 77
fi

skd_setup
ran=0
mounted=
# shellcheck disable=SC2154 # work is skd_setup's
trap 'for m in $mounted; do umount "$m" 2>/dev/null; done; rm -rf "$work"' EXIT

make_package() { # TARGET DIR
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SKD_TOP_BUILDDIR" \
		"$1" SKYHOOK_PACKAGE_DIR="$2" >"$work/make.out" 2>&1 ||
		{ cat "$work/make.out" >&2; return 1; }
}

# in_root ARCH PACKAGE_TARGET: the package in a chroot of the cached root
# itself (it goes to /skd-test, removed after; the rest is not written)
in_root() {
	arch=$1 target=$2
	root=$("$SKD_TOP_SRCDIR/tests/debian/root-cache.sh" "$release" "$arch" minbase) || {
		rc=$?
		echo "SKIP ($arch): no Debian 11 $arch root (see above)"
		[ "$rc" = 77 ] && return 0
		return 1
	}
	glibc=$(chroot "$root" sh -c 'ldd --version 2>/dev/null | head -n1' | sed 's/.* //')
	echo "$arch: Debian 11 root $root, glibc $glibc"
	dir="$root/skd-test"
	rm -rf "$dir"
	skd_check make_package "$target" "$dir/package"
	[ -x "$dir/package/skyhook_dir/skyhook-kdump" ] || return 0
	mkdir -p "$dir/package/configmaps"
	printf 'auto\n' >"$dir/package/configmaps/crashkernel"
	# the program finds its backends through /proc/self/exe
	mount -t proc proc "$root/proc"
	mounted="$mounted $root/proc"
	runs() { # OUTPUT ARG...: the package's program in the chroot
		out=$1
		shift
		rc=0
		chroot "$root" env SKYHOOK_DIR=/skd-test/package \
			/skd-test/package/skyhook_dir/skyhook-kdump "$@" >"$work/$out" 2>&1 || rc=$?
		cat "$work/$out"
		echo "(exit status $rc)"
		return "$rc"
	}
	skd_check runs version --version
	skd_check grep -q '^skyhook-kdump ' "$work/version"
	skd_check runs validate validate
	skd_check grep -q "^auto: kdump-tools' .* for $arch on Debian 11" "$work/validate"
	skd_check grep -q '^reserves: ' "$work/validate"
	# not armed: exit status 1, with the backend's own answers
	not_armed() { ! runs status status --json; }
	skd_check not_armed
	skd_check python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["verdict"] == "not armed", s["verdict"]
codes = [r["code"] for r in s["reasons"]]
assert "packages_missing" in codes, codes
' "$work/status"
	skd_check grep -q '"kdump-tools"' "$work/status"
	umount "$root/proc"
	mounted=
	rm -rf "$dir"
	ran=$((ran + 1))
}

in_root amd64 skyhook-package
cc=${SKYHOOK_ARM64_CC:-aarch64-linux-gnu-gcc}
if ! command -v "$cc" >/dev/null 2>&1 || [ ! -f "$("$cc" -print-file-name=libelf.a)" ]; then
	echo "SKIP (arm64): no arm64 cross compiler with libelf ($cc)"
else
	in_root arm64 skyhook-package-arm64
fi

if [ "$ran" = 0 ]; then
	echo "SKIP: no Debian 11 root could be made"
	exit 77
fi
skd_finish
