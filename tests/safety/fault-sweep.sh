#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Faults at every step leave a recoverable node. apply, config and
# uninstall (each from the state the previous fault-free mode left) run
# with SKYHOOK_KDUMP_FAULT=N:KIND for every host call N the fault-free run
# makes. Each faulted run exits 4 naming the failed step, or 0 with the
# fault-free result (a fault the program tolerates); every file outside
# our state directory is as before the run or as after a fault-free run;
# a normal re-run exits 0 and leaves exactly the fault-free run's tree.
# The four kinds take two paths: a command that fails (exit 1), a call
# that fails with an errno (write, enospc, eacces: the same code path, a
# different message). By default each call gets one errno kind, in turn,
# and each command also "command", on the first root of SKD_SAFETY_ROOTS,
# and one kind in turn on the others; SKD_SAFETY_FULL=1 runs every kind
# at every position on every root.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/safety/lib.sh"

roots=${SKD_SAFETY_ROOTS:-debian-12 rhel-9}
all_kinds="command write enospc eacces"
errno_kinds="write enospc eacces"

# nth N WORDS...: the N-th word, counting round.
nth() {
	_i=$(( $1 % ($# - 1) + 2 ))
	eval "echo \${$_i}"
}

# kinds_at ROOT-INDEX MODE N: the kinds position N gets.
kinds_at() {
	if [ "${SKD_SAFETY_FULL:-0}" = 1 ]; then
		echo "$all_kinds"
		return
	fi
	_runs=
	eval "_runs=\$runs_$2"
	if [ "$1" -gt 0 ]; then
		# shellcheck disable=SC2086 # words
		nth "$3" $all_kinds
		return
	fi
	# shellcheck disable=SC2086 # words
	_k=$(nth "$3" $errno_kinds)
	case " $_runs " in *" $3 "*) _k="command $_k" ;; esac
	echo "$_k"
}

# sweep ROOT ROOT-INDEX: prints "N passed, N failed", failures on stderr;
# in its own work area, so roots go in parallel.
sweep() {
	skd_setup
	skd_configmap crashkernel 512M
	if ! sf_prepare "$1"; then
		tests_run=1 tests_failed=1
		skd_finish
		return
	fi
	for mode in apply config uninstall; do
		n=0
		eval "n=\$calls_$mode"
		i=1
		while [ "$i" -le "$n" ]; do
			for kind in $(kinds_at "$2" "$mode" "$i"); do
				check_one "$1" "$mode" "$i:$kind"
			done
			i=$((i + 1))
		done
	done
	echo "$1: $positions faulted runs, $tolerated tolerated" >&2
	skd_finish
}

positions=0
tolerated=0

check_one() { # ROOT MODE SPEC
	what="$1 $2 SKYHOOK_KDUMP_FAULT=$3"
	d="$work/run"
	positions=$((positions + 1))
	sf_copy "$work/s-$2" "$d"
	sf_run "$d" "$2" SKYHOOK_KDUMP_FAULT="$3"
	tests_run=$((tests_run + 1))
	sf_listing "$d" >"$d.list"
	case $sf_status in
	0)
		# tolerated: then it must not have changed the outcome
		tolerated=$((tolerated + 1))
		if ! cmp -s "$d.list" "$work/t-$2.list"; then
			sf_fail "$what: exit 0 but the tree differs from the fault-free run's"
			LC_ALL=C diff "$work/t-$2.list" "$d.list" | sed 's/^/  | /' >&2 || true
		fi ;;
	4)
		# "skyhook-kdump MODE: <step> failed: <why>", why with the errno
		case ${3#*:} in
		command) why='' ;; # the backend words a failed command its own way
		write) why='Input/output error' ;;
		enospc) why='No space left on device' ;;
		eacces) why='Permission denied' ;;
		esac
		if ! grep -Eq "^skyhook-kdump $2: [a-z][^:]* failed: .*($why)" "$d.out"; then
			sf_fail "$what: the message does not name the failed step and its cause" "$d.out"
		fi ;;
	*)
		sf_fail "$what: exit $sf_status, want 4 (or 0)" "$d.out" ;;
	esac
	bad=$(sf_before_or_after "$d.list" "$work/s-$2.list" "$work/t-$2.list")
	tests_run=$((tests_run + 1))
	if [ -n "$bad" ]; then
		sf_fail "$what: neither as before nor as after a fault-free run: $bad" "$d.out"
	fi
	sf_converges "$d" "$2" "$what"
}

# shellcheck disable=SC2086 # a list of names
sf_in_parallel sweep $roots
