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
# SKD_SHARED_ROOTS="rocky-8.9 debian-12" runs only those roots.
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
per_backend=

# fail ROOT STEP MESSAGE: one failed assertion, named
fail() {
	echo "FAIL: $1: $2: $3" >&2
	tests_failed=$((tests_failed + 1))
}

# step ROOT STEP CODE ARGS...: run the program, expect exit CODE
step() {
	_r=$1 _s=$2 _code=$3
	shift 3
	skd_run "$@"
	tests_run=$((tests_run + 1))
	if [ "$last_status" != "$_code" ]; then
		fail "$_r" "$_s" "exit $last_status, expected $_code; output:"
		sed -e "s|$work/root|ROOT|g" -e 's/^/    /' "$work/out" >&2
		if [ -s "$work/commands.log" ]; then
			sed -e "s|$work/root|ROOT|g" -e 's/^/    cmd: /' "$work/commands.log" >&2
		fi
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

# osr ROOT_DIR KEY: the value of KEY in the root's os-release, unquoted
osr() {
	_f="$1/etc/os-release"
	[ -f "$_f" ] || _f="$1/usr/lib/os-release"
	sed -n "s/^$2=//p" "$_f" 2>/dev/null | tail -n 1 |
		sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

# nearest PREFIX VERSION: the fixture PREFIX-N with the highest N not
# above VERSION, else the lowest above it
nearest() {
	(cd "$fixtures" && for d in "$1"-[0-9]*; do
		[ -d "$d" ] || continue
		case ${d#"$1"-} in *[!0-9.]*) continue ;; esac
		echo "${d#"$1"-} $d"
	done) | LC_ALL=C sort -n | awk -v v="$2" '
		$1 + 0 <= v + 0 { below = $2 }
		$1 + 0 > v + 0 && above == "" { above = $2 }
		END { print (below != "" ? below : above) }'
}

# fixture_for BACKEND SHARED_ROOT_DIR: the project fixture to start from
fixture_for() {
	_id=$(osr "$2" ID)
	_ver=$(osr "$2" VERSION_ID)
	_major=${_ver%%.*}
	case $1 in
	debian)
		case $_id in
		debian) echo "debian-$_major" ;;
		ubuntu) echo "ubuntu-$_ver" ;;
		*)	# a derivative: the release it is built on
			case $(osr "$2" UBUNTU_CODENAME) in
			bionic) echo ubuntu-18.04 ;;
			focal) echo ubuntu-20.04 ;;
			jammy) echo ubuntu-22.04 ;;
			noble) echo ubuntu-24.04 ;;
			*)
				case $(osr "$2" VERSION_CODENAME) in
				stretch) echo debian-9 ;;
				buster) echo debian-10 ;;
				bullseye) echo debian-11 ;;
				bookworm) echo debian-12 ;;
				trixie) echo debian-13 ;;
				esac ;;
			esac ;;
		esac ;;
	rhel)
		for _c in "$_id-$_major" "$_id-stream-$_major" "rhel-$_major"; do
			if [ -d "$fixtures/$_c" ]; then
				echo "$_c"
				return 0
			fi
		done ;;
	amazon) echo "amzn-$_major" ;;
	*) nearest "$1" "$_major" ;;
	esac
}

# words_of TEXT: how often crashkernel= occurs in TEXT, and its values
ck_count() {
	printf '%s\n' "$1" | tr ' \t' '\n\n' | grep -c '^crashkernel=' || true
}
ck_ok() { # TEXT: exactly one crashkernel=, and it is 512M
	[ "$(ck_count "$1")" = 1 ] &&
		printf '%s\n' "$1" | tr ' \t' '\n\n' | grep -qx 'crashkernel=512M'
}

# bootloader_check NAME: crashkernel=512M exactly once per kernel entry of
# the bootloader the root uses: the options of every BLS entry (kernelopts
# of grubenv for entries that use it), or else every linux line of the
# GRUB menus (a recovery-mode entry may have none: Debian's drop-in only
# adds to GRUB_CMDLINE_LINUX_DEFAULT) and the GRUB variables.
bootloader_check() {
	_name=$1 _root=$work/root _n=0
	for _e in "$_root"/boot/loader/entries/*.conf; do
		[ -f "$_e" ] || continue
		_n=$((_n + 1))
		_opts=$(sed -n 's/^options[ \t]*//p' "$_e" | tail -n 1)
		case $_opts in
		*'$kernelopts'*)
			_opts=$(sed -n 's/^kernelopts=//p' "$_root/boot/grub2/grubenv" 2>/dev/null) ;;
		esac
		check "$_name" "config: bootloader" \
			"${_e#"$_root"/}: options \"$_opts\" lack exactly one crashkernel=512M" \
			ck_ok "$_opts"
	done
	[ "$_n" = 0 ] || return 0
	for _cfg in "$_root"/boot/grub/grub.cfg "$_root"/boot/grub2/grub.cfg "$_root"/boot/efi/EFI/*/grub.cfg; do
		[ -f "$_cfg" ] || continue
		awk '/^menuentry / { t = $0 }
			$1 == "linux" || $1 == "linux16" || $1 == "linuxefi" {
				print (t ~ /recovery mode/ ? "R" : "N") " " $0 }' "$_cfg" >"$work/linux-lines"
		while read -r _kind _line; do
			_n=$((_n + 1))
			if [ "$_kind" = R ] && [ "$(ck_count "$_line")" = 0 ]; then
				continue
			fi
			check "$_name" "config: bootloader" \
				"${_cfg#"$_root"/}: \"$_line\" lacks exactly one crashkernel=512M" \
				ck_ok "$_line"
		done <"$work/linux-lines"
	done
	check "$_name" "config: bootloader" "no BLS entry and no GRUB menu entry" [ "$_n" -gt 0 ]
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

supported() {
	name=$1 backend=$2 src=$shared/roots/$1
	fixture=$(fixture_for "$backend" "$src")
	if [ -z "$fixture" ] || [ ! -d "$fixtures/$fixture" ]; then
		tests_run=$((tests_run + 1))
		fail "$name" "setup" "backend $backend, but no fixture of its family and release"
		return 0
	fi
	note=
	case $fixture in
	"$name" | "$name".*) ;;
	*) case $name in
		"$fixture".* | "$fixture") ;;
		*) note=" (nearest: the project has no $name fixture)" ;;
		esac ;;
	esac
	echo "$name: backend $backend, fixture $fixture$note"
	per_backend="$per_backend $backend"

	: >"$work/transcript"
	rm -f "$work/configmaps/"*
	skd_root "$fixtures/$fixture"
	# every file the real root has, over the fixture
	cp -R "$src/." "$work/root/"
	cp -R "$src/." "$work/orig/"
	if [ ! -e "$work/root/proc/iomem" ]; then
		skd_add_ram "$work/root" 16
		skd_add_ram "$work/orig" 16
	fi
	skd_configmap crashkernel 512M

	step "$name" apply 0 apply || return 0
	step "$name" apply-check 0 apply-check || true
	step "$name" config 0 config || return 0
	step "$name" config-check 0 config-check || true
	bootloader_check "$name"

	skd_boot_files "$work/root" 512M 536870912
	step "$name" post-interrupt-check 0 post-interrupt-check || true

	before=$(skd_tree_hash "$work/root")
	if step "$name" "converged apply" 0 apply; then
		check "$name" "converged apply" "ran a command that changes something:
$(cat "$work/commands.log")" skd_no_changes_run
	fi
	if step "$name" "converged config" 0 config; then
		check "$name" "converged config" "ran a command that changes something:
$(cat "$work/commands.log")" skd_no_changes_run
	fi
	check "$name" "converged apply+config" "the tree changed" \
		[ "$before" = "$(skd_tree_hash "$work/root")" ]

	step "$name" uninstall 0 uninstall || return 0
	step "$name" uninstall-check 0 uninstall-check || true
}

unsupported() {
	name=$1
	skd_root "$shared/roots/$name"
	before=$(skd_tree_hash "$work/root")
	step "$name" "apply (unsupported)" 3 apply || return 0
	tests_run=$((tests_run + 1))
	if [ "$(wc -l <"$work/out")" != 1 ]; then
		fail "$name" "apply (unsupported)" "expected one line, got:"
		sed 's/^/    /' "$work/out" >&2
	fi
	case $name in
	synthetic-*) ;;
	*)
		check "$name" "apply (unsupported)" "no line starting 'skyhook-kdump apply: unsupported distribution: ID=': $(cat "$work/out")" \
			grep -q '^skyhook-kdump apply: unsupported distribution: ID=' "$work/out" ;;
	esac
	check "$name" "apply (unsupported)" "ran commands: $(cat "$work/commands.log")" \
		[ ! -s "$work/commands.log" ]
	check "$name" "apply (unsupported)" "changed the root" \
		[ "$before" = "$(skd_tree_hash "$work/root")" ]
}

n_unsupported=0
for r in $roots; do
	set +e
	"$SKD_BIN" --root "$shared/roots/$r" backends --json >"$work/backends" 2>&1
	bstatus=$?
	set -e
	backend=$(sed -n 's/.*"system":{[^}]*"backend":"\([A-Za-z0-9_.-]*\)".*/\1/p' "$work/backends")
	id=$(osr "$shared/roots/$r" ID)
	if [ -n "$backend" ]; then
		# the families the project does not serve must never get a backend
		case $id in
		sles | opensuse* | alpine | arch | flatcar | bottlerocket | azurelinux | mariner | photon)
			tests_run=$((tests_run + 1))
			fail "$r" "backends" "ID=$id got backend $backend" ;;
		esac
		supported "$r" "$backend"
	else
		tests_run=$((tests_run + 1))
		[ "$bstatus" = 3 ] || fail "$r" "backends" "no backend, but exit $bstatus (expected 3)"
		echo "$r: no backend ($(sed -n 's/.*"error":"\([^"]*\)".*/\1/p' "$work/backends" | sed "s|$shared/roots/||"))"
		n_unsupported=$((n_unsupported + 1))
		unsupported "$r"
	fi
done
echo "roots per backend:$(for b in $per_backend; do echo "$b"; done | sort | uniq -c |
	awk '{ printf " %s %s", $2, $1 }'), unsupported $n_unsupported"
skd_finish
