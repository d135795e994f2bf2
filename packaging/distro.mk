# SPDX-License-Identifier: Apache-2.0
# Distribution packages: packaging/debian and packaging/rpm.
