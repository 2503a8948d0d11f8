"""What a project file is, judged from its 100-byte SQLite header without opening it.

Reading the header raw means a file that turns out not to be ours is never touched: opening it
with SQLite could create journal files or rewrite header bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.core.file_kinds import check_source
from annotator.store import descriptors
from annotator.store.schema import current_version

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x414E4E54  # "ANNT"


@dataclass(frozen=True)
class FileState:
    exists: bool
    schema_version: int = 0
    #: The file is shorter than its header says, but a -wal beside it holds the rest (a
    #: checkpoint that ran out of disk space): SQLite reads it whole; a checkpoint completes it.
    wal_pending: bool = False

    @property
    def needs_migration(self) -> bool:
        return self.exists and self.schema_version < current_version()


def inspect_project_file(path: Path) -> FileState:
    """Classify ``path``; raise :class:`ProjectError` if it cannot be one of our projects."""
    if not path.exists():
        return FileState(exists=False)
    check_source(path, "a project file", ProjectError)  # a FIFO would be waited on forever
    try:
        # never a second descriptor of a file this process has open (see descriptors)
        header = descriptors.read_head(path, 100)
    except OSError as exc:
        raise ProjectError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not header:
        return FileState(exists=False)  # an empty file holds nothing to lose: make it a project
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ProjectError(path, "not an Annotator project (the file is not a SQLite database)")
    page_size, change_counter, page_count = struct.unpack(">H6xII", header[16:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    expected = (65536 if page_size == 1 else page_size) * page_count
    size = path.stat().st_size
    wal_pending = False
    if valid_for == change_counter and size < expected:
        wal = path.with_name(path.name + "-wal")
        if not (wal.is_file() and wal.stat().st_size > 0):
            raise ProjectError(
                path, f"the project file is damaged (truncated: {size} of {expected} bytes)"
            )
        wal_pending = True  # SQLite decides whether it can read it (opening.probe)
    (user_version,) = struct.unpack(">I", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise ProjectError(
            path, "a SQLite database made by another program, not an Annotator project"
        )
    newest = current_version()
    if user_version > newest:
        raise ProjectError(
            path,
            f"made by a newer Annotator (project schema {user_version}; this version reads up to "
            f"{newest}): update Annotator to open it",
        )
    return FileState(exists=True, schema_version=user_version, wal_pending=wal_pending)
