#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the distribution packages from a clean copy of the sources.
#
#   packaging/build-packages.sh [--deb] [--rpm] [--tarball FILE] OUTDIR
#
# Neither --deb nor --rpm: both. FILE is the tarball of "make dist"
# (skyhook-kdump-VERSION.tar.gz); without --tarball one is made from the
# source tree this script sits in (autoreconf, configure, make dist in a
# temporary directory; the tree itself is not touched).
#
# .deb: the tarball is unpacked, packaging/debian is copied to debian/ at its
#       top, and "dpkg-buildpackage -us -uc -b" runs there (the test suite
#       runs too, unless DEB_BUILD_OPTIONS has nocheck).
# .rpm: "rpmbuild -bb packaging/rpm/skyhook-kdump.spec" with a private
#       _topdir; with --nodeps when the build dependencies cannot be looked
#       up in an RPM database (rpmbuild on Debian or Ubuntu).
#
# The packages (and the .changes and .buildinfo of the .deb build) are put
# in OUTDIR, with each build's log (deb-build.log, rpm-build.log).
# DPKG_BUILDPACKAGE_FLAGS and RPMBUILD_FLAGS add flags (DEB_BUILD_OPTIONS=nocheck
# and RPMBUILD_FLAGS=--nocheck skip the test suite); KEEP_WORK=1 keeps the
# temporary directory.
set -euo pipefail

usage() {
	echo "usage: $0 [--deb] [--rpm] [--tarball FILE] OUTDIR" >&2
	exit 2
}

srcdir=$(cd "$(dirname "$0")/.." && pwd)
want_deb=no
want_rpm=no
tarball=
outdir=
while [ $# -gt 0 ]; do
	case $1 in
	--deb) want_deb=yes ;;
	--rpm) want_rpm=yes ;;
	--tarball) [ $# -ge 2 ] || usage; tarball=$2; shift ;;
	--tarball=*) tarball=${1#--tarball=} ;;
	-h|--help) usage ;;
	-*) echo "$0: unknown option '$1'" >&2; usage ;;
	*) [ -z "$outdir" ] || usage; outdir=$1 ;;
	esac
	shift
done
[ -n "$outdir" ] || usage
if [ $want_deb = no ] && [ $want_rpm = no ]; then
	want_deb=yes
	want_rpm=yes
fi
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rm -f "$outdir/dist.log" "$outdir/deb-build.log" "$outdir/rpm-build.log"

work=$(mktemp -d "${TMPDIR:-/tmp}/skd-packages-XXXXXX")
cleanup() {
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		echo "work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

jobs=$(nproc 2>/dev/null || echo 1)

# runs a build step with its output added to a log; on failure shows the
# end of it
logged() {
	local log=$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		echo "$0: failed: $* (last lines of $log below)" >&2
		tail -n 60 "$log" >&2
		return 1
	fi
}

if [ -z "$tarball" ]; then
	echo "making the tarball from $srcdir"
	mkdir "$work/tree" "$work/dist"
	tar -C "$srcdir" --exclude=.git --exclude='./build*' --exclude=autom4te.cache \
		-cf - . | tar -C "$work/tree" -xf -
	(
		cd "$work/tree"
		logged "$outdir/dist.log" autoreconf -fi
		cd "$work/dist"
		logged "$outdir/dist.log" "$work/tree/configure" --quiet
		logged "$outdir/dist.log" make dist-gzip
	)
	set -- "$work"/dist/skyhook-kdump-*.tar.gz
	tarball=$1
fi
[ -f "$tarball" ] || { echo "$0: no tarball '$tarball'" >&2; exit 2; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
base=$(basename "$tarball" .tar.gz)
case $base in
skyhook-kdump-[0-9]*) version=${base#skyhook-kdump-} ;;
*) echo "$0: '$tarball' is not skyhook-kdump-VERSION.tar.gz" >&2; exit 2 ;;
esac

build_deb() {
	local start=$SECONDS
	echo "building the .deb packages of $version"
	mkdir "$work/deb"
	tar -C "$work/deb" -xzf "$tarball"
	cp -a "$work/deb/$base/packaging/debian" "$work/deb/$base/debian"
	# shellcheck disable=SC2086 # flags are words
	(cd "$work/deb/$base" && logged "$outdir/deb-build.log" \
		dpkg-buildpackage -us -uc -b -j"$jobs" ${DPKG_BUILDPACKAGE_FLAGS:-})
	find "$work/deb" -maxdepth 1 -type f \
		\( -name '*.deb' -o -name '*.changes' -o -name '*.buildinfo' \) \
		-exec cp {} "$outdir/" \;
	echo "built the .deb packages in $((SECONDS - start)) s"
}

build_rpm() {
	local start=$SECONDS top=$work/rpm spec
	local -a flags=()
	echo "building the .rpm packages of $version"
	mkdir -p "$top/SOURCES" "$top/SPECS"
	cp "$tarball" "$top/SOURCES/"
	# the spec as shipped in this tarball
	tar -C "$top/SPECS" -xzf "$tarball" --strip-components=3 \
		"$base/packaging/rpm/skyhook-kdump.spec"
	spec=$top/SPECS/skyhook-kdump.spec
	if ! rpm -q --quiet glibc >/dev/null 2>&1; then
		echo "no RPM database of the build dependencies here: rpmbuild --nodeps"
		flags+=(--nodeps)
	fi
	# shellcheck disable=SC2206 # flags are words
	flags+=(${RPMBUILD_FLAGS:-})
	logged "$outdir/rpm-build.log" rpmbuild -bb \
		--define "_topdir $top" \
		--define "_smp_mflags -j$jobs" \
		"${flags[@]}" "$spec"
	find "$top/RPMS" -name '*.rpm' -exec cp {} "$outdir/" \;
	echo "built the .rpm packages in $((SECONDS - start)) s"
}

[ $want_deb = no ] || build_deb
[ $want_rpm = no ] || build_rpm
echo "packages in $outdir:"
find "$outdir" -maxdepth 1 \( -name '*.deb' -o -name '*.rpm' \) -printf '  %f\n' | sort
