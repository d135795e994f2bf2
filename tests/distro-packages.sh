#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the .deb and .rpm packages from a "make dist" tarball and checks
# them ("make check-packages" runs it; it takes minutes, so it is not part
# of "make check"):
#
#   tests/distro-packages.sh TARBALL [--packages DIR]
#
# --packages DIR checks the packages already in DIR instead of building.
# SKD_PACKAGES_TESTS says which package builds run the test suite: deb (the
# default: dh_auto_test; "make check" has run it already), rpm, both, none.
# Checks: the version of each package; the files each one lists (dpkg-deb -c,
# rpm -qlp) and that no libtool .la file is shipped; from an unpacked tree,
# the program runs --version and "backends" finds every backend, the
# conformance suite of the -dev package passes on the debian backend, the
# .pc file gives prefix /usr and a backendsdir that holds the backends and
# that the program was built with; lintian reports no error.
# One PASS:/FAIL: line per check, then "N passed, N failed".
#
# the checks below are functions called through check(), which shellcheck
# does not follow
# shellcheck disable=SC2317
set -uo pipefail

BACKENDS="amazon debian fedora rhel"
SCHEMAS="status estimate dumps"

usage() {
	echo "usage: $0 TARBALL [--packages DIR]" >&2
	exit 2
}

tarball=
pkgdir=
while [ $# -gt 0 ]; do
	case $1 in
	--packages) [ $# -ge 2 ] || usage; pkgdir=$2; shift ;;
	-*) usage ;;
	*) [ -z "$tarball" ] || usage; tarball=$1 ;;
	esac
	shift
done
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
	usage
fi
base=$(basename "$tarball" .tar.gz)
version=${base#skyhook-kdump-}
here=$(cd "$(dirname "$0")/.." && pwd)

pass=0
fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else ko "$what"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

missing=
for tool in dpkg-buildpackage dh lintian rpmbuild rpm2archive pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	ko "tools missing:$missing (apt-get install dpkg-dev debhelper lintian rpm pkgconf)"
	finish
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/skd-distro-test-XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$pkgdir" ]; then
	pkgdir=$work/packages
	start=$SECONDS
	case ${SKD_PACKAGES_TESTS:-deb} in
	deb) export RPMBUILD_FLAGS="${RPMBUILD_FLAGS:+$RPMBUILD_FLAGS }--nocheck" ;;
	rpm) export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck" ;;
	none)
		export RPMBUILD_FLAGS="${RPMBUILD_FLAGS:+$RPMBUILD_FLAGS }--nocheck"
		export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck"
		;;
	both) ;;
	*) echo "SKD_PACKAGES_TESTS must be deb, rpm, both or none" >&2; exit 2 ;;
	esac
	echo "the test suite runs in the package builds: ${SKD_PACKAGES_TESTS:-deb}"
	if ! bash "$here/packaging/build-packages.sh" --tarball "$tarball" "$pkgdir"; then
		ko "packages built"
		finish
	fi
	ok "packages built in $((SECONDS - start)) s"
fi

# lists LISTING must hold every one of the PATHS, one per line
has_all() {
	local listing=$1 p rc=0
	shift
	for p in "$@"; do
		if ! grep -qxF -- "$p" "$listing"; then
			echo "  missing: $p"
			rc=1
		fi
	done
	return "$rc"
}
no_la() {
	! grep -E '\.la$' "$@"
}
no_so() {
	! grep -E '\.so$' "$@"
}
rpm_list_norm() {
	sed -E -e 's,^(/usr/share/man/.*)\.(gz|bz2|xz|zst)$,\1,' \
		-e "s,^(/usr/share/doc/skyhook-kdump(-devel)?)-$version(/|\$),\\1\\3,"
}
# the Version field of each .deb
deb_version() {
	local f
	for f in "$@"; do
		[ "$(dpkg-deb -f "$f" Version)" = "$version" ] || return 1
	done
}
# the VERSION of each .rpm
rpm_version() {
	local f
	for f in "$@"; do
		[ "$(rpm -qp --qf '%{VERSION}' "$f" 2>/dev/null)" = "$version" ] || return 1
	done
}

# the program of an unpacked tree: --version, and the backends in BACKENDDIR
runs() {
	local prog=$1 backenddir=$2 out b rc=0
	out=$("$prog" --version) || return 1
	[ "$out" = "skyhook-kdump $version" ] || { echo "  --version: $out"; return 1; }
	out=$(SKYHOOK_KDUMP_BACKEND_PATH=$backenddir "$prog" backends) || { echo "$out"; return 1; }
	for b in $BACKENDS; do
		if ! grep -qE "^  $b +$backenddir/$b\.so " <<<"$out"; then
			echo "  backends does not list $backenddir/$b.so"
			rc=1
		fi
	done
	[ "$rc" -eq 0 ] || echo "$out"
	return "$rc"
}

# the .pc file of an unpacked tree: prefix, version, backendsdir holds the
# backends, and the program searches that directory
pc_ok() {
	local root=$1 pcdir=$2 want_dir=$3 prog=$4 v rc=0 b
	v=$(PKG_CONFIG_PATH=$root$pcdir pkg-config --variable=prefix skyhook-kdump)
	[ "$v" = /usr ] || { echo "  prefix=$v"; rc=1; }
	v=$(PKG_CONFIG_PATH=$root$pcdir pkg-config --modversion skyhook-kdump)
	[ "$v" = "$version" ] || { echo "  version $v"; rc=1; }
	v=$(PKG_CONFIG_PATH=$root$pcdir pkg-config --variable=backendsdir skyhook-kdump)
	[ "$v" = "$want_dir" ] || { echo "  backendsdir=$v, expected $want_dir"; rc=1; }
	for b in $BACKENDS; do
		[ -f "$root$v/$b.so" ] || { echo "  no $v/$b.so in the package"; rc=1; }
	done
	grep -qaF -- "$v" "$prog" || { echo "  the program does not search $v"; rc=1; }
	return "$rc"
}

# the conformance suite of the SDK, run from the unpacked tree
conformance_ok() {
	local root=$1 sbin=$2 backenddir=$3 out
	out=$("$root/usr/bin/skyhook-kdump-conformance" --host "$root$sbin/skyhook-kdump" \
		--fake-tools "$root/usr/share/skyhook-kdump/conformance/fake-tools" \
		"$root$backenddir/debian.so" "$work/src/tests/fixtures/debian-12" 2>&1)
	local rc=$?
	[ "$rc" -eq 0 ] || echo "$out" | grep -v '^PASS' | head -n 20
	return "$rc"
}

# every fake tool the tests run (the source's tests/fake-tools, less its own
# tests) is in the conformance suite's fake-tools of the -dev package: a
# backend's command without its fake runs as a no-op that exits 0
ships_every_fake() { # LIST
	local f rc=0
	for f in "$work/src/tests/fake-tools"/*; do
		if [ ! -f "$f" ] || [ ! -x "$f" ]; then continue; fi
		case ${f##*/} in test-*) continue ;; esac
		grep -qxF "/usr/share/skyhook-kdump/conformance/fake-tools/${f##*/}" "$1" ||
			{ echo "  no fake-tools/${f##*/} in the package"; rc=1; }
	done
	return "$rc"
}

mkdir "$work/src"
tar -C "$work/src" --strip-components=1 -xzf "$tarball"
has_man7=no
[ -f "$work/src/man/skyhook-kdump-backend.7" ] && has_man7=yes

# ---- .deb
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$pkgdir/skyhook-kdump_${version}_$arch.deb
devdeb=$pkgdir/skyhook-kdump-dev_${version}_$arch.deb
changes=$pkgdir/skyhook-kdump_${version}_$arch.changes
if [ -f "$deb" ] && [ -f "$devdeb" ] && [ -f "$changes" ]; then
	ok "skyhook-kdump and skyhook-kdump-dev $version .deb and .changes built"
	bdir=/usr/lib/$ma/skyhook-kdump/backends
	dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\.||' >"$work/deb.list"
	dpkg-deb -c "$devdeb" | awk '{print $NF}' | sed 's|^\.||' >"$work/devdeb.list"
	want=(/usr/sbin/skyhook-kdump /usr/share/man/man8/skyhook-kdump.8.gz
		/usr/share/bash-completion/completions/skyhook-kdump
		/usr/share/doc/skyhook-kdump/copyright)
	for b in $BACKENDS; do want+=("$bdir/$b.so"); done
	for s in $SCHEMAS; do want+=("/usr/share/skyhook-kdump/schemas/$s.schema.json"); done
	check "skyhook-kdump.deb holds the program, backends, schemas, man page" \
		has_all "$work/deb.list" "${want[@]}"
	want=(/usr/include/skyhook-kdump/backend.h "/usr/lib/$ma/pkgconfig/skyhook-kdump.pc"
		/usr/share/doc/skyhook-kdump-dev/PORTING /usr/bin/skyhook-kdump-conformance
		/usr/share/skyhook-kdump/conformance/fake-tools/apt-get)
	[ $has_man7 = no ] || want+=(/usr/share/man/man7/skyhook-kdump-backend.7.gz)
	check "skyhook-kdump-dev.deb holds the header, .pc, PORTING, conformance suite (man7: $has_man7)" \
		has_all "$work/devdeb.list" "${want[@]}"
	check "skyhook-kdump-dev.deb holds every fake tool of the tests" \
		ships_every_fake "$work/devdeb.list"
	check "no .deb ships a libtool .la file" no_la "$work/deb.list" "$work/devdeb.list"
	check "skyhook-kdump-dev.deb holds no backend" \
		no_so "$work/devdeb.list"
	check "the .deb versions are $version" \
		deb_version "$deb" "$devdeb"
	check "skyhook-kdump-dev depends on skyhook-kdump (= $version)" \
		grep -qF "skyhook-kdump (= $version)" <<<"$(dpkg-deb -f "$devdeb" Depends)"

	x=$work/deb-root
	dpkg-deb -x "$deb" "$x" && dpkg-deb -x "$devdeb" "$x"
	check "the unpacked .deb program runs --version and finds its backends" \
		runs "$x/usr/sbin/skyhook-kdump" "$x$bdir"
	check "the .deb .pc file: prefix /usr, backendsdir $bdir" \
		pc_ok "$x" "/usr/lib/$ma/pkgconfig" "$bdir" "$x/usr/sbin/skyhook-kdump"
	check "the unpacked .deb conformance suite passes on the debian backend" \
		conformance_ok "$x" /usr/sbin "$bdir"

	if lintian --fail-on error "$changes" >"$work/lintian.out" 2>&1; then
		ok "lintian: no errors ($(grep -c '^W:' "$work/lintian.out") warnings)"
	else
		ko "lintian reports errors"
	fi
	sed 's/^/  lintian: /' "$work/lintian.out"
else
	ko "the .deb packages and .changes in $pkgdir"
fi

# ---- .rpm
rarch=$(rpm --eval '%{_arch}')
libdir=$(rpm --eval '%{_libdir}')
rpmfile=$(find "$pkgdir" -name "skyhook-kdump-$version-*.$rarch.rpm" | head -n1)
devrpm=$(find "$pkgdir" -name "skyhook-kdump-devel-$version-*.$rarch.rpm" | head -n1)
if [ -n "$rpmfile" ] && [ -n "$devrpm" ]; then
	ok "skyhook-kdump and skyhook-kdump-devel $version .rpm built"
	bdir=$libdir/skyhook-kdump/backends
	# man pages compressed or not, doc directories with the version or not:
	# as the rpm configuration of the build system does it
	rpm -qlp "$rpmfile" 2>/dev/null | rpm_list_norm >"$work/rpm.list"
	rpm -qlp "$devrpm" 2>/dev/null | rpm_list_norm >"$work/devrpm.list"
	want=(/usr/sbin/skyhook-kdump /usr/share/man/man8/skyhook-kdump.8
		/usr/share/bash-completion/completions/skyhook-kdump
		/usr/share/doc/skyhook-kdump/README.md)
	for b in $BACKENDS; do want+=("$bdir/$b.so"); done
	for s in $SCHEMAS; do want+=("/usr/share/skyhook-kdump/schemas/$s.schema.json"); done
	check "skyhook-kdump.rpm holds the program, backends, schemas, man page" \
		has_all "$work/rpm.list" "${want[@]}"
	want=(/usr/include/skyhook-kdump/backend.h "$libdir/pkgconfig/skyhook-kdump.pc"
		/usr/share/doc/skyhook-kdump-devel/PORTING /usr/bin/skyhook-kdump-conformance
		/usr/share/skyhook-kdump/conformance/fake-tools/apt-get)
	[ $has_man7 = no ] || want+=(/usr/share/man/man7/skyhook-kdump-backend.7)
	check "skyhook-kdump-devel.rpm holds the header, .pc, PORTING, conformance suite (man7: $has_man7)" \
		has_all "$work/devrpm.list" "${want[@]}"
	check "skyhook-kdump-devel.rpm holds every fake tool of the tests" \
		ships_every_fake "$work/devrpm.list"
	check "no .rpm ships a libtool .la file" no_la "$work/rpm.list" "$work/devrpm.list"
	check "the .rpm versions are $version" \
		rpm_version "$rpmfile" "$devrpm"
	check "skyhook-kdump-devel requires skyhook-kdump = $version" \
		grep -qE "^skyhook-kdump(\(.*\))? = $version-" <<<"$(rpm -qp --requires "$devrpm" 2>/dev/null)"

	x=$work/rpm-root
	mkdir "$x"
	for f in "$rpmfile" "$devrpm"; do
		rpm2archive - <"$f" | tar -C "$x" -xzf -
	done
	check "the unpacked .rpm program runs --version and finds its backends" \
		runs "$x/usr/sbin/skyhook-kdump" "$x$bdir"
	check "the .rpm .pc file: prefix /usr, backendsdir $bdir" \
		pc_ok "$x" "$libdir/pkgconfig" "$bdir" "$x/usr/sbin/skyhook-kdump"
	check "the unpacked .rpm conformance suite passes on the debian backend" \
		conformance_ok "$x" /usr/sbin "$bdir"
else
	ko "the .rpm packages in $pkgdir"
fi

finish
