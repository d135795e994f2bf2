#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One boot of the test VM: one qemu process under a hard timeout that ends
# when the guest reboots, powers off or panics (-no-reboot), with its serial
# console written to LOG. The guest reads its script from SHARE (9p, tag skd).
#
#   boot-vm.sh DISK SHARE LOG TIMEOUT [KERNEL INITRD APPEND]
#   boot-vm.sh --which-accel      prints kvm or tcg
#
# KVM when /dev/kvm can be opened and the CPU has hardware virtualisation
# (vmx or svm), TCG otherwise; SKD_VM_ACCEL=tcg or =kvm decides instead.
# A VM can offer a /dev/kvm that opens while its CPU has no vmx: a guest
# started on it runs nothing, not even the kernel's first line.
# SKD_VM_MEMORY (default 2048, MiB) and SKD_VM_CPUS (default 2).
# SKD_VM_ARCH=arm64 boots an arm64 guest instead (always TCG here): the
# virt machine with a real SMMU (iommu=smmuv3), a Cortex-A72, and UEFI
# firmware in a pflash pair: the code read-only (SKD_VM_EFI_CODE) and a
# variable store per disk, DISK.vars, made from SKD_VM_EFI_VARS on its
# first boot. With KERNEL, qemu loads the kernel itself, without firmware.
# Exit status: qemu's, 124 when the timeout killed it.
set -eu

arch=${SKD_VM_ARCH:-amd64}

which_accel() {
	# vmx and svm run x86 guests only
	if [ "$arch" != amd64 ]; then
		echo tcg
		return
	fi
	case ${SKD_VM_ACCEL:-} in
	tcg | kvm) echo "$SKD_VM_ACCEL"; return ;;
	esac
	if [ -c /dev/kvm ] && { : <>/dev/kvm; } 2>/dev/null &&
	   grep -q -w -E 'vmx|svm' /proc/cpuinfo 2>/dev/null; then
		echo kvm
	else
		echo tcg
	fi
}

if [ "${1:-}" = --which-accel ]; then
	which_accel
	exit 0
fi

disk=$1 share=$2 log=$3 limit=$4
mem=${SKD_VM_MEMORY:-2048}
cpus=${SKD_VM_CPUS:-2}

case $arch in
amd64)
	qemu="qemu-system-x86_64"
	if [ "$(which_accel)" = kvm ]; then
		machine="-machine pc -vga none -accel kvm -cpu host"
	else
		# 5-level paging off: the capture tools need not handle it
		machine="-machine pc -vga none -accel tcg,thread=multi -cpu max,-la57"
	fi
	;;
arm64)
	qemu="qemu-system-aarch64"
	machine="-machine virt,iommu=smmuv3 -accel tcg,thread=multi -cpu cortex-a72"
	;;
*)
	echo "boot-vm: no machine for architecture $arch" >&2
	exit 2
	;;
esac

kernel=${5:-} initrd=${6:-} append=${7:-}
set -- -m "$mem" -smp "$cpus" -display none \
	-no-reboot -nic none -monitor none \
	-drive "file=$disk,if=virtio,format=qcow2,cache=unsafe" \
	-virtfs "local,path=$share,mount_tag=skd,security_model=none,id=skd" \
	-chardev "file,id=con,path=$log" -serial chardev:con
if [ -n "$kernel" ]; then
	set -- "$@" -kernel "$kernel" -initrd "$initrd" -append "$append"
elif [ "$arch" = arm64 ]; then
	# UEFI firmware from a pflash pair: the code read-only and the disk's
	# own variable store, made on its first boot (none when qemu loads the
	# kernel itself: the setup boot)
	vars="$disk.vars"
	[ -f "$vars" ] || cp "${SKD_VM_EFI_VARS:-/usr/share/AAVMF/AAVMF_VARS.fd}" "$vars"
	set -- "$@" \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=${SKD_VM_EFI_CODE:-/usr/share/AAVMF/AAVMF_CODE.fd}" \
		-drive "if=pflash,format=raw,unit=1,file=$vars"
fi
# From power-on (qemu's start) until the node runs its first job (the
# test driver's "boot script start", a unit ordered after multi-user.target
# as the agent is), in seconds, into LOG.first-job: read from the console
# log as it grows.
ready="$log.first-job"
rm -f "$ready"
t0=$(date +%s.%N)
(
	while [ ! -f "$ready" ]; do
		if grep -q 'skd-vm: boot script start' "$log" 2>/dev/null; then
			echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f\n", $1 - $2 }' >"$ready"
		fi
		sleep 0.2
	done
) &
watcher=$!
rc=0
# shellcheck disable=SC2086 # machine is several words
timeout -k 10 "$limit" "$qemu" $machine "$@" || rc=$?
kill "$watcher" 2>/dev/null || :
wait "$watcher" 2>/dev/null || :
exit "$rc"
