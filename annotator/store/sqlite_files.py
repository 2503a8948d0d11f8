"""How a project file is reached with ``sqlite3``: its ``file:`` URIs, and whether it can be
written. Plain standard library, so the first look (:mod:`first_look`) uses the same rules as the
engines (:mod:`database`) without importing SQLAlchemy."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def sqlite_uri(path: Path, **params: str) -> str:
    """A ``file:`` URI for ``path`` (quoted: names may hold ``?``, ``#`` or ``%``)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    # An absolute path gets an empty authority (``file:///…``), so ``//x`` is never a host.
    start = "file://" if path.is_absolute() else "file:"
    return f"{start}{quote(str(path))}" + (f"?{query}" if query else "")


def _writable(path: Path) -> bool:
    effective = os.access in os.supports_effective_ids  # honour a dropped effective uid
    return os.access(path, os.W_OK, effective_ids=effective)


def read_only_reason(path: Path) -> str | None:
    """Why changes to the project at ``path`` could not be saved; None when they can."""
    if not _writable(path):
        return "the file is not writable"
    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    # WAL mode needs to create its -wal and -shm files beside the project.
    if not _writable(path.parent) and not all(c.exists() and _writable(c) for c in companions):
        return f"its folder {path.parent} is not writable"
    return None


def read_only_uri(path: Path) -> str:
    """Read-only access that takes the usual locks; ``immutable`` only where no -wal file exists
    and none could be created (a read-only folder), i.e. no one can be writing to it."""
    wal = path.with_name(path.name + "-wal")
    if not _writable(path.parent) and not wal.exists():
        return sqlite_uri(path, mode="ro", immutable="1")
    return sqlite_uri(path, mode="ro")
