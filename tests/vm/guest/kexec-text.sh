#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The arm64 VM test's node fix for Debian 12 (see docs/vm-arm64.md), run
# at every boot before kdump-tools loads the capture kernel
# (skd-kallsyms-text.service, Before=kdump-tools.service).
#
# Debian 12's arm64 kernel is built without CONFIG_KALLSYMS_ALL, so
# /proc/kallsyms has no _text (on arm64 it lies below _stext, outside the
# text ranges kallsyms keeps), and without CONFIG_KEXEC_FILE, so kexec -p
# must build the capture kernel's ELF core header itself (kexec_load).
# kexec-tools 2.0.25 (and later ones) read _text from /proc/kallsyms for
# PAGE_OFFSET and for the kernel image's segment; without it the header has
# a kernel segment at physical 0x8000...  with a size of 0xffff8000...,
# and makedumpfile in the capture kernel cannot read the page tables
# through /proc/vmcore: an incomplete dump. skyhook-kdump's status says
# so (core_header_broken), and post-interrupt-check fails.
#
# This puts a copy of /proc/kallsyms with _text first over /proc/kallsyms
# (a bind mount, for every reader: kexec and the status that judges what
# kexec will see). _text is the kernel image's start: KIMAGE_VADDR
# (MODULES_END on arm64) plus the KASLR offset, both in the VMCOREINFO
# note of /proc/kcore. The copy is a snapshot: fine on this test VM, not
# for a node whose profilers need the symbols of modules loaded later. A
# kernel with _text in /proc/kallsyms is left as it is.
say() { echo "skd-kallsyms-text (skd-vm node fix): $*" >&2; }

if grep -q ' _text$' /proc/kallsyms 2>/dev/null; then
	say "/proc/kallsyms has _text: nothing to do"
	exit 0
fi
info=$(head -c 1048576 /proc/kcore 2>/dev/null | tr -c '[:print:]' '\n' |
	grep -E '^(NUMBER\(MODULES_END\)|KERNELOFFSET)=')
modules_end=$(printf '%s\n' "$info" | sed -n 's/^NUMBER(MODULES_END)=//p' | head -n1)
offset=$(printf '%s\n' "$info" | sed -n 's/^KERNELOFFSET=//p' | head -n1)
stext=$(awk '$3 == "_stext" { print $1; exit }' /proc/kallsyms)
if [ -z "$modules_end" ] || [ -z "$offset" ] || [ -z "$stext" ]; then
	say "no MODULES_END, KERNELOFFSET or _stext; /proc/kallsyms left as it is"
	exit 1
fi
# bash arithmetic is 64-bit and wraps: kernel addresses stay exact
text=$((modules_end + 0x$offset))
gap=$((0x$stext - text))
if [ "$gap" -le 0 ] || [ "$gap" -gt $((2 * 1024 * 1024)) ]; then
	say "_text $(printf '%016x' "$text") is not just below _stext $stext; /proc/kallsyms left as it is"
	exit 1
fi
syms=/run/skd-kallsyms
{ printf '%016x T _text\n' "$text"; cat /proc/kallsyms; } >"$syms" || exit 1
mount --bind "$syms" /proc/kallsyms || { say "cannot bind $syms over /proc/kallsyms"; exit 1; }
say "/proc/kallsyms had no _text: gave it _text $(printf '%016x' "$text") (_stext $stext)"
