"""Team work in the window: File → Merge Projects…, Team → Agreement…, Team → Curate…"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMenuBar, QMessageBox

from annotator import service
from annotator.core.errors import AnnotatorError
from annotator.gui.changes import Changes
from annotator.gui.menus import menu
from annotator.service import MergeOutcome, merge_files

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"


def build(w: MainWindow, file: QMenu, bar: QMenuBar, actions: dict[str, QAction]) -> None:
    merge = QAction("&Merge Projects…", w)
    merge.setStatusTip("Bring other people's copies of this project into it")
    merge.triggered.connect(lambda _=False: choose_and_merge(w))
    file.insertAction(actions["restore_backup"], merge)
    file.insertSeparator(actions["restore_backup"])
    actions["merge"] = merge

    team = menu(bar, "&Team")
    agreement = team.addAction("&Agreement…")
    agreement.setShortcut(QKeySequence("Ctrl+Shift+G"))
    agreement.setStatusTip("Inter-annotator agreement: Krippendorff's alpha, kappa, span F1")
    agreement.triggered.connect(lambda _=False: open_agreement(w))
    curate = team.addAction("&Curate Disagreements…")
    curate.setShortcut(QKeySequence("Ctrl+Shift+J"))
    curate.setStatusTip("Walk two annotators' disagreements and decide them into a curated layer")
    curate.triggered.connect(lambda _=False: open_curation(w))
    actions["agreement"], actions["curate"] = agreement, curate


def choose_and_merge(w: MainWindow) -> None:
    if w._refuse_if_read_only():
        return
    files, _ = QFileDialog.getOpenFileNames(w, "Merge projects into this one", "", PROJECT_FILTER)
    if files:
        merge_into_window(w, [Path(f) for f in files])


def merge_into_window(w: MainWindow, paths: list[Path]) -> list[MergeOutcome]:
    """Merge ``paths`` into the open project (a backup first: a merge has no undo) and say
    what happened, per source."""
    w.editor.commit_pending()
    backup = None  # a project on a server: backing it up is its administrator's job
    try:
        if not w.ctx.project.on_server:
            backup = service.make_backup(w.ctx.project.path, note="before-merge")
    except AnnotatorError as exc:
        QMessageBox.warning(
            w, "Merge Projects", f"No backup could be made, so nothing was merged: {exc}"
        )
        return []
    outcomes = merge_files(w.ctx.project, paths)
    w.ctx.publish(Changes(documents=True, labels=True, relabelled=True))
    if w.reader.document_id:
        w.show_document(w.reader.document_id, force=True)
    lines = []
    for outcome in outcomes:
        if outcome.report is None:
            lines.append(f"✗ refused: {outcome.message}")
            continue
        lines.append(f"✓ {outcome.message}")
        conflicts = [str(c) for c in outcome.report.conflicts] + outcome.report.label_conflicts
        lines.extend(f"      conflict: {c}" for c in conflicts[:10])
        if len(conflicts) > 10:
            lines.append(f"      … and {len(conflicts) - 10} more conflicts")
    if backup is not None:
        lines.append(
            f"\nA backup of the project as it was is in {backup.parent.name}/ "
            "(File → Restore Backup… takes it back)."
        )
    box = QMessageBox(
        QMessageBox.Icon.Information
        if all(o.report for o in outcomes)
        else QMessageBox.Icon.Warning,
        "Merge Projects",
        "\n".join(lines),
        QMessageBox.StandardButton.Ok,
        w,
    )
    box.setObjectName("merge-summary")
    box.open()
    return outcomes


def open_agreement(w: MainWindow) -> None:
    from annotator.gui.agreement_window import AgreementWindow

    window = AgreementWindow(w.ctx, w)
    window.show()


def open_curation(w: MainWindow) -> None:
    from annotator.gui.curation_view import CurationView

    if w._refuse_if_read_only():
        return
    view = CurationView(w.ctx, w)
    view.show()
