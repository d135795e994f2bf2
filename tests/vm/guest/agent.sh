# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=sh
# Sourced by the script of every boot (after SKD_BOOT is set and before the
# generated mode_* functions): runs the package's steps the way the Skyhook
# agent does and records what the host checks, in $SKD_SHARE/out/.
out="$SKD_SHARE/out/$SKD_BOOT"
mkdir -p "$out"
# where the agent's copy of the package lives on the node
pkg=/var/lib/skd-vm/skyhook-package
export SKYHOOK_DIR="$pkg" STEP_ROOT="$pkg/skyhook_dir"

say() { echo "skd-vm: $SKD_BOOT: $*" >/dev/console; }

# a fresh copy for each boot, owned by root as the agent's copy is
install_package() {
	rm -rf "$pkg"
	mkdir -p "${pkg%/*}"
	cp -R "$SKD_SHARE/package" "$pkg"
	chown -R root:root "$pkg"
}

# step MODE NAME RETURNCODES COMMAND...: one step of config.json, run in
# the package copy; passes when its exit code is one of RETURNCODES
step() {
	mode=$1 name=$2 rcs=$3
	shift 3
	say "step $mode/$name: $*"
	t0=$(date +%s.%N)
	(cd "$SKYHOOK_DIR" && "$@") >"$out/$mode.$name.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SKD_BOOT" "$mode" "$name" "$rc" \
		"$rcs" "$t0" "$t1" >>"$SKD_SHARE/out/steps.tsv"
	say "step $mode/$name: exit $rc"
	sed 's/^/    /' "$out/$mode.$name.log" >/dev/console
	case " $rcs " in *" $rc "*) return 0 ;; esac
	return 1
}

# run_modes MODE...: the modes in order, stopping at the first that fails
run_modes() {
	for m in "$@"; do
		if ! "mode_$(echo "$m" | tr - _)"; then
			say "mode $m failed; the agent stops here"
			return 1
		fi
	done
}

# node_fixes: what the scenario puts on the node before the agent's first
# step, as its operator would: $SKD_SHARE/node/kexec-text.sh runs at every
# boot before kdump-tools and gives /proc/kallsyms the _text that Debian
# 12's arm64 kernel lacks (the arm64 test on Debian 12; see kexec-text.sh)
node_fixes() {
	[ -f "$SKD_SHARE/node/kexec-text.sh" ] || return 0
	install -m 0755 "$SKD_SHARE/node/kexec-text.sh" /usr/local/sbin/skd-kallsyms-text
	cat >/etc/systemd/system/skd-kallsyms-text.service <<'UNIT'
[Unit]
Description=skyhook-kdump VM test node fix: _text in /proc/kallsyms for kexec
DefaultDependencies=no
Before=kdump-tools.service sysinit.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/skd-kallsyms-text

[Install]
WantedBy=sysinit.target
UNIT
	systemctl enable skd-kallsyms-text.service >/dev/null 2>&1
	say "node fix: skd-kallsyms-text.service gives /proc/kallsyms _text at boot, before kdump-tools"
}

# facts LABEL: what the kernel and the program say now
facts() {
	d="$out/$1"
	mkdir -p "$d"
	cat /proc/cmdline >"$d/cmdline"
	cat /sys/kernel/kexec_crash_size >"$d/kexec_crash_size"
	cat /sys/kernel/kexec_crash_loaded >"$d/kexec_crash_loaded"
	uname -r >"$d/uname_r"
	uname -m >"$d/uname_m"
	sha256sum /boot/grub/grub.cfg | cut -d' ' -f1 >"$d/grub_cfg_sha256"
	grep -o 'crashkernel=[^ ]*' /boot/grub/grub.cfg >"$d/grub_cfg_crashkernel"
	# the default entry's kernel line (recovery entries differ)
	grep -m1 -E '^[[:space:]]*linux[[:space:]]' /boot/grub/grub.cfg >"$d/grub_cfg_linux"
	systemctl is-active kdump-tools >"$d/service_active" 2>&1
	# kexec-tools reads _text there on arm64 (kexec -p with kexec_load)
	if grep -q ' _text$' /proc/kallsyms; then echo yes; else echo no; fi >"$d/kallsyms_text"
	journalctl -b -u kdump-tools --no-pager -o cat >"$d/kdump-tools.journal" 2>&1
	if [ -x "$STEP_ROOT/skyhook-kdump" ]; then
		"$STEP_ROOT/skyhook-kdump" status --json >"$d/status.json" 2>"$d/status.err"
		echo $? >"$d/status.rc"
		"$STEP_ROOT/skyhook-kdump" dumps --json >"$d/dumps.json" 2>"$d/dumps.err"
		echo $? >"$d/dumps.rc"
	fi
	say "facts $1: $(cat "$d/cmdline"); kexec_crash_size $(cat "$d/kexec_crash_size"), kexec_crash_loaded $(cat "$d/kexec_crash_loaded")"
}

# time_checks: how long each check mode takes on this armed node, run the
# way the agent runs it (a process started and waited for), against an
# the clock alone (a builtin), an empty process (/bin/true) and a bare
# bash, $SKD_CHECK_RUNS times each (bash's clock, read without a
# subshell). One line per command in
# $out/check-times.tsv: name, runs, median, min and max in microseconds.
time_checks() {
	bash -c '
		runs=$1 skd=$2
		shift 2
		one() {
			local name=$1 i=0 s e
			shift
			local -a t=()
			while [ "$i" -lt "$runs" ]; do
				# the clock read in place: a $(...) would fork a
				# subshell inside the timed span
				s=$EPOCHREALTIME; "$@" >/dev/null 2>&1; e=$EPOCHREALTIME
				s=${s//[.,]/} e=${e//[.,]/}
				t+=("$((10#$e - 10#$s))")
				i=$((i + 1))
			done
			printf "%s\n" "${t[@]}" | sort -n | awk -v n="$name" -v r="$runs" \
				"{ v[NR] = \$1 } END { printf \"%s\t%d\t%d\t%d\t%d\n\", n, r, v[int((NR + 1) / 2)], v[1], v[NR] }"
		}
		cd "$SKYHOOK_DIR" || exit 1
		one "bash builtin (the clock alone)" :
		one "true (an empty process)" /bin/true
		one "bash -c :" bash -c :
		for m in apply-check config-check post-interrupt-check status; do
			one "$m" "$skd" "$m"
		done
	' time_checks "${SKD_CHECK_RUNS:-21}" "$STEP_ROOT/skyhook-kdump" >"$out/check-times.tsv"
	say "check modes timed: $(tr '\t\n' ' ;' <"$out/check-times.tsv")"
}

# a process list every 3 seconds, from which the host picks the initramfs
# builds and what started them (one ps per sample: cheap under TCG)
watch_processes() {
	while :; do
		echo "@ $(date +%s)"
		ps -eo pid=,ppid=,etimes=,args=
		sleep 3
	done >>"$out/processes.txt"
}

# ends the boot; systemd stops this script on the way down
end_boot() {
	say "$1"
	sync
	systemctl "$1"
	sleep 600
}

crash_kernel() {
	say "crashing the kernel with sysrq c"
	sync
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
	sleep 600
}
