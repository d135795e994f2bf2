#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The versions of the distribution packages follow configure.ac's AC_INIT:
# the first entry of packaging/debian/changelog and the spec's Version and
# its newest %changelog entry.
set -u

src=${SKD_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${SKD_TOP_BUILDDIR:-.}
pass=0
fail=0

version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$build/config.h" 2>/dev/null)
if [ -z "$version" ]; then
	version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$src/configure.ac")
fi

check() {
	if [ "$2" = "$version" ]; then
		echo "PASS: $1 is $version"
		pass=$((pass + 1))
	else
		echo "FAIL: $1 is '$2', configure.ac says '$version'"
		fail=$((fail + 1))
	fi
}

# "skyhook-kdump (0.1.0) unstable; ...", or 0.1.0-1 with a Debian revision
deb=$(sed -n '1s/^skyhook-kdump (\([^)]*\)).*/\1/p' "$src/packaging/debian/changelog")
check "packaging/debian/changelog" "${deb%-*}"
spec=$src/packaging/rpm/skyhook-kdump.spec
check "the spec's Version" "$(sed -n 's/^Version:[[:space:]]*//p' "$spec")"
# "* DATE NAME <MAIL> - 0.1.0-1", the first line after %changelog
entry=$(sed -n '/^%changelog/{n;p;q;}' "$spec")
entry=${entry##* - }
check "the spec's newest %changelog entry" "${entry%-*}"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
