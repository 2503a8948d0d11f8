"""Save As: copy an open project into a new project file, through a connection already open.

When the project's file was deleted, moved or replaced while open (:mod:`.identity`), the
connections opened before still read the file as it was, every acknowledged change included
(the -wal as well: an open connection keeps both). Copying through one of them with SQLite's
backup API rescues all of it. The copy is written under a temporary name, checked, and only then
given its name, so a file at the new name is a whole project.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from annotator.core.errors import ProjectError
from annotator.store.opening import one_line
from annotator.store.project import Project

SAVING_SUFFIX = ".saving"  # the temporary copy: .<name>.<8 hex digits>.saving


def save_as(project: Project, target: Path) -> Path:
    """Copy ``project`` (as its open connections see it) into the new file ``target``."""
    target = Path(target).expanduser().absolute()
    if target.exists() or target.with_name(target.name + "-wal").exists():
        raise ProjectError(target, "already exists; choose a new name for the copy")
    if not target.parent.is_dir():
        raise ProjectError(target, f"the folder {target.parent} does not exist")
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}{SAVING_SUFFIX}")
    try:
        raw = project._engine.raw_connection()
        try:
            with closing(sqlite3.connect(temporary)) as copy:
                raw.driver_connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                problems = [row[0] for row in copy.execute("PRAGMA quick_check(2)")]
            if problems != ["ok"]:  # e.g. the file was overwritten in place: its pages are gone
                found = " ".join(" ".join(problems).replace("*** in database main ***", "").split())
                raise sqlite3.DatabaseError(
                    "what the open connection still reads is damaged "
                    f"(SQLite's check: {found[:100]})"
                )
        finally:
            raw.close()  # back to the pool
        os.replace(temporary, target)
    except ProjectError as exc:
        raise ProjectError(target, f"no copy could be made: {exc.reason}") from exc
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else one_line(exc)
        raise ProjectError(target, f"no copy could be made ({reason})") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return target
