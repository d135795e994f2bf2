#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Nothing is written outside the root or through a link we did not make:
# every file we write (a grub.d drop-in, /etc/default/grub, the kdump
# configuration) is replaced by a symlink to a file outside the root or to
# another file inside it, and a directory on the way (/etc/default, our
# state directory) by a link that leads out. Each run must leave the
# files outside and the link's target untouched; a linked target is
# refused with a message naming it.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

skd_setup
outside="$work/outside"

# fresh ROOT FIXTURE, with RAM and a victim file outside it
fresh() {
	rm -rf "$work/root" "$outside" "$work/configmaps"
	mkdir -p "$work/root" "$outside/dir" "$work/configmaps"
	cp -a "$SKD_TOP_SRCDIR/tests/fixtures/$1/." "$work/root/"
	chmod -R u+w "$work/root"
	skd_add_ram "$work/root" 16
	echo "VICTIM" >"$outside/victim"
	echo 256M >"$work/configmaps/crashkernel"
}

outside_hash() {
	(cd "$work" && tar --sort=name --numeric-owner -cf - outside) | sha256sum
}

# the file a link inside the root points to, when there is one
real_hash() {
	if [ -f "$work/root$1.real" ]; then sha256sum <"$work/root$1.real"; fi
}

# refused MODE PATH: exit 4, one line naming PATH as a symbolic link
refused() {
	skd_exec "$1"
	skd_check [ "$status" = 4 ]
	skd_check [ "$(wc -l <"$work/err")" = 1 ]
	skd_check grep -qF "\"$2\"" "$work/err"
	skd_check grep -qF "symbolic link" "$work/err"
}

# 1. the files we write, as links to a file outside the root, or (where a
# backend reads through a dangling link as "missing") to another file of
# the root
for target in debian-12:/etc/default/grub.d/zz-skyhook-kdump.cfg:out \
	debian-12:/etc/default/kdump-tools:out \
	ubuntu-22.04:/etc/default/grub.d/zz-skyhook-kdump.cfg:out \
	rhel-7:/etc/default/grub:in \
	rhel-9:/etc/kdump.conf:out fedora-41:/etc/kdump.conf:in \
	amzn-2:/etc/default/grub:in amzn-2023:/etc/kdump.conf:out; do
	fixture=${target%%:*}
	path=${target#*:}
	how=${path#*:}
	path=${path%:*}
	fresh "$fixture"
	case $path in
	/etc/default/kdump-tools) printf 'USE_KDUMP=1\n' >"$work/configmaps/kdump.conf" ;;
	/etc/kdump.conf) printf 'path /var/crash\n' >"$work/configmaps/kdump.conf" ;;
	esac
	# packages first: the fake package tools, unlike real ones, do not
	# run inside the root and would follow the link themselves
	skd_exec apply
	skd_check [ "$status" = 0 ]
	if [ "$how" = out ]; then
		rm -f "$work/root$path"
		ln -s "$outside/victim" "$work/root$path"
		link=$outside/victim
	else
		# the same content, so only the link can make a difference
		mv "$work/root$path" "$work/root$path.real"
		link=$(basename "$path").real
		ln -s "$link" "$work/root$path"
	fi
	before="$(outside_hash) $(real_hash "$path")"
	refused config "$path"
	skd_check [ "$(readlink "$work/root$path")" = "$link" ]
	skd_check [ "$before" = "$(outside_hash) $(real_hash "$path")" ]
done

# 2. the kdump configuration as a link to an unrelated file of the root
fresh rhel-9
printf 'path /var/crash\n' >"$work/configmaps/kdump.conf"
skd_exec apply
rm -f "$work/root/etc/kdump.conf"
ln -s os-release "$work/root/etc/kdump.conf"
osr=$(sha256sum <"$work/root/etc/os-release")
refused config /etc/kdump.conf
skd_check [ "$osr" = "$(sha256sum <"$work/root/etc/os-release")" ]

# 3. a directory on the way that leads out: an absolute link is read from
# the root (where that path does not exist), a relative one stops at it
fresh debian-12
skd_exec apply
rm -rf "$work/root/etc/default"
ln -s "$outside/dir" "$work/root/etc/default"
before=$(outside_hash)
skd_exec config
skd_check [ "$status" = 4 ]
skd_check grep -qF '/etc/default/' "$work/err"
skd_check [ "$before" = "$(outside_hash)" ]

fresh debian-12
mkdir -p "$work/root/var/lib" "$work/root$outside/dir"
ln -s "../../../../../../../../../../../../../..$outside/dir" "$work/root/var/lib/skyhook-kdump"
before=$(outside_hash)
for mode in apply config config-check uninstall uninstall-check; do
	skd_exec "$mode"
	skd_check [ "$before" = "$(outside_hash)" ]
done
# what was written went below the root
skd_check [ -f "$work/root$outside/dir/uninstalled" ]

skd_finish
