"""Where an export may write: the one check the command line and the export dialog share.

An export must never land on the project it reads: not the project file (under any name: a
hard link, another path to it, a symbolic link), not its SQLite companions (``-wal``, ``-shm``,
``-journal``), not its backups folder nor anything inside it. Paths are compared resolved, and
existing files by device and inode. On top of that :func:`annotator.io.files.check_target`
refuses links, FIFOs and devices, and folders that are not empty.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.io.files import check_target
from annotator.store import backups

COMPANIONS = ("-wal", "-shm", "-journal")
BACKUPS = "the open project's backups folder"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def protected_paths(project: Path) -> dict[Path, str]:
    """The paths an export of ``project`` must not touch, each with what it is (beside the
    name it was opened by and, when that is a link, beside the real file, where SQLite keeps
    its companions)."""
    protected: dict[Path, str] = {}
    for where in dict.fromkeys((project, project.resolve())):
        protected[where] = "the open project"
        for suffix in COMPANIONS:
            protected[where.with_name(where.name + suffix)] = f"the open project's {suffix} file"
        protected[backups.folder(where)] = BACKUPS
    return protected


def protected_as(project: Path | None, path: Path) -> str | None:
    """What ``path`` is of the open ``project`` (the project under any name, a companion, its
    backups folder), compared resolved and by device and inode, so nothing is opened; None when
    it is none of them (or ``project`` is None: a project on a server)."""
    if project is None:
        return None
    path = Path(os.path.abspath(path.expanduser()))
    resolved, mine = path.resolve(), _identity(path)
    for protected, what in protected_paths(Path(os.path.abspath(project))).items():
        if resolved == protected.resolve() or (mine is not None and mine == _identity(protected)):
            return what
    return None


def check_export_target(project: Path | None, target: Path, folder: bool = False) -> None:
    """Refuse (``AnnotatorError`` naming ``target`` and why) a target an export must not write.

    ``project``: the open project's file; None for a project on a server (no file of it here).
    ``folder``: the format writes a folder of files rather than one file.
    """
    target = Path(os.path.abspath(target.expanduser()))
    if (what := protected_as(project, target)) is not None:
        raise AnnotatorError(
            target, f"is {what}; an export there would destroy it: choose another name"
        )
    if project is not None:
        resolved = target.resolve()
        for path, what in protected_paths(Path(os.path.abspath(project))).items():
            if what == BACKUPS and path.resolve() in resolved.parents:
                raise AnnotatorError(
                    target, f"is inside {what}, which Annotator manages: choose another place"
                )
    check_target(target, folder)
