# SPDX-License-Identifier: Apache-2.0
# chroot test on a debootstrapped Debian root (real apt, update-grub)
EXTRA_DIST += tests/debian/root-cache.sh
