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
    layers_changed = Signal()  # which layers the reader shows, or how, changed


@dataclass
class AppContext:
    project: Project
    settings: QSettings
    undo_stack: QUndoStack
    events: ProjectEvents = field(default_factory=ProjectEvents)
    _labels: list[LabelDef] | None = None
    #: the layers (annotator names) the reader shows; None: every layer
    visible_layers: frozenset[str] | None = None
    #: give each layer its own colour treatment in the reader
    colour_by_layer: bool = False

    @property
    def annotator_name(self) -> str:
        return str(self.settings.value("annotator/name", "") or "")

    def owns(self, annotation: Annotation) -> bool:
        """Whether this person may edit ``annotation``: it is in their layer (or in no one's)."""
        return annotation.annotator in ("", self.annotator_name)

    def not_yours(self, annotation: Annotation) -> str:
        """Why ``annotation`` is read-only for this person."""
        me = f"you ({self.annotator_name})" if self.annotator_name else "you (no name set)"
        return (
            f"This annotation is in {annotation.annotator}'s layer: {me} can edit only "
            "your own. Use Team → Curate Disagreements to take it into your layer."
        )

    def shows(self, annotation: Annotation) -> bool:
        """Whether the reader shows ``annotation`` under the chosen layers."""
        return self.visible_layers is None or annotation.annotator in self.visible_layers

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
