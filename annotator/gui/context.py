"""The application context handed to every widget: project, undo stack, settings, change signals."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.labels import LabelDef
from annotator.core.model import Annotation
from annotator.store.project import Project


class ProjectEvents(QObject):
    """What changed, so each view refreshes only its own data."""

    # document id, annotations removed, annotations added (an update is both)
    annotations_changed = Signal(str, list, list)
    documents_changed = Signal()  # documents added or removed
    document_status_changed = Signal(str)
    labels_changed = Signal(bool)  # True when annotations' labels or attributes moved too
    # the command that changed a document wants it shown (undo/redo across documents)
    reveal_document = Signal(str)


@dataclass
class AppContext:
    project: Project
    settings: QSettings
    undo_stack: QUndoStack
    events: ProjectEvents = field(default_factory=ProjectEvents)
    _labels: list[LabelDef] | None = None

    @property
    def annotator_name(self) -> str:
        return str(self.settings.value("annotator/name", "") or "")

    def labels(self) -> list[LabelDef]:
        if self._labels is None:
            self._labels = self.project.labels()
        return self._labels

    def label(self, name: str) -> LabelDef | None:
        return next((label for label in self.labels() if label.name == name), None)

    def labels_did_change(self, annotations_affected: bool = False) -> None:
        self._labels = None
        self.events.labels_changed.emit(annotations_affected)

    def announce(
        self, document_id: str, removed: list[Annotation], added: list[Annotation]
    ) -> None:
        self.events.annotations_changed.emit(document_id, removed, added)
