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
# With ARCH arm64 the root is arm64's (run through qemu-user while it is
# prepared) and the VM boots UEFI firmware (boot-vm.sh): the disk is GPT
# with an EFI system partition (FAT, mkfs.vfat) before the root, where the
# setup boot runs grub-install --removable --no-nvram (the firmware boots
# \EFI\BOOT\BOOTAA64.EFI with no boot entry in its variables), and the
# serial console is the virt machine's PL011, ttyAMA0, which GRUB reaches
# through the firmware's console.
# The image is rebuilt when this script or the guest driver changes.
#
#   build-image.sh RELEASE [ARCH]
#
# Environment: SKD_CACHE_DIR (default /var/cache/skyhook-kdump-tests),
# SKD_VM_INITRAMFS_MODULES (default list). ARCH defaults to amd64, cached in
# vm/RELEASE; another one is cached in vm/RELEASE-ARCH.
# Exit status: 0 and the path on stdout; 77 when a prerequisite is missing;
# 1 on failure. Progress goes to standard error.
set -eu

release=${1:?usage: build-image.sh RELEASE [ARCH]}
arch=${2:-amd64}
here=$(cd "$(dirname "$0")" && pwd)
cache=${SKD_CACHE_DIR:-/var/cache/skyhook-kdump-tests}
case $arch in
amd64)
	dir="$cache/vm/$release"
	qemu=qemu-system-x86_64 efi='' console=ttyS0
	;;
arm64)
	dir="$cache/vm/$release-$arch"
	# efi: the tool that makes the EFI system partition (none: BIOS, the MBR)
	qemu=qemu-system-aarch64 efi=mkfs.vfat console=ttyAMA0
	;;
*)
	echo "build-image: no VM recipe for architecture $arch" >&2
	exit 1
	;;
esac
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
for tool in "$qemu" qemu-img mkfs.ext4 sfdisk dpkg-scanpackages $efi; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "build-image: $tool is not installed" >&2
		exit 77
	fi
done

if [ "$arch" = amd64 ]; then
	root=$("$here/../debian/root-cache.sh" "$release") || exit $?
else
	root=$("$here/../debian/root-cache.sh" "$release" "$arch") || exit $?
fi

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
step() { echo "build-image: $release${efi:+ $arch}: $*" >&2; }
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
if [ -n "$efi" ]; then
	# the EFI system partition's volume id, as blkid shows it: XXXX-XXXX
	esp_id=$(echo "$uuid" | tr -d - | cut -c1-8 | tr a-f A-F)
	esp_uuid=$(echo "$esp_id" | sed 's/^\(....\)/\1-/')
	mkdir -p "$r/boot/efi"
	echo "UUID=$esp_uuid /boot/efi vfat umask=0077 0 0" >>"$r/etc/fstab"
fi
echo skd-vm >"$r/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tskd-vm\n' >"$r/etc/hosts"
if [ "$arch" = amd64 ]; then
	cat >>"$r/etc/default/grub" <<'GRUB'
# the test VM: serial console only, no menu delay, every kernel message
GRUB_TIMEOUT=0
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_CMDLINE_LINUX="console=ttyS0,115200"
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_DISABLE_OS_PROBER=true
GRUB
else
	# the firmware's console is the serial port: GRUB writes to it
	cat >>"$r/etc/default/grub" <<GRUB
# the test VM: serial console only, no menu delay, every kernel message
GRUB_TIMEOUT=0
GRUB_TERMINAL=console
GRUB_CMDLINE_LINUX="console=$console,115200"
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_DISABLE_OS_PROBER=true
GRUB
fi
sed -i "s/^MODULES=.*/MODULES=$modules/" "$r/etc/initramfs-tools/initramfs.conf"
if [ "$modules" = list ]; then
	printf '%s\n' virtio_pci virtio_blk ext4 >>"$r/etc/initramfs-tools/modules"
	step "building the initrd (MODULES=list) in the chroot"
	# a foreign root has none yet (root-cache.sh)
	for kernel in "$r"/boot/vmlinuz-*; do :; done
	version=${kernel##*/vmlinuz-}
	how=-u
	[ -f "$r/boot/initrd.img-$version" ] || how=-c
	if ! chroot "$r" update-initramfs "$how" -k "$version" >>"$log" 2>&1; then
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

raw="$work/disk.raw"
part="$work/part.ext4"
truncate -s "$size" "$raw"
if [ -z "$efi" ]; then
	step "making the disk ($size, one ext4 partition from the directory)"
	echo 'start=2048, type=83, bootable' | sfdisk -q "$raw" >>"$log" 2>&1
	root_mib=1
	sectors=$(( $(stat -c %s "$raw") / 512 - 2048 ))
	dev=/dev/vda
else
	step "making the disk ($size, GPT: a 64 MiB EFI system partition, ext4 from the directory)"
	# the root starts at 65 MiB and leaves 1 MiB for the backup GPT
	root_mib=65
	sectors=$(( $(stat -c %s "$raw") / 512 - root_mib * 2048 - 2048 ))
	printf 'label: gpt\nstart=2048, size=131072, type=U\nstart=%s, size=%s, type=L\n' \
		"$((root_mib * 2048))" "$sectors" | sfdisk -q "$raw" >>"$log" 2>&1
	mkfs.vfat -C -i "$esp_id" -n ESP "$work/esp.fat" 65536 >>"$log" 2>&1
	dd if="$work/esp.fat" of="$raw" bs=1M seek=1 conv=notrunc,sparse status=none
	rm -f "$work/esp.fat"
	dev=/dev/vda1
fi
mkfs.ext4 -q -F -U "$uuid" -L skd-root -d "$r" "$part" "$((sectors / 2))k" >>"$log" 2>&1
dd if="$part" of="$raw" bs=1M seek="$root_mib" conv=notrunc,sparse status=none
rm -f "$part"
qemu-img convert -O qcow2 "$raw" "$work/setup.qcow2"
rm -f "$raw"

step "setup boot: grub-install on $dev, update-grub${setup_initrd:+, $setup_initrd}"
for kernel in "$r"/boot/vmlinuz-*; do :; done
initrd="$r/boot/initrd.img-${kernel##*/vmlinuz-}"
share="$work/share"
mkdir -p "$share/out"
{ echo "set -e"; echo "$setup_initrd"; } >"$share/boot.sh"
if [ -z "$efi" ]; then
	echo "grub-install --target=i386-pc /dev/vda" >>"$share/boot.sh"
else
	# the removable media path, so that no firmware variable is needed
	cat >>"$share/boot.sh" <<'SETUP'
mountpoint -q /boot/efi || mount /boot/efi
grub-install --target=arm64-efi --efi-directory=/boot/efi --removable --no-nvram
SETUP
fi
cat >>"$share/boot.sh" <<'SETUP'
update-grub
echo done >"$SKD_SHARE/out/setup"
sync
systemctl poweroff
SETUP
SKD_VM_ARCH=$arch "$here/boot-vm.sh" "$work/setup.qcow2" "$share" "$dir/setup-console.log" 900 \
	"$kernel" "$initrd" "root=UUID=$uuid rw console=$console,115200" >>"$log" 2>&1 || true
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
