#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The whole Skyhook lifecycle on the mock distribution: every mode, a
# simulated reboot, converged re-runs that change nothing, and an uninstall
# that leaves only the documented leftovers.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

SKD_BACKEND_PATH="$SKD_TOP_BUILDDIR/tests/plugins/.libs"
skd_setup
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/mockos"
skd_configmap crashkernel 256M

# a dry run says what would be done, in text and in JSON, and does nothing
pristine=$(skd_tree_hash "$work/root")
skd_run --dry-run apply; skd_expect_exit 0
skd_run --dry-run --json apply; skd_expect_exit 0
skd_check [ "$pristine" = "$(skd_tree_hash "$work/root")" ]

skd_run apply;        skd_expect_exit 0
skd_run apply-check;  skd_expect_exit 0
skd_run config;       skd_expect_exit 0
skd_run config-check; skd_expect_exit 0
# before the reboot nothing is reserved: the check says why, one line each
skd_run post-interrupt-check; skd_expect_exit 1

# the reboot, as the kernel and systemd would leave things
mkdir -p "$work/root/sys/kernel"
echo "BOOT_IMAGE=/vmlinuz root=/dev/mock ro crashkernel=256M" >"$work/root/proc/cmdline"
echo 268435456 >"$work/root/sys/kernel/kexec_crash_size"
echo 1 >"$work/root/sys/kernel/kexec_crash_loaded"
echo mock-kdump >"$work/root/var/lib/mock/service-active"
mkdir -p "$work/root/var/crash"
skd_run post-interrupt-check; skd_expect_exit 0

# converged: a second apply and config run no command and write nothing
before=$(skd_tree_hash "$work/root")
skd_run apply;  skd_expect_exit 0
skd_check [ ! -s "$work/commands.log" ]
skd_run config; skd_expect_exit 0
skd_check [ ! -s "$work/commands.log" ]
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]

# a dry run of a changed value shows the change and makes none
skd_configmap crashkernel 512M
skd_run --dry-run config; skd_expect_exit 0
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
skd_run config-check; skd_expect_exit 1
skd_configmap crashkernel 256M

skd_run --json config-check; skd_expect_exit 0
skd_run --dry-run uninstall; skd_expect_exit 0
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
skd_run uninstall;       skd_expect_exit 0
skd_run uninstall-check; skd_expect_exit 0
skd_record_changes
skd_golden mock-lifecycle
skd_finish
