#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Sourced by bench/run.sh: apply and config with the real tools (apt-get,
# update-grub, systemctl) in a chroot on a copy of the cached Debian 12
# root (tests/debian/root-cache.sh): once from the fresh root, then
# BENCH_CHROOT_RUNS (5) times each on the converged root, with the checks. Commands
# are counted from what the program itself started (bench/measure
# --cmdlog). Skipped with a message when not root, when the cached root
# is missing, or when mounts or the archive are not available.

# shellcheck disable=SC2154 # measure, work, raw: set by bench/run.sh
# shellcheck source=tests/debian/chroot-mounts.sh
. "$SKD_TOP_SRCDIR/tests/debian/chroot-mounts.sh"

# run_real ROOT MEASURE_OPTIONS ARG...: the program with the real runner
run_real() {
	_root=$1 _mopts=$2
	shift 2
	# shellcheck disable=SC2086
	env -u SKYHOOK_KDUMP_TEST_FAKE_TOOLS -u SKYHOOK_KDUMP_TEST_COMMAND_LOG \
		-u SKYHOOK_KDUMP_PROMETHEUS_FILE -u SKYHOOK_KDUMP_BACKEND_PATH \
		"$measure" $_mopts -- "$SKD_BIN" --root "$_root" \
		--configmaps "$work/configmaps" "$@"
}

# chroot_mode STATE MODE RUNS
chroot_mode() {
	_i=0
	while [ "$_i" -lt "$3" ]; do
		_i=$((_i + 1))
		_c=$(run_real "$croot" "--quiet --trace --tree $croot --cmdlog $work/chroot.cmds" "$2")
		# shellcheck disable=SC2046
		set -- "$1" "$2" "$3" $(bench_classify "$work/chroot.cmds")
		echo "$_c" | awk -v k="chroot-debian-12 $1 $2" -v pkg="$4" -v boot="$5" '{
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			print k, v["wall_us"], v["cpu_us"], v["maxrss_kb"], v["exit"], v["children"], v["files"], pkg, boot
		}' >>"$raw"
		sed 's/^/    ran: /' "$work/chroot.cmds" >&2
		set -- "$1" "$2" "$3"
	done
}

bench_chroot() {
	if [ "$(id -u)" != 0 ]; then
		echo "bench: SKIP chroot: needs root (chroot, mount)" >&2
		return 0
	fi
	if ! _cache=$(sh "$SKD_TOP_SRCDIR/tests/debian/root-cache.sh" bookworm 2>"$work/cache.err"); then
		echo "bench: SKIP chroot: no cached Debian 12 root: $(tail -n 1 "$work/cache.err")" >&2
		return 0
	fi
	croot="$work/chroot"
	cp -a "$_cache" "$croot"
	if ! skd_chroot_mount "$croot"; then
		echo "bench: SKIP chroot: cannot mount /proc, /sys and /dev into the copy" >&2
		skd_chroot_umount "$croot" || true
		return 0
	fi
	rm -f "$croot/etc/resolv.conf"
	cat /etc/resolv.conf >"$croot/etc/resolv.conf"
	# a node has a boot menu before we come
	if ! chroot "$croot" update-grub >"$work/chroot.out" 2>&1; then
		echo "bench: SKIP chroot: update-grub fails in the chroot here" >&2
		skd_chroot_umount "$croot" || true
		return 0
	fi
	echo "    chroot: fresh apply and config (apt-get from Debian's archive)" >&2
	chroot_mode fresh apply 1
	chroot_mode fresh config 1
	if ! run_real "$croot" --quiet apply-check | grep -q ' exit=0$' ||
	   ! run_real "$croot" --quiet config-check | grep -q ' exit=0$'; then
		echo "bench: chroot: apply or config did not converge (the archive unreachable?): converged runs skipped" >&2
	else
		# every run scans the whole root twice: fewer runs
		for _m in apply config apply-check config-check; do
			chroot_mode converged "$_m" "${BENCH_CHROOT_RUNS:-5}"
		done
	fi
	skd_chroot_umount "$croot" || return 1
	rm -rf --one-file-system "$croot"
	echo " chroot-debian-12" >&2
}
