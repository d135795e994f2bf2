#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make check-valgrind: runs a program under valgrind memcheck. Any memory
# error, and any leak valgrind is sure of (definite, or indirect: lost
# through a lost block), exits 99, which fails the test. "Possible" leaks
# are reported in the log but do not fail: pointers into the middle of a
# block are legitimate (libelf and the dynamic loader keep them). The
# report goes to a log file, not stderr, so the output the tests compare
# stays the same; SKD_VALGRIND_LOGS is that directory.
# Usage: valgrind.sh PROGRAM [ARGS...]

set -eu

logs=${SKD_VALGRIND_LOGS:-${TMPDIR:-/tmp}}
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect \
	--num-callers=30 --log-file="$logs/vg.%p.log" "$@"
