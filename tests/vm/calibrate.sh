# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=sh disable=SC2154,SC2034 # check-vm.sh's variables, both ways
# Sourced by check-vm.sh: the calibration scenario. On the armed VM, the
# smallest crashkernel (a multiple of 16M, from 64M up to the configured
# value) with which a sysrq crash still leaves a complete vmcore and its
# dmesg file, found by bisection; then estimate, recorded on the armed
# node before any crash, is held to it (vm-calibrate.py).
#
# The configured value is assumed to capture (the armed scenario shows it)
# and is tried only when every smaller one fails. Each try is two boots:
# one that checks kexec_crash_loaded and crashes (the capture kernel then
# dumps and reboots, which ends the qemu process), one that reads what the
# capture kernel left and sets the next value with the package's config
# mode and a new configmap, as an operator changes it, then reboots. A
# try whose capture kernel hangs ends at SKD_VM_TRY_TIMEOUT (seconds,
# default 600, 1200 on arm64), or 15 seconds after it panics (a second
# "Kernel panic" on the console); either is a failed try, its console kept.
#
# SKD_VM_CALIBRATE_INITRDS (default "list most"): list, the image's
# MODULES=list initrd (kdump-tools' kdump initrd keeps that list); most,
# Debian's default MODULES=most, from which kdump-tools builds its kdump
# initrd with MODULES=dep.

# cal_size INDEX: the INDEXth size tried, from 64M in steps of 16M
cal_size() { echo "$((64 + 16 * $1))M"; }

# cal_record VERDICT INDEX: what a try at INDEX says of the search's
# bounds: lo, the smallest index not known to fail, and hi, the smallest
# known (hi_tested=1) or assumed to work
cal_record() {
	if [ "$1" = good ]; then hi=$2 hi_tested=1; else lo=$(($2 + 1)); fi
}

# cal_pick: the index to try next; none: empty
cal_pick() {
	if [ "$lo" -lt "$hi" ]; then
		echo "$(((lo + hi) / 2))"
	elif [ "$lo" = "$hi" ] && [ "$hi_tested" = 0 ]; then
		echo "$hi"
	fi
	return 0
}

# cal_next VERDICT INDEX: the index to try after INDEX got VERDICT (run in
# a subshell: the bounds stay as they are)
cal_next() { cal_record "$@"; cal_pick; }

# cal_value_of INDEX-OR-EMPTY: its size, or empty
cal_value_of() { [ -z "$1" ] || cal_size "$1"; }

# cal_stop PID: stops the boot-vm.sh of PID through the timeout process
# over its qemu (PID itself, or its child), which waits for qemu to shut
# down, so that the disk is free for the next boot when boot-vm.sh ends
cal_stop() {
	for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
		if [ "$(ps -o comm= -p "$p" 2>/dev/null)" = timeout ]; then
			kill "$p" 2>/dev/null || :
		fi
	done
}

# cal_boot LABEL FUNCTION TIMEOUT: one boot running FUNCTION of
# guest/calibrate.sh with the SKD_CAL_* values of cal_env; stopped 15 s
# after a panic of the capture kernel. Sets cal_rc (qemu's exit status,
# "panic" when stopped so) and cal_secs.
cal_boot() {
	nboot=$((nboot + 1))
	log="$art/$name-$nboot-$1.console.log"
	write_boot_script "$1" "$2" "$cal_env"
	echo "check-vm $label: $name: boot $nboot ($1) ..."
	t0=$(now)
	"$here/boot-vm.sh" "$work/$name/disk.qcow2" "$share" "$log" "$3" &
	qpid=$!
	cal_rc=
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 5
		# the sysrq crash is the first panic; a second one is the capture
		# kernel's own, which never reboots
		if [ "$(grep -c '\] Kernel panic - not syncing' "$log" 2>/dev/null)" -ge 2 ]; then
			sleep 15
			cal_stop "$qpid"
			cal_rc=panic
			break
		fi
	done
	rc=0
	wait "$qpid" || rc=$?
	cal_rc=${cal_rc:-$rc}
	cal_secs=$(($(now) - t0))
	printf '%s\t%s\t%s\t%s\n' "$name" "$1" "$cal_rc" "$cal_secs" >>"$art/boots.tsv"
	echo "check-vm $label: $name: boot $nboot ($1): qemu exit $cal_rc, $cal_secs s"
	rm -rf "${art:?}/$name"
	cp -R "$share/out" "$art/$name"
}

# calibrate INITRD: the scenario calibrate-INITRD
calibrate() {
	initrd=$1
	case $crashkernel in
	*M) mib=${crashkernel%M} ;;
	*) echo "  FAIL calibrate: the configured value must be in M: $crashkernel"; failed=1; return ;;
	esac
	scenario "calibrate-$initrd" "$crashkernel" "$armed_conf"
	tries="$art/calibrate-$initrd.tries.tsv"
	: >"$tries"
	lo=0 hi=$(((mib - 64) / 16)) hi_tested=0
	if [ "$hi" -lt 0 ] || [ "$(cal_size "$hi")" != "$crashkernel" ]; then
		echo "  FAIL calibrate: $crashkernel is not 64M plus a multiple of 16M"
		failed=1
		return
	fi
	boot_call=boot_cal_install boot_env="SKD_CAL_INITRD=$initrd"
	boot install "$crashkernel" || { boot_call='' boot_env=''; return; }
	cur=$(cal_pick)
	boot_call=boot_cal_armed
	boot_env="SKD_CAL_INITRD=$initrd SKD_CAL_VALUE=$crashkernel SKD_CAL_NEXT_GOOD=$(cal_size "$cur")"
	boot armed "$crashkernel" || { boot_call='' boot_env=''; return; }
	boot_call='' boot_env=''
	try_limit=${SKD_VM_TRY_TIMEOUT:-600}
	[ "$SKD_VM_ARCH" = amd64 ] || try_limit=${SKD_VM_TRY_TIMEOUT:-1200}
	while [ -n "$cur" ]; do
		value=$(cal_size "$cur")
		if_good=$(cal_value_of "$(cal_next good "$cur")")
		if_bad=$(cal_value_of "$(cal_next bad "$cur")")
		cal_env="SKD_CAL_INITRD=$initrd SKD_CAL_VALUE=$value SKD_CAL_NEXT_GOOD=$if_good SKD_CAL_NEXT_BAD=$if_bad"
		cal_boot "try-$value" boot_cal_try "$try_limit"
		try_rc=$cal_rc try_secs=$cal_secs collect_secs=0
		out="$share/out/try-$value"
		if [ ! -f "$out/next" ]; then
			# it crashed (or hung): the capture kernel's result
			cal_boot "collect-$value" boot_cal_collect "$limit"
			collect_secs=$cal_secs
			out="$share/out/collect-$value"
		fi
		verdict=$(cat "$out/verdict" 2>/dev/null || :) next=$(cat "$out/next" 2>/dev/null || :)
		printf '%s\t%s\t%s\t%s\t%s\n' "$value" "${verdict:-none}" "$try_rc" \
			"$try_secs" "$collect_secs" >>"$tries"
		echo "check-vm $label: $name: crashkernel=$value: ${verdict:-no verdict} (try $try_secs s, qemu $try_rc; collect $collect_secs s)"
		case $verdict in
		good | bad)
			[ "$verdict" = good ] && want=$if_good || want=$if_bad
			cal_record "$verdict" "$cur"
			cur=$(cal_pick)
			;;
		*) echo "  FAIL calibrate: the boot after crashkernel=$value decided nothing"; failed=1; return ;;
		esac
		if [ "$next" != "${want:-none}" ]; then
			echo "  FAIL calibrate: the guest set $next, the search wanted ${want:-none}"
			failed=1
			return
		fi
	done
	python3 "$here/vm-calibrate.py" "$art" "calibrate-$initrd" "$crashkernel" "$initrd" || failed=1
}
