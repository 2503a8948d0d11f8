"""Imports files off the GUI thread with progress and cancel; each file is its own transaction.

The worker is a plain Python thread that touches no Qt object: it puts each outcome on a queue
that a timer in the GUI thread drains. While it runs, Python's automatic garbage collection is
paused and the GUI thread collects instead: a collection that happened to start in the worker
would destroy unreachable Qt widgets on the wrong thread, which crashes Qt. Collection is turned
back on however the import ends: finished, failed with an unexpected error (reported to
``sys.excepthook`` once the files that did import are accounted for), or cut short by closing
the window (:meth:`ImportRunner.shutdown`).
"""

from __future__ import annotations

import gc
import queue
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.gui import gc_pause
from annotator.gui.commands import ImportDocuments
from annotator.gui.context import AppContext
from annotator.gui.undo import push
from annotator.service import ImportOutcome, Outcome, import_files

_DONE = None  # queue marker: the worker has finished

# What to ask, and the buttons, for a setting a file needs (see ImportOutcome.needs).
_QUESTIONS = {"doccano_offsets": "which unit do the doccano offsets count?"}
_CHOICES = {
    "utf16": "UTF-16 code units (setting off)",
    "graphemes": "Grapheme clusters (setting on)",
}


class ImportRunner(QObject):
    finished = Signal(list)  # list[ImportOutcome]

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self._queue: queue.Queue[ImportOutcome | None] = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._paths: list[Path] = []
        self._options: dict[str, Any] = {}
        self._outcomes: list[ImportOutcome] = []
        self._documents = 0  # read so far of the file being imported (set on the worker)
        self._timer = QTimer(self, interval=40, timeout=self._drain)
        self._error: BaseException | None = None  # an unexpected error that ended the worker
        self.progress: QProgressDialog | None = None
        self.question: QMessageBox | None = None  # the last "Import the rest?" asked

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, paths: list[Path], **options: Any) -> None:
        """Import ``paths``. ``options``: :func:`annotator.service.import_files`'s, e.g.
        ``skip_bad`` (leave out bad records; the report names them) or a setting a file needed
        (see :meth:`_ask`), e.g. ``doccano_offsets``."""
        if self.running:
            QMessageBox.information(self.window, "Import", "An import is already running.")
            return
        self._paths, self._outcomes, self._error = list(paths), [], None
        self._options = options
        self._cancel.clear()
        self.progress = QProgressDialog("Importing…", "Cancel", 0, len(paths), self.window)
        self.progress.setWindowTitle("Import articles")
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self.cancel)
        gc_pause.pause()
        self._thread = threading.Thread(target=self._work, name="import", daemon=True)
        self._thread.start()
        self._timer.start()

    def cancel(self) -> None:
        self._cancel.set()

    def _work(self) -> None:
        def report(_index: int, outcome: ImportOutcome) -> bool:
            self._documents = 0
            self._queue.put(outcome)
            return not self._cancel.is_set()

        def documents(done: int, _total: int | None) -> bool:  # in the file being imported
            self._documents = done
            return not self._cancel.is_set()  # a stop leaves this file out, whole

        try:
            import_files(
                self.ctx.project, self._paths, report, documents=documents, **self._options
            )
        except Exception as exc:  # a bug: reported on the GUI thread when the import ends
            self._error = exc
        finally:
            self._queue.put(_DONE)

    def _drain(self) -> None:
        gc.collect(0)  # the youngest generation, here on the GUI thread
        if self.progress is not None and self._documents:
            self.progress.setLabelText(f"Importing… {self._documents:,} documents read")
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

    def shutdown(self) -> None:
        """The window is closing: stop after the file being imported (each file is whole or
        not at all) and turn garbage collection back on."""
        if not self.running:
            return
        self._cancel.set()
        try:
            self._stop()
        finally:
            self._queue = queue.Queue()

    def _stop(self) -> None:
        """Stop the timer and the worker; garbage collection is on again however this ends."""
        try:
            self._timer.stop()
            if self._thread is not None:
                self._thread.join()
            self._thread = None
            if self.progress is not None:
                self.progress.reset()
                self.progress.deleteLater()
                self.progress = None
        finally:
            gc_pause.resume()

    def _finish(self) -> None:
        self._stop()
        try:
            self._account_for(self._outcomes)
        finally:
            if self._error is not None:
                error, self._error = self._error, None
                sys.excepthook(type(error), error, error.__traceback__)

    def _account_for(self, outcomes: list[ImportOutcome]) -> None:
        added = [d.id for o in outcomes if o.summary for d in o.summary.added]
        if added:
            files = sum(1 for o in outcomes if o.outcome is Outcome.IMPORTED)
            name = "Import " + (outcomes[0].path.name if files == 1 else f"{files} files")
            labels_changed = any(
                o.summary and (o.summary.labels_created or o.summary.codebook_replaced)
                for o in outcomes
            )
            push(self.ctx, ImportDocuments(self.ctx, added, name, labels_changed))
        self._report([o for o in outcomes if o.needs is None], added)
        self.finished.emit(outcomes)
        unclear = [o for o in outcomes if o.needs is not None]
        if unclear:
            self._ask(unclear)

    def _ask(self, outcomes: list[ImportOutcome]) -> None:
        """Files refused for want of a setting (a doccano file whose offset unit cannot be told):
        ask which, and import them again with it."""
        needs = outcomes[0].needs
        assert needs is not None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Import",
            f"{', '.join(o.path.name for o in outcomes)}: {_QUESTIONS.get(needs.option, '')}",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText(needs.detail)
        buttons = {
            box.addButton(_CHOICES.get(c, c), QMessageBox.ButtonRole.AcceptRole): c
            for c in needs.choices
        }
        paths = [o.path for o in outcomes]

        def chosen(button: object) -> None:
            if button in buttons:
                self.start(paths, **{needs.option: buttons[button]})

        box.buttonClicked.connect(chosen)
        box.open()

    def _import_the_rest(self, paths: list[Path]) -> None:
        self.start(paths, **{**self._options, "skip_bad": True})

    def _report(self, outcomes: list[ImportOutcome], added: list[str]) -> None:
        problems = [
            o.message
            for o in outcomes
            if not o.bad_record
            and (
                o.outcome is not Outcome.IMPORTED
                or o.notes
                or (o.summary is not None and o.summary.duplicates_skipped)
            )
        ]
        problems += [f"{o.path.name}: {o.skipped.describe()}" for o in outcomes if o.skipped]
        if self._cancel.is_set() and len(outcomes) < len(self._paths):
            problems.append(f"Cancelled: {len(self._paths) - len(outcomes)} files not imported.")
        refused = [o for o in outcomes if o.bad_record]
        if refused:
            from annotator.gui.bad_records_dialog import ask_to_import_the_rest

            self.question = ask_to_import_the_rest(
                self.window, refused, problems, len(added), self._import_the_rest
            )
            return
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
