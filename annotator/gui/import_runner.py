"""Imports files off the GUI thread with progress and cancel; each file is its own transaction."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.gui.commands import ImportDocuments
from annotator.gui.context import AppContext
from annotator.service import ImportOutcome, Outcome, import_files


class _Worker(QThread):
    progressed = Signal(int, object)  # files done, ImportOutcome

    def __init__(self, ctx: AppContext, paths: list[Path]) -> None:
        super().__init__()
        self.ctx, self.paths = ctx, paths
        self.cancelled = False
        self.outcomes: list[ImportOutcome] = []

    def run(self) -> None:
        def report(index: int, outcome: ImportOutcome) -> bool:
            self.progressed.emit(index + 1, outcome)
            return not self.cancelled

        self.outcomes = import_files(self.ctx.project, self.paths, report)


class ImportRunner(QObject):
    finished = Signal(list)  # list[ImportOutcome]

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.worker: _Worker | None = None
        self.progress: QProgressDialog | None = None

    def start(self, paths: list[Path]) -> None:
        if self.worker is not None:
            QMessageBox.information(self.window, "Import", "An import is already running.")
            return
        self.worker = _Worker(self.ctx, paths)
        self.progress = QProgressDialog("Importing…", "Cancel", 0, len(paths), self.window)
        self.progress.setWindowTitle("Import articles")
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self._cancel)
        self.worker.progressed.connect(self._progressed)
        self.worker.finished.connect(self._done)
        self.worker.start()

    def _cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancelled = True

    def _progressed(self, done: int, outcome: ImportOutcome) -> None:
        if self.progress is not None:
            self.progress.setValue(done)
            self.progress.setLabelText(f"{outcome.path.name}: {outcome.outcome}")

    def _done(self) -> None:
        worker, self.worker = self.worker, None
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        assert worker is not None
        outcomes = worker.outcomes
        worker.deleteLater()
        added = [d.id for o in outcomes if o.summary for d in o.summary.added]
        if added:
            files = sum(1 for o in outcomes if o.outcome is Outcome.IMPORTED)
            name = "Import " + (outcomes[0].path.name if files == 1 else f"{files} files")
            self.ctx.undo_stack.push(ImportDocuments(self.ctx, added, name))
            labels_created = any(o.summary and (o.summary.labels_created
                                                or o.summary.codebook_replaced)
                                 for o in outcomes)
            if labels_created:
                self.ctx.labels_did_change()
            self.ctx.events.documents_changed.emit()
            self.ctx.events.reveal_document.emit(added[0])
        problems = [o.message for o in outcomes if o.outcome is not Outcome.IMPORTED]
        if worker.cancelled:
            problems.append(f"Cancelled: {len(worker.paths) - len(outcomes)} files not imported.")
        if problems:
            box = QMessageBox(QMessageBox.Icon.Warning if any(
                o.outcome is Outcome.ERROR for o in outcomes) else QMessageBox.Icon.Information,
                "Import", f"{len(added)} documents imported.", parent=self.window)
            box.setInformativeText("\n".join(problems[:8]) + (
                f"\n… and {len(problems) - 8} more" if len(problems) > 8 else ""))
            box.setDetailedText("\n".join(problems))
            box.open()
        self.finished.emit(outcomes)
