"""Team work in the window: File → Merge Projects…, Team → Agreement…, Team → Curate…"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMenuBar, QMessageBox

from annotator import service
from annotator.core.errors import AnnotatorError
from annotator.core.progress import Cancelled, Progress
from annotator.gui.background_work import BackgroundWork
from annotator.gui.changes import Changes
from annotator.gui.menus import menu
from annotator.service import MergeOutcome

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


def merge_into_window(w: MainWindow, paths: list[Path]) -> BackgroundWork:
    """Merge ``paths`` into the open project (a backup first: a merge has no undo) off the GUI
    thread, with progress and Cancel (the source being merged then leaves the project as it
    was), and say what happened, per source. Returns the running work; its ``result`` is then
    the outcomes."""
    w.editor.commit_pending()
    project = w.ctx.project
    outcomes: list[MergeOutcome] = []
    made: list[Path] = []  # the backup

    def work(progress: Progress) -> list[MergeOutcome]:
        if not project.on_server:  # a project on a server: backing it up is its admin's job
            made.append(service.make_backup(project.path, note="before-merge"))
        for path in paths:
            outcomes.append(service.merge_file(project, path, progress))
        return outcomes

    def finished(_result: object, error: BaseException | None) -> None:
        if isinstance(error, AnnotatorError) and not isinstance(error, Cancelled) and not made:
            QMessageBox.warning(
                w, "Merge Projects", f"No backup could be made, so nothing was merged: {error}"
            )
            return
        if error is not None and not isinstance(error, Cancelled):
            raise error
        if outcomes:
            w.ctx.publish(Changes(documents=True, labels=True, relabelled=True))
            if w.reader.document_id:
                w.show_document(w.reader.document_id, force=True)
        _summarise(w, paths, outcomes, made[0] if made else None, cancelled=error is not None)

    running = BackgroundWork(w, "Merge Projects", "Merging…", work)
    running.finished.connect(finished)
    return running.start()


def _summarise(
    w: MainWindow,
    paths: list[Path],
    outcomes: list[MergeOutcome],
    backup: Path | None,
    *,
    cancelled: bool,
) -> None:
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
    if cancelled:
        left = [str(path) for path in paths[len(outcomes) :]]
        lines.append(f"✗ cancelled, nothing of it merged: {', '.join(left)}")
    if backup is not None:
        lines.append(
            f"\nA backup of the project as it was is in {backup.parent.name}/ "
            "(File → Restore Backup… takes it back)."
        )
    box = QMessageBox(
        QMessageBox.Icon.Information
        if all(o.report for o in outcomes) and not cancelled
        else QMessageBox.Icon.Warning,
        "Merge Projects",
        "\n".join(lines),
        QMessageBox.StandardButton.Ok,
        w,
    )
    box.setObjectName("merge-summary")
    box.open()


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
