# SPDX-License-Identifier: Apache-2.0
# chroot test on a debootstrapped Debian root (real apt, update-grub)
TESTS += tests/debian/chroot-lifecycle.sh
EXTRA_DIST += tests/debian/root-cache.sh tests/debian/chroot-lifecycle.sh \
	tests/debian/chroot-mounts.sh
