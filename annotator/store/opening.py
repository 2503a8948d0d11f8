"""Opening a project file: creating it, probing it, upgrading it, and naming SQLite's errors."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from annotator import __version__
from annotator.core import model
from annotator.core.errors import ProjectError
from annotator.core.labels import LabelDef
from annotator.store import snap_rules
from annotator.store.convert import label_to_row
from annotator.store.database import (
    BUSY_TIMEOUT_MS,
    backup_copy,
    make_engine,
    migrate,
    read_only_uri,
    sqlite_uri,
)
from annotator.store.models import ProjectMeta

SQLITE_ERROR, SQLITE_CORRUPT, SQLITE_NOTADB = 1, 11, 26
#: What SQLite says of a file it cannot read (a missing table counts: an incomplete project);
#: anything else (I/O, full disk, locks) says nothing about the file.
_DAMAGE = {SQLITE_ERROR, SQLITE_CORRUPT, SQLITE_NOTADB}


def one_line(exc: Exception) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return str(exc.orig)
    return next(iter(str(exc).splitlines()), type(exc).__name__)


def disk_full(folder: Path) -> bool:
    """Whether the filesystem holding ``folder`` has no room left for another page."""
    try:
        status = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
    return status.f_bavail * status.f_frsize < 65536


def sqlite_reason(exc: DBAPIError | sqlite3.Error, path: Path | None = None) -> str:
    """What SQLite's error means for the user; ``path``, the project, tells a full disk from
    other I/O errors (SQLite reports growing its -shm file on a full disk as an I/O error)."""
    text = one_line(exc)
    if "readonly" in text or "read-only" in text:
        return "the project file is read-only; changes cannot be saved"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full; the last change was not saved"
    if "locked" in text or "busy" in text:
        return "the project is busy in another window or program; try again"
    if "malformed" in text or "not a database" in text or "Could not decode" in text:
        return "the project file is damaged"
    if "disk I/O error" in text and path is not None and disk_full(path.parent):
        return "the disk is full; the last change was not saved"
    if "disk I/O error" in text:
        return "the disk reported an error (disk I/O error); the last change was not saved"
    return f"database error ({text})"


NAME_MAX = 255  # bytes in one file name, where the filesystem does not say
#: Bytes a project's name must leave free for the names Annotator derives from it: the
#: ``.<name>.<id>.creating-journal`` of a new project, the ``-wal`` file, the backups folder and
#: the ``.<stem>-<stamp>-<n>-before-restore<suffix>.partial-journal`` copies inside it.
NAME_ROOM = 55


def name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX


def check_name(path: Path, creating: bool) -> None:
    """Refuse a name the filesystem cannot hold (or, for a new project, one that leaves no room
    for the working files and backups named after it) with a clear message."""
    size = len(os.fsencode(path.name))
    limit = name_max(path.parent)
    allowed = limit - NAME_ROOM if creating else limit
    if size > allowed:
        extra = (
            (
                " (Annotator names its working files and backups after the project, so it "
                "needs the room)"
            )
            if creating and size <= limit
            else ""
        )
        raise ProjectError(
            path,
            f"the name is too long for the filesystem: {size} bytes, at "
            f"most {allowed} here{extra}; choose a shorter name",
        )


def create(path: Path, labels: Sequence[LabelDef]) -> None:
    """Build the new project beside ``path`` and move it into place: never half-created."""
    if not path.parent.is_dir():
        raise ProjectError(path, f"the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.creating")
    engine = make_engine(temporary)
    try:
        migrate(engine)
        with Session(engine) as s, s.begin():
            now = model.timestamp()
            s.add_all(
                [
                    ProjectMeta(key="created", value=now),
                    ProjectMeta(key="created_by", value=f"Annotator {__version__}"),
                ]
            )
            s.add_all(label_to_row(label, i) for i, label in enumerate(labels))
            snap_rules.set_rules(s, list(labels), replace=True)
        engine.dispose()
        os.replace(temporary, path)
    except (OSError, SQLAlchemyError) as exc:
        engine.dispose()
        for leftover in (
            temporary,
            *(temporary.with_name(temporary.name + x) for x in ("-wal", "-shm")),
        ):
            leftover.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else one_line(exc)
        raise ProjectError(path, f"cannot create the project ({reason})") from exc


def probe(path: Path) -> None:
    """Check the project read-only once, so a damaged file is refused before we write to it.

    ``quick_check`` reads every page (about 20 ms for a 20 MB project) and finds broken pages
    anywhere, not only in the tables the window shows first.
    """
    wal = path.with_name(path.name + "-wal")
    # No -wal file: nobody has the project open, and immutable leaves no -wal/-shm behind.
    # Otherwise take the usual locks, so a checkpoint in another window is never seen half-done.
    uri = read_only_uri(path) if wal.exists() else sqlite_uri(path, mode="ro", immutable="1")
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            connection.execute("SELECT count(*) FROM project_meta").fetchone()
            connection.execute("SELECT count(*) FROM labels").fetchone()
            problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", SQLITE_CORRUPT) & 0xFF not in _DAMAGE:
            raise ProjectError(path, _unreadable_now(exc, path)) from exc
        raise ProjectError(path, f"the project file is damaged or incomplete ({exc})") from exc
    if problems != ["ok"]:
        first = " ".join(problems[0].split())[:100]
        raise ProjectError(path, f"the project file is damaged (SQLite's check: {first})")


def checkpoint(path: Path) -> bool:
    """Copy the -wal into the project file (SQLite's passive checkpoint), as far as there is
    room; True when it completed. Failing (a full disk) is fine: SQLite reads through the WAL."""
    try:
        connection = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True)
        try:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            busy, _frames, _done = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return busy == 0


def _unreadable_now(exc: sqlite3.Error, path: Path) -> str:
    """Why a project SQLite could not open is not its fault (a full disk, a lock, an I/O
    error): said as such, never as damage."""
    if disk_full(path.parent) or "full" in str(exc):
        return (
            "cannot be opened now: the disk is full (SQLite needs a little room beside the "
            "project to read it); free some space and try again"
        )
    return f"cannot be opened now ({exc}); the file itself was not found damaged"


def upgrade(path: Path, schema_version: int) -> Path:
    try:
        backup = backup_copy(path, schema_version)
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(
            path, f"needs an upgrade, but no backup copy could be made ({exc}); nothing changed"
        ) from exc
    engine = make_engine(path)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        raise ProjectError(
            path,
            f"could not be upgraded ({one_line(exc)}); the project is unchanged, a copy is "
            f"at {backup}",
        ) from exc
    finally:
        engine.dispose()
    return backup
