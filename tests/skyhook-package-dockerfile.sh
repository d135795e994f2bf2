#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The structure of packaging/skyhook/Dockerfile, read without Docker: a
# multi-stage build whose binaries are built on the build machine (never
# under emulation) by make skyhook-package, or make skyhook-package-arm64
# with Debian's arm64 cross compiler, that runs check-portable with
# GLIBC_MAX=2.17 on the package, and whose last stage copies the package to
# /skyhook-package in an image that has the /bin/sh and cp the operator's
# init container uses; every stage it copies from exists.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/..}/tests/cli/lib.sh"

df="$SKD_TOP_SRCDIR/packaging/skyhook/Dockerfile"
skd_setup

# the instructions, continuation lines joined, comments dropped
sed -e '/^[[:space:]]*#/d' "$df" |
	awk '{ if (sub(/\\$/, "")) { line = line $0 " "; next } print line $0; line = "" }' |
	sed -e 's/[[:space:]][[:space:]]*/ /g' -e '/^ *$/d' >"$work/df"

has() { grep -Eq "$1" "$work/df" || { echo "no line matches: $1" >&2; return 1; }; }
count() { grep -Ec "$1" "$work/df"; }

skd_check [ "$(count '^FROM ')" -ge 3 ]
# the build stage: on the build platform, the cross compiler and arm64
# libraries for an arm64 image, the make targets, the check
# shellcheck disable=SC2016 # a pattern: the $ is the Dockerfile's
skd_check has '^FROM --platform=\$BUILDPLATFORM \$\{DEBIAN_IMAGE\} AS build$'
skd_check has '^ARG TARGETARCH$'
skd_check has '^RUN dpkg --add-architecture arm64 .*apt-get install .*libelf-dev zlib1g-dev'
skd_check has 'apt-get install .*gcc-aarch64-linux-gnu libc6-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64 libsystemd-dev:arm64'
skd_check has 'target=skyhook-package;'
skd_check has 'target=skyhook-package-arm64;'
# shellcheck disable=SC2016 # a pattern: the $ is the Dockerfile's
skd_check has '^RUN .*make "\$target" SKYHOOK_PACKAGE_DIR=/skyhook-package'
skd_check has '^RUN .*make "check-portable\$\{target#skyhook-package\}" GLIBC_MAX=2\.17 SKYHOOK_PACKAGE_DIR=/skyhook-package'
# the make targets it names exist
targets_exist() {
	for t in skyhook-package skyhook-package-arm64 check-portable check-portable-arm64; do
		grep -q "^$t:" "$SKD_TOP_SRCDIR/packaging/skyhook/local.mk" ||
			{ echo "no make target $t" >&2; return 1; }
	done
}
skd_check targets_exist
# built from the release tarball, so the old system needs no autotools
skd_check has '^RUN autoreconf -fi .*make dist-gzip'
skd_check has '^RUN .*tar -xzf /tmp/dist/skyhook-kdump-\*\.tar\.gz'

# the last stage: a shell and cp, and the package at /skyhook-package
last_from=$(grep -E '^FROM ' "$work/df" | tail -n 1)
skd_check [ "$last_from" = "FROM \${FINAL_IMAGE}" ]
skd_check has '^ARG FINAL_IMAGE=busybox:'
skd_check [ "$(sed -n '/^FROM \${FINAL_IMAGE}$/,$p' "$work/df" | sed 1d)" = \
	'COPY --from=build /skyhook-package /skyhook-package' ]

# every COPY --from names a stage defined before it
stages_ok() {
	awk '/^FROM / && / AS / { stage[$NF] = 1 }
		/^COPY --from=/ { s = $2; sub(/^--from=/, "", s)
			if (!(s in stage)) { print "COPY from unknown stage " s; bad = 1 } }
		END { exit bad }' "$work/df"
}
skd_check stages_ok
# every global ARG used in a FROM line is declared
args_ok() {
	grep -Eo '^FROM [^ ]*\$\{[A-Z_]+\}' "$work/df" | sed 's/.*\${\([A-Z_]*\)}/\1/' >"$work/args"
	while IFS= read -r a; do
		grep -q "^ARG $a\(=\|$\)" "$work/df" || { echo "ARG $a is not declared" >&2; return 1; }
	done <"$work/args"
}
skd_check args_ok
# the ignore file beside it keeps other builds out of the context
skd_check [ -f "$SKD_TOP_SRCDIR/packaging/skyhook/Dockerfile.dockerignore" ]

skd_finish
