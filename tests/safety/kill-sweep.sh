#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SIGKILL at every write point. apply, config and uninstall (each from the
# state the previous fault-free mode left) are killed with
# SKYHOOK_KDUMP_FAULT=N:kill at each write point N of the fault-free run:
# after each file change, inside each atomic replace (temp file complete,
# not renamed), around each command that changes the system. Every file
# outside our state directory is then as before or as after a fault-free
# run (a temp file beside its target is the only extra allowed), and a
# normal re-run exits 0 with exactly the fault-free run's tree (it removes
# the temp file).
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/safety/lib.sh"

roots=${SKD_SAFETY_ROOTS:-debian-12 rhel-9}

sweep() { # ROOT
	skd_setup
	skd_configmap crashkernel 512M
	if ! sf_prepare "$1"; then
		tests_run=1 tests_failed=1
		skd_finish
		return
	fi
	kills=0
	for mode in apply config uninstall; do
		n=0
		eval "n=\$writes_$mode"
		i=1
		while [ "$i" -le "$n" ]; do
			kill_one "$1" "$mode" "$i"
			kills=$((kills + 1))
			i=$((i + 1))
		done
		# one past the last write point: no kill, the run completes
		kill_one "$1" "$mode" "$i"
	done
	echo "$1: $kills kills" >&2
	skd_finish
}

kill_one() { # ROOT MODE N
	what="$1 $2 SKYHOOK_KDUMP_FAULT=$3:kill"
	d="$work/run"
	sf_copy "$work/s-$2" "$d"
	sf_run "$d" "$2" SKYHOOK_KDUMP_FAULT="$3:kill"
	_n=0
	eval "_n=\$writes_$2"
	tests_run=$((tests_run + 1))
	if [ "$3" -le "$_n" ] && [ "$sf_status" != 137 ]; then
		sf_fail "$what: exit $sf_status, want 137 (killed)" "$d.out"
	elif [ "$3" -gt "$_n" ] && [ "$sf_status" != 0 ]; then
		sf_fail "$what: exit $sf_status past the last write point" "$d.out"
	fi
	sf_listing "$d" >"$d.list"
	bad=$(sf_before_or_after "$d.list" "$work/s-$2.list" "$work/t-$2.list" |
		grep -v '/\.[^/]*\.skdkill0~$' || true)
	tests_run=$((tests_run + 1))
	if [ -n "$bad" ]; then
		sf_fail "$what: neither as before nor as after a fault-free run: $bad" "$d.out"
	fi
	sf_converges "$d" "$2" "$what"
}

# shellcheck disable=SC2086 # a list of names
sf_in_parallel sweep $roots
