#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# build-package.sh SRCDIR BUILDDIR HOST CC FLOOR CFLAGS PACKAGE_DIR
#
# Builds the Skyhook package for one architecture in its own build tree
# BUILDDIR, configured from SRCDIR for HOST (a GNU triplet; empty: this
# machine) with the compiler CC and CFLAGS, every link through
# glibc-floor-cc.sh with FLOOR (libelf and zlib from their static
# archives), then lays it out into PACKAGE_DIR (make
# skyhook-package-layout). The tree is configured once and rebuilt as the
# sources change; a change of this recipe relinks everything. Concurrent
# calls (the tests make packages side by side) take turns. A source tree
# configured in place cannot configure another build: then the build reads
# a copy of the distributed sources (make distdir, in the current
# directory: the calling build tree), next to BUILDDIR.
#
# Environment: MAKE (default make); PKG_CONFIG_LIBDIR for a cross build
# (default: the Debian multiarch directory of HOST).
set -eu

[ $# -eq 7 ] || { echo "usage: build-package.sh SRCDIR BUILDDIR HOST CC FLOOR CFLAGS PACKAGE_DIR" >&2; exit 2; }
srcdir=$(cd "$1" && pwd) builddir=$2 host=$3 cc=$4 floor=$5 cflags=$6 pkg=$7
make=${MAKE:-make}
here="$srcdir/packaging/skyhook"

case $pkg in
'' | /) echo "build-package: '$pkg' is not a package directory" >&2; exit 1 ;;
/*) ;;
*) pkg="$(pwd)/$pkg" ;;
esac
if [ -n "$host" ] && ! command -v "${cc%% *}" >/dev/null 2>&1; then
	echo "build-package: no compiler $cc for $host (on Debian: apt-get install gcc-$host)" >&2
	exit 1
fi

mkdir -p "$builddir"
builddir=$(cd "$builddir" && pwd)
if command -v flock >/dev/null 2>&1; then
	exec 9>"$builddir/../.lock"
	flock 9
fi
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
submake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$make" "$@"; }

if [ -f "$srcdir/config.status" ]; then
	copy=$(dirname "$builddir")/source
	submake -s distdir distdir="$copy" >"$builddir/../distdir.out" 2>&1 || {
		cat "$builddir/../distdir.out" >&2
		echo "build-package: copying the sources (make distdir) failed" >&2
		exit 1
	}
	srcdir=$copy
fi

# what the links depend on besides the objects: a change relinks
stamp=$(cat "$here/glibc-floor-cc.sh" "$here/glibc-floor.sh" "$here/glibc-floor-stat.c" \
	"$here/glibc-floor-start.S" "$here/glibc-floor-init.c" | cksum)
stamp="$floor $cc $cflags $stamp"

# what a configured tree was configured with (2: the recipe's own version,
# raised when the configure options change)
configured="2 $host $cc $cflags"
if [ ! -f "$builddir/config.status" ] ||
   [ -n "$(find "$srcdir/configure" -newer "$builddir/config.status")" ] ||
   [ "$(cat "$builddir/.skd-configured" 2>/dev/null)" != "$configured" ]; then
	# objects of another configuration must not be linked: start afresh
	if [ "$(cat "$builddir/.skd-configured" 2>/dev/null)" != "$configured" ]; then
		find "$builddir" -mindepth 1 -delete
	fi
	set -- --quiet CC="$cc" CFLAGS="$cflags"
	if [ -n "$host" ]; then
		set -- "$@" --host="$host" \
			PKG_CONFIG_LIBDIR="${PKG_CONFIG_LIBDIR:-/usr/lib/$host/pkgconfig:/usr/share/pkgconfig}"
	fi
	echo "  CONFIGURE $builddir${host:+ for $host}"
	(cd "$builddir" && "$srcdir/configure" "$@" >configure.out 2>&1) || {
		cat "$builddir/configure.out" >&2
		echo "build-package: configuring the package build in $builddir failed" >&2
		exit 1
	}
	# what was configured, so that another compiler or flags configure again
	# (the build itself tracks the headers each object includes)
	echo "$configured" >"$builddir/.skd-configured"
fi
if [ "$(cat "$builddir/.skd-floor" 2>/dev/null)" != "$stamp" ]; then
	rm -f "$builddir/skyhook-kdump" "$builddir"/plugins/*/*.la
	echo "$stamp" >"$builddir/.skd-floor"
fi

# the make of the calling build, without its flags: they are not this tree's
submake -s -j"$jobs" -C "$builddir" skyhook-package-layout \
	CCLD="sh $here/glibc-floor-cc.sh --static elf --static z $floor $cc" \
	SKYHOOK_PACKAGE_DIR="$pkg"
