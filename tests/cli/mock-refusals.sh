#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Bad input is refused by every mode with exit 2 and one line naming the
# input, before anything is touched: the root stays byte-identical.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

SKD_BACKEND_PATH="$SKD_TOP_BUILDDIR/tests/plugins/.libs"
skd_setup
skd_root "$SKD_TOP_SRCDIR/tests/fixtures/mockos"
hash=$(skd_tree_hash "$work/root")
# SKD_HOSTILE_MODES: fewer modes, for the slow passes (as tests/hostile/)
modes=${SKD_HOSTILE_MODES:-apply apply-check config config-check post-interrupt-check uninstall uninstall-check upgrade upgrade-check}

refused() {
	for mode in $modes; do
		skd_run "$mode"
		skd_expect_exit 2
		skd_check [ "$(wc -l <"$work/out")" -eq 1 ]
		skd_check grep -q "configmap '$1'" "$work/out"
		skd_check [ "$hash" = "$(skd_tree_hash "$work/root")" ]
	done
}

# the shell expansions below are the hostile input itself, kept literal
# shellcheck disable=SC2016
for value in '256M" init=/bin/sh' '256M; reboot' '$(reboot)' '`reboot`' \
	'crashkernel=crashkernel=256M' '0x10000000' '0256M' '-256M' \
	'99999999999999999999M' '4G-1G:256M' '1G-4G:192M,2G-8G:256M' '0M' \
	'32G-:512M' '9G' 'auto auto' '256M 512M'; do
	printf '%s\n' "$value" >"$work/configmaps/crashkernel"
	refused crashkernel
done
# a newline inside, a NUL byte, non-ASCII, 100 KB
printf '256M\ninit=/bin/sh\n' >"$work/configmaps/crashkernel"; refused crashkernel
printf '256M\0' >"$work/configmaps/crashkernel"; refused crashkernel
printf '256\303\251M' >"$work/configmaps/crashkernel"; refused crashkernel
head -c 102400 /dev/zero | tr '\0' 1 >"$work/configmaps/crashkernel"; refused crashkernel
# not a regular file
rm -f "$work/configmaps/crashkernel"
ln -s /etc/hostname "$work/configmaps/crashkernel"; refused crashkernel
rm -f "$work/configmaps/crashkernel"
mkdir "$work/configmaps/crashkernel"; refused crashkernel
rmdir "$work/configmaps/crashkernel"
mkfifo "$work/configmaps/crashkernel"; refused crashkernel
rm -f "$work/configmaps/crashkernel"

# kdump.conf: binary, injection, unknown settings
echo 256M >"$work/configmaps/crashkernel"
printf '\177ELF\002\001\001\000' >"$work/configmaps/kdump.conf"; refused kdump.conf
printf 'path /var/crash\nrm -rf /\n' >"$work/configmaps/kdump.conf"; refused kdump.conf
# shellcheck disable=SC2016
printf 'KDUMP_COREDIR="$(reboot)"\n' >"$work/configmaps/kdump.conf"; refused kdump.conf
printf 'USE_KDUMP=1\nNOT_A_SETTING=1\n' >"$work/configmaps/kdump.conf"; refused kdump.conf
rm -f "$work/configmaps/kdump.conf"

skd_finish
