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


def check_export_target(project: Path, target: Path, folder: bool = False) -> None:
    """Refuse (``AnnotatorError`` naming ``target`` and why) a target an export must not write.

    ``folder``: the format writes a folder of files rather than one file.
    """
    target = Path(os.path.abspath(target.expanduser()))
    resolved = target.resolve()
    project = Path(os.path.abspath(project))
    mine = _identity(target)
    for path, what in protected_paths(project).items():
        real = path.resolve()
        same_inode = mine is not None and mine == _identity(path)
        if resolved == real or same_inode:
            raise AnnotatorError(
                target, f"is {what}; an export there would destroy it: choose another name"
            )
        if what == BACKUPS and real in resolved.parents:
            raise AnnotatorError(
                target, f"is inside {what}, which Annotator manages: choose another place"
            )
    check_target(target, folder)
