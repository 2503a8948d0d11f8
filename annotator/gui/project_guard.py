"""Which window writes a project, and what the user hears when one cannot be opened.

One window at a time writes a project: it holds ``.<name>.lock`` beside the project (a
``QLockFile``: a lock left by a crashed or closed process is taken over at once, by process id).
A second window on the same project asks: open it read-only (the default), open it anyway, or
cancel. Commands on the command line take no lock: SQLite's own locking (5 s busy timeout) keeps
their writes whole and in order.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:  # the store is imported when a project is opened (see gui/app.py)
    from annotator.store.project import Project


class Choice(Enum):
    READ_ONLY = "read-only"
    ANYWAY = "anyway"
    CANCEL = "cancel"


def lock_path(project: Path) -> Path:
    return project.with_name(f".{project.name}.lock")


def acquire(project: Path) -> tuple[QLockFile | None, str | None]:
    """``(lock, None)`` when this process now holds it; ``(None, holder)`` when another window
    holds it; ``(None, None)`` when no lock can be made there (e.g. a read-only folder)."""
    lock = QLockFile(str(lock_path(project)))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    if lock.tryLock(0):
        return lock, None
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None, None
    info = lock.getLockInfo()  # PySide: (pid, hostname, appname)
    pid, host = (info[-3], info[-2]) if isinstance(info, tuple) and len(info) >= 3 else (0, "")
    return None, f"process {pid} on {host}" if pid else "another program"


def ask_when_open_elsewhere(parent: QWidget | None, project: Path, holder: str) -> Choice:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Project already open",
        f"“{project.name}” is open in another Annotator window ({holder}).",
        parent=parent,
    )
    box.setInformativeText(
        "Open it read-only here to look without changing it. Open it anyway only if that window "
        "is gone: both windows would save safely, but neither shows the other's changes."
    )
    read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton("Open Anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    box.exec()
    clicked = box.clickedButton()
    return (
        Choice.READ_ONLY
        if clicked is read_only
        else (Choice.ANYWAY if clicked is anyway else Choice.CANCEL)
    )


def claim(
    parent: QWidget | None, project: Project, held: QLockFile | None, held_for: Path | None
) -> tuple[Project, QLockFile | None] | None:
    """Lock ``project`` for this window, asking when another window has it.

    Returns the project to show (reopened read-only if so chosen) and its lock, or None when the
    user cancelled (``project`` is then closed).
    """
    if project.read_only:
        return project, None
    if held is not None and held_for == project.path:
        return project, held
    lock, holder = acquire(project.path)
    if holder is None:
        return project, lock
    choice = ask_when_open_elsewhere(parent, project.path, holder)
    if choice is Choice.CANCEL:
        project.close()
        return None
    if choice is Choice.ANYWAY:
        QLockFile(str(lock_path(project.path))).removeStaleLockFile()
        lock, _holder = acquire(project.path)
        return project, lock
    from annotator.store.project import Project

    path = project.path
    project.close()
    reopened = Project.open(path, create=False, read_only=True)
    reopened.read_only_reason = f"it is open in another Annotator window ({holder})"
    return reopened, None


def report_open_failure(parent: QWidget | None, path: Path, error: AnnotatorError) -> bool:
    """Say why ``path`` cannot be opened; for a damaged project with backups, offer to restore
    one. Returns True when a backup was restored (the caller opens the project again)."""
    from annotator.store import backups

    damaged = "damaged" in str(error) and not backups.readable(path)  # only what SQLite can't read
    usable = [b for b in backups.list_backups(path) if b.usable] if damaged else []
    if not usable:
        QMessageBox.warning(parent, "Cannot open project", str(error))
        return False
    newest = usable[0].created.astimezone().strftime("%Y-%m-%d %H:%M")
    answer = QMessageBox.question(
        parent,
        "Cannot open project",
        f"{error}\n\nIt has {len(usable)} automatic backups, the newest from {newest}. Restore "
        "one? The damaged file is kept beside the project, renamed.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    from annotator.gui.restore_backup_dialog import RestoreBackupDialog

    dialog = RestoreBackupDialog(path, parent)
    chosen = dialog.chosen() if dialog.exec() == RestoreBackupDialog.DialogCode.Accepted else None
    if chosen is None:
        return False
    try:
        backups.restore(path, chosen.path)
    except AnnotatorError as exc:
        QMessageBox.warning(parent, "Restore failed", str(exc))
        return False
    return True
