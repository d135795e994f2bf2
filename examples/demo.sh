#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The main job on a safe default: would this machine leave a vmcore if it
# panicked now (status, read-only), which backend it would use, what a
# crashkernel value reserves, then a dry run of apply and config on a
# throwaway copy of the example Debian 12 node. Nothing on this machine is
# changed. Usage: examples/demo.sh [path to the skyhook-kdump program]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/skyhook-kdump}
work=$(mktemp -d "${TMPDIR:-/tmp}/skyhook-kdump-demo-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== status of this machine: will a panic now leave a vmcore?"
"$bin" status || echo "(status exit $?: 1 = not armed, 3 = no backend for this distribution)"

echo
echo "== the backends found, and the one this machine would use"
"$bin" backends || echo "(this machine is not a supported distribution: exit $?)"

echo
echo "== what the example configmap's crashkernel reserves on a 16G machine"
"$bin" validate --configmaps "$top/examples/configmaps" --memory 16G --crashkernel "$(cat "$top/examples/configmaps/crashkernel")"

cp -a "$top/examples/node-debian-12" "$work/root"
for mode in apply config; do
	echo
	echo "== dry run of '$mode' on a copy of examples/node-debian-12"
	"$bin" --root "$work/root" --configmaps "$top/examples/configmaps" --dry-run "$mode"
done
