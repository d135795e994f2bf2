#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the path of a cached minimal Debian root for RELEASE, building it
# with debootstrap from Debian's archive on first use. The chroot test and
# the VM image both start from a copy of it, so the archive is read once.
# With ARCH (a Debian architecture, as arm64) other than this machine's, the
# root is of that architecture, cached apart (roots/RELEASE-ARCH), and its
# programs run through qemu-user: binfmt_misc is set up for them at every
# call, since the caller chroots into the root next.
#
#   tests/debian/root-cache.sh RELEASE [ARCH [minbase]]
#
# Environment: SKD_CACHE_DIR (default /var/cache/skyhook-kdump-tests),
# SKD_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# Exit status: 0 and the path on stdout; 77 (skip) when not root, when
# debootstrap is missing or the archive cannot be reached; 1 on failure.
set -eu

release=${1:?usage: root-cache.sh RELEASE [ARCH [minbase]]}
cache=${SKD_CACHE_DIR:-/var/cache/skyhook-kdump-tests}
mirror=${SKD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
host_arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
arch=${2:-$host_arch}
# what both tests need: a kernel for grub.cfg's linux lines and for the VM,
# GRUB's BIOS platform (UEFI's on arm64: the arm64 VM boots UEFI firmware),
# systemd as init, and the tools the lifecycle calls
case $arch in
amd64) boot=linux-image-amd64,grub-pc ;;
arm64) boot=linux-image-arm64,grub-efi-arm64 ;;
*) echo "root-cache: no recipe for architecture $arch" >&2; exit 1 ;;
esac
include=systemd-sysv,udev,kmod,$boot,initramfs-tools,e2fsprogs,procps,zstd
name=$release
foreign=
if [ "$arch" != "$host_arch" ]; then
	name=$release-$arch
	foreign=--arch=$arch
	# no initrd for the kernel (its hook reads INITRD): Debian's
	# MODULES=most one takes many minutes under qemu-user, and the VM
	# image builds its own, smaller one
	INITRD=No
	export INITRD
fi
# minbase: debootstrap's minimal root and nothing more, for a test that
# only runs a program in it (the package on an older glibc)
case ${3:-} in
'') ;;
minbase) include='' name=$name-minbase ;;
*) echo "root-cache: unknown variant '$3' (minbase)" >&2; exit 1 ;;
esac
root="$cache/roots/$name"

if [ "$(id -u)" != 0 ]; then
	if [ -f "$root/.skd-complete" ] && [ -z "$foreign" ]; then
		echo "$root"
		exit 0
	fi
	echo "root-cache: building or entering a Debian root needs root" >&2
	exit 77
fi

# qemu_user ARCH: the kernel runs ARCH's programs through qemu-user-static,
# registered with binfmt_misc as the qemu-user-static package describes it
# (a fresh CI machine may have neither the mount nor the registration); the
# F flag makes the kernel open the interpreter now, so it works in a chroot
qemu_user() {
	case $1 in
	arm64) q=aarch64 ;;
	*) q=$1 ;;
	esac
	b=/proc/sys/fs/binfmt_misc
	[ -e "$b/qemu-$q" ] && return 0
	conf=/usr/lib/binfmt.d/qemu-$q.conf
	if [ ! -f "$conf" ]; then
		echo "root-cache: $conf is missing (apt-get install qemu-user-static)" >&2
		return 1
	fi
	if [ ! -e "$b/register" ] &&
	   ! mount -t binfmt_misc binfmt_misc "$b" 2>/dev/null; then
		echo "root-cache: cannot mount binfmt_misc on $b" >&2
		return 1
	fi
	[ -e "$b/qemu-$q" ] && return 0
	# a caller beside us may register it first: the entry is what counts
	grep -v '^#' "$conf" | head -n1 >"$b/register" 2>/dev/null || :
	if [ ! -e "$b/qemu-$q" ]; then
		echo "root-cache: cannot register $conf with binfmt_misc" >&2
		return 1
	fi
}
if [ -n "$foreign" ]; then
	qemu_user "$arch" || exit 77
fi

if [ -f "$root/.skd-complete" ]; then
	echo "$root"
	exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
	echo "root-cache: debootstrap is not installed (apt-get install debootstrap)" >&2
	exit 77
fi
if command -v curl >/dev/null 2>&1 &&
   ! curl -fsS -o /dev/null --max-time 20 "$mirror/dists/$release/Release"; then
	echo "root-cache: $mirror/dists/$release/Release cannot be reached" >&2
	exit 77
fi

mkdir -p "$cache/roots"
# one builder at a time; a second caller waits and then finds it complete
exec 9>"$cache/roots/.$name.lock"
flock 9
if [ -f "$root/.skd-complete" ]; then
	echo "$root"
	exit 0
fi
rm -rf "$root" "$root.partial"
log="$cache/roots/$name.debootstrap.log"
# shellcheck disable=SC2086 # $foreign is one word or none
if ! DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase $foreign \
	${include:+--include="$include"} "$release" "$root.partial" "$mirror" >"$log" 2>&1; then
	echo "root-cache: debootstrap $name failed, last lines of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
# apt inside the root reads the same archive
echo "deb $mirror $release main" >"$root.partial/etc/apt/sources.list"
rm -f "$root.partial/var/cache/apt/archives/"*.deb
touch "$root.partial/.skd-complete"
mv "$root.partial" "$root"
echo "$root"
