#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# validate: the normalised value and the bytes it reserves.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
table='1G-4G:192M,4G-64G:256M,64G-:512M'
out=$("$SKD_BIN" validate --crashkernel "$table" --memory 16G --json)
skd_check [ "$?" = 0 ]
skd_check sh -c "printf '%s' '$out' | grep -q '\"reserved_bytes\":268435456'"
skd_check sh -c "printf '%s' '$out' | grep -q '\"valid\":true'"

last_status=0
"$SKD_BIN" validate --crashkernel "$table" --memory 512M >"$work/out" 2>&1 || last_status=$?
skd_expect_exit 2
skd_check grep -q 'refuses the whole value' "$work/out"

last_status=0
"$SKD_BIN" validate --crashkernel '256M" init=/bin/sh' --memory 16G >"$work/out" 2>&1 || last_status=$?
skd_expect_exit 2
skd_check [ "$(wc -l <"$work/out")" -eq 1 ]

out=$("$SKD_BIN" validate --crashkernel 'crashkernel=512M' --memory 4G)
skd_check sh -c "printf '%s' '$out' | grep -q 'reserves: 512M (536870912 bytes)'"
out=$("$SKD_BIN" validate --crashkernel '512M,high 128M,low' --memory 64G --json)
skd_check sh -c "printf '%s' '$out' | grep -q '\"reserved_bytes\":671088640'"
skd_finish
