"""File → Save As… and File → Send a Copy…, and the dialog shown when the project's file is gone
while it is open.

Send a Copy… writes the same copy as Save As… (one self-contained file, every acknowledged
change in it) but the window carries on with the project it shows: a copy to mail or keep.

When the file was deleted, moved or replaced (:mod:`annotator.store.identity`), the window stops
saving (the project becomes read-only, with the bar saying why) and offers Save As…, which copies
everything acknowledged, through the connection still open on the old file, into a new project
file and then shows that one (:mod:`annotator.store.rescue`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator import service
from annotator.core.errors import AnnotatorError, FileReplaced

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"


def offer_save_as(window: MainWindow, error: FileReplaced) -> QMessageBox:
    """Say that the file is gone and nothing more is saved to it; offer Save As… (window-modal,
    not blocking the caller)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Project file gone",
        f"“{window.ctx.project.path.name}” was deleted, moved or replaced while it was open.",
        parent=window,
    )
    box.setInformativeText(
        f"{error}\n\nEverything saved before is still held by this window: save it as a new "
        "project file to keep it, then carry on there."
    )
    save = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    save.clicked.connect(lambda: save_as(window))
    box.open()
    return box


def suggested_path(path: Path) -> Path:
    """``name (copy).annot`` beside the project, numbered until it is free."""
    candidate = path.with_name(f"{path.stem} (copy){path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} (copy {n}){path.suffix}")
        n += 1
    return candidate


def save_as(window: MainWindow) -> Path | None:
    """Ask for a new file name, copy the project there and open it; None if not done."""
    target = _copy_to_chosen(window, "Save project as", "Save As")
    if target is not None:
        window.open_project_requested.emit(str(target))
    return target


def send_copy(window: MainWindow) -> Path | None:
    """Ask for a new file name and copy the project there, the window staying on the project it
    shows; None if not done."""
    target = _copy_to_chosen(window, "Send a copy of the project", "Send a Copy")
    if target is not None:
        window.statusBar().showMessage(f"A copy of the project, in one file, is at {target}", 15000)
    return target


def _copy_to_chosen(window: MainWindow, question: str, action: str) -> Path | None:
    """Ask for a new file name and copy the project there (``service.save_as``); None if the
    user chose none or no copy could be made (a dialog titled ``action`` says why)."""
    project = window.ctx.project
    if not project.read_only:
        window.editor.commit_pending()  # a note still being typed goes into the copy
    name, _ = QFileDialog.getSaveFileName(
        window, question, str(suggested_path(project.path)), PROJECT_FILTER
    )
    if not name:
        return None
    try:
        return service.save_as(project, Path(name))
    except AnnotatorError as exc:
        QMessageBox.warning(window, action, str(exc))
        return None
