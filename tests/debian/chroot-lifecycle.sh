#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every lifecycle mode with the real tools, on a copy of a debootstrapped
# Debian 12 root: apt-get installs and purges the kdump packages from
# Debian's archive, update-grub writes a real grub.cfg, systemctl enables
# the service offline. Needs root, debootstrap (or the cached root) and the
# archive; skipped otherwise, or with SKD_SKIP_CHROOT_TEST=1.
#
# post-interrupt-check needs the kernel booted with the new value; in a
# chroot the program says it skipped those checks, and that is asserted.
# (The fixture tests simulate the boot, but only with the fake tools.)
set -eu

: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/cli/lib.sh
. "$SKD_TOP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=tests/debian/chroot-mounts.sh
. "$SKD_TOP_SRCDIR/tests/debian/chroot-mounts.sh"

release=bookworm
value=512M
# makedumpfile is there before apply, as an admin may have it: apply must
# leave it out, uninstall must keep it
preinstalled=makedumpfile
ours="kdump-tools kexec-tools crash"

skip() {
	echo "SKIP: chroot test: $*"
	exit 77
}

[ "${SKD_SKIP_CHROOT_TEST:-0}" != 1 ] || skip "SKD_SKIP_CHROOT_TEST=1"
[ "$(id -u)" = 0 ] || skip "needs root (chroot, mount, apt-get in the root)"
set +e
cache=$(sh "$SKD_TOP_SRCDIR/tests/debian/root-cache.sh" "$release")
rc=$?
set -e
[ "$rc" != 77 ] || skip "no Debian $release root (see the root-cache message above)"
if [ "$rc" != 0 ]; then
	echo "FAIL: tests/debian/root-cache.sh $release exited $rc" >&2
	exit 1
fi

# the program runs the real tools: none of the test hooks
unset SKYHOOK_KDUMP_TEST_FAKE_TOOLS SKYHOOK_KDUMP_TEST_COMMAND_LOG \
	SKYHOOK_KDUMP_TEST_DUMP_FREE SKYHOOK_KDUMP_PROMETHEUS_FILE \
	SKYHOOK_KDUMP_BACKEND_PATH

work=$(mktemp -d "${SKD_CHROOT_TMPDIR:-${TMPDIR:-/tmp}}/skd-chroot-XXXXXX")
root="$work/root"
cleanup() {
	# never delete through a mount (the root's /dev is the host's)
	if skd_chroot_umount "$work"; then
		rm -rf --one-file-system "$work"
	else
		echo "chroot test: $work is still mounted; left in place" >&2
	fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { date +%s%3N; }

# A command inside the root, with a clean environment as the program uses.
in_root() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C DEBIAN_FRONTEND=noninteractive chroot "$root" "$@"
}

t0=$(now_ms)
cp -a "$cache" "$root"
echo "copied the cached root in $(( ($(now_ms) - t0) / 1000 )) s"
skd_chroot_mount "$root" || skip "cannot mount /proc, /sys and /dev into a copy of the root here"
# name resolution for apt, as on the host
rm -f "$root/etc/resolv.conf"
cat /etc/resolv.conf >"$root/etc/resolv.conf"
# Installing and purging kdump-tools triggers update-initramfs, minutes of
# compression that prove nothing about us here (the VM test boots the
# initrd it builds); SKD_CHROOT_INITRAMFS=1 keeps Debian's setting.
if [ "${SKD_CHROOT_INITRAMFS:-0}" != 1 ] && [ -f "$root/etc/initramfs-tools/update-initramfs.conf" ]; then
	sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$root/etc/initramfs-tools/update-initramfs.conf"
fi

# A node has a boot menu before we come: make it with the tools in the root.
if ! in_root update-grub >"$work/out" 2>&1; then
	cat "$work/out"
	skip "update-grub fails in a chroot on this file system ($(stat -f -c %T "$root")); SKD_CHROOT_TMPDIR can name a directory on ext4 or xfs"
fi
t0=$(now_ms)
if ! in_root apt-get update >"$work/out" 2>&1; then
	tail -n 5 "$work/out"
	skip "apt-get update in the root cannot reach Debian's archive"
fi
if ! in_root apt-get install -y --no-install-recommends "$preinstalled" >"$work/out" 2>&1; then
	tail -n 20 "$work/out"
	echo "FAIL: cannot install $preinstalled in the root before the test" >&2
	exit 1
fi
echo "set up the root (update-grub, apt-get install $preinstalled) in $(( ($(now_ms) - t0) / 1000 )) s"

mkdir -p "$work/configmaps"
echo "$value" >"$work/configmaps/crashkernel"

# run_mode [--json] MODE: the program on the root; its output in $work/out
# and the log, its exit code in $last_status.
run_mode() {
	_t=$(now_ms)
	set +e
	"$SKD_BIN" --root "$root" --configmaps "$work/configmaps" "$@" >"$work/out" 2>&1
	last_status=$?
	set -e
	_t=$(( $(now_ms) - _t ))
	echo "== skyhook-kdump $*: exit $last_status, $((_t / 1000)).$((_t % 1000 / 100)) s"
	sed 's/^/   /' "$work/out"
}

# skd_expect_exit with the mode named
expect() {
	tests_run=$((tests_run + 1))
	if [ "$last_status" != "$1" ]; then
		echo "FAIL: $2: expected exit $1, got $last_status" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

# "package:arch version" of each package dpkg has installed
installed_packages() {
	awk '/^Package:/ { p = $2 } /^Architecture:/ { a = $2 } /^Version:/ { v = $2 }
	     /^Status:/ { s = $0 }
	     /^$/ { if (s == "Status: install ok installed") print p ":" a " " v; p = a = v = s = "" }
	     END { if (s == "Status: install ok installed") print p ":" a " " v }' \
		"$root/var/lib/dpkg/status" | LC_ALL=C sort
}

# Packages dpkg still knows in any state (a removed but not purged one
# keeps "deinstall ok config-files").
known_package() {
	awk -v p="$1" '/^Package:/ { n = $2 } /^Status:/ && n == p { f = 1 } END { exit !f }' \
		"$root/var/lib/dpkg/status"
}

purged() { ! known_package "$1"; }

# Each "linux" line of grub.cfg as "normal|recovery COUNT VALUES": how many
# crashkernel= words it carries, and which.
grub_linux_lines() {
	awk '/^[[:space:]]*menuentry / { rec = /\(recovery mode\)/ }
	     $1 == "linux" { n = 0; v = ""
		for (i = 2; i <= NF; i++) if ($i ~ /^crashkernel=/) { n++; v = v " " $i }
		print (rec ? "recovery " : "normal ") n v }' "$root/boot/grub/grub.cfg"
}

# Normal entries carry exactly crashkernel=$1 (or none when $1 is empty);
# recovery entries none: grub-mkconfig leaves GRUB_CMDLINE_LINUX_DEFAULT,
# where the value is set (as kdump-tools' own drop-in does), out of them.
grub_carries() {
	_want="normal 0"
	[ -z "$1" ] || _want="normal 1 crashkernel=$1"
	grub_linux_lines >"$work/linux-lines"
	if ! grep -q '^normal ' "$work/linux-lines" ||
	   grep '^normal ' "$work/linux-lines" | grep -vqx "$_want" ||
	   grep '^recovery ' "$work/linux-lines" | grep -vqx "recovery 0"; then
		echo "grub.cfg's linux lines, want \"$_want\" on each normal entry:" >&2
		cat "$work/linux-lines" >&2
		return 1
	fi
}

# What a mode that changes nothing leaves alone: /etc, /boot, the dpkg
# database and our own state, by content, mode and link target.
state_hash() {
	(cd "$root" && {
		find etc boot var/lib/dpkg/status var/lib/skyhook-kdump -printf '%p %y %m %l\n' |
			LC_ALL=C sort
		find etc boot var/lib/dpkg/status var/lib/skyhook-kdump -type f -print0 |
			LC_ALL=C sort -z | xargs -0 -r sha256sum
	}) | sha256sum | cut -d' ' -f1
}

# "M path type mode link" of everything under /etc and /boot, and
# "H path sha256" of each file
tree_list() {
	(cd "$root" && {
		find etc boot -printf 'M %p %y %m %l\n'
		find etc boot -type f -exec sha256sum {} + | awk '{ print "H", $2, $1 }'
	}) | LC_ALL=C sort
}

# Why PATH (under /etc or /boot) may differ after uninstall, or nothing:
# a file of a package apt pulled in (never autoremoved), or what the
# package triggers regenerate.
leftover_reason() {
	case $1 in
	boot/grub/grub.cfg) echo "regenerated (its linux lines are compared above)"; return ;;
	boot/initrd.img-*) echo "rebuilt by initramfs-tools' trigger"; return ;;
	etc/ld.so.cache) echo "rebuilt by ldconfig"; return ;;
	esac
	while read -r _p; do
		if cat "$root/var/lib/dpkg/info/$_p.list" "$root/var/lib/dpkg/info/$_p:"*.list 2>/dev/null |
		   grep -qxF "/$1"; then
			echo "from $_p, installed as a dependency"
			return
		fi
	done <"$work/packages.new"
}

# Each path under /etc and /boot that differs from before apply must have
# a reason.
no_unexplained_leftovers() {
	tree_list >"$work/tree.after"
	LC_ALL=C comm -3 "$work/tree.before" "$work/tree.after" | awk '{ print $2 }' |
		LC_ALL=C sort -u >"$work/tree.changed"
	_bad=0
	while read -r _f; do
		_why=$(leftover_reason "$_f")
		echo "   $_f: ${_why:-UNEXPLAINED}"
		[ -n "$_why" ] || _bad=1
	done <"$work/tree.changed"
	return $_bad
}

json_done_nothing() {
	grep -q '"result":"ok"' "$work/out" && grep -q '"done":\[\]' "$work/out"
}

# apt marked it as pulled in by another package
auto_installed() {
	awk -v p="$1" '/^Package:/ { n = $2 } n == p && /^Auto-Installed: 1/ { f = 1 } END { exit !f }' \
		"$root/var/lib/apt/extended_states"
}

# Every package of the root whose dpkg state is not "installed", as
# "NAME STATE", one per line.
unfinished_packages() {
	awk '/^Package:/ { p = $2 } /^Status:/ { if ($NF != "installed") print p, $NF }' \
		"$root/var/lib/dpkg/status" | LC_ALL=C sort
}

initrd_hashes() {
	(cd "$root" && sha256sum boot/initrd.img-* 2>/dev/null) || true
}

service_enabled() {
	[ "$(in_root systemctl is-enabled kdump-tools.service 2>/dev/null)" = enabled ]
}

installed_packages >"$work/packages.before"
initrd_hashes >"$work/initrd.before"
tree_list >"$work/tree.before"
grub_linux_lines >"$work/grub.before"
skd_check grub_carries ""
for p in $ours; do
	skd_check test -z "$(grep "^$p:" "$work/packages.before")"
done

echo "--- before apply"
run_mode apply-check
expect 1 "apply-check before apply"
run_mode config-check
expect 1 "config-check before config"
# config before apply stops before its first change (issue 18, item 5)
hash0=$(state_hash)
run_mode config
expect 4 "config before apply"
skd_check grep -q '/etc/default/kdump-tools is missing and kdump-tools .* not installed: run apply first; nothing was changed' "$work/out"
skd_check test "$(state_hash)" = "$hash0"
skd_check test ! -e "$root/etc/default/grub.d/zz-skyhook-kdump.cfg"

echo "--- first apply and config"
run_mode apply
expect 0 apply
skd_check grep -qx "apply: installed $ours with apt-get" "$work/out"
installed_packages >"$work/packages.applied"
for p in $ours; do
	skd_check grep -q "^$p:" "$work/packages.applied"
done
skd_check grep -qx "$(grep "^$preinstalled:" "$work/packages.before")" "$work/packages.applied"
# configured, every trigger run but the initrd rebuild, the initrd as it was
echo "unfinished after apply: $(unfinished_packages | tr '\n' ' ')"
skd_check test "$(unfinished_packages)" = "initramfs-tools triggers-pending"
skd_check test "$(initrd_hashes)" = "$(cat "$work/initrd.before")"
skd_check grep -q "kept the pending initrd rebuild (initramfs-tools trigger)" "$work/out"
skd_check service_enabled
run_mode apply-check
expect 0 apply-check
# the menu as a config stopped before update-grub would leave it
cp -p "$root/boot/grub/grub.cfg" "$work/grub.cfg.applied"
# kdump-tools' mkinitramfs failing (a full /var): config exits 4 naming
# the step and mkinitramfs' last words, before anything reboots
mv "$root/usr/sbin/mkinitramfs" "$root/usr/sbin/mkinitramfs.real"
printf '#!/bin/sh\necho "E: mkinitramfs failure zstd 70" >&2\nexit 70\n' >"$root/usr/sbin/mkinitramfs"
chmod 755 "$root/usr/sbin/mkinitramfs"
run_mode config
expect 4 "config with mkinitramfs failing"
skd_check grep -q "building the capture initrd of kernel .* failed: .*kdump-tools failed with exit status 70: .*update-initramfs: failed for /var/lib/kdump/initrd.img-.* with 70" "$work/out"
mv "$root/usr/sbin/mkinitramfs.real" "$root/usr/sbin/mkinitramfs"
run_mode config
expect 0 config
skd_check grub_carries "$value"
skd_check test -f "$root/etc/default/grub.d/zz-skyhook-kdump.cfg"
# built in config with kdump-tools' own hook, as kdump-config would at the
# first boot: the initrd of the kernel that boots next, and the sysctls
# copy its "load" compares (else it would rebuild)
kver=$(find "$root/boot" -maxdepth 1 -name "vmlinuz-*" -printf "%f\n" | sed "s/^vmlinuz-//" | sort -V | tail -n 1)
skd_check grep -q "built the capture initrd of kernel $kver" "$work/out"
skd_check test -s "$root/var/lib/kdump/initrd.img-$kver"
skd_check cmp -s "$root/etc/kdump/sysctl.conf" "$root/var/lib/kdump/latest_sysctls-$kver"
echo "capture initrd: $(stat -c %s "$root/var/lib/kdump/initrd.img-$kver") bytes, system initrd: $(stat -c %s "$root/boot/initrd.img-$kver") bytes"
skd_check chroot "$root" sh -c "lsinitramfs /var/lib/kdump/initrd.img-$kver | grep -qx etc/kdump/sysctl.conf"
run_mode config-check
expect 0 config-check
run_mode post-interrupt-check
expect 0 post-interrupt-check
skd_check grep -qx "post-interrupt-check: skipped the kernel checks: $root is not a running system" "$work/out"
run_mode upgrade
expect 0 upgrade
run_mode upgrade-check
expect 0 upgrade-check

echo "--- second apply and config: nothing changes"
hash1=$(state_hash)
grub1=$(stat -c '%i %Y' "$root/boot/grub/grub.cfg")
run_mode --json apply
expect 0 "second apply"
skd_check json_done_nothing
run_mode --json config
expect 0 "second config"
skd_check json_done_nothing
skd_check test "$(state_hash)" = "$hash1"
# update-grub writes a new file even when the menu is the same
skd_check test "$(stat -c '%i %Y' "$root/boot/grub/grub.cfg")" = "$grub1"
run_mode apply-check
expect 0 "apply-check after the second apply"
run_mode config-check
expect 0 "config-check after the second config"

echo "--- drift that config repairs: config-check fails and says which (issue 18)"
# kdump switched off (item 1)
sed -i 's/^USE_KDUMP=.*/USE_KDUMP=0/' "$root/etc/default/kdump-tools"
run_mode config-check
expect 1 "config-check with USE_KDUMP=0"
skd_check grep -q 'kdump is not enabled: USE_KDUMP=0 in "/etc/default/kdump-tools"' "$work/out"
run_mode apply-check
expect 0 "apply-check with USE_KDUMP=0 (a warning: config enables it)"
skd_check grep -q 'warning: kdump is not enabled: USE_KDUMP=0' "$work/out"
run_mode config
expect 0 "config enables kdump again"
skd_check grep -q '^USE_KDUMP=1$' "$root/etc/default/kdump-tools"
run_mode config-check
expect 0 "config-check after that"
# the menu from before config (item 2)
cp -p "$work/grub.cfg.applied" "$root/boot/grub/grub.cfg"
run_mode config-check
expect 1 "config-check with the menu from before config"
skd_check grep -q 'the boot menu is stale: a linux line of "/boot/grub/grub.cfg" carries crashkernel=384M-:128M' "$work/out"
run_mode config
expect 0 "config regenerates the menu"
skd_check grub_carries "$value"
run_mode config-check
expect 0 "config-check after that"
# our drop-in gone
rm "$root/etc/default/grub.d/zz-skyhook-kdump.cfg"
run_mode config-check
expect 1 "config-check without our drop-in"
run_mode config
expect 0 "config writes the drop-in again"
run_mode config-check
expect 0 "config-check after that"
# an admin's crashkernel= while we manage the node (item 6)
cp -p "$root/etc/default/grub" "$work/grub.default.saved"
sed -i 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="crashkernel=1G"/' "$root/etc/default/grub"
run_mode config-check
expect 0 "config-check with an admin's crashkernel=1G"
skd_check grep -q 'warning: crashkernel=1G set in /etc/default/grub is overridden by crashkernel=512M of skyhook-kdump; uninstall leaves it in place' "$work/out"

echo "--- uninstall"
run_mode uninstall-check
expect 1 "uninstall-check before uninstall"
run_mode uninstall
expect 0 uninstall
run_mode uninstall-check
expect 0 uninstall-check
skd_check grep -q 'crashkernel=1G stays in the bootloader: it is set in /etc/default/grub, not by skyhook-kdump' "$work/out"
# on every entry, recovery ones too: GRUB_CMDLINE_LINUX is the admin's
grub_linux_lines >"$work/linux-lines"
skd_check test -z "$(grep -v ' 1 crashkernel=1G$' "$work/linux-lines")"
# the admin takes their value back: the root is then as before apply
cp -p "$work/grub.default.saved" "$root/etc/default/grub"
in_root update-grub >/dev/null 2>&1
run_mode uninstall-check
expect 0 "uninstall-check after the admin's value went"
skd_check grub_carries ""
skd_check diff -u "$work/grub.before" "$work/linux-lines"
skd_check test ! -e "$root/etc/default/grub.d/zz-skyhook-kdump.cfg"
skd_check test ! -e "$root/etc/default/grub.d/kdump-tools.cfg"
skd_check test ! -e "$root/etc/default/kdump-tools"
skd_check test ! -e "$root/etc/systemd/system/multi-user.target.wants/kdump-tools.service"
# the purge ran the initrd rebuild apply held back: nothing is left pending
skd_check test -z "$(unfinished_packages)"
# purged, not only removed
for p in $ours; do
	skd_check purged "$p"
done
installed_packages >"$work/packages.after"
# everything that was there is there in the same version ...
skd_check test -z "$(LC_ALL=C comm -23 "$work/packages.before" "$work/packages.after")"
# ... and what is new is only what apt pulled in as dependencies
LC_ALL=C comm -13 "$work/packages.before" "$work/packages.after" | sed 's/:.*//' >"$work/packages.new"
echo "left installed as dependencies: $(tr '\n' ' ' <"$work/packages.new")"
while read -r p; do
	skd_check auto_installed "$p"
done <"$work/packages.new"
echo "changed under /etc and /boot since before apply:"
skd_check no_unexplained_leftovers
run_mode apply-check
expect 1 "apply-check after uninstall"

skd_finish
