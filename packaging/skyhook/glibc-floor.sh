#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# glibc-floor.sh FLOOR PINS LIBC LIBDL -- FILE...
#
# Writes PINS, an objcopy --redefine-syms file that binds every glibc
# function or variable FILE... (objects and static archives about to be
# linked) use to the newest version of it at or below glibc FLOOR, as the
# C library LIBC and LIBDL (the toolchain's libc.so.6 and libdl.so.2)
# define them. A program linked from the renamed files runs on every glibc
# from FLOOR on, although built against a newer one: the linker reads
# "memcpy@GLIBC_2.14" in an object as a reference to that version, as it
# reads what the assembler's .symver writes.
#
# A symbol with no version at or below FLOOR is renamed to our own
# replacement, skd_floor_NAME (glibc-floor-stat.c), where there is one: the
# stat family, exported only since 2.33 and reached before through __xstat
# and its kin. Any other is an error naming the symbol and the version it
# first appears in. Prints on standard output the sonames the link must
# name besides libc.so.6: a symbol that lived in libdl before glibc 2.34
# merged it into libc is found there on older nodes.
#
# Environment: NM and READELF (default nm and readelf: the target's).
set -eu

usage() {
	echo "usage: glibc-floor.sh FLOOR PINS LIBC LIBDL -- FILE..." >&2
	exit 2
}
if [ $# -lt 6 ] || [ "$5" != -- ]; then usage; fi
floor=$1 pins=$2 libc=$3 libdl=$4
shift 5
nm=${NM:-nm}
readelf=${READELF:-readelf}

case $floor in
2.1[7-9] | 2.[2-9][0-9]) ;;
*)
	# below 2.17, clock_gettime and its kin were in librt: not handled
	echo "glibc-floor: FLOOR '$floor' is not a glibc version from 2.17 on" >&2
	exit 2 ;;
esac
for lib in "$libc" "$libdl"; do
	[ -f "$lib" ] || { echo "glibc-floor: no C library at '$lib'" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/skd-floor-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# every versioned symbol the C library defines: NAME VERSION DEFAULT(0|1)
for lib in "$libc" "$libdl"; do
	"$readelf" --dyn-syms -W "$lib"
done | awk '$7 != "UND" && $8 ~ /@GLIBC_[0-9]/ {
	n = split($8, p, "@")
	print p[1], substr(p[n], 7), (n == 3 ? 1 : 0)
}' | LC_ALL=C sort -u >"$tmp/versions"
[ -s "$tmp/versions" ] || { echo "glibc-floor: no versioned symbol in '$libc'" >&2; exit 1; }

# what the files define, and what they use without defining it
"$nm" -P --defined-only "$@" 2>/dev/null | awk 'NF >= 2 && $2 != "U" { print $1 }' |
	LC_ALL=C sort -u >"$tmp/defined"
"$nm" -P -u "$@" 2>/dev/null | awk 'NF >= 2 && $1 !~ /@/ { print $1 }' |
	LC_ALL=C sort -u >"$tmp/undefined"
LC_ALL=C comm -23 "$tmp/undefined" "$tmp/defined" >"$tmp/used"

awk -v floor="$floor" -v pins="$pins" -v libdl="$(basename "$libdl")" '
function cmp(a, b,   x, y, i, n) {
	n = split(a, x, "."); split(b, y, ".")
	if (length(y) > n) n = length(y)
	for (i = 1; i <= n; i++) {
		if (x[i] + 0 < y[i] + 0) return -1
		if (x[i] + 0 > y[i] + 0) return 1
	}
	return 0
}
# the replacements of glibc-floor-stat.c
BEGIN {
	split("stat fstat lstat fstatat stat64 fstat64 lstat64 fstatat64", s, " ")
	for (i in s) shim[s[i]] = 1
	printf "" >pins
}
FILENAME == ARGV[1] {
	sym = $1; v = $2
	if (!(sym in first) || cmp(v, first[sym]) < 0) first[sym] = v
	if ($3 == 1) dflt[sym] = v
	if (v == "2.34") merged[sym] = 1
	if (cmp(v, floor) <= 0 && (!(sym in best) || cmp(v, best[sym]) > 0)) best[sym] = v
	next
}
{
	sym = $1
	if (!(sym in first)) next	# not glibc: ours, libgcc, or a weak hook
	if (!(sym in best)) {
		if (sym in shim) { print sym, "skd_floor_" sym >pins; next }
		printf "glibc-floor: %s first appears in glibc %s, above the floor %s, and has no replacement here\n", sym, first[sym], floor >"/dev/stderr"
		bad = 1
		next
	}
	if (!(sym in dflt) || dflt[sym] != best[sym]) print sym, sym "@GLIBC_" best[sym] >pins
	# glibc 2.34 moved libdl and libpthread into libc, and gave the
	# moved functions a 2.34 version; __libc_start_main got one too
	if ((sym in merged) && cmp(best[sym], "2.34") < 0) {
		if (sym ~ /^dl/) needs[libdl] = 1
		else if (sym ~ /^(__)?(pthread|sem|mq|shm|timer|aio|lio)_/) {
			printf "glibc-floor: %s moved into libc in glibc 2.34 from a library this link does not name\n", sym >"/dev/stderr"
			bad = 1
		}
	}
}
END {
	for (l in needs) print l
	exit bad
}' "$tmp/versions" "$tmp/used"
