"""What a project file is, judged from its 100-byte SQLite header without opening it.

Reading the header raw means a file that turns out not to be ours is never touched: opening it
with SQLite could create journal files or rewrite header bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ProjectError

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x414E4E54  # "ANNT"
SCHEMA_VERSION = 2  # equals the number of the newest Alembic revision (migrations/versions)


@dataclass(frozen=True)
class FileState:
    exists: bool
    schema_version: int = 0

    @property
    def needs_migration(self) -> bool:
        return self.exists and self.schema_version < SCHEMA_VERSION


def inspect_project_file(path: Path) -> FileState:
    """Classify ``path``; raise :class:`ProjectError` if it cannot be one of our projects."""
    if not path.exists():
        return FileState(exists=False)
    if path.is_dir():
        raise ProjectError(path, "is a folder, not a project file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
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
    if valid_for == change_counter and size < expected:
        raise ProjectError(
            path, f"the project file is damaged (truncated: {size} of {expected} bytes)"
        )
    (user_version,) = struct.unpack(">I", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise ProjectError(
            path, "a SQLite database made by another program, not an Annotator project"
        )
    if user_version > SCHEMA_VERSION:
        raise ProjectError(
            path,
            f"made by a newer Annotator (project schema {user_version}; this version reads up to "
            f"{SCHEMA_VERSION}): update Annotator to open it",
        )
    return FileState(exists=True, schema_version=user_version)
