#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A backend operation that fails gives exit 4 and a message naming the
# step; a backend whose every operation fails never gets past the first.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

SKD_BACKEND_PATH="$SKD_TOP_BUILDDIR/tests/plugins/.libs"
skd_setup
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/mockos"
skd_configmap crashkernel 256M

fails_at() { # OP MODE STEP-TEXT
	mkdir -p "$work/root/etc/mock"
	echo "$1" >"$work/root/etc/mock/fail-ops"
	skd_run --backend mock-fail "$2"
	skd_expect_exit 4
	skd_check grep -q "$3 failed" "$work/out"
}

fails_at packages_install apply "installing packages"
fails_at service_enable apply "enabling the service"
fails_at bootloader_set_crashkernel config "setting crashkernel in the bootloader"
fails_at bootloader_regenerate config "regenerating the boot configuration"
fails_at packages_query apply-check "querying packages"
# fixed, the retry converges
rm -f "$work/root/etc/mock/fail-ops"
: >"$work/root/etc/mock/fail-ops"
skd_run --backend mock-fail apply;  skd_expect_exit 0
skd_run --backend mock-fail config; skd_expect_exit 0
skd_run --backend mock-fail config-check; skd_expect_exit 0
skd_golden mock-failures
skd_finish
