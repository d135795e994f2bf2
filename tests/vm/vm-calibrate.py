#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Judges a calibration run (calibrate.sh): checks each try's verdict
again from what the guest recorded, finds the measured minimum, prints
the tries and what the capture kernel's console said at the edge, and
holds the estimate recorded on the armed node to the minimum:

  - needed (the sum of its parts, before a distribution default raises
    it) is at least the minimum and at most 1.5 times it;
  - the recommended value is at least the minimum.

On a miss it says by how much and which part is off. Writes
ARTIFACTS/SCENARIO.json. Exits 1 when a check fails.

    vm-calibrate.py ARTIFACTS SCENARIO CONFIGURED INITRD
"""
import json
import os
import re
import sys

MiB = 1 << 20
UPPER = 1.5
failures = 0


def check(ok, what):
    global failures
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures += 1


def read(*path):
    try:
        with open(os.path.join(*path), encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return None


def read_json(*path):
    text = read(*path)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def mib(text):
    return int(text.rstrip("M")) * MiB


def fmt(n):
    return f"{n / MiB:.0f}M" if n % MiB == 0 else f"{n / MiB:.1f}M"


def console_of(art, scenario, boot):
    """The console log of BOOT (scenario-N-BOOT.console.log)."""
    pattern = re.compile(rf"^{re.escape(scenario)}-\d+-{re.escape(boot)}\.console\.log$")
    for name in sorted(os.listdir(art)):
        if pattern.match(name):
            return os.path.join(art, name)
    return None


def capture_part(log):
    """The lines the capture kernel wrote: after the crashed kernel's panic."""
    text = read(log) if log else None
    if not text:
        return []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "] Kernel panic - not syncing" in line:
            return lines[i + 1:]
    return []


# what the capture kernel says when it runs short, or how it ends
EDGE = re.compile(r"Out of memory|oom-kill|oom_reaper|Killed process|invoked oom-killer|"
                  r"Kernel panic|not syncing|Memory: |Freeing initrd|"
                  r"kdump-tools\[\d+\]: (?!.*Copying data)|"
                  r"Cannot allocate|can't allocate|failed to|page allocation failure|"
                  r"Unable to|swiotlb|cma: ")


def edge_lines(log, limit=25):
    out = [re.sub(r"\x1b\[[0-9;]*m", "", l).strip() for l in capture_part(log)
           if EDGE.search(l)]
    return out[:limit]


MEMORY = re.compile(r"Memory: (\d+)K/(\d+)K available \((\d+)K kernel code, (\d+)K rwdata, "
                    r"(\d+)K rodata, (\d+)K init, (\d+)K bss, (\d+)K reserved, "
                    r"(\d+)K cma-reserved")


def capture_memory(log):
    """The capture kernel's own account of its memory, from its console."""
    found = {}
    for line in capture_part(log):
        m = MEMORY.search(line)
        if m and "available" not in found:
            v = [int(x) * 1024 for x in m.groups()]
            found.update(available=v[0], total=v[1],
                         kernel=v[2] + v[3] + v[4] + v[5] + v[6],
                         reserved=v[7], cma=v[8])
        m = re.search(r"Freeing initrd memory: (\d+)K", line)
        if m and "initrd" not in found:
            found["initrd"] = int(m.group(1)) * 1024
    return found


def judge_try(out, value):
    """The verdict from what the guest recorded, and why."""
    loaded = read(out, f"try-{value}", "try", "kexec_crash_loaded")
    if loaded != "1":
        return "bad", f"not loaded (kexec_crash_loaded {loaded})"
    dumps = read_json(out, f"collect-{value}", "collected", "dumps.json")
    if dumps is None:
        return "bad", "no dumps --json after the crash"
    if not dumps.get("dumps"):
        return "bad", "no dump"
    newest = dumps["dumps"][0]
    crashed = read(out, f"try-{value}", "try", "uname_r")
    if not (newest.get("complete") and newest.get("core")):
        return "bad", f"incomplete dump ({newest.get('problem')})"
    if not newest.get("dmesg"):
        return "bad", "no dmesg file"
    if newest.get("release") != crashed:
        return "bad", f"the dump's release {newest.get('release')} is not {crashed}"
    return "good", f"complete vmcore ({newest.get('format')}) and dmesg"


def part_bytes(estimate, what):
    return sum(p["bytes"] for p in estimate.get("parts", []) if p["part"] == what)


def part_off(estimate, memory, minimum, out):
    """Which part is off: the minimum taken apart with the capture kernel's
    own account of its memory at the minimum (its console's Memory: line)
    and the kdump initrd's sizes recorded on the armed node: the kernel
    (what was in use at boot, less the packed initrd), the initrd (packed,
    plus twice what it unpacks to, the model's rule), CMA, and the rest,
    which the other parts (runtime, cpus, ...) must cover."""
    packed = read(out, "armed", "kdump-initrd-bytes")
    unpacked = read(out, "armed", "kdump-initrd-unpacked-bytes")
    packed = int(packed) if packed and packed.isdigit() else memory.get("initrd", 0)
    measured = []
    if "available" in memory:
        measured.append(("kernel", minimum - memory["available"] - memory.get("cma", 0)
                         - packed, part_bytes(estimate, "kernel")))
    if unpacked and unpacked.isdigit():
        measured.append(("initrd", packed + 2 * int(unpacked), part_bytes(estimate, "initrd")))
    if memory.get("cma"):
        measured.append(("cma", memory["cma"], part_bytes(estimate, "cma")))
    rest = minimum - sum(m for _, m, _ in measured)
    others = sum(p["bytes"] for p in estimate.get("parts", [])
                 if p["part"] not in [w for w, _, _ in measured])
    measured.append(("the other parts (runtime, cpus, ...)", rest, others))
    lines = [f"{w}: estimated {fmt(e)}, measured {fmt(m)} ("
             + (f"+{fmt(e - m)}" if e >= m else f"-{fmt(m - e)}") + ")"
             for w, m, e in measured]
    worst = min(measured, key=lambda x: x[2] - x[1]) if estimate.get("needed_bytes", 0) < minimum \
        else max(measured, key=lambda x: x[2] - x[1])
    return worst[0], lines


def main():
    art, scenario, configured, initrd = sys.argv[1:5]
    out = os.path.join(art, scenario)
    tries = []
    with open(os.path.join(art, f"{scenario}.tries.tsv"), encoding="utf-8") as f:
        for line in f:
            value, verdict, rc, try_s, collect_s = line.rstrip("\n").split("\t")
            mine, why = judge_try(out, value)
            how = {"panic": "the capture kernel panicked (stopped 15 s later)",
                   "124": "timed out"}.get(rc, "")
            tries.append({"crashkernel": value, "bytes": mib(value), "verdict": verdict,
                          "why": why + (f"; {how}" if how else ""), "qemu": rc,
                          "try_seconds": int(try_s), "collect_seconds": int(collect_s),
                          "console": console_of(art, scenario, f"try-{value}")})
            check(mine == verdict, f"crashkernel={value}: the guest's verdict {verdict} "
                                   f"is the host's ({mine}: {why})")
    print(f"calibration {scenario} (initrd {initrd}, configured {configured}):")
    for n, t in enumerate(tries, 1):
        print(f"  try {n}: crashkernel={t['crashkernel']:>5}  {t['verdict']:4}  "
              f"{t['try_seconds'] + t['collect_seconds']:4d} s  {t['why']}")
    good = sorted(t["bytes"] for t in tries if t["verdict"] == "good")
    bad = sorted(t["bytes"] for t in tries if t["verdict"] == "bad")
    minimum = good[0] if good else None
    check(minimum is not None, f"a value captured a dump: {fmt(minimum) if minimum else 'none'}")
    if minimum is None:
        sys.exit(1)
    check(not bad or max(bad) < minimum, "no failed try above the minimum "
          f"(failed: {', '.join(fmt(b) for b in bad) or 'none'})")
    # bisection: the minimum is proved by a failed try 16M below it
    check(minimum == 64 * MiB or minimum - 16 * MiB in bad,
          f"{fmt(minimum - 16 * MiB)} failed (the minimum is {fmt(minimum)})")
    edge = next((t for t in tries if t["bytes"] == minimum - 16 * MiB), None)
    at_min = next(t for t in tries if t["bytes"] == minimum)
    edge_said = edge_lines(edge["console"]) if edge else []
    if edge:
        print(f"  the capture kernel at {edge['crashkernel']} ({edge['why']}), "
              f"console {os.path.basename(edge['console'] or '')}:")
        for line in edge_said:
            print(f"    {line}")
        if edge["why"].startswith("not loaded"):
            journal = read(out, f"try-{edge['crashkernel']}", "try",
                           "kdump-tools.journal") or ""
            edge_said = [l for l in journal.splitlines() if l.strip()][-8:]
            for line in edge_said:
                print(f"    kdump-tools: {line}")
    memory = capture_memory(at_min["console"])

    estimate = read_json(out, "armed", "estimate.json")
    check(estimate is not None and read(out, "armed", "estimate.rc") == "0",
          "estimate --json on the armed node, before the crashes")
    result = {"scenario": scenario, "initrd": initrd, "configured": configured,
              "tries": tries, "minimum": fmt(minimum), "minimum_bytes": minimum,
              "edge": edge_said, "capture_memory_at_minimum": memory}
    if estimate:
        needed = estimate["needed_bytes"]
        recommended = estimate["recommended"]["bytes"]
        result.update(needed_bytes=needed, recommended=estimate["recommended"]["crashkernel"],
                      recommended_bytes=recommended,
                      auto=estimate["default"]["crashkernel"],
                      auto_bytes=estimate["default"]["bytes"],
                      parts=[{k: p[k] for k in ("part", "bytes")} for p in estimate["parts"]])
        print(f"  estimate: needed {fmt(needed)} ({needed / minimum:.2f} x the minimum "
              f"{fmt(minimum)}), recommended {fmt(recommended)}, auto "
              f"{estimate['default']['crashkernel']} reserves {fmt(estimate['default']['bytes'])}")
        for p in estimate["parts"]:
            print(f"    {p['part']:<18} {fmt(p['bytes']):>8}")
        worst, offs = part_off(estimate, memory, minimum, out)
        ok_low, ok_high = needed >= minimum, needed <= UPPER * minimum
        check(ok_low and ok_high,
              f"needed {fmt(needed)} is within [1.0, {UPPER}] x {fmt(minimum)} = "
              f"[{fmt(minimum)}, {fmt(int(UPPER * minimum))}]"
              + ("" if ok_low else f": {fmt(minimum - needed)} short")
              + ("" if ok_high else f": {fmt(needed - int(UPPER * minimum))} too much"))
        check(recommended >= minimum, f"recommended {fmt(recommended)} >= {fmt(minimum)}"
              + ("" if recommended >= minimum else f": {fmt(minimum - recommended)} short"))
        if not (ok_low and ok_high):
            print(f"  the part most off: {worst}; each against the minimum taken apart "
                  "(the capture kernel's Memory: line, the kdump initrd's sizes):")
            for line in offs:
                print(f"    {line}")
        result["parts_against_measurement"] = offs
    with open(os.path.join(art, f"{scenario}.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
