#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check-portable.sh GLIBC_MAX PACKAGE_DIR
#
# Lists, for every ELF file below PACKAGE_DIR, the shared libraries it needs
# and the GLIBC_x.y symbol versions it requires, and fails when one of them
# is above GLIBC_MAX (the oldest glibc the package must run on, e.g. 2.17
# for CentOS 7 and Amazon Linux 2), when a file needs GLIBC_PRIVATE, or when
# a file needs a shared library that is not part of glibc. READELF names
# the readelf to use (default readelf).

set -eu

usage() {
	echo "usage: check-portable.sh GLIBC_MAX PACKAGE_DIR" >&2
	exit 2
}

[ $# -eq 2 ] || usage
max=$1
dir=$2
readelf=${READELF:-readelf}

case $max in
[0-9]*.[0-9]*) ;;
*) echo "check-portable: GLIBC_MAX '$max' is not a version like 2.17" >&2; exit 2 ;;
esac
if [ ! -d "$dir" ]; then
	echo "check-portable: no package directory '$dir' (make skyhook-package first)" >&2
	exit 2
fi
if ! command -v "$readelf" >/dev/null 2>&1; then
	echo "check-portable: '$readelf' not found (binutils)" >&2
	exit 2
fi

# version_gt A B: A is a higher version than B
version_gt() {
	[ "$1" != "$2" ] &&
		[ "$(printf '%s\n%s\n' "$1" "$2" | LC_ALL=C sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)" = "$1" ]
}

# libraries that are part of glibc itself
glibc_lib() {
	case $1 in
	libc.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libm.so.*|libresolv.so.*|libutil.so.*|libanl.so.*)
		return 0 ;;
	ld-linux*.so.*|ld64.so.*|ld.so.*)
		return 0 ;;
	esac
	return 1
}

tmp=$(mktemp "${TMPDIR:-/tmp}/skd-portable-XXXXXX")
trap 'rm -f "$tmp"' EXIT
find "$dir" -type f | LC_ALL=C sort >"$tmp"

files=0
bad=0
overall=
while IFS= read -r f; do
	# ELF files only: readelf -h fails on anything else
	"$readelf" -h "$f" >/dev/null 2>&1 || continue
	files=$((files + 1))
	rel=${f#"$dir"/}
	needed=$("$readelf" -d -W "$f" 2>/dev/null |
		sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p' | tr '\n' ' ')
	versions=$("$readelf" -V -W "$f" 2>/dev/null |
		sed -n 's/.*Name: \(GLIBC_[0-9A-Z_.]*\).*/\1/p' |
		LC_ALL=C sort -u -t_ -k2,2V | tr '\n' ' ')
	highest=
	for v in $versions; do
		n=${v#GLIBC_}
		case $n in
		PRIVATE)
			echo "FAIL: $rel needs GLIBC_PRIVATE, which no other glibc provides" >&2
			bad=$((bad + 1))
			continue ;;
		esac
		if [ -z "$highest" ] || version_gt "$n" "$highest"; then
			highest=$n
		fi
	done
	needed=${needed% }; versions=${versions% }
	printf '%s\n  needs: %s\n  glibc versions: %s\n' "$rel" "${needed:-(nothing)}" "${versions:-(none)}"
	for lib in $needed; do
		if ! glibc_lib "$lib"; then
			echo "FAIL: $rel needs $lib, which is not part of glibc: the node may not have it" >&2
			bad=$((bad + 1))
		fi
	done
	if [ -n "$highest" ]; then
		if version_gt "$highest" "$max"; then
			echo "FAIL: $rel needs GLIBC_$highest, above the maximum GLIBC_$max" >&2
			bad=$((bad + 1))
		fi
		if [ -z "$overall" ] || version_gt "$highest" "$overall"; then
			overall=$highest
		fi
	fi
done <"$tmp"

if [ "$files" = 0 ]; then
	echo "check-portable: no ELF file below '$dir'" >&2
	exit 1
fi
echo "$files ELF files; highest glibc version needed: ${overall:-none}; maximum allowed: $max"
if [ "$bad" != 0 ]; then
	echo "check-portable: $bad problems: the package would not run on every node with glibc $max or newer" >&2
	exit 1
fi
echo "check-portable: OK"
