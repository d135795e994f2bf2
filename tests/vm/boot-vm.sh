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
# Exit status: qemu's, 124 when the timeout killed it.
set -eu

which_accel() {
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

if [ "$(which_accel)" = kvm ]; then
	accel="-accel kvm -cpu host"
else
	# 5-level paging off: the capture tools need not handle it
	accel="-accel tcg,thread=multi -cpu max,-la57"
fi

set -- -machine pc -m "$mem" -smp "$cpus" -display none -vga none \
	-no-reboot -nic none -monitor none \
	-drive "file=$disk,if=virtio,format=qcow2,cache=unsafe" \
	-virtfs "local,path=$share,mount_tag=skd,security_model=none,id=skd" \
	-chardev "file,id=con,path=$log" -serial chardev:con \
	${5:+-kernel "$5" -initrd "$6" -append "$7"}
# shellcheck disable=SC2086 # accel is several words
exec timeout -k 10 "$limit" qemu-system-x86_64 $accel "$@"
