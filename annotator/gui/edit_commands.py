"""Undoable edits of what is already labelled: boundaries, label, attributes copied from the
previous annotation. Same protocol as gui/commands.py (:mod:`annotator.gui.undo`): each
``do``/``revert`` writes one transaction and returns what changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Annotation, DocumentStatus
from annotator.gui.changes import Changes
from annotator.gui.commands import AddAnnotations
from annotator.gui.context import AppContext
from annotator.gui.undo import Command


class _ReplaceAnnotation(Command):
    """Base: ``write()`` changes the stored annotation and returns it; undo puts ``before`` back
    exactly."""

    def __init__(
        self, ctx: AppContext, before: Annotation, text: str, write: Callable[[], Annotation]
    ) -> None:
        super().__init__(ctx, text)
        self.before, self.write = before, write
        self.after: Annotation | None = None

    def do(self) -> Changes:
        self.after = self.write()
        return Changes.of_annotations(self.before.document_id, [self.before], [self.after])

    def revert(self) -> Changes:
        assert self.after is not None
        self.ctx.project.restore_annotations([self.before])
        return Changes.of_annotations(self.before.document_id, [self.after], [self.before])


class ResizeAnnotation(_ReplaceAnnotation):
    """New boundaries for one annotation. Successive key presses on the same annotation merge
    into one undo step."""

    RESIZE = 14_001

    def __init__(self, ctx: AppContext, before: Annotation, start: int, end: int) -> None:
        super().__init__(
            ctx,
            before,
            f"Change the boundaries of {before.label}",
            lambda: ctx.project.move_annotation(before.id, self.start, self.end),
        )
        self.start, self.end = start, end

    def id(self) -> int:
        return -1 if self.failed else self.RESIZE

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, ResizeAnnotation) or other.before.id != self.before.id:
            return False
        self.start, self.end, self.after = other.start, other.end, other.after
        return True


class RelabelAnnotation(_ReplaceAnnotation):
    """Another label for the same span. The new label's attributes get their defaults, or the
    value already given under the same name; the old label's other values go (undo brings
    them back)."""

    def __init__(self, ctx: AppContext, before: Annotation, label: str) -> None:
        super().__init__(ctx, before, f"Relabel {before.label} as {label}", self._relabel)
        self.label = label

    def _relabel(self) -> Annotation:
        definition = self.ctx.label(self.label)
        values: dict[str, Any] = {}
        for a in definition.attributes if definition is not None else ():
            value = self.before.attributes.get(a.name, a.default)
            if value is not None:
                values[a.name] = value
        return self.ctx.project.update_annotation(
            self.before.id, label=self.label, attributes=values
        )


class CopyAttributes(_ReplaceAnnotation):
    """ "Same as the previous one": take the attribute values of another annotation."""

    def __init__(self, ctx: AppContext, before: Annotation, source: Annotation) -> None:
        values = dict(source.attributes)
        super().__init__(
            ctx,
            before,
            "Same attributes as the previous one",
            lambda: ctx.project.update_annotation(before.id, attributes=values),
        )


class LabelAndStart(AddAnnotations):
    """Label spans; the first annotation of a new document also marks it in progress. One
    transaction each way (one undo step, undone together)."""

    def __init__(
        self, ctx: AppContext, document_id: str, label: str, ranges: list[tuple[int, int]]
    ) -> None:
        super().__init__(ctx, document_id, label, ranges)
        self.started = False

    def do(self) -> Changes:
        project = self.ctx.project

        def label_and_start() -> Changes:
            changes = AddAnnotations.do(self)
            self.started = project.start_document(self.document_id)
            return changes

        changes = project.together(label_and_start, shared=True)
        return self._with_status(changes, DocumentStatus.IN_PROGRESS)

    def revert(self) -> Changes:
        project = self.ctx.project

        def unlabel_and_reopen() -> Changes:
            changes = AddAnnotations.revert(self)
            if self.started:
                project.set_document_status(self.document_id, DocumentStatus.NEW)
            return changes

        changes = project.together(unlabel_and_reopen, shared=True)
        return self._with_status(changes, DocumentStatus.NEW)

    def _with_status(self, changes: Changes, now: DocumentStatus) -> Changes:
        if not self.started:
            return changes
        return dataclasses.replace(changes, status=frozenset({self.document_id}), status_now=now)
