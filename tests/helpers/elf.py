"""The ``DT_NEEDED`` entries of an ELF shared object (the sonames the dynamic loader will look
for), read from its dynamic section: what ``ldd`` reports, without loading anything."""

from __future__ import annotations

import struct
from pathlib import Path

_DT_NULL, _DT_NEEDED, _DT_STRTAB = 0, 1, 5
_PT_LOAD, _PT_DYNAMIC = 1, 2


def needed(path: Path) -> list[str]:
    """The sonames ``path`` links against, in order; raises ValueError for a non-ELF file."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF":
        raise ValueError(f"{path}: not an ELF file")
    wide = data[4] == 2  # ELFCLASS64
    end = "<" if data[5] == 1 else ">"
    if wide:
        phoff, phentsize, phnum = (
            struct.unpack_from(end + "Q", data, 0x20)[0],
            *struct.unpack_from(end + "HH", data, 0x36),
        )
        header, entry = end + "IIQQQQQQ", end + "qQ"
    else:
        phoff, phentsize, phnum = (
            struct.unpack_from(end + "I", data, 0x1C)[0],
            *struct.unpack_from(end + "HH", data, 0x2A),
        )
        header, entry = end + "IIIIIIII", end + "iI"
    loads, dynamic = [], None
    for n in range(phnum):
        fields = struct.unpack_from(header, data, phoff + n * phentsize)
        if wide:
            kind, _flags, offset, vaddr, _paddr, filesz = fields[:6]
        else:
            kind, offset, vaddr, _paddr, filesz = fields[:5]
        if kind == _PT_LOAD:
            loads.append((vaddr, offset, filesz))
        elif kind == _PT_DYNAMIC:
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    entries, strtab = [], None
    size = struct.calcsize(entry)
    for at in range(dynamic[0], dynamic[0] + dynamic[1], size):
        tag, value = struct.unpack_from(entry, data, at)
        if tag == _DT_NULL:
            break
        if tag == _DT_NEEDED:
            entries.append(value)
        elif tag == _DT_STRTAB:
            strtab = value
    if strtab is None:
        return []
    # DT_STRTAB is an address: find the file offset of the segment that maps it
    base = next(off + strtab - va for va, off, sz in loads if va <= strtab < va + sz)
    return [data[base + e : data.index(b"\0", base + e)].decode() for e in entries]
