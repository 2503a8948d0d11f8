"""Learn a model of the project's accepted annotations in a background thread.

The annotated documents are read on the window's thread (one quick query); the learning, pure
Python, runs in a worker thread that yields the interpreter lock often, so keystrokes are served
while it works. A new model is announced with :attr:`ModelTrainer.trained`. It retrains once
:data:`RETRAIN_AFTER` annotations were added or removed since the last training started.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.errors import AnnotatorError
from annotator.core.suggest import learner
from annotator.core.suggest.learner import SpanModel, Stopped
from annotator.store import suggestion_store
from annotator.store.project import Project

RETRAIN_AFTER = 10
YIELD_EVERY = 64  # examples between two yields of the interpreter lock


class ModelTrainer(QObject):
    trained = Signal(object)  # SpanModel, or None when there is too little to learn from

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.model: SpanModel | None = None
        self.training = False
        self._changes = 0
        self._generation = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._debounce = QTimer(self, singleShot=True, interval=1500, timeout=self.start)
        # the worker thread never touches a Qt object (this one may be gone when it finishes):
        # it leaves the model here and a timer on the window's thread collects it
        self._results: queue.SimpleQueue[tuple[SpanModel | None, int]] = queue.SimpleQueue()
        self._collect = QTimer(self, interval=50, timeout=self._drain)

    def note_changes(self, count: int) -> None:
        """``count`` annotations were added or removed: retrain after enough of them."""
        self._changes += count
        if self._changes >= RETRAIN_AFTER:
            self._debounce.start()

    def start(self) -> None:
        """Train now in the background (a training still running is told to stop)."""
        try:
            documents = suggestion_store.training_documents(self.project)
        except AnnotatorError:
            return  # the project cannot be read right now; the next change tries again
        self._changes = 0
        self.stop()
        self._generation += 1
        self._stop = threading.Event()
        self.training = True
        self._thread = threading.Thread(
            target=self._work,
            args=(documents, self._stop, self._generation),
            name="annotator-model",
            daemon=True,
        )
        self._thread.start()
        self._collect.start()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker thread (tests, closing)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(
        self, documents: Sequence[learner.TrainingDocument], stop: threading.Event, generation: int
    ) -> None:
        counter = 0

        def should_stop() -> bool:
            nonlocal counter
            counter += 1
            if counter % YIELD_EVERY == 0:
                time.sleep(0)  # let the window's thread take the interpreter lock
            return stop.is_set()

        try:
            model = learner.train(documents, should_stop)
        except Stopped:
            return
        if not stop.is_set():
            self._results.put((model, generation))

    def _drain(self) -> None:
        if self._thread is not None and not self._thread.is_alive() and self._results.empty():
            self._collect.stop()  # stopped, or superseded: nothing will come
            self.training = False
        while True:
            try:
                model, generation = self._results.get_nowait()
            except queue.Empty:
                return
            if generation == self._generation:
                self._collect.stop()
                self._done(model)

    def _done(self, model: SpanModel | None) -> None:
        self.training = False
        self.model = model
        self.trained.emit(model)
