#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the binary seeds of fuzz/corpus/note and fuzz/corpus/vmcore:
small ELF files carrying a backend note, and tiny dump files of each
format. Run from fuzz/ after changing it; the output is committed."""
import os
import struct

NOTE_OWNER = b"skyhook-kdump\0"
NOTE_TYPE = 0x534B4401


def align4(b):
    return b + b"\0" * (-len(b) % 4)


def note(payload, end):
    return struct.pack(end + "III", len(NOTE_OWNER), len(payload), NOTE_TYPE) + \
        align4(NOTE_OWNER) + align4(payload)


def elf_with_note(payload, bits=64, end="<"):
    """ET_DYN with three sections: null, the note, .shstrtab."""
    notes = note(payload, end)
    shstr = b"\0.note.skyhook-kdump\0.shstrtab\0"
    ehsize, shentsize = (64, 64) if bits == 64 else (52, 40)
    notes_off = ehsize
    shstr_off = notes_off + len(notes)
    sh_off = (shstr_off + len(shstr) + 7) & ~7
    ident = b"\x7fELF" + bytes([2 if bits == 64 else 1, 1 if end == "<" else 2, 1]) + b"\0" * 9
    if bits == 64:
        hdr = ident + struct.pack(end + "HHIQQQIHHHHHH", 3, 62, 1, 0, 0, sh_off, 0,
                                  ehsize, 56, 0, shentsize, 3, 2)
        sec = lambda n, t, o, s, a: struct.pack(end + "IIQQQQIIQQ", n, t, 0, 0, o, s, 0, 0, a, 0)
    else:
        hdr = ident + struct.pack(end + "HHIIIIIHHHHHH", 3, 3, 1, 0, 0, sh_off, 0,
                                  ehsize, 32, 0, shentsize, 3, 2)
        sec = lambda n, t, o, s, a: struct.pack(end + "IIIIIIIIII", n, t, 0, 0, o, s, 0, 0, a, 0)
    body = hdr + notes + shstr
    body += b"\0" * (sh_off - len(body))
    body += b"\0" * shentsize
    body += sec(1, 7, notes_off, len(notes), 4)       # SHT_NOTE
    body += sec(21, 3, shstr_off, len(shstr), 1)      # SHT_STRTAB
    return body


def put(n, v, end):
    return v.to_bytes(n, "big" if end == ">" else "little")


def kdump(release, info, end="<", status=0, block=512):
    """kdump-compressed: header, sub-header with vmcoreinfo, two bitmap
    blocks (one page dumped), one page descriptor, the page data."""
    b = bytearray(block * 5 + 24 + 64)
    b[0:8] = b"KDUMP   "
    b[8:12] = put(4, 6, end)
    b[12:17] = b"Linux"
    b[142:142 + len(release)] = release
    b[408:416] = put(8, 1700000000, end)
    b[424:428] = put(4, status, end)
    b[428:432] = put(4, block, end)
    b[432:436] = put(4, 1, end)                 # sub_hdr_size
    b[436:440] = put(4, 2, end)                 # bitmap_blocks
    b[440:444] = put(4, 8, end)                 # max_mapnr
    s = block
    b[s + 32:s + 40] = put(8, s + 128, end)
    b[s + 40:s + 48] = put(8, len(info), end)
    b[s + 128:s + 128 + len(info)] = info
    b[s + 96:s + 104] = put(8, 8, end)
    b[2 * block] = 0xFF
    b[3 * block] = 0x01
    table = 4 * block
    b[table:table + 8] = put(8, table + 24, end)
    b[table + 8:table + 12] = put(4, 64, end)
    return bytes(b[:table + 24 + 64])


def flat(inner, chunk):
    b = bytearray(4096)
    b[0:12] = b"makedumpfile"
    b[16:24] = put(8, 1, ">")
    b[24:32] = put(8, 1, ">")
    for off in range(0, len(inner), chunk):
        part = inner[off:off + chunk]
        b += put(8, off, ">") + put(8, len(part), ">") + part
    return bytes(b + b"\xff" * 16)


def elf_core(info):
    """ELF64 ET_CORE: one PT_NOTE with a VMCOREINFO note, one PT_LOAD."""
    notes = struct.pack("<III", 11, len(info), 0) + align4(b"VMCOREINFO\0") + align4(info)
    notes_off = 64 + 2 * 56
    load_off = notes_off + len(notes)
    hdr = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack(
        "<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, 2, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 4, 0, notes_off, 0, 0, len(notes), len(notes), 4)
    ph += struct.pack("<IIQQQQQQ", 1, 7, load_off, 0xFFFFFFFF81000000, 0, 64, 4096, 4096)
    return hdr + ph + notes + bytes(range(64))


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    os.makedirs("corpus/note", exist_ok=True)
    os.makedirs("corpus/vmcore", exist_ok=True)
    good = b"format=1\0name=debian\0abi=1.0\0ids=debian ubuntu\0"
    write("corpus/note/elf64-le.so", elf_with_note(good))
    write("corpus/note/elf64-be.so", elf_with_note(good, 64, ">"))
    write("corpus/note/elf32-le.so", elf_with_note(good, 32))
    write("corpus/note/elf64-bad-abi.so",
          elf_with_note(b"format=1\0name=x\0abi=99.x\0ids=\0"))
    write("corpus/note/payload", good)
    write("corpus/note/payload-no-ids", b"format=1\0name=rhel\0abi=1.2\0")
    write("corpus/note/not-elf", b"#!/bin/sh\necho not a library\n")
    info = b"OSRELEASE=6.1.0-26-amd64\nPAGESIZE=4096\nCRASHTIME=1700000000\n"
    kd = kdump(b"6.1.0-26-amd64", info)
    write("corpus/vmcore/kdump-le", kd)
    write("corpus/vmcore/kdump-be", kdump(b"5.14.0-427.el9.x86_64", info, ">"))
    write("corpus/vmcore/kdump-incomplete", kdump(b"6.8.0-31-generic", info, status=8))
    write("corpus/vmcore/flat", flat(kd, 700))
    write("corpus/vmcore/elf", elf_core(info))
    write("corpus/vmcore/dmesg",
          b"[  232.914076] sysrq: Trigger a crash\n"
          b"[  232.914100] Kernel panic - not syncing: sysrq triggered crash\n"
          b"[  232.914200] CPU: 1 PID: 4242 Comm: bash Not tainted 6.1.0-26-amd64 #1\n")


if __name__ == "__main__":
    main()
