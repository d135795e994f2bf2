#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The fake grubby against what grubby-bls (Fedora grubby 8.40-69, the
# mirror github.com/fedora-riscv/grubby at d696710; line numbers of that
# file in tests/fake-tools/grubby) does, through the command lines the
# backends and kdumpctl issue: exit codes, the files touched, the exact
# edits. SKD_TEST_GRUBBY=PROGRAM runs these checks on another grubby that
# takes SKD_FAKE_ROOT (tests/fake-tools/README: "Running with the real
# grubby-bls").
# shellcheck disable=SC2016 # sh -c scripts and literal $words
set -eu
: "${SKD_TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
fixtures="$SKD_TOP_SRCDIR/tests/fixtures"
grubby_bin="${SKD_TEST_GRUBBY:-$SKD_TOP_SRCDIR/tests/fake-tools/grubby}"
work=$(mktemp -d "${TMPDIR:-/tmp}/skd-grubby-XXXXXX")
trap 'rm -rf "$work"' EXIT
run=0
failed=0

ok() { # WHAT COMMAND...
	_w=$1
	shift
	run=$((run + 1))
	if "$@"; then
		echo "PASS: $_w"
	else
		echo "FAIL: $_w" >&2
		failed=$((failed + 1))
	fi
}

root() { # FIXTURE
	rm -rf "$work/root" "$work/orig"
	mkdir -p "$work/root" "$work/orig"
	cp -a "$fixtures/$1/." "$work/root/"
	cp -a "$fixtures/$1/." "$work/orig/"
	chmod -R u+w "$work/root" "$work/orig"
}

g() { # ARGS...: status in $st, stderr in $work/err
	set +e
	SKD_FAKE_ROOT="$work/root" "$grubby_bin" "$@" >"$work/out" 2>"$work/err"
	st=$?
	set -e
}

# the paths that differ from the fixture, one a line
touched() {
	(cd "$work" && diff -rq --no-dereference orig root 2>/dev/null) |
		sed -n -e 's|^Files orig/\(.*\) and root/.* differ$|\1|p' \
			-e 's|^Only in root/\(.*\): \(.*\)$|\1/\2 (new)|p' | LC_ALL=C sort
}

options_of() { sed -n 's/^options //p' "$1"; }
entry1() { for _e in "$work/root/boot/loader/entries/"*.conf; do echo "$_e"; return; done; }

# ---- AL2023: the sed of l. 503 on /etc/default/grub ----
al_default=$(sed -n 's/^GRUB_CMDLINE_LINUX_DEFAULT=//p' "$fixtures/amzn-2023/etc/default/grub")

root amzn-2023
g --update-kernel=ALL --args=crashkernel=512M --no-etc-grub-update
ok "al2023: args, --no-etc-grub-update last: exit 0" [ "$st" = 0 ]
ok "al2023: /etc/default/grub untouched" cmp -s "$work/orig/etc/default/grub" "$work/root/etc/default/grub"
ok "al2023: every entry ends with crashkernel=512M" \
	sh -c 'for f in "$1"/boot/loader/entries/*.conf; do grep -q "^options .* quiet crashkernel=512M$" "$f" || exit 1; done' - "$work/root"
ok "al2023: files touched: the entries only (no etc/kernel directory)" \
	[ "$(touched | grep -vc '^boot/loader/entries/')" = 0 ]
ok "al2023: missing etc/kernel: bash's message, exit 0" \
	grep -q 'line 537: .*/etc/kernel/cmdline: No such file or directory' "$work/err"

# GRUB_CMDLINE_LINUX empty or absent: the file is left alone
root amzn-2023
g --update-kernel=ALL --args=crashkernel=512M
ok "al2023: no GRUB_CMDLINE_LINUX: /etc/default/grub untouched" \
	cmp -s "$work/orig/etc/default/grub" "$work/root/etc/default/grub"

# a GRUB_CMDLINE_LINUX of someone else's: both lines become it
root amzn-2023
echo 'GRUB_CMDLINE_LINUX="crashkernel=512M"' >>"$work/root/etc/default/grub"
g --update-kernel=ALL --args=quiet
ok "al2023: with GRUB_CMDLINE_LINUX, exit 0" [ "$st" = 0 ]
ok "al2023: GRUB_CMDLINE_LINUX_DEFAULT overwritten by the sed" \
	[ "$(grep -c '^GRUB_CMDLINE_LINUX="crashkernel=512M quiet"$' "$work/root/etc/default/grub")" = 2 ]
ok "al2023: no GRUB_CMDLINE_LINUX_DEFAULT left" \
	[ "$(grep -c '^GRUB_CMDLINE_LINUX_DEFAULT=' "$work/root/etc/default/grub")" = 0 ]
ok "al2023: the other lines as they were" \
	[ "$(grep -v '^GRUB_CMDLINE_LINUX' "$work/root/etc/default/grub")" = \
	  "$(grep -v '^GRUB_CMDLINE_LINUX' "$work/orig/etc/default/grub")" ]
[ -n "$al_default" ]

# ---- the option loop (l. 675, l. 763, l. 792) ----
root amzn-2023
g --no-etc-grub-update --update-kernel=ALL --args=crashkernel=512M
ok "--no-etc-grub-update first: exit 1" [ "$st" = 1 ]
ok "--no-etc-grub-update first: ALL is an invalid option" grep -q 'invalid option "ALL"' "$work/err"
ok "--no-etc-grub-update first: nothing touched" [ -z "$(touched)" ]
g --args=crashkernel=512M
ok "--args without --update-kernel: exit 1" [ "$st" = 1 ]
ok "--args without --update-kernel: no action specified" grep -qx 'no action specified' "$work/err"
g --update-kernel=ALL --bogus
ok "unknown option: exit 1 (getopt)" [ "$st" = 1 ]
ok "unknown option: nothing touched" [ -z "$(touched)" ]

# ---- RHEL 8: kernelopts in grubenv, through the UEFI symlink ----
root rhel-8
mkdir -p "$work/root/boot/efi/EFI/redhat"
mv "$work/root/boot/grub2/grubenv" "$work/root/boot/efi/EFI/redhat/grubenv"
ln -s ../efi/EFI/redhat/grubenv "$work/root/boot/grub2/grubenv"
mkdir -p "$work/root/etc/kernel"
g --update-kernel=ALL --args=crashkernel=512M --no-etc-grub-update
ok "rhel-8: exit 0" [ "$st" = 0 ]
ok "rhel-8: grubenv is still a symlink" [ -L "$work/root/boot/grub2/grubenv" ]
ok "rhel-8: the ESP's grubenv has the new kernelopts" \
	grep -q '^kernelopts=root=/dev/mapper/rhel-root ro resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet crashkernel=512M$' \
	"$work/root/boot/efi/EFI/redhat/grubenv"
ok "rhel-8: grubenv stays 1024 bytes" [ "$(wc -c <"$work/root/boot/efi/EFI/redhat/grubenv")" = 1024 ]
ok "rhel-8: \$kernelopts entries untouched" \
	[ -z "$(touched | grep '^boot/loader/entries/' || true)" ]
# get_bls_args expands $kernelopts only: $tuned_params stays a word
ok "rhel-8: etc/kernel/cmdline created from the last entry, edited" \
	grep -qxF 'root=/dev/mapper/rhel-root ro resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet $tuned_params crashkernel=512M' \
	"$work/root/etc/kernel/cmdline"
ok "rhel-8: /etc/default/grub untouched" cmp -s "$work/orig/etc/default/grub" "$work/root/etc/default/grub"

# without the flag: GRUB_CMDLINE_LINUX (non-empty) edited by the sed
root rhel-8
g --update-kernel=ALL --args=crashkernel=512M
ok "rhel-8: GRUB_CMDLINE_LINUX edited without the flag" \
	grep -qx 'GRUB_CMDLINE_LINUX="resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet crashkernel=512M"' \
	"$work/root/etc/default/grub"

# ---- RHEL 9: literal options, and a kernelopts left in grubenv ----
root rhel-9
printf 'kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto\n' >"$work/kv"
awk 'NR == 1 { print; while ((getline l < ARGV[2]) > 0) print l; next } { print }' \
	"$work/root/boot/grub2/grubenv" "$work/kv" | head -c 1024 >"$work/env.new"
cp "$work/env.new" "$work/root/boot/grub2/grubenv"
cp -a "$work/root/boot/grub2/grubenv" "$work/orig/boot/grub2/grubenv"
g --update-kernel=ALL --remove-args=crashkernel --no-etc-grub-update
ok "rhel-9: remove: exit 0" [ "$st" = 0 ]
ok "rhel-9: kernelopts edited although no entry uses it" \
	grep -q '^kernelopts=root=/dev/mapper/rhel-root ro$' "$work/root/boot/grub2/grubenv"
ok "rhel-9: no entry carries crashkernel=" \
	sh -c '! grep -q crashkernel= "$1"/boot/loader/entries/*.conf' - "$work/root"
ok "rhel-9: etc/kernel/cmdline edited" sh -c '! grep -q crashkernel= "$1"' - "$work/root/etc/kernel/cmdline"

# ---- --remove-args=K=V matches exactly (update_args, l. 456) ----
root rhel-9
e=$(entry1)
sed -i 's/^options .*/options root=x ro crashkernel=1G-4G:192M crashkernel=1G quiet crashkernel=1G/' "$e"
cp "$e" "$work/orig/${e#"$work/root/"}"
g --update-kernel=ALL --remove-args=crashkernel=1G --no-etc-grub-update
ok "remove K=V: only the first exact K=V goes" \
	[ "$(options_of "$e")" = "root=x ro crashkernel=1G-4G:192M quiet crashkernel=1G" ]
g --update-kernel=ALL --remove-args=crashkernel --no-etc-grub-update
ok "remove K: every K=..." [ "$(options_of "$e")" = "root=x ro quiet" ]

# ---- what grubby-bls leaves silently undone ----
# (the fake's switch; a real grubby needs a read-only mount)
[ -n "${SKD_TEST_GRUBBY:-}" ] || {
root rhel-9
mkdir -p "$work/root/var/lib/skd-fake"
touch "$work/root/var/lib/skd-fake/grubby-boot-readonly" "$work/orig/var/lib/skd-fake/grubby-boot-readonly"
g --update-kernel=ALL --args=crashkernel=512M --no-etc-grub-update
ok "read-only /boot: exit 0 all the same" [ "$st" = 0 ]
ok "read-only /boot: sed's message" grep -q "couldn't open temporary file /boot/loader/entries/.*Read-only file system" "$work/err"
ok "read-only /boot: only etc/kernel/cmdline changed" [ "$(touched)" = etc/kernel/cmdline ]
}

root rhel-9
e=$(entry1)
sed -i 's/^options /#options /' "$e"
cp "$e" "$work/orig/${e#"$work/root/"}"
g --update-kernel=ALL --args=crashkernel=512M --no-etc-grub-update
ok "entry without options: exit 0" [ "$st" = 0 ]
ok "entry without options: left as it was" cmp -s "$work/orig/${e#"$work/root/"}" "$e"

echo "$((run - failed)) passed, $failed failed"
[ "$failed" = 0 ]
