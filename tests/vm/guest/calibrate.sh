# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=sh disable=SC2154 # $out, $pkg and $STEP_ROOT are agent.sh's
# The boots of the calibration scenario (check-vm.sh, calibrate.sh): the
# smallest crashkernel with which a crash still leaves a complete dump.
# The host sets SKD_CAL_VALUE (the value in effect in this boot, the one
# being tried), SKD_CAL_NEXT_GOOD and SKD_CAL_NEXT_BAD (the value to try
# next if this one captured a dump or not; empty: the search ends) and
# SKD_CAL_INITRD (list: the image's MODULES=list; most: Debian's default).
# Each boot writes $out/verdict (good, bad) and $out/next (the value it
# set for the next boot, or none) when it decides.

# cal_node_initrd: Debian's default MODULES=most, for which kdump-tools
# builds its kdump initrd with MODULES=dep (/etc/kernel/postinst.d/kdump-tools);
# with the image's MODULES=list it keeps that list. Before apply, as an
# operator's node would have it.
cal_node_initrd() {
	[ "$SKD_CAL_INITRD" = most ] || return 0
	sed -i 's/^MODULES=.*/MODULES=most/' /etc/initramfs-tools/initramfs.conf
	say "node: initramfs-tools MODULES=most (Debian's default)"
}

# cal_package VALUE: the agent's copy of the package with VALUE as its
# crashkernel configmap, so that config sets it and post-interrupt-check
# checks it
cal_package() {
	install_package
	printf '%s' "$1" >"$pkg/configmaps/crashkernel"
}

# cal_set_next VERDICT: the next value as the verdict says, set with the
# package's config mode, then the reboot that makes it take effect; none
# left: power off
cal_set_next() {
	echo "$1" >"$out/verdict"
	if [ "$1" = good ]; then next=$SKD_CAL_NEXT_GOOD; else next=$SKD_CAL_NEXT_BAD; fi
	echo "${next:-none}" >"$out/next"
	say "calibrate: crashkernel=$SKD_CAL_VALUE $1; next: ${next:-none}"
	if [ -z "$next" ]; then
		end_boot poweroff
	fi
	printf '%s' "$next" >"$pkg/configmaps/crashkernel"
	if ! run_modes config; then
		echo config-failed >"$out/next"
		end_boot poweroff
	fi
	end_boot reboot
}

# the capture initrd and the system's, as the estimate sees them, and what
# the capture initrd unpacks to (du: the blocks its files take, a file
# with several links once, as in the capture kernel's tmpfs)
cal_initrds() {
	ls -l /var/lib/kdump/ /boot/ >"$out/initrds.txt" 2>&1
	cat /var/lib/kdump/initramfs-tools/conf.d/* >"$out/kdump-initramfs-conf.txt" 2>/dev/null
	grep '^MODULES=' /etc/initramfs-tools/initramfs.conf >>"$out/kdump-initramfs-conf.txt"
	initrd=/var/lib/kdump/initrd.img-$(uname -r)
	stat -c %s "$initrd" >"$out/kdump-initrd-bytes"
	unpacked=$(mktemp -d)
	if unmkinitramfs "$initrd" "$unpacked" 2>"$out/unmkinitramfs.err"; then
		echo "$(($(du -sk "$unpacked" | cut -f1) * 1024))" >"$out/kdump-initrd-unpacked-bytes"
	fi
	rm -rf "$unpacked"
}

# Boot 1: the node as the operator has it, then the agent's install boot
# (boot_install) with the configured value.
boot_cal_install() {
	cal_node_initrd
	boot_install
}

# Boot 2, armed with the configured value: what estimate says on this node
# before any crash, then the first value to try.
boot_cal_armed() {
	cal_package "$SKD_CAL_VALUE"
	run_modes post-interrupt-check
	facts armed
	cal_initrds
	"$STEP_ROOT/skyhook-kdump" estimate --json >"$out/estimate.json" 2>"$out/estimate.err"
	echo $? >"$out/estimate.rc"
	"$STEP_ROOT/skyhook-kdump" estimate >"$out/estimate.txt" 2>&1
	say "estimate: $(grep -E '^(needed|default|recommended)' "$out/estimate.txt" | tr '\n' ';')"
	# the configured value is not tried here (the search assumes it
	# works and tries it last if nothing below does): SKD_CAL_NEXT_GOOD is
	# the first value to try
	cal_set_next good
}

# A try: the node rebooted with SKD_CAL_VALUE; the crash when the capture
# kernel is loaded, else a failed try decided here.
boot_cal_try() {
	cal_package "$SKD_CAL_VALUE"
	run_modes post-interrupt-check
	facts try
	if [ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]; then
		crash_kernel
	fi
	say "calibrate: no capture kernel loaded with crashkernel=$SKD_CAL_VALUE"
	cal_set_next bad
}

# After a try's crash: what the capture kernel left (then removed, so that
# the next try starts from an empty /var/crash), and the next value.
boot_cal_collect() {
	cal_package "$SKD_CAL_VALUE"
	facts collected
	ls -lR /var/crash >"$out/var-crash.txt" 2>&1
	cp /var/crash/*/dmesg.* "$out/" 2>/dev/null
	verdict=bad
	# one dump at most (each try starts with none): complete, with its
	# dmesg file
	if grep -q '"count":1,' "$out/collected/dumps.json" &&
	   grep -q '"complete":true' "$out/collected/dumps.json" &&
	   grep -q '"dmesg":"' "$out/collected/dumps.json"; then
		verdict=good
	fi
	rm -rf /var/crash/2*
	sync
	cal_set_next "$verdict"
}
