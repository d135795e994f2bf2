#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# What "auto" means per node, on the arm64 fixture roots (tests/fixtures/
# ARM64-SOURCES.md) and the x86 ones: validate and estimate read the
# platform from the root (arch, page size, SMMU, mlx5) and the backend
# answers as the distribution's tools would. The read-only commands use
# the fixtures in place, the lifecycle a copy, with the fake tools.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
fx="$SKD_TOP_SRCDIR/tests/fixtures"

# has FILE TEXT: FILE holds TEXT (a fixed string)
has() {
	skd_check grep -qF -- "$2" "$1"
}

# the fixtures' kernel images are what their generator writes
if command -v python3 >/dev/null 2>&1; then
	skd_check python3 "$fx/make-arm64-image.py" --check
else
	echo "python3 not found: the fixtures' kernel images not checked against their generator"
fi

# A RHEL 10 Grace node: 64K-page kernel, SMMUv3, mlx5, 480 GiB. kdumpctl
# sets 576M + 100M + 384M + 200M = 1260M there.
"$SKD_BIN" --root "$fx/rhel-10-aarch64-64k" validate --crashkernel auto --json >"$work/out"
skd_check [ "$?" = 0 ]
has "$work/out" '"reserved_bytes":1321205760'
has "$work/out" '"crashkernel":"2G-4G:940M,4G-64G:1004M,64G-:1260M"'
has "$work/out" 'aarch64, 64K-page kernel'
has "$work/out" 'SMMU arm-smmu-v3.0.auto: +384M'
has "$work/out" 'mlx5_core: +200M'
"$SKD_BIN" --root "$fx/rhel-10-aarch64-64k" estimate >"$work/out"
skd_check [ "$?" = 0 ]
has "$work/out" 'platform: aarch64, 64K-page kernel, SMMU arm-smmu-v3.0.auto, mlx5_core'
has "$work/out" 'page size: the arm64 header of the running kernel'
has "$work/out" 'read through its packing: EFI zboot, gzip'
has "$work/out" 'default: 2G-4G:940M,4G-64G:1004M,64G-:1260M reserves 1260M'
has "$work/out" 'recommended: 1260M'
"$SKD_BIN" --root "$fx/rhel-10-aarch64-64k" estimate --json >"$work/out"
has "$work/out" '"platform":{"arch":"aarch64","page_size":65536,"smmu":"arm-smmu-v3.0.auto","mlx5":true,"mem_encryption":null}'

# RHEL 9 aarch64, 4K pages, mlx5: +150M only
"$SKD_BIN" --root "$fx/rhel-9-aarch64" validate --crashkernel auto >"$work/out"
has "$work/out" 'crashkernel: 1G-4G:406M,4G-64G:470M,64G-:726M'

# Debian 12 arm64: kdump-tools' arm64 table, whatever the RAM
"$SKD_BIN" --root "$fx/debian-12-arm64" validate --crashkernel auto >"$work/out"
has "$work/out" 'crashkernel: 2G-4G:320M,4G-32G:512M,32G-64G:1G,64G-128G:2G,128G-:4G'
has "$work/out" 'kdump-tools.grub.arm64 for arm64 on Debian 12'
# its vmlinuz is the Image itself: image_size read as it is
"$SKD_BIN" --root "$fx/debian-12-arm64" estimate >"$work/out"
has "$work/out" 'image_size in the arm64 Image header of /boot/vmlinuz-6.1.0-37-arm64'

# Ubuntu 24.04 on a 64K kernel: the same table (the flavour changes nothing)
"$SKD_BIN" --root "$fx/ubuntu-24.04-arm64-64k" validate --crashkernel auto >"$work/out"
has "$work/out" 'crashkernel: 2G-4G:320M,4G-32G:512M,32G-64G:1G,64G-128G:2G,128G-:4G'
"$SKD_BIN" --root "$fx/ubuntu-24.04-arm64-64k" estimate >"$work/out"
has "$work/out" 'read through its packing: gzip'

# x86: Debian 12 keeps 384M-:128M; Ubuntu 22.04 amd64 is 512M-:192M
# (jammy's package), 24.04 the large table
"$SKD_BIN" --root "$fx/debian-12" validate --crashkernel auto --memory 64G >"$work/out"
has "$work/out" 'crashkernel: 384M-:128M'
"$SKD_BIN" --root "$fx/ubuntu-22.04" validate --crashkernel auto --memory 64G >"$work/out"
has "$work/out" 'crashkernel: 512M-:192M'
"$SKD_BIN" --root "$fx/ubuntu-24.04" validate --crashkernel auto --memory 64G >"$work/out"
has "$work/out" 'crashkernel: 2G-4G:320M,4G-32G:512M,32G-64G:1G,64G-128G:2G,128G-:4G'

# an x86 node with SME in use: RHEL 9.6's kdumpctl adds 64M
rm -rf "$work/root" && cp -a "$fx/rhel-9/." "$work/root/" && chmod -R u+w "$work/root"
mkdir -p "$work/root/proc/sys/kernel"
echo x86_64 >"$work/root/proc/sys/kernel/arch"
printf 'processor\t: 0\nflags\t\t: fpu sme sev\n' >"$work/root/proc/cpuinfo"
"$SKD_BIN" --root "$work/root" validate --crashkernel auto --memory 64G >"$work/out"
has "$work/out" 'crashkernel: 1G-4G:256M,4G-64G:320M,64G-:576M'
has "$work/out" 'AMD SME active: +64M'

# The lifecycle with "auto" on the Grace node, the fake kdumpctl computing
# its answer from the node as kdump-lib.sh does: config asks it and
# records the answer; the checks and a converged config start no process;
# a changed platform makes config ask again.
skd_root "$fx/rhel-10-aarch64-64k"
skd_configmap crashkernel auto
skd_run apply; skd_expect_exit 0
skd_check grep -q '^dnf ' "$work/commands.log"
skd_check sh -c "! grep -q kdumpctl '$work/commands.log'"
skd_run config; skd_expect_exit 0
skd_check grep -qx 'kdumpctl get-default-crashkernel' "$work/commands.log"
state="$work/root/var/lib/skyhook-kdump/state"
has "$state" 'auto-crashkernel=2G-4G:940M,4G-64G:1004M,64G-:1260M'
has "$state" 'auto-basis=kdumpctl get-default-crashkernel on this node'
has "$state" 'auto-platform=aarch64, 64K-page kernel, SMMU arm-smmu-v3.0.auto, mlx5_core'
has "$work/root/etc/kernel/cmdline" 'crashkernel=2G-4G:940M,4G-64G:1004M,64G-:1260M'
skd_run config-check; skd_expect_exit 0
skd_check [ ! -s "$work/commands.log" ]
before=$(skd_tree_hash "$work/root")
skd_run config; skd_expect_exit 0
skd_check [ ! -s "$work/commands.log" ]
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
skd_exec status --json
has "$work/out" '"auto":"2G-4G:940M,4G-64G:1004M,64G-:1260M","auto_basis":"recorded by config: kdumpctl get-default-crashkernel on this node"'
skd_check sh -c "! grep -q kdumpctl '$work/commands.log'"
# the ConnectX card goes: kdumpctl's answer drops its 200M
rm -r "$work/root/sys/bus/pci/drivers/mlx5_core"
skd_run config; skd_expect_exit 0
skd_check grep -qx 'kdumpctl get-default-crashkernel' "$work/commands.log"
has "$state" 'auto-crashkernel=2G-4G:740M,4G-64G:804M,64G-:1060M'
has "$work/root/etc/kernel/cmdline" 'crashkernel=2G-4G:740M,4G-64G:804M,64G-:1060M'

# An explicit value below "auto" is kept, with a warning. config asks
# kdumpctl once (is the value its default, which it resets?) and records
# the answer: a converged config asks nothing
skd_root "$fx/rhel-10-aarch64-64k"
skd_configmap crashkernel 512M
skd_run apply; skd_expect_exit 0
skd_run config; skd_expect_exit 0
has "$work/out" "warning: crashkernel=512M reserves 512M on this node, less than the 1260M of 'auto' here"
skd_check grep -qx 'kdumpctl get-default-crashkernel' "$work/commands.log"
has "$state" 'auto-crashkernel=2G-4G:940M,4G-64G:1004M,64G-:1260M'
skd_run config; skd_expect_exit 0
skd_check [ ! -s "$work/commands.log" ]
has "$work/root/etc/kernel/cmdline" 'crashkernel=512M'
skd_exec status
has "$work/out" "below_auto: crashkernel=512M reserves 512M on this machine, less than the 1260M of 'auto' here"

# A kdumpctl that is there but fails makes config fail before any change
skd_root "$fx/rhel-10-aarch64-64k"
skd_configmap crashkernel auto
skd_run apply; skd_expect_exit 0
rm "$work/root/etc/kdump.conf"
before=$(skd_tree_hash "$work/root")
skd_run config; skd_expect_exit 4
has "$work/out" '"kdumpctl get-default-crashkernel" failed with exit status 1'
skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]

# Nothing reserved on an arm64 kernel before 5.19: status names the likely
# cause and the kernel's own line
skd_root "$fx/ubuntu-22.04-arm64"
skd_configmap crashkernel 1G
skd_run apply; skd_expect_exit 0
skd_run config; skd_expect_exit 0
mkdir -p "$work/root/sys/kernel" "$work/root/var/log"
echo 0 >"$work/root/sys/kernel/kexec_crash_size"
echo 0 >"$work/root/sys/kernel/kexec_crash_loaded"
echo "BOOT_IMAGE=/boot/vmlinuz-5.15.0-153-generic root=/dev/sda1 ro crashkernel=1G" \
	>"$work/root/proc/cmdline"
printf '%s\n' '[    0.000000] Linux version 5.15.0-153-generic' \
	'[    0.000000] cannot allocate crashkernel (size:0x40000000)' >"$work/root/var/log/dmesg"
skd_exec status
skd_check [ "$status" = 1 ]
has "$work/out" 'not_reserved: no crash memory is reserved (/sys/kernel/kexec_crash_size is 0): the arm64 kernel 5.15.0-153-generic is older than 5.19 and may reserve crashkernel=X only below the DMA limit'
has "$work/out" 'the kernel log says: cannot allocate crashkernel (size:0x40000000)'
# a newer arm64 kernel: only the log line
echo 6.8.0-1038-nvidia-64k >"$work/root/proc/sys/kernel/osrelease"
skd_exec status
has "$work/out" 'not_reserved: no crash memory is reserved (/sys/kernel/kexec_crash_size is 0): the kernel log says: cannot allocate crashkernel (size:0x40000000)'

skd_finish
