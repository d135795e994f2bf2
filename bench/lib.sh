#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Shared by bench/run.sh: counting the commands of a run, and the table,
# the targets and the JSON from the raw figures of every run.

# bench_classify LOG: "PKG BOOT", the package-manager and the
# bootloader-regeneration commands among the command lines of LOG (a
# script run by its interpreter counts as the script).
bench_classify() {
	awk '{
		cmd = $1
		if (cmd ~ /(^|\/)(sh|bash|dash)$/ && NF > 1) cmd = $2
		sub(/.*\//, "", cmd)
		if (cmd ~ /^(apt-get|apt|aptitude|dpkg|dpkg-query|yum|dnf|microdnf|rpm|zypper)$/) pkg++
		if (cmd ~ /^(update-grub|update-grub2|grub-mkconfig|grub2-mkconfig|grubby|update-bootloader)$/) boot++
	} END { printf "%d %d\n", pkg, boot }' "$1"
}

# bench_timing_lines KEY: measure's lines (stdin) as raw timing lines
bench_timing_lines() {
	awk -v k="$1" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print k, v["wall_us"], v["cpu_us"], v["maxrss_kb"], v["exit"], "-", "-", "-", "-"
	}'
}

# bench_count_line KEY PKG BOOT: a counting run's line of measure (stdin,
# with --trace and maybe --tree) as a raw counting line
bench_count_line() {
	awk -v k="$1" -v pkg="$2" -v boot="$3" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print k, "-", "-", "-", v["exit"], v["children"], ("files" in v) ? v["files"] : 0, pkg, boot
	}'
}

# bench_report RAW JSON: RAW has one line per run,
#   ROOT STATE MODE wall_us cpu_us maxrss_kb exit children files pkg boot
# (the counts are "-" in timing-only lines and the times "-" in counting
# ones). Prints the table and the targets, writes JSON; the environment
# gives BENCH_MACHINE, BENCH_LOAD and BENCH_RUNS.
bench_report() {
	awk -v json="$2" -v machine="$BENCH_MACHINE" -v load="$BENCH_LOAD" \
	    -v runs="$BENCH_RUNS" '
	function sortv(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
			a[j + 1] = t
		}
	}
	# median, min, max of the values of key k, metric m
	function stat(k, m,   n, i, v, vals) {
		n = cnt[k, m]
		if (n == 0) { MED = MIN = MAX = "null"; return 0 }
		for (i = 1; i <= n; i++) vals[i] = val[k, m, i]
		sortv(vals, n)
		MIN = vals[1]; MAX = vals[n]
		MED = (n % 2) ? vals[(n + 1) / 2] : (vals[n / 2] + vals[n / 2 + 1]) / 2
		return n
	}
	function fmt(scale, digits) {
		if (MED == "null") return "-"
		return sprintf("%." digits "f [%." digits "f-%." digits "f]",
		               MED / scale, MIN / scale, MAX / scale)
	}
	function cnt_fmt() {
		if (MED == "null") return "-"
		return (MIN == MAX) ? MED "" : sprintf("%s [%s-%s]", MED, MIN, MAX)
	}
	function jnum(x, scale) {
		return x == "null" ? "null" : sprintf("%.3f", x / scale) + 0
	}
	function target(name, k, m, limit, use, scale,   ok, got, note, base) {
		stat(k, m)
		got = (use == "max") ? MAX : MED
		ok = got != "null" && got / scale < limit
		ntarget++
		if (!ok) failed++
		note = ""
		# how much of a time is the cost of any process on this machine
		if (m == "wall_us" && got != "null" && ("baseline" SUBSEP "-" SUBSEP "true") in seen) {
			stat("baseline" SUBSEP "-" SUBSEP "true", "wall_us")
			base = MED
			note = sprintf("; %.2f over an empty process (true: %.2f)", (got - base) / scale, base / scale)
			if (!ok && (got - base) / scale < limit) {
				note = note ", within the limit over it"
				over_ok++
			}
		}
		tline[ntarget] = sprintf("%s  %-50s %s: %s (limit < %s)%s",
			ok ? "PASS" : "FAIL", name " [" key_root[k] "]", use,
			got == "null" ? "none" : sprintf("%.3f", got / scale) + 0, limit, note)
		tjson[ntarget] = sprintf("{\"target\":\"%s\",\"root\":\"%s\",\"state\":\"%s\",\"mode\":\"%s\",\"figure\":\"%s\",\"of\":\"%s\",\"value\":%s,\"limit\":%s,\"pass\":%s}",
			name, key_root[k], key_state[k], key_mode[k], m, use,
			got == "null" ? "null" : got / scale, limit, ok ? "true" : "false")
	}
	BEGIN { nm = split("wall_us cpu_us maxrss_kb exit children files pkg boot", metric) }
	{
		k = $1 SUBSEP $2 SUBSEP $3
		if (!(k in seen)) {
			seen[k] = 1; order[++nk] = k
			key_root[k] = $1; key_state[k] = $2; key_mode[k] = $3
		}
		for (i = 1; i <= nm; i++) {
			if ($(i + 3) == "-") continue
			val[k, metric[i], ++cnt[k, metric[i]]] = $(i + 3)
		}
	}
	END {
		printf "%-13s %-9s %-20s %4s %-20s %-20s %-17s %-9s %-7s %-5s %-5s\n",
			"root", "state", "mode", "exit", "wall ms", "CPU ms", "peak RSS MiB",
			"children", "files", "pkg", "boot"
		printf "{\"machine\":\"%s\",\"load\":\"%s\",\"runs\":%d,\"results\":[", machine, load, runs > json
		for (o = 1; o <= nk; o++) {
			k = order[o]
			line = sprintf("%-13s %-9s %-20s", key_root[k], key_state[k], key_mode[k])
			stat(k, "exit"); line = line sprintf(" %4s", MED == "null" ? "-" : MAX)
			stat(k, "wall_us"); line = line sprintf(" %-20s", fmt(1000, 2))
			stat(k, "cpu_us"); line = line sprintf(" %-20s", fmt(1000, 2))
			stat(k, "maxrss_kb"); line = line sprintf(" %-17s", fmt(1024, 1))
			stat(k, "children"); line = line sprintf(" %-9s", cnt_fmt())
			stat(k, "files"); line = line sprintf(" %-7s", cnt_fmt())
			stat(k, "pkg"); line = line sprintf(" %-5s", cnt_fmt())
			stat(k, "boot"); line = line sprintf(" %-5s", cnt_fmt())
			print line
			printf "%s{\"root\":\"%s\",\"state\":\"%s\",\"mode\":\"%s\"", (o > 1 ? "," : ""),
				key_root[k], key_state[k], key_mode[k] > json
			for (i = 1; i <= nm; i++) {
				n = stat(k, metric[i])
				printf ",\"%s\":{\"median\":%s,\"min\":%s,\"max\":%s,\"n\":%d}",
					metric[i], MED, MIN, MAX, n > json
			}
			printf "}" > json
			# the targets
			m = key_mode[k]; st = key_state[k]
			if (key_root[k] ~ /^backends/) {
				target("backends: notes of the generated files", k, "wall_us", 20, "median", 1000)
			} else if (key_root[k] ~ /^chroot/) {
				if (st == "converged" && (m == "apply" || m == "config")) {
					target("converged " m ": package-manager commands", k, "pkg", 1, "max", 1)
					target("converged " m ": bootloader regenerations", k, "boot", 1, "max", 1)
				}
			} else if (st == "converged") {
				if (m == "apply" || m == "config") {
					target("converged " m ": package-manager commands", k, "pkg", 1, "max", 1)
					target("converged " m ": bootloader regenerations", k, "boot", 1, "max", 1)
					target("converged " m ": files written", k, "files", 1, "max", 1)
				} else if (m ~ /-check$/) {
					target(m ": exit status", k, "exit", 1, "max", 1)
					target(m ": child processes", k, "children", 1, "max", 1)
					target(m ": wall ms", k, "wall_us", 5, "median", 1000)
					target(m ": peak RSS MiB", k, "maxrss_kb", 4, "median", 1024)
				} else if (m == "status") {
					target("status: wall ms", k, "wall_us", 5, "median", 1000)
				}
			}
		}
		printf "],\"targets\":[" > json
		for (i = 1; i <= ntarget; i++) printf "%s%s", (i > 1 ? "," : ""), tjson[i] > json
		printf "],\"targets_failed\":%d,\"targets_failed_within_limit_over_empty_process\":%d}\n", failed, over_ok > json
		print ""
		print "targets (a report, not a test):"
		for (i = 1; i <= ntarget; i++) print "  " tline[i]
		printf "%d of %d targets pass", ntarget - failed, ntarget
		if (over_ok) printf "; %d of the failures are within the limit over an empty process", over_ok
		printf "\n"
	}' "$1"
}
