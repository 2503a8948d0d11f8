"""Annotation and document edits: each is a :class:`~annotator.gui.undo.Command` whose ``do``/
``revert`` write one transaction and return what changed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.errors import RelationError
from annotator.core.model import Annotation, DocumentStatus, ImportedBundle, Relation
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
    """Delete annotations and the relations they are an end of; undo restores both."""

    def __init__(self, ctx: AppContext, annotations: list[Annotation]) -> None:
        super().__init__(
            ctx,
            "Delete annotation"
            if len(annotations) == 1
            else f"Delete {len(annotations)} annotations",
        )
        self.annotations = annotations
        self.document_id = annotations[0].document_id
        self.relations: list[Relation] = []

    def do(self) -> Changes:
        _, self.relations = self.ctx.project.delete_annotations_and_relations(
            [a.id for a in self.annotations]
        )
        return replace(
            Changes.of_annotations(self.document_id, removed=self.annotations),
            relations=bool(self.relations),
            relations_removed=tuple(self.relations),
        )

    def revert(self) -> Changes:
        lost = self.ctx.project.restore_annotations(self.annotations, self.relations)
        return replace(
            Changes.of_annotations(self.document_id, added=self.annotations),
            relations=bool(self.relations),
            relations_added=tuple(r for r in self.relations if r not in lost),
            note=lost_relations(lost),
        )


class AddRelation(Command):
    """Join two annotations of one document by a relation; a ``said by`` also fills the
    source's empty ``speaker`` with the target's words, in the same step."""

    refused_by = (RelationError,)

    def __init__(
        self, ctx: AppContext, type_name: str, source: Annotation, target: Annotation
    ) -> None:
        super().__init__(ctx, f"Relate: {type_name}")
        self.type_name, self.source, self.target = type_name, source, target
        self.relation: Relation | None = None
        self.filled: Annotation | None = None  # the source with its speaker filled

    def do(self) -> Changes:
        if self.relation is not None:  # redo: the very same relation (and speaker) again
            if self.filled is not None:
                self.ctx.project.restore_annotations([self.filled], [self.relation])
            else:
                self.ctx.project.restore_relations([self.relation])
        else:
            self.relation, self.filled = self.ctx.project.add_relation(
                self.source.document_id,
                self.type_name,
                self.source.id,
                self.target.id,
                annotator=self.ctx.annotator_name,
                source_attributes=(  # another's annotation is theirs to change
                    speaker_filled(self.type_name, self.source, self.target)
                    if self.ctx.owns(self.source)
                    else None
                ),
            )
        return Changes.of_relations(
            self.source.document_id,
            added=[self.relation],
            annotations_removed=(self.source,) if self.filled else (),
            annotations_added=(self.filled,) if self.filled else (),
        )

    def revert(self) -> Changes:
        assert self.relation is not None
        self.ctx.project.delete_relations([self.relation.id])
        if self.filled is not None:
            self.ctx.project.restore_annotations([self.source])
        return Changes.of_relations(
            self.source.document_id,
            removed=[self.relation],
            annotations_removed=(self.filled,) if self.filled else (),
            annotations_added=(self.source,) if self.filled else (),
        )


class DeleteRelations(Command):
    def __init__(self, ctx: AppContext, relations: list[Relation]) -> None:
        super().__init__(
            ctx, "Delete relation" if len(relations) == 1 else f"Delete {len(relations)} relations"
        )
        self.relations = relations
        self.document_id = relations[0].document_id

    def do(self) -> Changes:
        self.ctx.project.delete_relations([r.id for r in self.relations])
        return Changes.of_relations(self.document_id, removed=self.relations)

    def revert(self) -> Changes:
        lost = self.ctx.project.restore_relations(self.relations)
        changes = Changes.of_relations(
            self.document_id, added=[r for r in self.relations if r not in lost]
        )
        return replace(changes, note=lost_relations(lost))


def lost_relations(lost: list[Relation]) -> str:
    """The status bar's line for relations an undo could not bring back ("" for none)."""
    if not lost:
        return ""
    types = ", ".join(repr(name) for name in sorted({r.type for r in lost}))
    many = len(lost) > 1
    return (
        f"{len(lost)} relation{'s' if many else ''} ({types}) could not come back: "
        f"{'an end or the type of each' if many else 'its other end or its type'} was deleted "
        "meanwhile. The rest is back."
    )


def speaker_filled(type_name: str, source: Annotation, target: Annotation) -> dict[str, Any] | None:
    """The source's attributes with ``speaker`` set to the target's words, for a ``said by``
    whose source has an empty ``speaker``; None when nothing is to be filled."""
    if type_name != "said by" or source.attributes.get("speaker"):
        return None
    return {**source.attributes, "speaker": target.text}


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
        return Changes(status=frozenset({self.document_id}), status_now=self.status)

    def revert(self) -> Changes:
        assert self.previous is not None
        self.ctx.project.set_document_status(self.document_id, self.previous)
        return Changes(status=frozenset({self.document_id}), status_now=self.previous)


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


class EditRelation(Command):
    """Change a relation's attributes or note."""

    def __init__(
        self,
        ctx: AppContext,
        before: Relation,
        *,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__(ctx, "Change relation " + ("note" if note is not None else "attributes"))
        self.before = before
        self.changes = {"attributes": attributes, "note": note}
        self.after: Relation | None = None

    def do(self) -> Changes:
        self.after = self.ctx.project.update_relation(self.before.id, **self.changes)
        return Changes.of_relations(self.before.document_id, [self.before], [self.after])

    def revert(self) -> Changes:
        assert self.after is not None
        self.ctx.project.restore_relations([self.before])
        return Changes.of_relations(self.before.document_id, [self.after], [self.before])
