#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The backend man page formats without warnings and names what it must.
set -eu
: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
page="$SKD_TOP_SRCDIR/man/skyhook-kdump-backend.7"
failed=0
for word in SKD_BACKEND_NOTE SKD_BACKEND_HEADER struct_size backendsdir \
	skyhook-kdump-conformance write_file kdump_config_prepare SKD_HOST_DRY_RUN \
	SKD_ABI_MAJOR SKD_ABI_MINOR; do
	if ! grep -q "$word" "$page"; then
		echo "FAIL: $page does not mention $word"
		failed=1
	fi
done
if command -v groff >/dev/null 2>&1; then
	warnings=$(groff -man -ww -z -Tutf8 "$page" 2>&1) || true
	if [ -n "$warnings" ]; then
		echo "FAIL: groff warnings:"
		echo "$warnings"
		failed=1
	else
		echo "PASS: groff -ww formats it without warnings"
	fi
else
	echo "groff not found: formatting not checked"
fi
[ "$failed" = 0 ]
