#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The whole lifecycle on every real root of ../shared/fixtures/roots whose
# distribution a backend serves. Which backend serves a root is what
# `skyhook-kdump backends --json` chooses for it, not a list kept here.
# Each such root becomes a node root: the project's fixture of the same
# family and release (tests/fixtures/, the nearest release where there is
# none of that release, said in the log), with every file of the shared
# root laid over it (os-release, and where the corpus has them the real
# /etc/default/grub, grub.d drop-ins, kdump.conf, kdump-tools files).
# Then apply, the checks, config with crashkernel=512M, a simulated
# reboot, converged re-runs that change nothing, and uninstall must all
# succeed, and the bootloader must carry crashkernel=512M exactly once per
# kernel entry. Roots no backend serves must make apply exit 3 with one
# line. No golden files: the shared corpus may change, so only assertions,
# each failure on a "FAIL: <root>: <step>: ..." line.
# SKD_SHARED_ROOTS="rocky-8.9 debian-12" runs only those roots;
# SKD_SHARED_ONE_PER_DISTRO=1 (below) one root of each distribution.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
shared=${SKD_SHARED_FIXTURES:-$SKD_TOP_SRCDIR/../shared/fixtures}
if [ ! -d "$shared/roots" ]; then
	echo "SKIP: $shared/roots is absent: the real-root checks need ../shared/fixtures"
	exit 77
fi
fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
roots=${SKD_SHARED_ROOTS:-$(cd "$shared/roots" && for d in *; do
	[ ! -d "$d" ] || echo "$d"
done)}
# SKD_SHARED_ONE_PER_DISTRO=1 keeps the first root of each distribution
# (the name before its version): the slow passes (valgrind) use it.
if [ "${SKD_SHARED_ONE_PER_DISTRO:-0}" = 1 ]; then
	seen=" " first=
	for r in $roots; do
		d=${r%%-[0-9]*}
		case $seen in *" $d "*) continue ;; esac
		seen="$seen$d " first="$first $r"
	done
	roots=$first
fi
per_backend=

# fail ROOT STEP MESSAGE: one failed assertion, named
fail() {
	echo "FAIL: $1: $2: $3" >&2
	tests_failed=$((tests_failed + 1))
}

# run ARGS...: the program on $work/root with the recording runner and the
# fake tools (skd_run without its transcript: nothing here is golden)
run() {
	: >"$work/commands.log"
	set +e
	SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$SKD_FAKE_TOOLS" \
	SKYHOOK_KDUMP_TEST_COMMAND_LOG="$work/commands.log" \
	SKYHOOK_KDUMP_BACKEND_PATH="${SKD_BACKEND_PATH:-}" \
	"$SKD_BIN" --root "$work/root" --configmaps "$work/configmaps" "$@" \
		>"$work/out" 2>&1
	last_status=$?
	set -e
}

# show_run: the last run's output and commands, indented, for a FAIL
show_run() {
	sed -e "s|$work/root|ROOT|g" -e 's/^/    /' "$work/out" >&2
	if [ -s "$work/commands.log" ]; then
		sed -e "s|$work/root|ROOT|g" -e 's/^/    cmd: /' "$work/commands.log" >&2
	fi
}

# step ROOT STEP CODE ARGS...: run the program, expect exit CODE
step() {
	_r=$1 _s=$2 _code=$3
	shift 3
	run "$@"
	tests_run=$((tests_run + 1))
	if [ "$last_status" != "$_code" ]; then
		fail "$_r" "$_s" "exit $last_status, expected $_code; output:"
		show_run
		return 1
	fi
}

# check ROOT STEP MESSAGE COMMAND...: COMMAND must succeed
check() {
	_r=$1 _s=$2 _m=$3
	shift 3
	tests_run=$((tests_run + 1))
	"$@" || fail "$_r" "$_s" "$_m"
}

# osr ROOT_DIR KEY: $osr_value is the value of KEY in the root's
# os-release (/etc, else /usr/lib), unquoted; read without a process, as
# this runs for every root
osr() {
	osr_value=
	_f="$1/etc/os-release"
	[ -f "$_f" ] || _f="$1/usr/lib/os-release"
	[ -f "$_f" ] || return 0
	while IFS= read -r _l || [ -n "$_l" ]; do
		case $_l in "$2="*) osr_value=${_l#"$2="} ;; esac
	done <"$_f"
	case $osr_value in
	\"*\") osr_value=${osr_value#\"}; osr_value=${osr_value%\"} ;;
	\'*\') osr_value=${osr_value#\'}; osr_value=${osr_value%\'} ;;
	esac
}

# nearest PREFIX VERSION: the fixture PREFIX-N with the highest N not
# above VERSION, else the lowest above it
nearest() {
	_below='' _above=''
	for _d in "$fixtures/$1"-[0-9]*; do
		_n=${_d##*/"$1"-}
		case $_n in *[!0-9]*) continue ;; esac
		if [ "$_n" -le "$2" ]; then
			if [ -z "$_below" ] || [ "$_n" -gt "$_below" ]; then _below=$_n; fi
		elif [ -z "$_above" ] || [ "$_n" -lt "$_above" ]; then
			_above=$_n
		fi
	done
	if [ -n "$_below" ]; then echo "$1-$_below"; elif [ -n "$_above" ]; then echo "$1-$_above"; fi
}

# fixture_for BACKEND SHARED_ROOT_DIR: $fixture, the project fixture of
# the same family and release to start from (empty if none)
fixture_for() {
	fixture=
	osr "$2" ID; _id=$osr_value
	osr "$2" VERSION_ID; _ver=$osr_value
	_major=${_ver%%.*}
	case $1 in
	debian)
		case $_id in
		debian) fixture=debian-$_major ;;
		ubuntu) fixture=ubuntu-$_ver ;;
		*)	# a derivative: the release it is built on
			osr "$2" UBUNTU_CODENAME
			case $osr_value in
			bionic) fixture=ubuntu-18.04 ;;
			focal) fixture=ubuntu-20.04 ;;
			jammy) fixture=ubuntu-22.04 ;;
			noble) fixture=ubuntu-24.04 ;;
			*)
				osr "$2" VERSION_CODENAME
				case $osr_value in
				stretch) fixture=debian-9 ;;
				buster) fixture=debian-10 ;;
				bullseye) fixture=debian-11 ;;
				bookworm) fixture=debian-12 ;;
				trixie) fixture=debian-13 ;;
				esac ;;
			esac ;;
		esac ;;
	rhel)
		for _c in "$_id-$_major" "$_id-stream-$_major" "rhel-$_major"; do
			if [ -d "$fixtures/$_c" ]; then
				fixture=$_c
				break
			fi
		done ;;
	amazon) fixture=amzn-$_major ;;
	*)
		case $_major in
		'' | *[!0-9]*) ;;
		*) fixture=$(nearest "$1" "$_major") ;;
		esac ;;
	esac
	[ -n "$fixture" ] && [ -d "$fixtures/$fixture" ] || fixture=
}

# ck_words TEXT: $ck_n, how many crashkernel= words TEXT has, and $ck_512,
# 1 if one of them is crashkernel=512M
ck_words() {
	ck_n=0 ck_512=0
	set -f
	for _ckw in $1; do
		case $_ckw in
		crashkernel=512M) ck_n=$((ck_n + 1)) ck_512=1 ;;
		crashkernel=*) ck_n=$((ck_n + 1)) ;;
		esac
	done
	set +f
}
ck_ok() { # TEXT: exactly one crashkernel=, and it is 512M
	ck_words "$1"
	[ "$ck_n" = 1 ] && [ "$ck_512" = 1 ]
}

# bootloader_check NAME: crashkernel=512M exactly once per kernel entry of
# the bootloader the root uses: the options of every BLS entry (kernelopts
# of grubenv for entries that use it), or else every linux line of the
# GRUB menus (a recovery-mode entry may have none: Debian's drop-in only
# adds to GRUB_CMDLINE_LINUX_DEFAULT); and where the root has them, what
# new kernels and regenerated menus take their options from:
# /etc/kernel/cmdline and the GRUB variables (drop-ins included).
bootloader_check() {
	_name=$1 _root=$work/root _n=0
	for _e in "$_root"/boot/loader/entries/*.conf; do
		[ -f "$_e" ] || continue
		_n=$((_n + 1))
		_opts=
		while IFS= read -r _l || [ -n "$_l" ]; do
			case $_l in options[\ \	]*) _opts=${_l#options} ;; esac
		done <"$_e"
		# shellcheck disable=SC2016 # a literal $kernelopts
		case $_opts in
		*'$kernelopts'*)
			_opts=
			while IFS= read -r _l || [ -n "$_l" ]; do
				case $_l in kernelopts=*) _opts=${_l#kernelopts=} ;; esac
			done <"$_root/boot/grub2/grubenv" ;;
		esac
		check "$_name" "config: bootloader" \
			"${_e#"$_root"/}: options \"$_opts\" lack exactly one crashkernel=512M" \
			ck_ok "$_opts"
	done
	_bls=$_n
	for _cfg in "$_root"/boot/grub/grub.cfg "$_root"/boot/grub2/grub.cfg "$_root"/boot/efi/EFI/*/grub.cfg; do
		# with BLS entries the menu only says blscfg
		if [ "$_bls" != 0 ] || [ ! -f "$_cfg" ]; then continue; fi
		_title=
		while read -r _w _rest; do
			case $_w in
			menuentry) _title=$_rest ;;
			linux | linux16 | linuxefi)
				_n=$((_n + 1))
				ck_words "$_rest"
				case $_title in
				# a recovery entry: none is fine too
				*"(recovery mode)"*) [ "$ck_n" != 0 ] || continue ;;
				esac
				check "$_name" "config: bootloader" \
					"${_cfg#"$_root"/}: \"$_w $_rest\" lacks exactly one crashkernel=512M" \
					ck_ok "$_rest" ;;
			esac
		done <"$_cfg"
	done
	check "$_name" "config: bootloader" "no BLS entry and no GRUB menu entry" [ "$_n" -gt 0 ]
	if [ -f "$_root/etc/kernel/cmdline" ]; then
		_opts=
		while IFS= read -r _l || [ -n "$_l" ]; do _opts="$_opts $_l"; done <"$_root/etc/kernel/cmdline"
		check "$_name" "config: bootloader" \
			"etc/kernel/cmdline \"$_opts\" lacks exactly one crashkernel=512M" ck_ok "$_opts"
	fi
	[ -f "$_root/etc/default/grub" ] || return 0
	# the variables as grub-mkconfig sees them, drop-ins included; the
	# commands the files run in backquotes must not run this machine's
	_vars=$(
		set +eu
		# shellcheck disable=SC2123 # on purpose: nothing may be found
		PATH=/nonexistent
		# shellcheck source=/dev/null
		. "$_root/etc/default/grub" 2>/dev/null
		for _x in "$_root"/etc/default/grub.d/*.cfg; do
			# shellcheck source=/dev/null
			[ ! -f "$_x" ] || . "$_x" 2>/dev/null
		done
		printf '%s %s\n' "$GRUB_CMDLINE_LINUX" "$GRUB_CMDLINE_LINUX_DEFAULT"
	)
	check "$_name" "config: bootloader" \
		"GRUB_CMDLINE_LINUX + GRUB_CMDLINE_LINUX_DEFAULT (with grub.d) \"$_vars\" lack exactly one crashkernel=512M" \
		ck_ok "$_vars"
}

# no_changes ROOT STEP: the last run ran nothing that changes the system
no_changes() {
	tests_run=$((tests_run + 1))
	if ! skd_no_changes_run; then
		fail "$1" "$2" "ran a command that changes something:"
		show_run
	fi
}

# fresh_root FIXTURE_DIR [OVERLAY_DIR]: $work/root, a copy of the fixture
# with every file of the overlay laid over it
fresh_root() {
	rm -rf "$work/root"
	mkdir "$work/root"
	cp -R "$1/." "$work/root/"
	if [ $# -gt 1 ]; then cp -R "$2/." "$work/root/"; fi
	# the sources may be read-only (make distcheck, CI's copy of shared/)
	chmod -R u+w "$work/root"
}

supported() {
	name=$1 backend=$2 src=$shared/roots/$1
	fixture_for "$backend" "$src"
	if [ -z "$fixture" ]; then
		tests_run=$((tests_run + 1))
		fail "$name" "setup" "backend $backend, but no fixture of its family and release in tests/fixtures"
		return 0
	fi
	note=
	case $name in
	"$fixture" | "$fixture".*) ;;
	*) note=" (no $name fixture: the nearest of its family and release)" ;;
	esac
	echo "$name: backend $backend, fixture $fixture$note"
	per_backend="$per_backend $backend"

	rm -f "$work/configmaps/"*
	fresh_root "$fixtures/$fixture" "$src"
	# a 16 GiB machine where neither says
	[ -e "$work/root/proc/iomem" ] || skd_add_ram "$work/root" 16
	skd_configmap crashkernel 512M

	step "$name" apply 0 apply || return 0
	step "$name" apply-check 0 apply-check || true
	step "$name" config 0 config || return 0
	step "$name" config-check 0 config-check || true
	bootloader_check "$name"

	# the reboot, as the kernel and systemd would leave things
	skd_boot_files "$work/root" 512M 536870912
	step "$name" post-interrupt-check 0 post-interrupt-check || true

	# converged: apply and config again install, regenerate and write nothing
	before=$(skd_tree_hash "$work/root")
	if step "$name" "converged apply" 0 apply; then
		no_changes "$name" "converged apply"
	fi
	if step "$name" "converged config" 0 config; then
		no_changes "$name" "converged config"
	fi
	check "$name" "converged apply+config" "the tree changed" \
		[ "$before" = "$(skd_tree_hash "$work/root")" ]

	step "$name" uninstall 0 uninstall || return 0
	step "$name" uninstall-check 0 uninstall-check || true
}

unsupported() {
	name=$1
	fresh_root "$shared/roots/$name"
	before=$(skd_tree_hash "$work/root")
	step "$name" "apply (unsupported)" 3 apply || return 0
	_lines=0
	while IFS= read -r _l || [ -n "$_l" ]; do _lines=$((_lines + 1)); done <"$work/out"
	tests_run=$((tests_run + 1))
	if [ "$_lines" != 1 ]; then
		fail "$name" "apply (unsupported)" "expected one line, got $_lines:"
		show_run
	fi
	case $name in
	synthetic-*) ;;
	*)
		tests_run=$((tests_run + 1))
		IFS= read -r _l <"$work/out" || true
		case $_l in
		"skyhook-kdump apply: unsupported distribution: ID="*) ;;
		*) fail "$name" "apply (unsupported)" "the line does not start with 'skyhook-kdump apply: unsupported distribution: ID=': $_l" ;;
		esac ;;
	esac
	tests_run=$((tests_run + 1))
	if [ -s "$work/commands.log" ]; then
		fail "$name" "apply (unsupported)" "ran commands:"
		show_run
	fi
	check "$name" "apply (unsupported)" "changed the root" \
		[ "$before" = "$(skd_tree_hash "$work/root")" ]
}

n_unsupported=0
for r in $roots; do
	set +e
	"$SKD_BIN" --root "$shared/roots/$r" backends --json >"$work/backends" 2>&1
	bstatus=$?
	set -e
	IFS= read -r json <"$work/backends" || true
	backend=
	case $json in
	*'"system":{'*'"backend":"'*)
		backend=${json##*'"backend":"'}
		backend=${backend%%'"'*} ;;
	esac
	osr "$shared/roots/$r" ID
	if [ -n "$backend" ]; then
		# the families the project does not serve must never get one
		case $osr_value in
		sles | opensuse* | alpine | arch | flatcar | bottlerocket | azurelinux | mariner | photon)
			tests_run=$((tests_run + 1))
			fail "$r" "backends" "ID=$osr_value got backend $backend" ;;
		esac
		supported "$r" "$backend"
	else
		tests_run=$((tests_run + 1))
		[ "$bstatus" = 3 ] || fail "$r" "backends" "no backend, but exit $bstatus (expected 3)"
		why=${json##*'"error":"'}
		why=${why%%'"'*}
		echo "$r: no backend (${why#"$shared/roots/"})"
		n_unsupported=$((n_unsupported + 1))
		unsupported "$r"
	fi
done
counts=$(for b in $per_backend; do echo "$b"; done | sort | uniq -c |
	awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
echo "roots per backend: ${counts:-none}; without a backend: $n_unsupported"
skd_finish
