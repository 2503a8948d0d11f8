"""The application context handed to every widget: project, undo stack, settings, and the one
change notification every view subscribes to."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.core.model import Annotation
from annotator.gui.changes import Changes

#: settings key: a JSON object, each project (its path or server address) to its curation layer
CURATION_LAYERS_KEY = "curation/layers"

if TYPE_CHECKING:  # the store is imported when a project is opened, not with the window's code
    from annotator.store.project import Project


class StillOpening:
    """The project of a window that shows the project's first look (``gui/app.py``) and has not
    opened it yet. Nothing may reach the store before then: any use says so."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"the project is still opening (asked for its {name!r})")


class ProjectEvents(QObject):
    """One signal: each operation's :class:`Changes`, once; each view decides if it cares."""

    changed = Signal(object)  # Changes


@dataclass
class AppContext:
    project: Project
    settings: QSettings
    undo_stack: QUndoStack
    events: ProjectEvents = field(default_factory=ProjectEvents)
    #: shows a write that failed (the main window's dialog); unset, the error propagates
    on_write_failure: Callable[[AnnotatorError], None] | None = None
    _labels: list[LabelDef] | None = None
    _by_name: dict[str, LabelDef] = field(default_factory=dict)
    _relation_types: list[RelationTypeDef] | None = None
    #: the layers (annotator names) the reader shows; None: every layer
    visible_layers: frozenset[str] | None = None
    #: give each layer its own colour treatment in the reader
    colour_by_layer: bool = False
    _curation_layer: str | None = None  # read from settings once per project

    @classmethod
    def opening(
        cls, settings: QSettings, undo_stack: QUndoStack, labels: list[LabelDef]
    ) -> AppContext:
        """The context of a window showing a project's first look: the codebook as read then,
        the project itself set by :meth:`opened`."""
        return cls(StillOpening(), settings, undo_stack, _labels=labels)  # type: ignore[arg-type]

    def opened(self, project: Project) -> None:
        """The project is open: from now on every read goes to it (the codebook too)."""
        self.project = project
        self._labels, self._by_name, self._relation_types = None, {}, None
        self._curation_layer = None

    @property
    def is_open(self) -> bool:
        return not isinstance(self.project, StillOpening)

    @property
    def annotator_name(self) -> str:
        return str(self.settings.value("annotator/name", "") or "")

    def owns(self, annotation: Annotation) -> bool:
        """Whether this person may edit ``annotation``: it is in their layer, in no one's, or in
        the layer their curation of this project writes into."""
        return annotation.annotator in ("", self.annotator_name) or (
            annotation.annotator == self.curation_layer
        )

    def not_yours(self, annotation: Annotation) -> str:
        """Why ``annotation`` is read-only for this person."""
        me = f"you ({self.annotator_name})" if self.annotator_name else "you (no name set)"
        return (
            f"This annotation is in {annotation.annotator}'s layer: {me} can edit only "
            "your own and the layer you curate into. Use Team → Curate Disagreements to take "
            "it into a curated layer."
        )

    @property
    def curation_layer(self) -> str:
        """The layer this project's curation writes into (named in the curation view,
        remembered per project), or "" before any curation here."""
        if self._curation_layer is None:
            name = self._curation_layers().get(self._project_key(), "")
            self._curation_layer = name if isinstance(name, str) else ""
        return self._curation_layer

    def set_curation_layer(self, name: str) -> None:
        layers = self._curation_layers()
        if layers.get(self._project_key()) != name:
            layers[self._project_key()] = name
            self.settings.setValue(CURATION_LAYERS_KEY, json.dumps(layers, ensure_ascii=False))
        self._curation_layer = name

    def _project_key(self) -> str:
        return str(self.project.path) if self.is_open else ""

    def _curation_layers(self) -> dict[str, Any]:
        try:
            value = json.loads(str(self.settings.value(CURATION_LAYERS_KEY, "{}") or "{}"))
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}

    def shows(self, annotation: Annotation) -> bool:
        """Whether the reader shows ``annotation`` under the chosen layers."""
        return self.visible_layers is None or annotation.annotator in self.visible_layers

    def labels(self) -> list[LabelDef]:
        if self._labels is None:
            self._labels = self.project.labels()
            self._by_name = {}
        if not self._by_name and self._labels:
            self._by_name = {label.name: label for label in self._labels}
        return self._labels

    def relation_types(self) -> list[RelationTypeDef]:
        if self._relation_types is None:
            self._relation_types = self.project.relation_types()
        return self._relation_types

    def label(self, name: str) -> LabelDef | None:
        self.labels()
        return self._by_name.get(name)

    def publish(self, changes: Changes) -> None:
        """Tell every view what one operation changed."""
        if changes.labels:
            self._labels = None
            self._by_name = {}
            self._relation_types = None
        self.events.changed.emit(changes)

    def write_failed(self, error: AnnotatorError) -> None:
        if self.on_write_failure is None:
            raise error
        self.on_write_failure(error)
