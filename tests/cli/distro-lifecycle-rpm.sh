#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The lifecycle of distro-lifecycle.sh on every root of the RPM family
# (RHEL, CentOS, Rocky, Alma, Oracle, Amazon, Fedora); a script of its own
# so that the two families run in parallel.
SKD_DISTRO_FAMILY=rpm
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/distro-lifecycle.sh"
