#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Hostile input is refused before any change: every case of
# tests/hostile/cases/ runs through every lifecycle mode on a fresh copy of
# a fixture root. Each run must exit 2 or 3 (the case says which), print
# nothing on stdout and exactly one line on stderr that names the input
# and carries no control character, and leave the root and the configmaps
# folder byte-identical (path, type, mode, owner, mtime, content, link
# target). One case x mode is one check.
#
# A case file holds KEY=value lines (values are literal, never evaluated):
#   root=FIXTURE          a directory of tests/fixtures (default debian-12)
#   input=NAME            crashkernel, kdump.conf or os-release
#   data=TEXT             the input's content, printf %b escapes (\n, \0,
#                         \0303 ...); kdump.conf and os-release may be
#                         given as several data= lines, one per line
#   fill=C size=N         N bytes of the character C (instead of data)
#   repeat=LINE size=N    LINE repeated up to N bytes (instead of data)
#   kind=KIND             file (default), absent, symlink (target=),
#                         dir, fifo, socket, unreadable
#   target=PATH           where a symlink points
#   crashkernel=TEXT      the crashkernel configmap when it is not the
#                         hostile input (default 256M)
#   expect=2|3            the exit code of every mode
#   names=TEXT            what the message must contain (default: the
#                         configmap's name, or "os-release")
# SKD_HOSTILE_CASES=GLOB runs only the matching case files;
# SKD_HOSTILE_MODES="apply config" only those modes (CI's sanitizer re-run).
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

modes=${SKD_HOSTILE_MODES:-apply apply-check config config-check post-interrupt-check uninstall uninstall-check upgrade upgrade-check}
cases_dir="$SKD_TOP_SRCDIR/tests/hostile/cases"
skd_setup
started=$(date +%s)
n_cases=0

# The root and the configmaps folder as one archive: every entry's path,
# type, mode, owner, mtime, link target and content (sockets are left out).
tree_hash() {
	(cd "$work" && tar --sort=name --numeric-owner -cf - root configmaps 2>/dev/null) |
		sha256sum
}

# Reads the case file into the c_* variables.
read_case() {
	c_root=debian-12 c_input='' c_data='' c_have_data=0 c_fill='' c_repeat=''
	c_size='' c_kind=file c_target='' c_crashkernel='256M\n' c_expect='' c_names=''
	while IFS= read -r line || [ -n "$line" ]; do
		key=${line%%=*}
		value=${line#*=}
		case $key in
		''|'#'*) ;;
		root) c_root=$value ;;
		input) c_input=$value ;;
		data)
			if [ "$c_have_data" = 1 ]; then c_data="$c_data\\n$value"; else c_data=$value; fi
			c_have_data=1 ;;
		fill) c_fill=$value ;;
		repeat) c_repeat=$value ;;
		size) c_size=$value ;;
		kind) c_kind=$value ;;
		target) c_target=$value ;;
		crashkernel) c_crashkernel=$value ;;
		expect) c_expect=$value ;;
		names) c_names=$value ;;
		*) echo "$1: unknown key '$key'" >&2; return 1 ;;
		esac
	done <"$1"
	# several data= lines make a text file: it ends with a newline
	if [ "$c_have_data" = 1 ] && [ "$c_input" != crashkernel ]; then
		case $c_data in *'\n') ;; *) c_data="$c_data\\n" ;; esac
	fi
	if [ -z "$c_names" ]; then
		case $c_input in
		os-release) c_names=os-release ;;
		*) c_names="configmap '$c_input'" ;;
		esac
	fi
	case $c_expect in 2|3) ;; *) echo "$1: expect= must be 2 or 3" >&2; return 1 ;; esac
	[ -d "$SKD_TOP_SRCDIR/tests/fixtures/$c_root" ] ||
		{ echo "$1: no fixture $c_root" >&2; return 1; }
}

# Writes the case's content to FILE.
write_content() {
	if [ -n "$c_fill" ]; then
		head -c "$c_size" /dev/zero | tr '\0' "$c_fill" >"$1"
	elif [ -n "$c_repeat" ]; then
		yes "$c_repeat" | head -c "$c_size" >"$1"
	else
		printf '%b' "$c_data" >"$1"
	fi
}

# Puts the hostile input in place as PATH, in the form the case asks.
place_input() {
	rm -rf "$1"
	case $c_kind in
	file) write_content "$1" ;;
	absent) ;;
	symlink) ln -s "$c_target" "$1" ;;
	dir) mkdir "$1"; write_content "$1/$c_input" ;;
	fifo) mkfifo "$1" ;;
	socket) python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1" 2>/dev/null || true ;;
	unreadable) write_content "$1"; chmod 000 "$1" ;;
	*) echo "unknown kind $c_kind" >&2; return 1 ;;
	esac
}

# Without CAP_DAC_OVERRIDE even root meets the mode bits of a file, as on a
# root-squashed or otherwise unreadable mount.
unprivileged=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	unprivileged="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"
fi

fail() {
	echo "FAIL: $case_name $mode: $*" >&2
	sed 's/^/  stderr: /' "$work/err" >&2
	sed 's/^/  stdout: /' "$work/out" >&2
	failed=1
}

run_case() {
	case_name=$(basename "$1" .case)
	read_case "$1" || { tests_run=$((tests_run + 1)); tests_failed=$((tests_failed + 1)); return; }
	n_cases=$((n_cases + 1))
	rm -rf "$work/root" "$work/configmaps"
	mkdir -p "$work/root" "$work/configmaps"
	cp -a "$SKD_TOP_SRCDIR/tests/fixtures/$c_root/." "$work/root/"
	chmod -R u+w "$work/root"
	# RAM, so that sizes are checked as on a node
	skd_add_ram "$work/root" 16
	if [ "$c_input" = os-release ]; then
		printf '%b' "$c_crashkernel" >"$work/configmaps/crashkernel"
		rm -f "$work/root/usr/lib/os-release"
		place_input "$work/root/etc/os-release"
	else
		if [ "$c_input" != crashkernel ]; then
			printf '%b' "$c_crashkernel" >"$work/configmaps/crashkernel"
		fi
		place_input "$work/configmaps/$c_input"
	fi
	prefix=
	if [ "$c_kind" = socket ] && [ ! -S "$work/configmaps/$c_input" ]; then
		echo "SKIP: $case_name: no python3 to make a socket"
		return
	fi
	if [ "$c_kind" = unreadable ] && [ "$(id -u)" = 0 ]; then
		if [ -z "$unprivileged" ]; then
			echo "SKIP: $case_name: root without setpriv cannot make a file unreadable"
			return
		fi
		prefix=$unprivileged
	fi
	before=$(tree_hash)
	for mode in $modes; do
		failed=0
		set +e
		# $prefix is a command and its options, split on purpose
		# shellcheck disable=SC2086
		SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$SKD_FAKE_TOOLS" \
		SKYHOOK_KDUMP_TEST_COMMAND_LOG="$work/commands.log" \
		SKYHOOK_KDUMP_BACKEND_PATH='' \
		$prefix "$SKD_BIN" --root "$work/root" --configmaps "$work/configmaps" "$mode" \
			>"$work/out" 2>"$work/err" </dev/null
		status=$?
		set -e
		tests_run=$((tests_run + 1))
		[ "$status" = "$c_expect" ] || fail "exit $status, expected $c_expect"
		[ ! -s "$work/out" ] || fail "output on stdout"
		if ! awk -v name="$c_names" '
			NR == 1 && index($0, name) && $0 !~ /[[:cntrl:]]/ { ok = 1 }
			END { exit !(ok && NR == 1) }' "$work/err" || [ -n "$(tail -c 1 "$work/err")" ]; then
			fail "stderr is not one line naming $c_names, free of control characters"
		fi
		[ ! -s "$work/commands.log" ] || fail "commands were run: $(cat "$work/commands.log")"
		after=$(tree_hash)
		[ "$before" = "$after" ] || fail "the root or the configmaps changed"
		if [ "$failed" = 1 ]; then
			tests_failed=$((tests_failed + 1))
		fi
		: >"$work/commands.log"
	done
	# a FIFO or socket must not outlive the case: rm -rf of the work area
	# handles them, and a mode-000 file is removable by its owner's dir
	chmod -R u+rwX "$work/configmaps" 2>/dev/null || true
}

for f in "$cases_dir"/${SKD_HOSTILE_CASES:-*}.case; do
	[ -e "$f" ] || continue
	run_case "$f"
done
echo "$n_cases cases x $(echo "$modes" | wc -w) modes in $(( $(date +%s) - started )) s"
skd_finish
