"""Runs an export off the GUI thread, with a progress dialog whose Cancel stops it.

The caller waits for the export as for a function call (:meth:`ExportRunner.run` returns its
report or raises its error), but in a local event loop, so the window keeps painting and the
Cancel button works. The worker is a plain Python thread that touches no Qt object: it only
records how far it is, which a timer on the GUI thread shows. As in ``import_runner.py``,
Python's automatic garbage collection is paused while it runs and the GUI thread collects
instead (a collection started on the worker could destroy Qt objects on the wrong thread).
Cancel makes the next progress call answer "stop": the export raises ``Cancelled`` and, writing
through :mod:`annotator.io.files`, leaves the target as it was.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.progress import Progress
from annotator.gui import gc_pause

T = TypeVar("T")


class ExportRunner(QObject):
    #: documents written, and of how many (0 while unknown), as the GUI thread learns it
    progressed = Signal(int, int)

    def __init__(self, parent: QWidget, title: str = "Export") -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog("Exporting…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)  # a short export shows no dialog at all
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.reset()  # no dialog until the first value is set
        self._cancel = threading.Event()
        self._heard: tuple[int, int | None] = (0, None)
        self._shown = -1

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int | None) -> bool:
        """The export's :data:`~annotator.core.progress.Progress` (called on the worker)."""
        self._heard = (done, total)
        return not self._cancel.is_set()

    def run(self, work: Callable[[Progress], T]) -> T:
        """``work(self.progress)`` on a worker thread; its result, or its exception raised."""
        outcome: list[T] = []
        failure: list[BaseException] = []

        def worker() -> None:
            try:
                outcome.append(work(self.progress))
            except BaseException as exc:  # raised again on the GUI thread
                failure.append(exc)

        loop = QEventLoop(self)
        thread = threading.Thread(target=worker, name="export", daemon=True)
        timer = QTimer(self, interval=40)

        def drain() -> None:
            gc.collect(0)  # the youngest generation, here on the GUI thread
            self._show()
            if not thread.is_alive():
                loop.quit()

        timer.timeout.connect(drain)
        gc_pause.pause()
        try:
            self._cancel.clear()
            thread.start()
            timer.start()
            loop.exec()
            thread.join()
        finally:
            timer.stop()
            self.dialog.reset()
            gc_pause.resume()
        if failure:
            raise failure[0]
        return outcome[0]

    def _show(self) -> None:
        done, total = self._heard
        if done == self._shown:
            return
        self._shown = done
        if total:
            self.dialog.setMaximum(total)
            self.dialog.setLabelText(f"Exporting… {done:,} of {total:,} documents")
        self.dialog.setValue(min(done, total or done))
        self.progressed.emit(done, total or 0)
