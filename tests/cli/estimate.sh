#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# estimate: the recommendation and its parts on copies of fixture roots,
# with the /proc, /sys and /boot files of a machine written into the copy;
# --json checked against schemas/estimate.schema.json; bad input refused.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

SCHEMA="$SKD_TOP_SRCDIR/schemas/estimate.schema.json"

# put_bytes FILE OFFSET BYTES: BYTES (printf octal escapes) at OFFSET.
put_bytes() {
	# shellcheck disable=SC2059 # the escapes are the point
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# bzimage FILE SIZE: a synthetic x86 bzImage of SIZE whose setup header
# (boot protocol 2.15) gives init_size 60M.
bzimage() {
	rm -f "$1"
	truncate -s "$2" "$1"
	put_bytes "$1" 510 '\125\252'           # boot_flag 0xAA55 at 0x1fe
	put_bytes "$1" 514 'HdrS'               # header at 0x202
	put_bytes "$1" 518 '\017\002'           # version 2.15 at 0x206
	put_bytes "$1" 608 '\000\000\300\003'   # init_size 0x03c00000 at 0x260
}

# machine RELEASE GIB CPUS MODULES CRASH_SIZE: the running kernel's state.
machine() {
	skd_add_ram "$work/root" "$2"
	mkdir -p "$work/root/proc/sys/kernel" "$work/root/sys/devices/system/cpu" \
		"$work/root/sys/kernel"
	echo "$1" >"$work/root/proc/sys/kernel/osrelease"
	echo "$3" >"$work/root/sys/devices/system/cpu/possible"
	printf '%s' "$4" >"$work/root/proc/modules"
	echo "$5" >"$work/root/sys/kernel/kexec_crash_size"
	bzimage "$work/root/boot/vmlinuz-$1" 12M
}

# check_json: the last --json run is valid against the schema.
check_json() {
	if [ -z "$have_jsonschema" ]; then
		return 0
	fi
	tests_run=$((tests_run + 1))
	if ! python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
		"$SCHEMA" "$work/out"; then
		echo "FAIL: --json output does not match $SCHEMA:" >&2
		cat "$work/out" >&2
		tests_failed=$((tests_failed + 1))
	fi
}

# unchanged: estimate wrote nothing into the root.
unchanged() {
	skd_check [ "$(skd_tree_hash "$work/root")" = "$before" ]
}

have_jsonschema=
if python3 -c 'import jsonschema' 2>/dev/null; then
	have_jsonschema=1
else
	echo "python3 jsonschema not importable: --json output not checked against the schema"
fi

skd_setup
fixtures="$SKD_TOP_SRCDIR/tests/fixtures"

# Debian 12, 16G, 8 CPUs, mlx5 loaded, nothing reserved yet; kdump-tools is
# not installed: kdump-config's default nr_cpus=1, the system initrd
# standing in for the kdump initrd.
rel=6.1.0-37-amd64
skd_root "$fixtures/debian-12"
machine "$rel" 16 0-7 'mlx5_core 2293760 1 mlx5_ib, Live 0xffffffffc0a00000
ext4 1015808 1 - Live 0xffffffffc0400000
' 0
truncate -s 40M "$work/root/boot/initrd.img-$rel"
before=$(skd_tree_hash "$work/root")
skd_run estimate
skd_expect_exit 0
skd_run estimate --json
skd_expect_exit 0
check_json
# the kdump initrd built, 256M reserved
mkdir -p "$work/root/var/lib/kdump"
truncate -s 25M "$work/root/var/lib/kdump/initrd.img-$rel"
echo 268435456 >"$work/root/sys/kernel/kexec_crash_size"
before=$(skd_tree_hash "$work/root")
skd_run estimate
skd_expect_exit 0
unchanged

# RHEL 9, 1T, 256 CPUs, no nr_cpus= for the capture kernel, mlx5 and
# nvidia loaded, 512M reserved.
rel=5.14.0-570.12.1.el9_6.x86_64
skd_root "$fixtures/rhel-9"
machine "$rel" 1024 0-255 'nvidia 62902272 10 nvidia_uvm,nvidia_modeset, Live 0xffffffffc1000000 (POE)
mlx5_core 2293760 1 mlx5_ib, Live 0xffffffffc0a00000
' 536870912
mkdir -p "$work/root/etc/sysconfig"
printf '%s\n' 'KDUMP_COMMANDLINE=""' \
	'KDUMP_COMMANDLINE_APPEND="irqpoll reset_devices cgroup_disable=memory"' \
	'KEXEC_ARGS="-s"' >"$work/root/etc/sysconfig/kdump"
truncate -s 30M "$work/root/boot/initramfs-${rel}kdump.img"
before=$(skd_tree_hash "$work/root")
skd_run estimate
skd_expect_exit 0
skd_run estimate --json
skd_expect_exit 0
check_json
unchanged

# Amazon Linux 2023, 4G, 2 CPUs, 192M reserved; then RAM and a value
# given on the command line.
rel=6.1.150-174.273.amzn2023.x86_64
skd_root "$fixtures/amzn-2023"
machine "$rel" 4 0-1 '' 201326592
truncate -s 20M "$work/root/boot/initramfs-$rel.img"
before=$(skd_tree_hash "$work/root")
skd_run estimate
skd_expect_exit 0
skd_run estimate --memory 512M
skd_expect_exit 0
skd_run estimate --memory 512M --json
skd_expect_exit 0
check_json
skd_run estimate --crashkernel 512M --memory 4G
skd_expect_exit 0
skd_run estimate --crashkernel auto --json
skd_expect_exit 0
check_json

# bad input: exit 2, one line naming the option
skd_run estimate --memory lots
skd_expect_exit 2
skd_check [ "$(wc -l <"$work/out")" -eq 1 ]
skd_check grep -q -- '--memory' "$work/out"
skd_run estimate --crashkernel '256M" init=/bin/sh'
skd_expect_exit 2
skd_check [ "$(wc -l <"$work/out")" -eq 1 ]
skd_check grep -q -- '--crashkernel' "$work/out"
skd_run estimate --crashkernel bogus --json
skd_expect_exit 2
check_json
unchanged

skd_golden estimate
skd_finish
