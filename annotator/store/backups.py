"""Rolling backups of a project, kept beside it in ``<name>.backups/``, and restoring one.

Every copy is made with SQLite's backup API, which copies a consistent snapshot even while the
project is open (a plain file copy of a live WAL database can be torn). A copy is written under
a temporary name, checked, and only then given its final name, so a backup that is listed is a
whole one. Backups are standalone files (rollback journal, no ``-wal``): open one with Annotator
like any project.

Policy (:func:`rolling_backup`): when the project is opened (and every hour while a window
stays open), a copy is made if the newest backup is more than :data:`MIN_INTERVAL` old and the
project's content differs from it; the newest :data:`KEEP` are kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.store import fileformat, fulltext
from annotator.store.database import BUSY_TIMEOUT_MS, sqlite_uri
from annotator.store.project import Project

KEEP = 5
MIN_INTERVAL = timedelta(hours=1)
BEFORE_RESTORE = "before-restore"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?(?:-(?P<note>[a-z-]+))?$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # UTC, from the file name
    size: int  # bytes
    documents: int | None  # None: the copy cannot be read
    annotations: int | None
    note: str = ""  # "" for a rolling backup, BEFORE_RESTORE for the copy a restore made

    @property
    def usable(self) -> bool:
        return self.documents is not None


def folder(project: Path) -> Path:
    return project.with_name(f"{project.name}.backups")


def list_backups(project: Path, check: bool = False) -> list[BackupInfo]:
    """The backups of ``project``, newest first; ``check`` runs SQLite's page check on each
    (about 20 ms per 20 MB), so that a damaged one is listed as such."""
    where = folder(project)
    if not where.is_dir():
        return []
    found = []
    for path in where.iterdir():
        match = _NAME.search(path.stem)
        if not path.is_file() or not path.name.startswith(f"{project.stem}-") or match is None:
            continue
        created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        order = (created, int(match["n"] or 0))
        documents, annotations = _counts(path, check)
        found.append(
            (
                order,
                BackupInfo(
                    path, created, path.stat().st_size, documents, annotations, match["note"] or ""
                ),
            )
        )
    return [info for _order, info in sorted(found, key=lambda item: item[0], reverse=True)]


def make_backup(project: Path, note: str = "", now: datetime | None = None) -> Path:
    """Copy ``project`` into its backups folder now; returns the copy's path."""
    where = folder(project)
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    suffix = f"-{note}" if note else ""
    try:
        where.mkdir(exist_ok=True)
        n = 1  # a second backup within the same second (whatever its note) sorts after the first
        while _taken(where, f"{project.stem}-{stamp}" + (f"-{n}" if n > 1 else "")):
            n += 1
        number = f"-{n}" if n > 1 else ""
        target = where / f"{project.stem}-{stamp}{number}{suffix}{project.suffix}"
        partial = target.with_name(f".{target.name}.partial")
        try:
            with _connect(project, "ro") as source:
                _copy(source, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(project, f"no backup could be made ({_reason(exc)})") from exc
    return target


def rolling_backup(
    project: Project,
    now: datetime | None = None,
    keep: int = KEEP,
    min_interval: timedelta = MIN_INTERVAL,
) -> Path | None:
    """Make a backup if the policy (module docstring) calls for one; returns it, or None.
    Never for a project on a server: backing up the database is its administrator's job."""
    if project.read_only or project.on_server:
        return None
    project.check_file()  # never back up (or prune for) a file that replaced the project
    now = now or datetime.now(UTC)
    newest = next((b for b in list_backups(project.path) if b.usable), None)
    if newest is not None:
        if now - newest.created < min_interval:
            return None
        try:
            if fingerprint(project.path) == fingerprint(newest.path):
                _check(newest.path)  # the same content, and a sound copy of it
                return None
        except sqlite3.Error:
            pass  # unreadable or damaged: make a fresh one
    made = make_backup(project.path, now=now)
    prune(project.path, keep)
    return made


def prune(project: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns the deleted ones."""
    doomed = [b.path for b in list_backups(project)[keep:]]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def restore(project: Path, backup: Path) -> Path:
    """Replace ``project``'s content with ``backup``'s; returns where the previous content went.

    A readable project is first backed up (note ``before-restore``), then overwritten through
    the backup API, which takes SQLite's locks and so is safe even if another program has the
    project open. A damaged project is moved aside (``<name>.damaged-<time>``) and the backup
    copied into a new file in its place.
    """
    try:
        fileformat.inspect_project_file(backup)
        _check(backup)
    except (ProjectError, sqlite3.Error) as exc:
        raise ProjectError(backup, f"this backup cannot be restored ({_reason(exc)})") from exc
    try:
        _check(project)
    except sqlite3.Error:
        return _replace_damaged(project, backup)
    safety = make_backup(project, BEFORE_RESTORE)
    try:
        with _connect(backup, "ro") as source, _connect(project, "rw") as target:
            source.backup(target)
    except sqlite3.Error as exc:
        raise ProjectError(
            project,
            f"the backup could not be restored ({_reason(exc)}); the "
            f"project is as it was, and a copy of it is at {safety}",
        ) from exc
    return safety


def readable(path: Path) -> bool:
    """Whether SQLite reads ``path`` whole (its page check passes): such a project is never
    replaced by an older backup, whatever a quicker check said."""
    try:
        _check(path)
    except sqlite3.Error:
        return False
    return True


def fingerprint(path: Path) -> str:
    """A digest of every row of every table: equal digests mean equal content."""
    digest = hashlib.sha256()
    with _connect(path, "ro") as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
            if not name.startswith(fulltext.PREFIX)  # follows from the texts; some have no rowid
        ]
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@contextmanager
def _connect(path: Path, mode: str) -> Iterator[sqlite3.Connection]:
    uri = (
        sqlite_uri(path, mode=mode)
        if mode == "rw" or path.with_name(path.name + "-wal").exists()
        else sqlite_uri(path, mode="ro", immutable="1")
    )
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        yield connection


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """``source`` into a new standalone file at ``target``, checked."""
    with closing(sqlite3.connect(sqlite_uri(target, mode="rwc"), uri=True)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    _check(target)


def _taken(where: Path, base: str) -> bool:
    """Whether a backup named ``base``, with or without a note, exists in ``where``."""
    return any(
        p.stem == base
        or (p.stem.startswith(f"{base}-") and not p.stem[len(base) + 1 :][:1].isdigit())
        for p in where.iterdir()
    )


def _check(path: Path) -> None:
    with _connect(path, "ro") as connection:
        result = [row[0] for row in connection.execute("PRAGMA quick_check(1)")]
        connection.execute("SELECT count(*) FROM annotations").fetchone()
    if result != ["ok"]:
        raise sqlite3.DatabaseError(f"damaged: {result[0]}")


def _counts(path: Path, check: bool) -> tuple[int | None, int | None]:
    try:
        if check:
            _check(path)
        with _connect(path, "ro") as connection:
            documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
            annotations = connection.execute("SELECT count(*) FROM annotations").fetchone()[0]
    except sqlite3.Error:
        return None, None
    return documents, annotations


def _replace_damaged(project: Path, backup: Path) -> Path:
    stamp = datetime.now(UTC).strftime(_STAMP)
    aside = project.with_name(f"{project.stem}.damaged-{stamp}{project.suffix}")
    fresh = project.with_name(f".{project.name}.restoring")
    try:
        with _connect(backup, "ro") as source:
            _copy(source, fresh)
        for suffix in ("", "-wal", "-shm"):
            old = project.with_name(project.name + suffix)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + suffix))
        os.replace(fresh, project)
    except (OSError, sqlite3.Error) as exc:
        fresh.unlink(missing_ok=True)
        raise ProjectError(project, f"the backup could not be restored ({_reason(exc)})") from exc
    return aside


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ProjectError):
        return exc.reason
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
