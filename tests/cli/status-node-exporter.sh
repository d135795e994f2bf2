#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Debian's prometheus-node-exporter reads our metrics files without a
# scrape error: the good ones (armed; not armed with reasons and a
# warning) and the one that replaces them when the status cannot be
# judged (issue 18, item 8). Each file alone in a directory given to
# --collector.textfile.directory, the exporter on a loopback port, /metrics
# scraped with curl: node_textfile_scrape_error 0 and our values there.
# Skipped, saying so, where prometheus-node-exporter or curl is missing.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

exporter=
for _c in prometheus-node-exporter node_exporter; do
	if command -v "$_c" >/dev/null 2>&1; then
		exporter=$(command -v "$_c")
		break
	fi
done
if [ -z "$exporter" ] || ! command -v curl >/dev/null 2>&1; then
	echo "SKIP: needs prometheus-node-exporter (Debian's package of that name) and curl"
	exit 77
fi
echo "exporter: $("$exporter" --version 2>&1 | head -n 1)"

fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
skd_setup
exporter_pid=
trap 'if [ -n "$exporter_pid" ]; then kill "$exporter_pid" 2>/dev/null; fi; rm -rf "$work"' EXIT

# scrape NAME FILE: $work/scrape-NAME.txt is /metrics of an exporter that
# reads FILE alone (as kdump.prom); 1 when no port could be used
scrape() {
	_dir="$work/textfile-$1"
	mkdir -p "$_dir"
	cp "$2" "$_dir/kdump.prom"
	_tries=0
	while [ $_tries -lt 5 ]; do
		_tries=$((_tries + 1))
		# a port from the dynamic range, another one on each try
		_port=$(( 49152 + ( $$ * 7 + _tries * 131 + $(date +%N | sed 's/^0*//;s/^$/0/') ) % 16000 ))
		"$exporter" --web.listen-address="127.0.0.1:$_port" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$_dir" \
			>"$work/exporter-$1.log" 2>&1 &
		exporter_pid=$!
		_n=0
		while [ $_n -lt 50 ]; do
			if curl -fsS "http://127.0.0.1:$_port/metrics" >"$work/scrape-$1.txt" 2>/dev/null; then
				kill "$exporter_pid"
				wait "$exporter_pid" 2>/dev/null || true
				exporter_pid=
				return 0
			fi
			kill -0 "$exporter_pid" 2>/dev/null || break   # port taken: exited
			sleep 0.1
			_n=$((_n + 1))
		done
		kill "$exporter_pid" 2>/dev/null || true
		wait "$exporter_pid" 2>/dev/null || true
		exporter_pid=
	done
	echo "FAIL: no exporter answered for $1:" >&2
	cat "$work/exporter-$1.log" >&2
	return 1
}

# read_ok NAME FILE LINE...: the exporter reads FILE without an error and
# exports each LINE as given
read_ok() {
	_name=$1 _file=$2
	shift 2
	tests_run=$((tests_run + 1))
	if ! scrape "$_name" "$_file"; then
		tests_failed=$((tests_failed + 1))
		return 0
	fi
	skd_check grep -qx 'node_textfile_scrape_error 0' "$work/scrape-$_name.txt"
	skd_check grep -q '^node_textfile_mtime_seconds{file="[^"]*kdump.prom"} ' "$work/scrape-$_name.txt"
	for _line in "$@"; do
		tests_run=$((tests_run + 1))
		if ! grep -qxF "$_line" "$work/scrape-$_name.txt"; then
			echo "FAIL: $_name: not exported as given: $_line" >&2
			grep '^skyhook_kdump_\|^node_textfile' "$work/scrape-$_name.txt" >&2 || true
			tests_failed=$((tests_failed + 1))
		fi
	done
}

# a root set up and booted: armed
skd_root "$fixtures/debian-12"
skd_add_ram "$work/root" 16
mkdir -p "$work/root/proc/sys/kernel"
echo 6.1.0-26-amd64 >"$work/root/proc/sys/kernel/osrelease"
skd_configmap crashkernel 512M
skd_run apply;  skd_expect_exit 0
skd_run config; skd_expect_exit 0
skd_boot_files "$work/root" 512M 536870912
skd_run status --prometheus "$work/armed.prom"; skd_expect_exit 0
read_ok armed "$work/armed.prom" \
	'skyhook_kdump_armed{verdict="armed"} 1' \
	'skyhook_kdump_reserved_bytes 5.36870912e+08' \
	'skyhook_kdump_crash_kernel_loaded 1'

# nothing loaded and a small disk: reasons and a warning, in labels
echo 0 >"$work/root/sys/kernel/kexec_crash_loaded"
export SKD_DUMP_FREE=2G
skd_run status --prometheus "$work/not-armed.prom"; skd_expect_exit 1
unset SKD_DUMP_FREE
read_ok not-armed "$work/not-armed.prom" \
	'skyhook_kdump_armed{verdict="not armed"} 0' \
	'skyhook_kdump_crash_kernel_loaded 0'
skd_check grep -q '^skyhook_kdump_not_armed_reason{code="not_loaded",message="[^"]*"} 1$' \
	"$work/scrape-not-armed.txt"

# an unsupported system: the failure file
sed -i 's/^ID=.*/ID=plan9/' "$work/root/etc/os-release"
cp "$work/armed.prom" "$work/failed.prom"
skd_run status --prometheus "$work/failed.prom"; skd_expect_exit 3
read_ok failed "$work/failed.prom" \
	'skyhook_kdump_armed{verdict="unknown"} 0'
skd_check grep -q '^skyhook_kdump_status_error{code="unsupported",message="[^"]*plan9[^"]*"} 1$' \
	"$work/scrape-failed.txt"
skd_check eval "! grep -q 'verdict=\"armed\"' '$work/scrape-failed.txt'"
skd_finish
