#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Sourced by the chroot test: make a copy of a Debian root look like the /
# of a booted system to the tools run inside it, and undo that.
#
# update-grub runs grub-probe, which finds the device of / in
# /proc/self/mountinfo (hence the copy is bind-mounted onto itself, so the
# chroot sees a "/" entry) and opens it below /dev; sysfs tells it what the
# device is. /sys is read-only: nothing in the chroot has to change the
# host's kernel settings.

# skd_chroot_mount ROOT: 0, or 1 when this system does not let us mount
# (what was mounted is unmounted again by skd_chroot_umount).
skd_chroot_mount() {
	mount --bind "$1" "$1" &&
	mount -t proc proc "$1/proc" &&
	mount --bind /sys "$1/sys" &&
	mount -o remount,bind,ro "$1/sys" &&
	mount --bind /dev "$1/dev"
}

# The mount points at or below DIR, deepest first (as /proc/self/mounts
# spells them: DIR must hold no space or backslash).
skd_mounts_below() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts |
		LC_ALL=C sort -r
}

# skd_chroot_umount DIR: unmounts everything at or below DIR; a busy mount
# is detached lazily. 1 when something is still mounted there.
skd_chroot_umount() {
	for _m in $(skd_mounts_below "$1"); do
		umount "$_m" 2>/dev/null || umount -l "$_m" || true
	done
	[ -z "$(skd_mounts_below "$1")" ]
}
