#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Two instances started at once on the same root (a Skyhook retry and an
# operator by hand): one waits for the other's lock, both exit 0, and the
# root ends exactly as after one run. apply, config and uninstall on
# debian-12, with the commands slowed down so that the runs overlap.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/safety/lib.sh"

skd_setup
skd_configmap crashkernel 512M
sf_prepare debian-12 || { tests_run=1 tests_failed=1; skd_finish; exit 1; }

slow="$work/slow"
mkdir -p "$slow"
for t in "$SKD_FAKE_TOOLS"/*; do
	ln -s "$t" "$slow/${t##*/}"
done
for t in apt-get update-grub systemctl; do
	rm "$slow/$t"
	printf '#!/bin/sh\nsleep 1\nexec "%s" "$@"\n' "$SKD_FAKE_TOOLS/$t" >"$slow/$t"
	chmod +x "$slow/$t"
done

both() { # MODE
	d="$work/run"
	sf_copy "$work/s-$1" "$d"
	: >"$d.log"
	SF_OUT="$d.out1" sf_start "$d" "$1" SF_FAKE_TOOLS="$slow"
	p1=$sf_pid
	SF_OUT="$d.out2" sf_start "$d" "$1" SF_FAKE_TOOLS="$slow"
	p2=$sf_pid
	s1=0 s2=0
	wait "$p1" || s1=$?
	wait "$p2" || s2=$?
	tests_run=$((tests_run + 1))
	if [ "$s1" != 0 ] || [ "$s2" != 0 ]; then
		sf_fail "two at once, $1: exits $s1 and $s2, want 0 and 0"
		cat "$d.out1" "$d.out2" >&2
	fi
	# one of them said it waited: they did overlap, and the lock held
	tests_run=$((tests_run + 1))
	n=$(cat "$d.out1" "$d.out2" | grep -c "another instance is working on this root, waiting for it" || true)
	if [ "$n" != 1 ]; then
		sf_fail "two at once, $1: $n of them waited for the lock, want 1"
		cat "$d.out1" "$d.out2" >&2
	fi
	# the second found the work done: each changing command ran once
	tests_run=$((tests_run + 1))
	dup=$(grep -E ' (install|remove|purge) |^update-grub|^systemctl (enable|disable)' "$d.log" |
		LC_ALL=C sort | uniq -d)
	if [ -n "$dup" ]; then
		sf_fail "two at once, $1: ran twice: $dup"
	fi
	tests_run=$((tests_run + 1))
	sf_listing "$d" >"$d.list"
	if ! cmp -s "$d.list" "$work/t-$1.list"; then
		sf_fail "two at once, $1: the tree differs from one run's"
		LC_ALL=C diff "$work/t-$1.list" "$d.list" | sed 's/^/  | /' >&2 || true
	fi
}

both apply
both config
both uninstall
skd_finish
