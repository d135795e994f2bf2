#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One boot of the test VM: one qemu process under a hard timeout that ends
# when the guest reboots, powers off or panics (-no-reboot), with its serial
# console written to LOG. The guest reads its script from SHARE (9p, tag skd).
#
#   boot-vm.sh DISK SHARE LOG TIMEOUT [KERNEL INITRD APPEND]
#
# KVM when /dev/kvm can be opened, TCG otherwise (SKD_VM_ACCEL=tcg forces
# it). SKD_VM_MEMORY (default 2048, MiB) and SKD_VM_CPUS (default 2).
# Exit status: qemu's, 124 when the timeout killed it.
set -eu

disk=$1 share=$2 log=$3 limit=$4
mem=${SKD_VM_MEMORY:-2048}
cpus=${SKD_VM_CPUS:-2}

if [ "${SKD_VM_ACCEL:-}" != tcg ] && [ -c /dev/kvm ] &&
   { : <>/dev/kvm; } 2>/dev/null; then
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
