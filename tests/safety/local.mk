# SPDX-License-Identifier: Apache-2.0
# fault injection, kills, SIGTERM, locking, bootable config
