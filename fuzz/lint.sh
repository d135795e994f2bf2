#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make lint: cppcheck and clang-tidy (with the checked-in .clang-tidy) on
# the C sources of core/, plugins/, conformance/ and include/ (the public
# header is checked through every file that includes it). Anything either
# reports fails. Suppressions: .cppcheck-suppressions, each with a reason.
#
# Environment (make lint sets these): SRCDIR, BUILDDIR (for config.h),
# LIBELF_CFLAGS; LINT_JOBS (default: the number of processors).

set -eu

: "${SRCDIR:=.}" "${BUILDDIR:=.}" "${LIBELF_CFLAGS=}"
: "${LINT_JOBS:=$(nproc 2>/dev/null || echo 1)}"
cd "$SRCDIR"

incs="-I$BUILDDIR -Iinclude -Icore -Iplugins/common -Iplugins/debian"
defs="-DBACKEND_DIR=\"/usr/lib/skyhook-kdump/backends\""
files=$(find core plugins conformance -name '*.c' | sort)

echo "cppcheck: $(echo "$files" | wc -l) files"
# shellcheck disable=SC2086 # include flags and file list split on purpose
cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	--enable=warning,portability,performance \
	--suppressions-list=.cppcheck-suppressions \
	--template='{file}:{line}: {severity}: {message} [{id}]' \
	$incs "$defs" $files

echo "clang-tidy: $(echo "$files" | wc -l) files"
# one file per run, LINT_JOBS at a time; any diagnostic is an error
# (WarningsAsErrors in .clang-tidy)
# shellcheck disable=SC2086
echo "$files" | xargs -P "$LINT_JOBS" -I{} \
	clang-tidy --quiet {} -- -std=gnu11 $incs "$defs" $LIBELF_CFLAGS
echo "lint: clean"
