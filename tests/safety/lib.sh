#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Shared by the safety tests: snapshots of a root before and after each
# fault-free mode, and the comparisons a faulted run is judged by.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

SKD_STATE_SUBDIR=var/lib/skyhook-kdump

# sf_run DIR MODE [ENV=VALUE...]: the program on root DIR with the test
# hooks; output in DIR.out, exit code in $sf_status. The command log is
# per root, so runs on different roots may go in parallel.
sf_run() {
	_dir=$1 _mode=$2
	shift 2
	set +e
	env SKYHOOK_KDUMP_TEST_FAKE_TOOLS="${SF_FAKE_TOOLS:-$SKD_FAKE_TOOLS}" \
		SKYHOOK_KDUMP_TEST_COMMAND_LOG="$_dir.log" \
		SKYHOOK_KDUMP_TEST_DUMP_FREE=100G \
		"$@" "$SKD_BIN" --root "$_dir" --configmaps "$work/configmaps" \
		${SF_FLAGS:+"$SF_FLAGS"} "$_mode" >"$_dir.out" 2>&1
	sf_status=$?
	set -e
}

# sf_start DIR MODE [SF_FAKE_TOOLS=DIR] [ENV=VALUE...]: sf_run in the
# background; $sf_pid is the program itself (for signals and wait).
# shellcheck disable=SC2034 # sf_pid is for the caller
sf_start() {
	_dir=$1 _mode=$2 _tools=${SF_FAKE_TOOLS:-$SKD_FAKE_TOOLS}
	shift 2
	case ${1:-} in SF_FAKE_TOOLS=*) _tools=${1#*=}; shift ;; esac
	env SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$_tools" \
		SKYHOOK_KDUMP_TEST_COMMAND_LOG="$_dir.log" \
		SKYHOOK_KDUMP_TEST_DUMP_FREE=100G \
		"$@" "$SKD_BIN" --root "$_dir" --configmaps "$work/configmaps" \
		"$_mode" >"${SF_OUT:-$_dir.out}" 2>&1 &
	sf_pid=$!
}

# sf_copy FROM TO: a fresh copy of a root.
sf_copy() {
	rm -rf "$2"
	cp -a "$1" "$2"
}

# sf_listing DIR: one line per path: "path type mode content-hash", the
# form in which two trees are compared file by file.
sf_listing() {
	(cd "$1" && find . ! -type f -printf '%p %y %m %l\n' &&
	 { find . -type f -printf 'mode %m %p\n'; find . -type f -exec cksum {} +; } |
		awk '$1 == "mode" { m[$3] = $2; next } { print $3, "f", m[$3], $1 "-" $2 }') |
		LC_ALL=C sort
}

# sf_before_or_after FAULTED BEFORE AFTER: every path outside our state
# directory is in FAULTED exactly as in BEFORE or exactly as in AFTER
# (absent counts), or as an original (the pristine fixture's, or the
# backup BEFORE holds: uninstall puts them back before removing packages): nothing truncated,
# half-written or left over. Prints the paths that are none of these.
# dpkg's status file is dpkg's: between apt-get's unpack and dpkg's
# configure and trigger runs it holds their states (unpacked,
# triggers-pending), dpkg replaces it whole, and the re-run converges.
sf_before_or_after() {
	awk -v skip="./$SKD_STATE_SUBDIR" '
		function key(l) { return substr(l, 1, index(l, " ") - 1) }
		function rest(l) { return substr(l, index(l, " ")) }
		FILENAME == ARGV[1] {
			b[key($0)] = rest($0); all[key($0)] = 1
			# the originals we keep: uninstall puts them back
			if (index(key($0), skip "/backup/") == 1)
				o["." substr(key($0), length(skip "/backup/"))] = rest($0)
			next
		}
		FILENAME == ARGV[2] { a[key($0)] = rest($0); all[key($0)] = 1; next }
		FILENAME == ARGV[3] { o[key($0)] = rest($0); next }
		{ f[key($0)] = rest($0); all[key($0)] = 1 }
		END {
			for (p in all) {
				if (p == skip || index(p, skip "/") == 1) continue
				if (p == "./var/lib/dpkg/status") continue
				if (f[p] != b[p] && f[p] != a[p] && !(p in o && f[p] == o[p])) print p
			}
		}' "$2" "$3" "$work/fx.list" "$1" | LC_ALL=C sort
}

# sf_prepare FIXTURE: $work/s-apply, s-config, s-uninstall (the root
# before each mode) and $work/t-* (after it), with listings, hashes and
# the number of host calls and write points of each mode.
sf_prepare() {
	rm -rf "$work/fx"
	cp -a "$SKD_TOP_SRCDIR/tests/fixtures/$1" "$work/fx"
	chmod -R u+w "$work/fx"
	[ -e "$work/fx/proc/iomem" ] || skd_add_ram "$work/fx" 16
	sf_listing "$work/fx" >"$work/fx.list"
	_prev="$work/fx"
	for _m in apply config uninstall; do
		sf_copy "$_prev" "$work/s-$_m"
		sf_copy "$_prev" "$work/t-$_m"
		SF_FLAGS=-vv sf_run "$work/t-$_m" "$_m"
		if [ "$sf_status" != 0 ]; then
			echo "FAIL: fault-free $_m on $1 exited $sf_status:" >&2
			cat "$work/t-$_m.out" >&2
			return 1
		fi
		# "host calls: 20 (commands: 5 9), write points: 11"
		_line=$(sed -n 's/.*host calls: \([0-9]*\) (commands: \([0-9 none]*\)), write points: \([0-9]*\)$/\1,\2,\3/p' "$work/t-$_m.out")
		eval "calls_$_m=\${_line%%,*} writes_$_m=\${_line##*,}"
		_line=${_line#*,}
		eval "runs_$_m=\"\${_line%,*}\""
		sf_listing "$work/s-$_m" >"$work/s-$_m.list"
		sf_listing "$work/t-$_m" >"$work/t-$_m.list"
		_prev="$work/t-$_m"
	done
}

# sf_fail MESSAGE [FILE]: one failed assertion, with the run's output.
sf_fail() {
	echo "FAIL: $1" >&2
	if [ $# -gt 1 ]; then sed 's/^/  | /' "$2" >&2; fi
	tests_failed=$((tests_failed + 1))
}

# sf_converges DIR MODE WHAT: a normal re-run of MODE on DIR exits 0 and
# leaves exactly the tree of the fault-free run.
sf_converges() {
	tests_run=$((tests_run + 1))
	sf_run "$1" "$2"
	if [ "$sf_status" != 0 ]; then
		sf_fail "$3: the re-run of $2 exited $sf_status" "$1.out"
		return
	fi
	# the listing holds every path's type, mode, link and content sum
	sf_listing "$1" >"$1.list"
	if ! cmp -s "$work/t-$2.list" "$1.list"; then
		sf_fail "$3: after the re-run of $2 the tree differs from the fault-free run's:"
		LC_ALL=C diff "$work/t-$2.list" "$1.list" | sed 's/^/  | /' >&2 || true
	fi
}

# sf_in_parallel FUNC ROOT...: FUNC ROOT INDEX for each root at once (each
# in its own work area), then the summed "N passed, N failed".
sf_in_parallel() {
	_func=$1
	shift
	_idx=0 _pids="" _out="${TMPDIR:-/tmp}/skd-safety-$$"
	for _r in "$@"; do
		"$_func" "$_r" "$_idx" >"$_out-$_r" &
		_pids="$_pids $!"
		_idx=$((_idx + 1))
	done
	for _p in $_pids; do
		wait "$_p" || true
	done
	_passed=0 _failed=0
	for _r in "$@"; do
		_line=$(tail -n 1 "$_out-$_r")
		rm -f "$_out-$_r"
		case $_line in
		*" passed, "*" failed")
			_passed=$((_passed + ${_line%% passed*}))
			_line=${_line#* passed, }
			_failed=$((_failed + ${_line%% failed*})) ;;
		*)
			_failed=$((_failed + 1))
			echo "FAIL: the run on $_r did not finish" >&2 ;;
		esac
	done
	echo "$_passed passed, $_failed failed"
	[ "$_failed" = 0 ]
}
