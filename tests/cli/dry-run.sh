#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# --dry-run claims nothing: on every project fixture root, every mode that
# changes the system (apply, config, uninstall, upgrade) under --dry-run,
# on the fresh root and again once apply and config have really run (so
# that config and uninstall have something to do), leaves the root
# byte-identical, and no summary line or "done" entry of --json says
# that something was done: each says what would be. Once apply and config
# ran, the dry runs of config and uninstall exit 0, as the runs would.
# SKD_DISTRO_ROOTS (names of fixture roots) narrows it, as for the
# distribution lifecycles (make check-valgrind).
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
skd_configmap crashkernel 512M

# claims OUTPUT MODE: the summary lines ("MODE: ...") that read as done
claims() {
	sed -n "s/^$2: //p" "$1" |
		grep -E '^(installed|enabled|started|created|restarted|removed|restored|stopped|disabled|moved|kept|wrote|updated|reset|set) |^crashkernel(=[^ ]*)? (set|restored|removed) |reboot is needed' || true
}

# json_claims: the "done" entries of the --json document that do not say "would"
json_claims() {
	python3 -c '
import json, sys
doc = json.loads(sys.stdin.read().strip().splitlines()[-1])
bad = [d for d in doc.get("done", []) if not d.startswith("would ") and " would " not in d]
print("\n".join(bad))
' <"$work/out"
}

# dry ROOT_NAME STAGE MODE: a dry run that changes nothing and claims nothing
dry() {
	before=$(skd_tree_hash "$work/root")
	skd_exec --dry-run "$3"
	cat "$work/err" >>"$work/out"
	# once apply and config ran for real, the dry run works as the run would
	if [ "$2" = configured ] && [ "$status" != 0 ]; then
		echo "FAIL: $1 ($2): --dry-run $3 exits $status:" >&2
		cat "$work/out" >&2
		tests_failed=$((tests_failed + 1))
	fi
	said=$(claims "$work/out" "$3")
	tests_run=$((tests_run + 1))
	if [ -n "$said" ]; then
		echo "FAIL: $1 ($2): --dry-run $3 says it did: $said" >&2
		tests_failed=$((tests_failed + 1))
	fi
	skd_check [ "$before" = "$(skd_tree_hash "$work/root")" ]
	if command -v python3 >/dev/null 2>&1; then
		skd_exec --dry-run --json "$3"
		said=$(json_claims 2>&1)
		tests_run=$((tests_run + 1))
		if [ -n "$said" ]; then
			echo "FAIL: $1 ($2): --dry-run --json $3 has done: $said" >&2
			tests_failed=$((tests_failed + 1))
		fi
	fi
}

roots=0
for fixture in "$SKD_TOP_SRCDIR"/tests/fixtures/*/; do
	name=$(basename "$fixture")
	[ -f "$fixture/etc/os-release" ] || [ -f "$fixture/usr/lib/os-release" ] || continue
	[ "$name" = mockos ] && continue
	case " ${SKD_DISTRO_ROOTS:-$name} " in *" $name "*) ;; *) continue ;; esac
	skd_root "$fixture"
	[ -f "$work/root/proc/iomem" ] || skd_add_ram "$work/root" 16
	skd_exec backends
	grep -q '^this system .* uses: ' "$work/out" || continue
	roots=$((roots + 1))
	for mode in apply config uninstall upgrade; do
		dry "$name" fresh "$mode"
	done
	# after a real apply and config, config and uninstall have work
	skd_exec apply
	skd_exec config
	skd_configmap crashkernel 1G
	for mode in config uninstall; do
		dry "$name" configured "$mode"
	done
	skd_configmap crashkernel 512M
done
echo "$roots fixture roots"
if [ -z "${SKD_DISTRO_ROOTS:-}" ]; then
	skd_check [ "$roots" -ge 20 ]
fi
skd_finish
