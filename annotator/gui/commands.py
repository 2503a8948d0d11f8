"""Every edit is a QUndoCommand; each redo/undo writes one transaction and announces the change."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Annotation, DocumentStatus, ImportedBundle
from annotator.gui.context import AppContext


class AddAnnotations(QUndoCommand):
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
            text or (f"Label {count} matches as {label}" if count > 1 else f"Label as {label}")
        )
        self.ctx, self.document_id, self.label, self.ranges = ctx, document_id, label, ranges
        self.added: list[Annotation] = []

    def redo(self) -> None:
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
        self.ctx.events.reveal_document.emit(self.document_id)
        self.ctx.announce(self.document_id, [], list(self.added))

    def undo(self) -> None:
        self.ctx.project.delete_annotations([a.id for a in self.added])
        self.ctx.events.reveal_document.emit(self.document_id)
        self.ctx.announce(self.document_id, list(self.added), [])


class DeleteAnnotations(QUndoCommand):
    def __init__(self, ctx: AppContext, annotations: list[Annotation]) -> None:
        super().__init__(
            "Delete annotation"
            if len(annotations) == 1
            else f"Delete {len(annotations)} annotations"
        )
        self.ctx, self.annotations = ctx, annotations
        self.document_id = annotations[0].document_id

    def redo(self) -> None:
        self.ctx.project.delete_annotations([a.id for a in self.annotations])
        self.ctx.events.reveal_document.emit(self.document_id)
        self.ctx.announce(self.document_id, list(self.annotations), [])

    def undo(self) -> None:
        self.ctx.project.restore_annotations(self.annotations)
        self.ctx.events.reveal_document.emit(self.document_id)
        self.ctx.announce(self.document_id, [], list(self.annotations))


class EditAnnotation(QUndoCommand):
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
        super().__init__(f"Change {what}")
        self.ctx, self.before = ctx, before
        self.changes = {"label": label, "attributes": attributes, "note": note}
        self.after: Annotation | None = None

    def id(self) -> int:
        only_note = (
            self.changes["note"] is not None
            and self.changes["label"] is None
            and self.changes["attributes"] is None
        )
        return self.NOTE_EDIT if only_note else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, EditAnnotation) or other.before.id != self.before.id:
            return False
        self.changes = other.changes
        self.after = other.after
        return True

    def redo(self) -> None:
        self.after = self.ctx.project.update_annotation(self.before.id, **self.changes)
        self.ctx.events.reveal_document.emit(self.before.document_id)
        self.ctx.announce(self.before.document_id, [self.before], [self.after])

    def undo(self) -> None:
        assert self.after is not None
        self.ctx.project.delete_annotations([self.before.id])
        self.ctx.project.restore_annotations([self.before])
        self.ctx.events.reveal_document.emit(self.before.document_id)
        self.ctx.announce(self.before.document_id, [self.after], [self.before])


class SetDocumentStatus(QUndoCommand):
    def __init__(self, ctx: AppContext, document_id: str, status: DocumentStatus) -> None:
        super().__init__(f"Mark document {status}")
        self.ctx, self.document_id, self.status = ctx, document_id, status
        self.previous: DocumentStatus | None = None

    def redo(self) -> None:
        self.previous = self.ctx.project.set_document_status(self.document_id, self.status)
        self.ctx.events.document_status_changed.emit(self.document_id)

    def undo(self) -> None:
        assert self.previous is not None
        self.ctx.project.set_document_status(self.document_id, self.previous)
        self.ctx.events.document_status_changed.emit(self.document_id)


class ImportDocuments(QUndoCommand):
    """Documents that an import already added: undo removes them, redo puts them back."""

    def __init__(self, ctx: AppContext, document_ids: list[str], description: str) -> None:
        super().__init__(description)
        self.ctx, self.document_ids = ctx, document_ids
        self.snapshot: ImportedBundle | None = None

    def redo(self) -> None:
        if self.snapshot is not None:
            self.ctx.project.import_bundle(self.snapshot)
            self.ctx.events.documents_changed.emit()

    def undo(self) -> None:
        self.snapshot = self.ctx.project.snapshot_documents(self.document_ids)
        self.ctx.project.delete_documents(self.document_ids)
        self.ctx.events.documents_changed.emit()


def _defaults(ctx: AppContext, label: str) -> dict[str, Any]:
    definition = ctx.label(label)
    if definition is None:
        return {}
    return {a.name: a.default for a in definition.attributes if a.default is not None}
