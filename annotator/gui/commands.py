"""Annotation and document edits: each is a :class:`~annotator.gui.undo.Command` whose ``do``/
``revert`` write one transaction and return what changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Annotation, DocumentStatus, ImportedBundle
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.undo import Command


class AddAnnotations(Command):
    """Label one span (or every find match) in one document."""

    def __init__(
        self,
        ctx: AppContext,
        document_id: str,
        label: str,
        ranges: list[tuple[int, int]],
        text: str = "",
    ) -> None:
        count = len(ranges)
        super().__init__(
            ctx, text or (f"Label {count} matches as {label}" if count > 1 else f"Label as {label}")
        )
        self.document_id, self.label, self.ranges = document_id, label, ranges
        self.added: list[Annotation] = []

    def do(self) -> Changes:
        if self.added:  # redo after undo: put back the very same annotations
            self.ctx.project.restore_annotations(self.added)
        else:
            defaults = _defaults(self.ctx, self.label)
            self.added = self.ctx.project.add_annotations(
                self.document_id,
                self.label,
                self.ranges,
                attributes=defaults,
                annotator=self.ctx.annotator_name,
            )
        return Changes.of_annotations(self.document_id, added=self.added)

    def revert(self) -> Changes:
        self.ctx.project.delete_annotations([a.id for a in self.added])
        return Changes.of_annotations(self.document_id, removed=self.added)


class DeleteAnnotations(Command):
    def __init__(self, ctx: AppContext, annotations: list[Annotation]) -> None:
        super().__init__(
            ctx,
            "Delete annotation"
            if len(annotations) == 1
            else f"Delete {len(annotations)} annotations",
        )
        self.annotations = annotations
        self.document_id = annotations[0].document_id

    def do(self) -> Changes:
        self.ctx.project.delete_annotations([a.id for a in self.annotations])
        return Changes.of_annotations(self.document_id, removed=self.annotations)

    def revert(self) -> Changes:
        self.ctx.project.restore_annotations(self.annotations)
        return Changes.of_annotations(self.document_id, added=self.annotations)


class EditAnnotation(Command):
    """Change an annotation's label, attributes or note.

    Successive note edits of one annotation merge into one undo step (a note saves itself as
    typing pauses).
    """

    NOTE_EDIT = 1

    def __init__(
        self,
        ctx: AppContext,
        before: Annotation,
        *,
        label: str | None = None,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> None:
        what = "label" if label is not None else "note" if note is not None else "attributes"
        super().__init__(ctx, f"Change {what}")
        self.before = before
        self.changes = {"label": label, "attributes": attributes, "note": note}
        self.after: Annotation | None = None

    def id(self) -> int:
        only_note = (
            self.changes["note"] is not None
            and self.changes["label"] is None
            and self.changes["attributes"] is None
        )
        return self.NOTE_EDIT if only_note and not self.isObsolete() else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, EditAnnotation) or other.before.id != self.before.id:
            return False
        self.changes = other.changes
        self.after = other.after
        return True

    def do(self) -> Changes:
        self.after = self.ctx.project.update_annotation(self.before.id, **self.changes)
        return Changes.of_annotations(self.before.document_id, [self.before], [self.after])

    def revert(self) -> Changes:
        assert self.after is not None
        self.ctx.project.restore_annotations([self.before])  # replaces the edited one
        return Changes.of_annotations(self.before.document_id, [self.after], [self.before])


class SetDocumentStatus(Command):
    def __init__(self, ctx: AppContext, document_id: str, status: DocumentStatus) -> None:
        super().__init__(ctx, f"Mark document {status}")
        self.document_id, self.status = document_id, status
        self.previous: DocumentStatus | None = None

    def do(self) -> Changes:
        self.previous = self.ctx.project.set_document_status(self.document_id, self.status)
        return Changes(status=frozenset({self.document_id}))

    def revert(self) -> Changes:
        assert self.previous is not None
        self.ctx.project.set_document_status(self.document_id, self.previous)
        return Changes(status=frozenset({self.document_id}))


class ImportDocuments(Command):
    """Documents an import already added (it ran in one transaction of its own, with progress):
    the first ``do`` only reports them; undo removes them, redo puts them back."""

    def __init__(
        self,
        ctx: AppContext,
        document_ids: list[str],
        description: str,
        labels_changed: bool = False,
    ) -> None:
        super().__init__(ctx, description)
        self.document_ids, self.labels_changed = document_ids, labels_changed
        self.snapshot: ImportedBundle | None = None

    def do(self) -> Changes:
        if self.snapshot is not None:
            self.ctx.project.import_bundle(self.snapshot)
            return Changes(documents=True)
        return Changes(documents=True, labels=self.labels_changed, reveal=self.document_ids[0])

    def revert(self) -> Changes:
        self.snapshot = self.ctx.project.snapshot_documents(self.document_ids)
        self.ctx.project.delete_documents(self.document_ids)
        return Changes(documents=True)


def _defaults(ctx: AppContext, label: str) -> dict[str, Any]:
    definition = ctx.label(label)
    if definition is None:
        return {}
    return {a.name: a.default for a in definition.attributes if a.default is not None}
