"""Temporary files that a killed Annotator left behind, and cleaning them up.

Everything Annotator writes goes first to a hidden temporary name beside its target and is
renamed into place when whole: an export (``.<target>.<8 characters>.annotator-tmp``, a file or a
folder), a backup (``.<backup>.partial`` in the backups folder), a new project
(``.<name>.<8 hex>.creating``), a Save As copy (``.<name>.<8 hex>.saving``), a restore
(``.<name>.restoring``). A process killed midway leaves that name behind, up to the size of the
whole project. :func:`sweep` deletes such leftovers — only names of exactly these patterns, and
only when nothing has written to them for :data:`STALE_AFTER` seconds, so a file another
Annotator is still writing (which it touches as it goes) is never taken from under it.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

STALE_AFTER = 60 * 60.0  # seconds without a write
EXPORT_SUFFIX = ".annotator-tmp"
_JOURNALS = r"(?:-journal|-wal|-shm)?"
#: leftovers beside a project or an export
BESIDE = (
    re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(EXPORT_SUFFIX) + "$"),
    re.compile(r"^\..+\.[0-9a-f]{8}\.(?:creating|saving)" + _JOURNALS + "$"),
    re.compile(r"^\..+\.restoring" + _JOURNALS + "$"),
)
#: leftovers in a project's backups folder
IN_BACKUPS = (re.compile(r"^\..+\.partial" + _JOURNALS + "$"),)


def last_written(path: Path) -> float:
    """The newest modification time of ``path`` (and of everything in it, for a folder)."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for root, folders, files in os.walk(path):
            for name in (*folders, *files):
                try:
                    newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
                except OSError:
                    continue
    return newest


def sweep(
    folder: Path,
    patterns: Iterable[re.Pattern[str]],
    now: float | None = None,
    older_than: float = STALE_AFTER,
) -> list[Path]:
    """Delete the stale leftovers in ``folder`` named by ``patterns``; returns them. Never
    raises: a leftover that cannot be deleted now is left for next time."""
    now = time.time() if now is None else now
    patterns = tuple(patterns)
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        if not any(p.match(path.name) for p in patterns):
            continue
        try:
            if now - last_written(path) < older_than:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
