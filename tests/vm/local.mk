# SPDX-License-Identifier: Apache-2.0
# make check-vm: the lifecycle on a real kernel in qemu
