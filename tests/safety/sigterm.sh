#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SIGTERM (a paused rollout) while a command runs: the command finishes
# (or, past the bound, is stopped), the program stops at the next safe
# point within a few seconds, says so and what it had done, exits 4 and
# leaves the lock free; a retry converges to the fault-free result.
# apply, config and uninstall on debian-12, the commands slowed down.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/safety/lib.sh"

skd_setup
skd_configmap crashkernel 512M
sf_prepare debian-12 || { tests_run=1 tests_failed=1; skd_finish; exit 1; }

# fake tools where the commands that change something take SECONDS
slow_tools() { # DIR SECONDS
	rm -rf "$1"
	mkdir -p "$1"
	for t in "$SKD_FAKE_TOOLS"/*; do
		ln -s "$t" "$1/${t##*/}"
	done
	for t in apt-get update-grub; do
		rm "$1/$t"
		printf '#!/bin/sh\nsleep %s\nexec "%s" "$@"\n' "$2" "$SKD_FAKE_TOOLS/$t" >"$1/$t"
		chmod +x "$1/$t"
	done
}

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (10 s).
wait_for() {
	_i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -lt 100 ] || return 1
		sleep 0.1
	done
}

# term MODE COMMAND SLOW [ENV...]: MODE from its fault-free start state,
# SIGTERM once COMMAND started; the run must end within 10 s (generous:
# the command has SLOW seconds to go, or the stop bound cuts it).
term() {
	mode=$1 cmd=$2 slow=$3
	shift 3
	d="$work/run"
	what="SIGTERM during $mode ($cmd takes ${slow}s${1:+, $*})"
	sf_copy "$work/s-$mode" "$d"
	slow_tools "$work/slow" "$slow"
	: >"$d.log"
	sf_start "$d" "$mode" SF_FAKE_TOOLS="$work/slow" "$@"
	tests_run=$((tests_run + 1))
	if ! wait_for "$d.log" "^$cmd"; then
		sf_fail "$what: $cmd never started" "$d.out"
		wait "$sf_pid" || true
		return
	fi
	sleep 0.3
	start=$(date +%s)
	kill -TERM "$sf_pid"
	status=0
	wait "$sf_pid" || status=$?
	took=$(($(date +%s) - start))
	if [ "$took" -gt 10 ]; then
		sf_fail "$what: took ${took}s to stop" "$d.out"
	fi
	tests_run=$((tests_run + 1))
	if [ "$status" != 4 ]; then
		sf_fail "$what: exit $status, want 4" "$d.out"
	fi
	tests_run=$((tests_run + 1))
	if ! grep -Eq "^skyhook-kdump $mode: .*stopped by SIGTERM" "$d.out"; then
		sf_fail "$what: no message that it stopped" "$d.out"
	fi
	# what it had done: the steps done, "before changing anything", or
	# the step that was cut short
	tests_run=$((tests_run + 1))
	if ! grep -Eq "stopped by SIGTERM.*(before changing anything|after: |failed: )" "$d.out"; then
		sf_fail "$what: the message does not say what was done" "$d.out"
	fi
	# the lock is free: the retry does not wait, and converges
	sf_run "$d" "$mode"
	tests_run=$((tests_run + 1))
	if grep -q "waiting for it" "$d.out"; then
		sf_fail "$what: the retry waited for a lock" "$d.out"
	fi
	tests_run=$((tests_run + 1))
	sf_listing "$d" >"$d.list"
	if [ "$sf_status" != 0 ]; then
		sf_fail "$what: the retry exited $sf_status" "$d.out"
	elif ! cmp -s "$d.list" "$work/t-$mode.list"; then
		sf_fail "$what: the retry's tree differs from the fault-free run's"
		LC_ALL=C diff "$work/t-$mode.list" "$d.list" | sed 's/^/  | /' >&2 || true
	fi
}

# the command finishes (a package manager is not cut mid-transaction)
term apply apt-get 3
term config update-grub 3
term uninstall apt-get 3
# past the bound it is stopped: a hung command does not hold the node
term apply apt-get 60 SKYHOOK_KDUMP_TEST_STOP_GRACE=1
skd_finish
