#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the path of a cached minimal Debian root for RELEASE, building it
# with debootstrap from Debian's archive on first use. The chroot test and
# the VM image both start from a copy of it, so the archive is read once.
#
#   tests/debian/root-cache.sh RELEASE
#
# Environment: SKD_CACHE_DIR (default /var/cache/skyhook-kdump-tests),
# SKD_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# Exit status: 0 and the path on stdout; 77 (skip) when not root, when
# debootstrap is missing or the archive cannot be reached; 1 on failure.
set -eu

release=${1:?usage: root-cache.sh RELEASE}
cache=${SKD_CACHE_DIR:-/var/cache/skyhook-kdump-tests}
mirror=${SKD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
root="$cache/roots/$release"
# what both tests need: a kernel for grub.cfg's linux lines and for the VM,
# GRUB's BIOS platform, systemd as init, and the tools the lifecycle calls
include=systemd-sysv,udev,kmod,linux-image-amd64,grub-pc,initramfs-tools,e2fsprogs,procps,zstd

if [ -f "$root/.skd-complete" ]; then
	echo "$root"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "root-cache: building a Debian root needs root" >&2
	exit 77
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
exec 9>"$cache/roots/.$release.lock"
flock 9
if [ -f "$root/.skd-complete" ]; then
	echo "$root"
	exit 0
fi
rm -rf "$root" "$root.partial"
log="$cache/roots/$release.debootstrap.log"
if ! DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase \
	--include="$include" "$release" "$root.partial" "$mirror" >"$log" 2>&1; then
	echo "root-cache: debootstrap $release failed, last lines of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
# apt inside the root reads the same archive
echo "deb $mirror $release main" >"$root.partial/etc/apt/sources.list"
rm -f "$root.partial/var/cache/apt/archives/"*.deb
touch "$root.partial/.skd-complete"
mv "$root.partial" "$root"
echo "$root"
