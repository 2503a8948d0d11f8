"""Is the file at a project's path still the file we opened?

An open SQLite connection keeps writing to the file it opened, whatever happens to its name: if
the project is deleted, moved or replaced while open, every later write would be acknowledged
and go into a file nobody will see again. So each write transaction first compares the path's
device and inode with what they were on opening, and the application id in the file's SQLite
header with ours, and refuses the write when they differ. New connections are checked the same
way, so SQLite never creates an empty project in place of a deleted one; the connections already
open still read the file as it was, which is what "Save As…" copies (:mod:`annotator.store.rescue`).

The check never opens the project file: the path is looked at with ``stat`` and the header is
read through SQLite's own descriptor (:mod:`descriptors`), because closing a second descriptor
would drop SQLite's locks on the file.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import FileReplaced
from annotator.store import descriptors, fileformat

#: Why a project whose file changed is read-only from then on.
STOPPED = "its file was deleted, moved or replaced while it was open"
_HEADER_BYTES = 72  # the application id is bytes 68..71 of SQLite's header


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int


def identity_of(path: Path) -> FileIdentity:
    """The identity of the file now at ``path``; raises :class:`FileReplaced` if there is none."""
    try:
        status = os.stat(path)
    except FileNotFoundError as exc:
        raise FileReplaced(
            path,
            "the project file was deleted or moved away while open; the "
            "change was not saved, and nothing more will be saved to it",
        ) from exc
    except OSError as exc:
        raise FileReplaced(
            path,
            f"the project file cannot be read any more ({exc.strerror or exc}"
            "); the change was not saved",
        ) from exc
    return FileIdentity(status.st_dev, status.st_ino)


def check(path: Path, expected: FileIdentity) -> None:
    """Raise :class:`FileReplaced` unless ``path`` is still the file that was opened and it
    still holds an Annotator project."""
    found = identity_of(path)
    if found != expected:
        raise FileReplaced(
            path,
            "the project file was replaced by another file while open; the "
            "change was not saved, and nothing more will be saved to it",
        )
    header = descriptors.read_open(expected.device, expected.inode, _HEADER_BYTES)
    if header is None:
        return  # no connection has it open: the next one reads (and SQLite checks) the header
    sqlite = len(header) == _HEADER_BYTES and header.startswith(fileformat.SQLITE_MAGIC)
    application_id = struct.unpack(">I", header[68:72])[0] if sqlite else 0
    if application_id != fileformat.APPLICATION_ID:
        what = "another program's database" if sqlite else "a file that is not SQLite"
        raise FileReplaced(
            path,
            f"the project file was overwritten with {what} while open; the "
            "change was not saved, and nothing more will be saved to it",
        )
