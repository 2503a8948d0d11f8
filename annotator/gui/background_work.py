"""Long work over the whole project (a merge, agreement) off the GUI thread, with a progress
dialog whose Cancel stops it.

The work is a function of a ``core.progress.Progress``; it runs on a plain Python thread that
touches no Qt object. Its progress calls only store numbers and answer whether Cancel was
pressed (the work then raises ``Cancelled`` where nothing is half written); a timer on the GUI
thread moves the dialog and, when the work has ended, emits ``finished(result, error)`` there.
While it runs, Python's automatic garbage collection is paused and the GUI thread collects
instead, as the import does (gui/import_runner.py): a collection started on the worker could
destroy Qt objects on the wrong thread.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.progress import Progress
from annotator.gui import gc_pause


class BackgroundWork(QObject):
    """``BackgroundWork(parent, title, label, work).start()`` runs ``work(progress)``."""

    finished = Signal(object, object)  # the result, or None; the exception it raised, or None

    def __init__(
        self, parent: QWidget, title: str, label: str, work: Callable[[Progress], Any]
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self._state: tuple[int, int | None] = (0, None)
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self, interval=40, timeout=self._poll)
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setObjectName("background-progress")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.canceled.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> BackgroundWork:
        gc_pause.pause()
        self._thread = threading.Thread(target=self._run, name="background-work", daemon=True)
        self._thread.start()
        self._timer.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress call."""
        self._cancel.set()

    def _progress(self, done: int, total: int | None) -> bool:  # on the worker: no Qt here
        self._state = (done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            self.result = self.work(self._progress)
        except BaseException as exc:  # noqa: BLE001 (handed to the GUI thread)
            self.error = exc
        finally:
            self._ended.set()

    def _poll(self) -> None:
        gc.collect(0)  # the youngest generation, here on the GUI thread
        done, total = self._state
        if total:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if self._ended.is_set():
            self.wait()

    def shutdown(self) -> None:
        """The window is closing: cancel the work and wait for it to stop, unreported."""
        if self._thread is None:
            return
        self.cancel()
        self.finished.disconnect()
        self.wait()

    def wait(self) -> None:
        """Wait for the work to end and report it."""
        if self._thread is None:
            return
        try:
            self._timer.stop()
            self._thread.join()
            self._thread = None
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        finally:
            gc_pause.resume()
        self.finished.emit(self.result, self.error)
