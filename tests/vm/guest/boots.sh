# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=sh disable=SC2154 # $out is set by agent.sh
# The script of each boot, one function per boot; the host appends the
# call of one of them to agent.sh and the generated mode functions.

# Boot 1 of the lifecycle: the scenario's node fixes, then apply,
# apply-check, config, config-check and the reboot the package's interrupt
# asks for.
boot_install() {
	node_fixes
	install_package
	facts before
	watch_processes &
	watcher=$!
	run_modes apply apply-check config config-check
	kill "$watcher"
	cp /var/log/dpkg.log "$out/dpkg.log"
	cp /var/log/apt/term.log "$out/apt-term.log" 2>/dev/null
	facts after
	end_boot reboot
}

# Boot 2: post-interrupt-check, the node's state, the check modes timed,
# then a kernel crash that the capture kernel dumps before it reboots.
boot_armed() {
	install_package
	run_modes post-interrupt-check
	facts armed
	time_checks
	if [ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]; then
		crash_kernel
	fi
	end_boot poweroff
}

# Boot 3, after the dump: what the capture kernel left, then uninstall,
# uninstall-check and a reboot to free the reserved memory.
boot_dumped() {
	install_package
	facts dumped
	ls -lR /var/crash >"$out/var-crash.txt" 2>&1
	cp /var/crash/*/dmesg.* "$out/" 2>/dev/null
	run_modes uninstall uninstall-check
	facts uninstalled
	end_boot reboot
}

# Boot 4: the reservation is gone; uninstall-check passes with no reboot
# pending.
boot_removed() {
	install_package
	facts removed
	run_modes uninstall-check
	end_boot poweroff
}

# Hostile scenario, boot 1: config with a crashkernel value that tries to
# add kernel parameters must be refused before anything changes.
boot_hostile() {
	install_package
	facts before
	run_modes config
	facts after
	end_boot reboot
}

# Hostile scenario, boot 2: the node boots as before.
boot_hostile_after() {
	install_package
	facts rebooted
	end_boot poweroff
}
