"""Imports files off the GUI thread with progress and cancel; each file is its own transaction.

The worker is a plain Python thread that touches no Qt object: it puts each outcome on a queue
that a timer in the GUI thread drains. While it runs, Python's automatic garbage collection is
paused and the GUI thread collects instead: a collection that happened to start in the worker
would destroy unreachable Qt widgets on the wrong thread, which crashes Qt.
"""

from __future__ import annotations

import gc
import queue
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.gui.commands import ImportDocuments
from annotator.gui.context import AppContext
from annotator.service import ImportOutcome, Outcome, import_files

_DONE = None  # queue marker: the worker has finished


class ImportRunner(QObject):
    finished = Signal(list)  # list[ImportOutcome]

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self._queue: queue.Queue[ImportOutcome | None] = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._paths: list[Path] = []
        self._outcomes: list[ImportOutcome] = []
        self._timer = QTimer(self, interval=40, timeout=self._drain)
        self._gc_was_enabled = True
        self.progress: QProgressDialog | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, paths: list[Path]) -> None:
        if self.running:
            QMessageBox.information(self.window, "Import", "An import is already running.")
            return
        self._paths, self._outcomes = list(paths), []
        self._cancel.clear()
        self.progress = QProgressDialog("Importing…", "Cancel", 0, len(paths), self.window)
        self.progress.setWindowTitle("Import articles")
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self.cancel)
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        self._thread = threading.Thread(target=self._work, name="import", daemon=True)
        self._thread.start()
        self._timer.start()

    def cancel(self) -> None:
        self._cancel.set()

    def _work(self) -> None:
        def report(_index: int, outcome: ImportOutcome) -> bool:
            self._queue.put(outcome)
            return not self._cancel.is_set()

        try:
            import_files(self.ctx.project, self._paths, report)
        finally:
            self._queue.put(_DONE)

    def _drain(self) -> None:
        gc.collect(0)  # the youngest generation, here on the GUI thread
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is _DONE:
                self._finish()
                return
            self._outcomes.append(item)
            if self.progress is not None:
                self.progress.setValue(len(self._outcomes))
                self.progress.setLabelText(f"{item.path.name}: {item.outcome}")

    def _finish(self) -> None:
        self._timer.stop()
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        if self._gc_was_enabled:
            gc.enable()
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        outcomes = self._outcomes
        added = [d.id for o in outcomes if o.summary for d in o.summary.added]
        if added:
            files = sum(1 for o in outcomes if o.outcome is Outcome.IMPORTED)
            name = "Import " + (outcomes[0].path.name if files == 1 else f"{files} files")
            self.ctx.undo_stack.push(ImportDocuments(self.ctx, added, name))
            if any(
                o.summary and (o.summary.labels_created or o.summary.codebook_replaced)
                for o in outcomes
            ):
                self.ctx.labels_did_change()
            self.ctx.events.documents_changed.emit()
            self.ctx.events.reveal_document.emit(added[0])
        self._report(outcomes, added)
        self.finished.emit(outcomes)

    def _report(self, outcomes: list[ImportOutcome], added: list[str]) -> None:
        problems = [o.message for o in outcomes if o.outcome is not Outcome.IMPORTED]
        if self._cancel.is_set() and len(outcomes) < len(self._paths):
            problems.append(f"Cancelled: {len(self._paths) - len(outcomes)} files not imported.")
        if not problems:
            return
        failed = any(o.outcome is Outcome.ERROR for o in outcomes)
        box = QMessageBox(
            QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information,
            "Import",
            f"{len(added)} documents imported.",
            parent=self.window,
        )
        box.setInformativeText(
            "\n".join(problems[:8])
            + (f"\n… and {len(problems) - 8} more" if len(problems) > 8 else "")
        )
        box.setDetailedText("\n".join(problems))
        box.open()
