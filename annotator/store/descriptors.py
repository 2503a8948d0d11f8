"""Reading a project file's first bytes without releasing SQLite's locks on it.

On POSIX, closing *any* descriptor of a file drops every ``fcntl`` lock the process holds on it,
those SQLite holds through its own descriptors included ("How To Corrupt An SQLite Database
File", §2.2). A process that opened and closed the project file while SQLite had it open would
lose its locks without knowing, and the next program to close the file (even ``annotator info``)
would take itself for the last one and checkpoint, then delete, the ``-wal`` under the writer.

So nothing here opens a second descriptor of a file this process already has open: the bytes
are read with ``pread`` through a descriptor that is open already (SQLite's own: ``pread`` moves
no offset and touches no lock). Only a file this process has no descriptor of is opened, and
opening and closing that releases nothing: the locks of a process on a file live only as long
as one of its descriptors of it does.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

#: Where a process lists its own descriptors (Linux, then macOS and the BSDs).
_DESCRIPTOR_FOLDERS = ("/proc/self/fd", "/dev/fd")
_found: dict[tuple[int, int], int] = {}  # (device, inode) -> a descriptor last seen on it
_lock = threading.Lock()


def _refers_to(descriptor: int, key: tuple[int, int]) -> bool:
    try:
        status = os.fstat(descriptor)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_dev, status.st_ino) == key


def descriptor_of(device: int, inode: int) -> int | None:
    """A descriptor this process has open on the file (``device``, ``inode``); None if it has
    none (or cannot list its descriptors)."""
    key = (device, inode)
    with _lock:
        known = _found.get(key)
        if known is not None and _refers_to(known, key):
            return known
        _found.pop(key, None)
        for folder in _DESCRIPTOR_FOLDERS:
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if name.isdigit() and _refers_to(int(name), key):
                    _found[key] = int(name)
                    return int(name)
            return None
    return None


def read_open(device: int, inode: int, size: int) -> bytes | None:
    """The first ``size`` bytes of the file (``device``, ``inode``) read through a descriptor
    this process already has open on it; None when it has none (nothing then holds a lock)."""
    key = (device, inode)
    descriptor = descriptor_of(device, inode)
    if descriptor is None or not hasattr(os, "pread"):
        return None
    try:
        head = os.pread(descriptor, size, 0)
    except OSError:
        return None
    # Closed and reused by another file between the look-up and the read: not this file's bytes.
    return head if _refers_to(descriptor, key) else None


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of the file at ``path``, through a descriptor this process has
    open on it where there is one; raises ``OSError`` as ``open`` does."""
    if sys.platform != "win32":  # Windows locks belong to a handle: another one drops none
        status = os.stat(path)
        if stat.S_ISREG(status.st_mode):
            head = read_open(status.st_dev, status.st_ino, size)
            if head is not None:
                return head
    with path.open("rb") as handle:
        return handle.read(size)
