#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks what one boot of the VM test recorded (in the share's out/
directory) against what the lifecycle must have done by then. Prints one
line per check; exits 1 when any fails.

    vm-check.py BOOT OUT_DIR CRASHKERNEL

SKD_VM_ARCH (default amd64) is the architecture the guest must run;
SKD_VM_KEXEC_FIX=1 says the arm64 node got guest/kexec-text.sh (its
/proc/kallsyms gets _text at boot).
"""
import json
import os
import re
import sys

failures = 0
# uname -m of each Debian architecture the VM test boots
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}


def check(ok, what):
    global failures
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures += 1


def read(out, *path):
    try:
        with open(os.path.join(out, *path), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return None


def read_json(out, *path):
    text = read(out, *path)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def last_crashkernel(cmdline):
    values = re.findall(r"(?:^|\s)crashkernel=(\S+)", cmdline or "")
    return values[-1] if values else None


def steps(out, boot):
    rows = []
    try:
        with open(os.path.join(out, "steps.tsv"), encoding="utf-8") as f:
            for line in f:
                b, mode, name, rc, rcs, _t0, _t1 = line.rstrip("\n").split("\t")
                if b == boot:
                    rows.append((mode, name, int(rc), [int(c) for c in rcs.split()]))
    except OSError:
        pass
    return rows


def modes_pass(out, boot, modes):
    rows = steps(out, boot)
    for mode in modes:
        mine = [r for r in rows if r[0] == mode]
        check(mine and all(rc in rcs for _, _, rc, rcs in mine),
              f"{mode}: " + (", ".join(f"{n} exit {rc} (returncodes {rcs})"
                                       for _, n, rc, rcs in mine) or "did not run"))


def armed_facts(out, label, value):
    cmdline = read(out, label, "cmdline")
    check(last_crashkernel(cmdline) == value,
          f"/proc/cmdline ends with crashkernel={value}: {cmdline}")
    size = read(out, label, "kexec_crash_size")
    check(size is not None and size.isdigit() and int(size) > 0,
          f"kexec_crash_size > 0: {size}")
    check(read(out, label, "kexec_crash_loaded") == "1",
          f"kexec_crash_loaded = 1: {read(out, label, 'kexec_crash_loaded')}")
    status = read_json(out, label, "status.json")
    check(read(out, label, "status.rc") == "0" and status is not None
          and status.get("verdict") == "armed" and status.get("armed") is True
          and status.get("crash_kernel_loaded") is True,
          "status --json: exit %s, verdict %s" % (
              read(out, label, "status.rc"), status and status.get("verdict")))


def disarmed_facts(out, label):
    cmdline = read(out, label, "cmdline")
    check(last_crashkernel(cmdline) is None, f"no crashkernel= in /proc/cmdline: {cmdline}")
    check(read(out, label, "kexec_crash_size") == "0",
          f"kexec_crash_size = 0: {read(out, label, 'kexec_crash_size')}")
    check(read(out, label, "kexec_crash_loaded") == "0",
          f"kexec_crash_loaded = 0: {read(out, label, 'kexec_crash_loaded')}")


def main():
    boot, out, value = sys.argv[1:4]
    if boot == "install":
        modes_pass(out, boot, ["apply", "apply-check", "config", "config-check"])
        check(last_crashkernel(read(out, boot, "before", "cmdline")) is None,
              "no crashkernel= on the image's command line before the lifecycle")
        linux = read(out, boot, "after", "grub_cfg_linux")
        if linux is None:
            linux = " ".join((read(out, boot, "after", "grub_cfg_crashkernel") or "").split())
        check(last_crashkernel(linux) == value,
              f"the default entry of grub.cfg ends with crashkernel={value}: {linux}")
    elif boot == "armed":
        modes_pass(out, boot, ["post-interrupt-check"])
        armed_facts(out, os.path.join(boot, "armed"), value)
        arch = os.environ.get("SKD_VM_ARCH", "amd64")
        machine = read(out, boot, "armed", "uname_m")
        check(machine == MACHINES.get(arch, arch),
              f"the guest runs {arch}: uname -m {machine}")
        if arch == "arm64":
            # kexec_load on arm64 reads _text from /proc/kallsyms; Debian 12's
            # kernel has none (see guest/kexec-text.sh)
            journal = read(out, boot, "armed", "kdump-tools.journal") or ""
            has_text = read(out, boot, "armed", "kallsyms_text")
            fixed = os.environ.get("SKD_VM_KEXEC_FIX") == "1"
            print(f"  note /proc/kallsyms has _text: {has_text}; the node fix for kexec: "
                  f"{'on' if fixed else 'off'}")
            status = read_json(out, os.path.join(boot, "armed"), "status.json") or {}
            security = status.get("security") or {}
            print(f"  note status: kexec_file_load {security.get('kexec_file_load')}, "
                  f"kallsyms_text {security.get('kallsyms_text')}")
            if fixed:
                check("Can't get the symbol of _text" not in journal,
                      "kexec found _text when kdump-tools loaded the capture kernel")
                check(security.get("kallsyms_text") is True,
                      "status read _text in /proc/kallsyms, as kexec did")
    elif boot == "dumped":
        crashed = read(out, "armed", "armed", "uname_r")
        dumps = read_json(out, boot, "dumped", "dumps.json")
        newest = dumps["dumps"][0] if dumps and dumps.get("dumps") else {}
        check(read(out, boot, "dumped", "dumps.rc") == "0" and dumps is not None
              and dumps.get("count", 0) >= 1, "dumps --json lists a dump in %s" % (
                  dumps and dumps.get("dir")))
        check(newest.get("complete") is True and newest.get("core") is not None
              and newest.get("format") in ("kdump-compressed", "elf", "flattened"),
              "the dump is a complete vmcore: %s %s, complete %s, problem %s" % (
                  newest.get("core"), newest.get("format"), newest.get("complete"),
                  newest.get("problem")))
        check(newest.get("dmesg") is not None, f"the kernel log is beside it: {newest.get('dmesg')}")
        check(crashed is not None and newest.get("release") == crashed,
              f"the dump's kernel release is the crashed kernel's: {newest.get('release')} "
              f"(uname -r {crashed})")
        modes_pass(out, boot, ["uninstall", "uninstall-check"])
    elif boot == "removed":
        disarmed_facts(out, os.path.join(boot, "removed"))
        modes_pass(out, boot, ["uninstall-check"])
    elif boot == "hostile":
        rows = steps(out, boot)
        check(len(rows) == 1 and rows[0][2] == 2 and 2 not in rows[0][3],
              "config refuses the value with exit 2, which is not in returncodes: "
              + (", ".join(f"exit {rc}" for _, _, rc, _ in rows) or "did not run"))
        before = read(out, boot, "before", "grub_cfg_sha256")
        check(before is not None and before == read(out, boot, "after", "grub_cfg_sha256"),
              "grub.cfg unchanged")
        check(read(out, boot, "after", "grub_cfg_crashkernel") == "",
              "no crashkernel= in grub.cfg")
    elif boot == "hostile-after":
        before = read(out, "hostile", "before", "cmdline")
        now = read(out, boot, "rebooted", "cmdline")
        check(before is not None and now == before,
              f"the command line after the reboot is the original one: {now}")
        disarmed_facts(out, os.path.join(boot, "rebooted"))
    else:
        sys.exit(f"vm-check: unknown boot {boot}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
