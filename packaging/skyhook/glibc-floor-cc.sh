#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# glibc-floor-cc.sh [--static NAME]... FLOOR CC [ARG...]
#
# Links as "CC ARG..." would, for a program or shared object that runs on
# every glibc from FLOOR on, although CC's C library is newer: the package's
# build uses it as the link command (make CCLD=...), behind libtool.
#   - Every object and static archive on the command line is linked from a
#     copy whose glibc symbols glibc-floor.sh bound to the newest version at
#     or below FLOOR (or renamed to our stat replacements).
#   - A program starts at glibc-floor-start.S's entry point (with
#     -nostartfiles, and the toolchain's crti/crtbegin/crtend/crtn around
#     the rest), not at the toolchain's, which needs glibc 2.34.
#   - libdl.so.2 is named when a symbol needs it on an older glibc.
#   - Each -lNAME of a --static NAME is CC's libNAME.a, bound as the rest:
#     libelf and zlib, which a node may not have.
# Anything else (a compile, a link with no object) runs CC as it is.
# CC's binutils are asked of CC itself (-print-prog-name), so a cross
# compiler brings its own.
set -eu

usage() { echo "usage: glibc-floor-cc.sh [--static NAME]... FLOOR CC [ARG...]" >&2; exit 2; }
static=
while [ "${1:-}" = --static ]; do
	[ $# -ge 2 ] || usage
	static="$static $2"
	shift 2
done
[ $# -ge 2 ] || usage
floor=$1 cc=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

shared=no
for a in "$@"; do
	case $a in
	-c | -S | -E | -M | -MM) exec $cc "$@" ;;
	-shared) shared=yes ;;
	esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/skd-floor-cc-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

tool() { $cc -print-prog-name="$1"; }
lib() { $cc -print-file-name="$1"; }
NM=$(tool nm) READELF=$(tool readelf)
export NM READELF
objcopy=$(tool objcopy)
ar=$(tool ar)

# our replacements and start-up, built by the same compiler
$cc -O2 -fPIC -c -o "$tmp/floor-stat.o" "$here/glibc-floor-stat.c"
rm -f "$tmp/libskdfloor.a"
"$ar" rcs "$tmp/libskdfloor.a" "$tmp/floor-stat.o"
floor_objects="$tmp/libskdfloor.a"
if [ "$shared" = no ]; then
	$cc -fPIC -c -o "$tmp/floor-start.o" "$here/glibc-floor-start.S"
	$cc -O2 -fPIC -c -o "$tmp/floor-init.o" "$here/glibc-floor-init.c"
	floor_objects="$tmp/floor-start.o $tmp/floor-init.o $floor_objects"
fi

# static_archive ARG: the archive a -lNAME of a --static NAME stands for
static_archive() {
	case $1 in -l?*) ;; *) return 1 ;; esac
	for name in $static; do
		if [ "$1" = "-l$name" ]; then
			archive=$(lib "lib$name.a")
			[ -f "$archive" ] || { echo "glibc-floor-cc: no lib$name.a for $cc" >&2; exit 1; }
			return 0
		fi
	done
	return 1
}

# the inputs to bind: every object and archive named on the command line
: >"$tmp/inputs"
for a in "$@"; do
	case $a in
	*.o | *.a) [ -f "$a" ] && printf '%s\n' "$a" >>"$tmp/inputs" ;;
	*) if static_archive "$a"; then printf '%s\n' "$archive" >>"$tmp/inputs"; fi ;;
	esac
done
# shellcheck disable=SC2086 # floor_objects is several paths without spaces
set -- "$@" $floor_objects
if [ ! -s "$tmp/inputs" ]; then
	exec $cc "$@"
fi

# shellcheck disable=SC2046,SC2086 # paths without spaces: make's own, and ours
needed=$(sh "$here/glibc-floor.sh" "$floor" "$tmp/pins" "$(lib libc.so.6)" "$(lib libdl.so.2)" \
	-- $(cat "$tmp/inputs") $floor_objects)

# the command again, each input replaced by its bound copy
n=0
for a in "$@"; do
	shift
	src=
	case $a in
	*.o | *.a) [ -f "$a" ] && src=$a ;;
	*) if static_archive "$a"; then src=$archive; fi ;;
	esac
	if [ -n "$src" ]; then
		n=$((n + 1))
		a="$tmp/in$n-$(basename "$src")"
		"$objcopy" --redefine-syms="$tmp/pins" "$src" "$a"
	fi
	set -- "$@" "$a"
done
for soname in $needed; do
	set -- "$@" -Wl,--push-state,--no-as-needed "$(lib "$soname")" -Wl,--pop-state
done

if [ "$shared" = yes ]; then
	exec $cc "$@"
fi
exec $cc -nostartfiles "$(lib crti.o)" "$(lib crtbeginS.o)" "$@" "$(lib crtendS.o)" "$(lib crtn.o)"
