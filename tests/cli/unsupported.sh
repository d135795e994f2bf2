#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Systems no backend serves exit 3 with a clear message, never a guess;
# derivatives get their family's backend through ID_LIKE.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
shared=${SKD_SHARED_FIXTURES:-$SKD_TOP_SRCDIR/../shared/fixtures}
if [ ! -d "$shared/roots" ]; then
	echo "SKIP: $shared/roots is absent: the real-root checks need ../shared/fixtures"
	exit 77
fi
for r in sles-15.7 sles-12 opensuse-leap-15.6 opensuse-tumbleweed alpine-3.22.1 \
	arch flatcar-4459.0.0 bottlerocket-1.36.0 azurelinux-3.0 cbl-mariner-2.0 photon-3; do
	last_status=0
	"$SKD_BIN" --root "$shared/roots/$r" backends >"$work/out" 2>&1 || last_status=$?
	skd_expect_exit 3
	skd_check grep -q '^this system: unsupported distribution: ID=' "$work/out"
done
chosen() { # ROOT BACKEND
	"$SKD_BIN" --root "$shared/roots/$1" backends --json >"$work/out" 2>&1
	grep -q "\"backend\":\"$2\"" "$work/out"
}
for pair in pop-22.04:debian linuxmint-21:debian ubuntu-24.04:debian debian-9:debian \
	rocky-9.4:rhel almalinux-8.10:rhel ol-7.9:rhel centos-stream-10:rhel rhel-10.0:rhel \
	amzn-2:amazon amzn-2023:amazon fedora-30:fedora fedora-43:fedora \
	synthetic-layout-rocky-9.3-usrlib-only:rhel; do
	skd_check chosen "${pair%%:*}" "${pair#*:}"
done
for r in synthetic-empty-os-release synthetic-malformed-no-id synthetic-malformed-quoting; do
	last_status=0
	"$SKD_BIN" --root "$shared/roots/$r" apply >"$work/out" 2>&1 || last_status=$?
	skd_expect_exit 3
	skd_check [ "$(wc -l <"$work/out")" -eq 1 ]
done
skd_finish
