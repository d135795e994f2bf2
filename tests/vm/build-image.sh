#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the path of a cached bootable Debian disk image (qcow2) for
# RELEASE, building it on first use:
#   - a copy of the cached debootstrapped root (tests/debian/root-cache.sh),
#   - an offline apt repository in /srv/skd-repo holding the kdump packages
#     and their dependencies, the only source apt knows (the VM has no
#     network),
#   - a serial console for GRUB and the kernel, the test's boot driver unit,
#   - initramfs-tools' MODULES=list (SKD_VM_INITRAMFS_MODULES) with the
#     modules this VM boots from (virtio disk, ext4): the initrd holds only
#     what the VM needs, as on a VM-specific image, so it is built natively
#     in the chroot, and every later initrd build under emulation (the one
#     the kdump-tools install triggers, the kdump initrd) and every boot is
#     several times faster; "dep" builds it in the setup boot instead,
#     "most" keeps Debian's default.
#   - one ext4 partition made from that directory (mkfs.ext4 -d: no loop
#     device, no mount), then one setup boot with qemu's -kernel that puts
#     GRUB on the disk's MBR and writes grub.cfg, so that every later boot
#     goes through GRUB.
# The image is rebuilt when this script or the guest driver changes.
#
#   build-image.sh RELEASE
#
# Environment: SKD_CACHE_DIR (default /var/cache/skyhook-kdump-tests),
# SKD_VM_INITRAMFS_MODULES (default list).
# Exit status: 0 and the path on stdout; 77 when a prerequisite is missing;
# 1 on failure. Progress goes to standard error.
set -eu

release=${1:?usage: build-image.sh RELEASE}
here=$(cd "$(dirname "$0")" && pwd)
cache=${SKD_CACHE_DIR:-/var/cache/skyhook-kdump-tests}
dir="$cache/vm/$release"
modules=${SKD_VM_INITRAMFS_MODULES:-list}
size=4G
# what apply installs on Debian, with what they need
kdump_packages="kdump-tools kexec-tools makedumpfile crash"

stamp=$({ cat "$0" "$here/guest/skd-vm-driver" "$here/guest/skd-vm-driver.service"
	echo "$modules"; } | sha256sum | cut -c1-16)
# one file per stamp: an overlay made on an older image keeps its base
image="$dir/base-$stamp.qcow2"
if [ -f "$image" ]; then
	echo "$image"
	exit 0
fi
for tool in qemu-system-x86_64 qemu-img mkfs.ext4 sfdisk dpkg-scanpackages; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "build-image: $tool is not installed" >&2
		exit 77
	fi
done

root=$("$here/../debian/root-cache.sh" "$release") || exit $?

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -f "$image" ]; then
	echo "$image"
	exit 0
fi
work="$dir/work"
rm -rf "$work"
mkdir -p "$work"
log="$dir/build.log"
: >"$log"
step() { echo "build-image: $release: $*" >&2; }
started=$(date +%s)

step "copying the cached root"
r="$work/root"
cp -a "$root" "$r"
rm -f "$r/.skd-complete"

step "downloading $kdump_packages and their dependencies"
cp /etc/resolv.conf "$r/etc/resolv.conf"
# shellcheck disable=SC2086 # a list of package names
if ! { chroot "$r" apt-get -q update &&
       chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
		--download-only --no-install-recommends install $kdump_packages; } \
		>>"$log" 2>&1; then
	echo "build-image: downloading the kdump packages failed; end of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
repo="$r/srv/skd-repo"
mkdir -p "$repo"
mv "$r"/var/cache/apt/archives/*.deb "$repo/"
(cd "$repo" && dpkg-scanpackages -m . 2>>"$log" >Packages)
echo "deb [trusted=yes] file:/srv/skd-repo ./" >"$r/etc/apt/sources.list"
rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin
: >"$r/etc/resolv.conf"

step "configuring the serial console, fstab and the boot driver"
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "UUID=$uuid / ext4 errors=remount-ro 0 1" >"$r/etc/fstab"
echo skd-vm >"$r/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tskd-vm\n' >"$r/etc/hosts"
cat >>"$r/etc/default/grub" <<'GRUB'
# the test VM: serial console only, no menu delay, every kernel message
GRUB_TIMEOUT=0
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_CMDLINE_LINUX="console=ttyS0,115200"
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_DISABLE_OS_PROBER=true
GRUB
sed -i "s/^MODULES=.*/MODULES=$modules/" "$r/etc/initramfs-tools/initramfs.conf"
if [ "$modules" = list ]; then
	printf '%s\n' virtio_pci virtio_blk ext4 >>"$r/etc/initramfs-tools/modules"
	step "building the initrd (MODULES=list) in the chroot"
	if ! chroot "$r" update-initramfs -u -k all >>"$log" 2>&1; then
		echo "build-image: update-initramfs failed; end of $log:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	setup_initrd=
else
	# dep looks at the running system: only the VM itself can tell
	setup_initrd="update-initramfs -u"
fi
install -m 0755 "$here/guest/skd-vm-driver" "$r/usr/local/sbin/skd-vm-driver"
install -m 0644 "$here/guest/skd-vm-driver.service" \
	"$r/etc/systemd/system/skd-vm-driver.service"
ln -sf ../skd-vm-driver.service \
	"$r/etc/systemd/system/multi-user.target.wants/skd-vm-driver.service"
# nothing else may run apt, rewrite the disk or wait on a console
for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
	    e2scrub_all.timer fstrim.timer systemd-firstboot.service; do
	ln -sf /dev/null "$r/etc/systemd/system/$unit"
done

step "making the disk ($size, one ext4 partition from the directory)"
raw="$work/disk.raw"
part="$work/part.ext4"
truncate -s "$size" "$raw"
echo 'start=2048, type=83, bootable' | sfdisk -q "$raw" >>"$log" 2>&1
sectors=$(( $(stat -c %s "$raw") / 512 - 2048 ))
mkfs.ext4 -q -F -U "$uuid" -L skd-root -d "$r" "$part" "$((sectors / 2))k" >>"$log" 2>&1
dd if="$part" of="$raw" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$part"
qemu-img convert -O qcow2 "$raw" "$work/setup.qcow2"
rm -f "$raw"

step "setup boot: grub-install on the MBR, update-grub${setup_initrd:+, $setup_initrd}"
for kernel in "$r"/boot/vmlinuz-*; do :; done
initrd="$r/boot/initrd.img-${kernel##*/vmlinuz-}"
share="$work/share"
mkdir -p "$share/out"
{ echo "set -e"; echo "$setup_initrd"; } >"$share/boot.sh"
cat >>"$share/boot.sh" <<'SETUP'
grub-install --target=i386-pc /dev/vda
update-grub
echo done >"$SKD_SHARE/out/setup"
sync
systemctl poweroff
SETUP
"$here/boot-vm.sh" "$work/setup.qcow2" "$share" "$dir/setup-console.log" 900 \
	"$kernel" "$initrd" "root=UUID=$uuid rw console=ttyS0,115200" >>"$log" 2>&1 || true
if [ ! -f "$share/out/setup" ]; then
	echo "build-image: the setup boot did not finish; end of $dir/setup-console.log:" >&2
	tail -n 30 "$dir/setup-console.log" >&2
	exit 1
fi
mv "$work/setup.qcow2" "$image"
rm -rf "$work"
# images of older recipes
for old in "$dir"/base-*.qcow2; do
	[ "$old" = "$image" ] || rm -f "$old"
done
step "built $image in $(($(date +%s) - started)) s"
echo "$image"
