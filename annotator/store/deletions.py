"""Tombstones of deleted annotations (``annotation_deletions``): what lets a merge carry a
deletion to another copy as it carries an edit (store/merge.py).

Deleting an annotation (:meth:`Project.delete_annotations_and_relations`) records one; putting
it back (:meth:`Project.restore_annotations`, an undo) removes it. Deleting a document or a label
records none: a merge brings a document or label back by its text or name, with its annotations,
so tombstones would only bring it back bare. A document's tombstones go with it (cascade).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from annotator.core import model
from annotator.store.models import AnnotationDeletion

_CHUNK = 900  # stays under SQLite's bound-parameter limit on old builds


@dataclass(frozen=True)
class Tombstone:
    annotation_id: str
    document_id: str
    annotator: str  # the deleted annotation's layer
    deleted: str  # when, as a ``modified`` timestamp: the newer of it and an edit wins


def record(s: Session, tombstones: Sequence[Tombstone]) -> None:
    """Record these deletions, replacing any older tombstone of the same annotation."""
    if not tombstones:
        return
    forget(s, [t.annotation_id for t in tombstones])
    s.execute(
        insert(AnnotationDeletion),
        [
            dict(
                annotation_id=t.annotation_id,
                document_id=t.document_id,
                annotator=t.annotator,
                deleted=t.deleted,
            )
            for t in tombstones
        ],
    )


def of_deleted(annotations: Iterable[model.Annotation], when: str) -> list[Tombstone]:
    return [Tombstone(a.id, a.document_id, a.annotator, when) for a in annotations]


def forget(s: Session, annotation_ids: Sequence[str]) -> None:
    """Remove the tombstones of these annotations (they are back)."""
    for i in range(0, len(annotation_ids), _CHUNK):
        chunk = annotation_ids[i : i + _CHUNK]
        s.execute(delete(AnnotationDeletion).where(AnnotationDeletion.annotation_id.in_(chunk)))


def read(s: Session, annotation_ids: Sequence[str] | None = None) -> list[Tombstone]:
    """Every tombstone, or those of ``annotation_ids``."""
    query = select(
        AnnotationDeletion.annotation_id,
        AnnotationDeletion.document_id,
        AnnotationDeletion.annotator,
        AnnotationDeletion.deleted,
    )
    if annotation_ids is None:
        return [Tombstone(*row) for row in s.execute(query)]
    found = []
    for i in range(0, len(annotation_ids), _CHUNK):
        chunk = annotation_ids[i : i + _CHUNK]
        found += [
            Tombstone(*row)
            for row in s.execute(query.where(AnnotationDeletion.annotation_id.in_(chunk)))
        ]
    return found


def of_documents(s: Session, document_ids: Sequence[str]) -> list[Tombstone]:
    """The tombstones of these documents (a batch of a bulk read), in one statement."""
    if not document_ids:
        return []
    query = select(
        AnnotationDeletion.annotation_id,
        AnnotationDeletion.document_id,
        AnnotationDeletion.annotator,
        AnnotationDeletion.deleted,
    ).where(AnnotationDeletion.document_id.in_(document_ids))
    return [Tombstone(*row) for row in s.execute(query)]
