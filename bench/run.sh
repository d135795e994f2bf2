#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench: every mode, and status, on temporary copies of fixture roots
# with the recording command runner (the fake tools of tests/fake-tools),
# once on a fresh root (a node booted without crashkernel=, nothing
# installed) and once on a converged one (apply and config done, rebooted
# with the crash kernel loaded; for uninstall and uninstall-check: after
# uninstall). Each figure is the median of BENCH_RUNS runs, with min and
# max. Timing runs are not traced (the checks, status, backends and an
# empty process are timed in rounds, one run of each per round); separate
# counting runs follow the program with ptrace (bench/measure --trace) for
# the processes it starts and compare the root before and after for the
# files it wrote; the package-manager and bootloader commands come from
# the recording runner's log. Then `backends` on 50 generated backend files, and, when
# the cached Debian 12 root exists and we are root, converged apply and
# config in a chroot with the real tools. Prints a table and the targets,
# writes bench/results.json. Targets are a report: the exit status is 0
# whatever they say.
#   BENCH_RUNS=11 BENCH_ROOTS="debian-12 rhel-9" BENCH_CHROOT=no
#   BENCH_RAW=FILE
set -eu

: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${SKD_TOP_BUILDDIR:=$SKD_TOP_SRCDIR}"
export SKD_TOP_SRCDIR SKD_TOP_BUILDDIR
# shellcheck source=tests/cli/lib.sh
. "$SKD_TOP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=bench/lib.sh
. "$SKD_TOP_SRCDIR/bench/lib.sh"

BENCH_RUNS=${BENCH_RUNS:-11}
roots=${BENCH_ROOTS:-debian-12 ubuntu-22.04 rhel-9 amzn-2023}
modes="apply apply-check config config-check post-interrupt-check uninstall uninstall-check upgrade upgrade-check status"
measure="$SKD_TOP_BUILDDIR/bench/measure"
results="$SKD_TOP_BUILDDIR/bench/results.json"
fixtures="$SKD_TOP_SRCDIR/tests/fixtures"

work=$(mktemp -d "${TMPDIR:-/tmp}/skd-bench-XXXXXX")
# never delete through a mount: the chroot's /dev is the host's
cleanup() {
	if command -v skd_chroot_umount >/dev/null 2>&1 && ! skd_chroot_umount "$work"; then
		echo "bench: $work is still mounted; left in place" >&2
		return
	fi
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
raw="$work/raw"
: >"$raw"
timed="$work/timed"
: >"$timed"
mkdir -p "$work/configmaps"
printf '512M\n' >"$work/configmaps/crashkernel"

# run_skd ROOT MEASURE_OPTIONS ARG...: the program with the recording
# runner on ROOT, under bench/measure with MEASURE_OPTIONS (split on
# blanks; "-" for none: then it runs without measure).
run_skd() {
	_root=$1 _mopts=$2
	shift 2
	set -- "$SKD_BIN" --root "$_root" --configmaps "$work/configmaps" "$@"
	# shellcheck disable=SC2086
	[ "$_mopts" = - ] || set -- "$measure" $_mopts -- "$@"
	: >"$work/commands.log"
	SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$SKD_FAKE_TOOLS" \
	SKYHOOK_KDUMP_TEST_COMMAND_LOG="$work/commands.log" \
	SKYHOOK_KDUMP_TEST_DUMP_FREE=100G \
	SKYHOOK_KDUMP_BACKEND_PATH='' \
		"$@"
}

# prepare ROOT_DIR MODE...: run the modes, all must pass
prepare() {
	_dir=$1
	shift
	for _pm in "$@"; do
		if ! run_skd "$_dir" - "$_pm" >"$work/prep.out" 2>&1; then
			echo "bench: $_pm failed while preparing $_dir:" >&2
			cat "$work/prep.out" >&2
			return 1
		fi
	done
}

# A node booted without crashkernel=, 16 GiB of RAM, nothing installed.
fresh_root() { # FIXTURE DIR
	mkdir -p "$2"
	cp -a "$fixtures/$1/." "$2/"
	chmod -R u+w "$2"
	[ -e "$2/proc/iomem" ] || skd_add_ram "$2" 16
	mkdir -p "$2/proc/sys/kernel" "$2/sys/kernel"
	[ -s "$2/proc/sys/kernel/osrelease" ] || echo 6.1.0-26-amd64 >"$2/proc/sys/kernel/osrelease"
	[ -s "$2/proc/cmdline" ] || echo "BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet" >"$2/proc/cmdline"
	echo 0 >"$2/sys/kernel/kexec_crash_size"
	echo 0 >"$2/sys/kernel/kexec_crash_loaded"
	kernel_image "$2/boot/vmlinuz-$(cat "$2/proc/sys/kernel/osrelease")"
	[ ! -f "$2/var/lib/dpkg/status" ] || node_dpkg_database "$2/var/lib/dpkg/status"
}

# A node's dpkg database, not a fixture's few packages: 1,500 more stanzas
# shaped like real ones, names spread over the alphabet, all sorted by name
# as dpkg keeps them; about 1 MB (this 2-core VM's own has 990 packages in
# 885 kB; a GPU node's more).
node_dpkg_database() { # FILE
	{
		awk 'BEGIN {
			for (i = 0; i < 1500; i++) {
				printf "Package: %s-node-package-%d\n", substr("abcdefghijklmnopqrstuvwxyz", i % 26 + 1, 1), i
				print "Status: install ok installed"
				print "Priority: optional"
				print "Section: libs"
				printf "Installed-Size: %d\n", 100 + i
				print "Maintainer: Debian Maintainers <debian-devel@lists.debian.org>"
				print "Architecture: amd64"
				print "Multi-Arch: same"
				printf "Source: node-package-%d\n", i
				printf "Version: %d.%d.%d-1+deb12u1\n", i % 7, i % 13, i
				printf "Depends: libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12), zlib1g (>= 1:1.2.0), node-package-%d (= %d.%d.%d-1+deb12u1)\n", (i + 1) % 1500, i % 7, i % 13, i
				printf "Description: node package %d, one of many on a node\n", i
				print " This stanza stands for one of the packages a node carries: the"
				print " drivers, the container runtime, the libraries of the workloads."
				print " Its fields are shaped like those dpkg writes, so that reading"
				print " the database costs what it costs on a node."
				print ""
			}
		}'
		cat "$1"
	} | awk 'BEGIN { RS = "" }
	{
		name = $0
		sub(/^Package:[ \t]*/, "", name)
		sub(/\n.*/, "", name)
		gsub(/\n/, "\001")
		print name "\t" $0
	}' | LC_ALL=C sort -t "$(printf '\t')" -k1,1 |
	awk -F '\t' '{ s = $2; gsub(/\001/, "\n", s); print s "\n" }' >"$1.node"
	mv "$1.node" "$1"
}

# The running kernel's image, as large as Debian 12's (8 MiB, sparse) with
# an x86 boot protocol header (init_size 40 MiB): status and
# post-interrupt-check read its header for the memory estimate.
kernel_image() { # FILE
	[ -e "$1" ] && return 0
	mkdir -p "$(dirname "$1")"
	truncate -s 8M "$1"
	printf '\125\252' | dd of="$1" bs=1 seek=510 conv=notrunc 2>/dev/null
	printf 'HdrS\017\002' | dd of="$1" bs=1 seek=514 conv=notrunc 2>/dev/null
	printf '\000\000\200\002' | dd of="$1" bs=1 seek=608 conv=notrunc 2>/dev/null
}

# A mode that changes the root gets a fresh copy of TEMPLATE for each of
# its timing runs; a check (it changes nothing) joins the rounds. Then the
# counting runs.
bench_mode() { # NAME STATE MODE TEMPLATE
	_r="$work/run"
	case $3 in
	*-check|status)
		# timed in the rounds, on a copy of its own that its counting
		# runs use too (a check changes nothing)
		_r="$work/checks/$1-$(basename "$4")"
		[ -d "$_r" ] || { mkdir -p "$work/checks"; cp -a "$4" "$_r"; }
		echo "$1 $2 $3 $_r" >>"$timed"
		;;
	*)
		_i=0
		while [ "$_i" -lt "$BENCH_RUNS" ]; do
			_i=$((_i + 1))
			rm -rf "$_r"
			cp -a "$4" "$_r"
			run_skd "$_r" --quiet "$3" | bench_timing_lines "$1 $2 $3" >>"$raw"
		done
		;;
	esac
	_i=0
	while [ "$_i" -lt "$BENCH_RUNS" ]; do
		_i=$((_i + 1))
		case $3 in
		*-check|status) ;;
		*) rm -rf "$_r"; cp -a "$4" "$_r" ;;
		esac
		_c=$(run_skd "$_r" "--quiet --trace --tree $_r" "$3")
		# shellcheck disable=SC2046
		echo "$_c" | bench_count_line "$1 $2 $3" $(bench_classify "$work/commands.log") >>"$raw"
	done
}

bench_root() { # FIXTURE
	_tpl="$work/templates/$1"
	rm -rf "$_tpl"
	mkdir -p "$_tpl"
	fresh_root "$1" "$_tpl/fresh"
	cp -a "$_tpl/fresh" "$_tpl/converged"
	prepare "$_tpl/converged" apply config
	skd_boot_files "$_tpl/converged" 512M 536870912
	prepare "$_tpl/converged" apply config post-interrupt-check
	cp -a "$_tpl/converged" "$_tpl/uninstalled"
	prepare "$_tpl/uninstalled" uninstall uninstall-check
	for _m in $modes; do
		printf '.' >&2
		bench_mode "$1" fresh "$_m" "$_tpl/fresh"
		case $_m in
		uninstall|uninstall-check) bench_mode "$1" converged "$_m" "$_tpl/uninstalled" ;;
		*) bench_mode "$1" converged "$_m" "$_tpl/converged" ;;
		esac
	done
	echo " $1" >&2
}

# `backends` reading the notes of 50 generated backend files: one built,
# the others copies with the name patched (same length).
bench_backends() {
	_d="$work/backends"
	mkdir -p "$_d"
	chmod 0755 "$_d"
	if ! ${CC:-cc} -shared -fPIC -I"$SKD_TOP_SRCDIR/include" \
		-o "$work/template.so" "$SKD_TOP_SRCDIR/bench/fake-backend.c"; then
		echo "bench: SKIP backends: cannot compile bench/fake-backend.c" >&2
		return 0
	fi
	_i=10
	while [ "$_i" -lt 60 ]; do
		LC_ALL=C sed "s/benchxx/bench$_i/g" "$work/template.so" >"$_d/bench$_i.so"
		_i=$((_i + 1))
	done
	_n=$(find "$_d" -name '*.so' | wc -l)
	fresh_root debian-12 "$work/backends-root"
	_k="backends($_n) fresh backends"
	echo "$_k $work/backends-root --backend-dir $_d" >>"$timed"
	_i=0
	while [ "$_i" -lt "$BENCH_RUNS" ]; do
		_i=$((_i + 1))
		_c=$(run_skd "$work/backends-root" "--quiet --trace --tree $work/backends-root" --backend-dir "$_d" backends)
		echo "$_c" | bench_count_line "$_k" 0 0 >>"$raw"
	done
	echo " backends ($_n files)" >&2
}

# What any command costs here: an empty process (true) and a shell that
# does nothing (sh -c :), measured like the modes.
bench_baseline() {
	echo "baseline - true" >>"$timed"
	echo "baseline - sh" >>"$timed"
	_i=0
	while [ "$_i" -lt "$BENCH_RUNS" ]; do
		_i=$((_i + 1))
		"$measure" --quiet --trace -- true | bench_count_line "baseline - true" 0 0 >>"$raw"
		"$measure" --quiet --trace -- sh -c : | bench_count_line "baseline - sh" 0 0 >>"$raw"
	done
	echo " baseline" >&2
}

# The timing runs of the checks, status, backends and the baselines, in
# rounds: one run of each per round, BENCH_RUNS rounds after a warm-up
# round. A slow spell of a shared machine then falls on every row alike,
# not on the few rows that happened to run in it. Each line of $timed:
#   NAME STATE MODE [ROOT [OPTION...]]
bench_rounds() {
	_i=0
	while [ "$_i" -le "$BENCH_RUNS" ]; do
		# shellcheck disable=SC2086 # the options split on blanks
		while read -r _name _state _mode _root _opts; do
			case $_name/$_mode in
			baseline/true) _t=$("$measure" --quiet -- true) ;;
			baseline/sh) _t=$("$measure" --quiet -- sh -c :) ;;
			*) _t=$(run_skd "$_root" --quiet $_opts "$_mode" </dev/null) ;;
			esac
			[ "$_i" -eq 0 ] || echo "$_t" | bench_timing_lines "$_name $_state $_mode" >>"$raw"
		done <"$timed"
		_i=$((_i + 1))
	done
	echo " rounds ($(wc -l <"$timed") rows, $BENCH_RUNS rounds)" >&2
}

if [ ! -x "$measure" ] || [ ! -x "$SKD_BIN" ]; then
	echo "bench: build first (make bench builds $measure and $SKD_BIN)" >&2
	exit 1
fi
BENCH_MACHINE="$(nproc) CPUs, $(uname -sr), $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown OS}")"
BENCH_LOAD="$(cut -d' ' -f1-3 /proc/loadavg) (before)"
echo "bench: $BENCH_RUNS runs each; $BENCH_MACHINE; load average $BENCH_LOAD" >&2
bench_baseline
for root in $roots; do
	bench_root "$root"
done
bench_backends
bench_rounds
if [ "${BENCH_CHROOT:-yes}" != no ]; then
	# shellcheck source=bench/chroot.sh
	. "$SKD_TOP_SRCDIR/bench/chroot.sh"
	bench_chroot || echo "bench: SKIP chroot: it did not complete" >&2
fi
BENCH_LOAD="$BENCH_LOAD, $(cut -d' ' -f1-3 /proc/loadavg) (after)"
export BENCH_MACHINE BENCH_LOAD BENCH_RUNS
echo
echo "median [min-max] of $BENCH_RUNS runs; $BENCH_MACHINE; load average $BENCH_LOAD"
bench_report "$raw" "$results"
# BENCH_RAW=FILE keeps the figure of every run
[ -z "${BENCH_RAW:-}" ] || cp "$raw" "$BENCH_RAW"
echo "wrote $results"
