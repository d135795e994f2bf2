#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Lays out in OUTDIR the Skyhook package to test on a Debian RELEASE. When
# HOST_PACKAGE (the package this build tree made) needs no newer glibc than
# the release has, that is the package: what operators ship is built once, on
# an old glibc, and run on newer releases (and on the release it was built
# on). Else it is built in a chroot of that release (a copy of the cached
# root of tests/debian/root-cache.sh with the build dependencies, cached
# too) from TARBALL, which "$MAKE dist-gzip" makes afresh in the current
# directory (the build tree): one left from an earlier build would test old
# code.
#
#   build-package.sh RELEASE HOST_PACKAGE OUTDIR TARBALL
#
# Exit status: 0 laid out; 77 when the release's root cannot be made (no
# root, no debootstrap, no archive); 1 on failure.
set -eu

release=${1:?usage: build-package.sh RELEASE HOST_PACKAGE OUTDIR TARBALL}
host_package=${2:?} outdir=${3:?} tarball=${4:?}
here=$(cd "$(dirname "$0")" && pwd)
cache=${SKD_CACHE_DIR:-/var/cache/skyhook-kdump-tests}
broot="$cache/vm/$release/build-root"
deps="build-essential autoconf automake libtool pkgconf libelf-dev zlib1g-dev"

root=$("$here/../debian/root-cache.sh" "$release") || exit $?

# lay_out PACKAGE_DIR: OUTDIR becomes a copy of it
lay_out() {
	rm -rf "$outdir"
	mkdir -p "$(dirname "$outdir")"
	cp -R "$1" "$outdir"
}

# libc6's upstream version, as in 2.41-12 -> 2.41
glibc=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' libc6 2>/dev/null | sed 's/-.*//') || glibc=
if [ -n "$glibc" ] &&
   sh "$here/../../packaging/skyhook/check-portable.sh" "$glibc" "$host_package" >/dev/null 2>&1; then
	echo "build-package: $release: glibc $glibc runs the package built here: testing that one" >&2
	lay_out "$host_package"
	exit 0
fi
mkdir -p "$cache/vm/$release"
exec 9>"$cache/vm/$release/.build-root.lock"
flock 9
if [ ! -f "$broot/.skd-build-root" ]; then
	echo "build-package: $release: installing the build tools in a chroot" >&2
	rm -rf "$broot"
	cp -a "$root" "$broot"
	cp /etc/resolv.conf "$broot/etc/resolv.conf"
	# shellcheck disable=SC2086 # a list of package names
	if ! { chroot "$broot" apt-get -q update &&
	       chroot "$broot" env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
			--no-install-recommends install $deps; } >"$broot.log" 2>&1; then
		tail -n 20 "$broot.log" >&2
		exit 1
	fi
	touch "$broot/.skd-build-root"
fi

${MAKE:-make} dist-gzip >/dev/null
echo "build-package: $release: building $(basename "$tarball")" >&2
rm -rf "$broot/build"
mkdir -p "$broot/build"
tar -xzf "$tarball" -C "$broot/build"
src=$(cd "$broot/build" && echo skyhook-kdump-*)
if ! chroot "$broot" sh -c "cd /build/$src && ./configure --quiet &&
	make -j\$(nproc) && make skyhook-package SKYHOOK_PACKAGE_DIR=/build/package" \
	>"$broot/build.log" 2>&1; then
	tail -n 30 "$broot/build.log" >&2
	exit 1
fi
lay_out "$broot/build/package"
