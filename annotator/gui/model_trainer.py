"""Learn a model of the project's accepted annotations in a child process.

The child process opens the project read-only itself and reads the annotated documents there
(:func:`annotator.suggest_service.train_from`): the window neither reads every text of the project
nor pickles them to the child, which at 10,000 documents held its launch for seconds. The
learning, pure Python, runs there too (:mod:`annotator.gui.background`), so the window never
waits for it.
A new model is announced with :attr:`ModelTrainer.trained`. It retrains once
:data:`RETRAIN_AFTER` annotations were added or removed since the last training started.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.suggest.learner import SpanModel
from annotator.gui.background import Job
from annotator.service import Project
from annotator.suggest_service import train_from

RETRAIN_AFTER = 10


class ModelTrainer(QObject):
    trained = Signal(object)  # SpanModel, or None when there is too little to learn from
    failed = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.model: SpanModel | None = None
        self._changes = 0
        self._job: Job | None = None
        self._debounce = QTimer(self, singleShot=True, interval=1500, timeout=self.start)
        self._collect = QTimer(self, interval=100, timeout=self._poll)

    @property
    def training(self) -> bool:
        return self._job is not None

    def note_changes(self, count: int) -> None:
        """``count`` annotations were added or removed: retrain after enough of them."""
        self._changes += count
        if self._changes >= RETRAIN_AFTER:
            self._debounce.start()

    def start(self) -> None:
        """Train now, in the background (a training still running is ended first)."""
        self._changes = 0
        self.stop()
        self._job = Job(train_from, self.project.path)
        self._collect.start()

    def stop(self) -> None:
        self._debounce.stop()
        self._collect.stop()
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the training process to end (tests)."""
        if self._job is not None:
            self._job.wait(timeout)

    def _poll(self) -> None:
        if self._job is None:
            self._collect.stop()
            return
        finished, model, error = self._job.poll()
        if not finished:
            return
        self._collect.stop()
        self._job = None
        if error:
            self.failed.emit(error)
            return
        self.model = model
        self.trained.emit(model)
