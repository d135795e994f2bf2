# SPDX-License-Identifier: Apache-2.0
# The Skyhook (NodeWright) package: make skyhook-package, make check-portable.
