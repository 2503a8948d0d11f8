"""Merging another copy of a project into this one, in one transaction per source.

Documents are matched by the SHA-256 of their canonical text, labels by name, annotations by
id. A label missing here is added; a label defined differently keeps this project's
definition and is reported. An annotation id already here with equal content is skipped; with
different content the newer ``modified`` wins and the pair is reported as a conflict; a new id
is added. Relation types merge by name like labels (the target's definition wins); a relation
whose id is new here is added (its ends keep their ids), one already here is left as it is.
Merging the same source again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from annotator.core import model
from annotator.core.errors import ProjectError
from annotator.core.labels import LabelDef, RelationTypeDef, first_bad_name
from annotator.core.text import text_sha256
from annotator.store import annotation_rows
from annotator.store.convert import label_from_row, label_to_row, relation_type_to_row
from annotator.store.importing import _existing_ids, _fresh, insert_documents
from annotator.store.models import Annotation, Document, Label, Relation, RelationType
from annotator.store.retry import retrying

if TYPE_CHECKING:
    from annotator.store.project import Project

_CHUNK = 900


@dataclass
class Conflict:
    """One annotation id whose content differs between the two copies."""

    annotation_id: str
    document_title: str
    kept: str  # "target" or "source": whose version is now in the target

    def __str__(self) -> str:
        whose = "the source's (newer)" if self.kept == "source" else "the target's (newer)"
        return f"annotation {self.annotation_id} in {self.document_title!r}: kept {whose}"


@dataclass
class MergeReport:
    documents_added: int = 0
    documents_matched: int = 0
    labels_added: list[str] = field(default_factory=list)
    label_conflicts: list[str] = field(default_factory=list)
    annotations_added: int = 0
    annotations_skipped: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    codebook_replaced: bool = False
    relations_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.documents_added
            or self.labels_added
            or self.annotations_added
            or self.relations_added
            or any(c.kept == "source" for c in self.conflicts)
        )


def _content(
    document_id: str,
    label: str,
    start: int,
    end: int,
    attributes: dict[str, Any],
    note: str,
    annotator: str,
) -> tuple[Any, ...]:
    return (document_id, label, start, end, json.dumps(attributes, sort_keys=True), note, annotator)


@retrying
def merge_project(target: Project, source: Project) -> MergeReport:
    """Merge ``source`` into ``target`` in one transaction of ``target``: all or nothing."""
    labels = source.labels()
    if (bad := first_bad_name(labels, source.relation_types())) is not None:
        raise ProjectError(source.path, f"{bad}; rename it in the source before merging it")
    # matched by the hash of the text itself, not by the stored hash the source claims
    documents = [
        replace(d, sha256=text_sha256(d.text))
        for d in (source.document(s.id) for s in source.documents())
    ]
    annotations = source.annotations()
    by_document: dict[str, list[model.Annotation]] = {}
    texts = {d.id: d.text for d in documents}
    for a in annotations:
        text = texts.get(a.document_id)
        if text is None or not 0 <= a.start < a.end <= len(text) or text[a.start : a.end] != a.text:
            raise ProjectError(
                source.path,
                f"annotation {a.id} does not fit its document's text; the project is damaged",
            )
        by_document.setdefault(a.document_id, []).append(a)
    report = MergeReport()
    with target.transaction() as s:
        label_ids = _merge_labels(s, labels, report)
        document_ids = _merge_documents(s, documents, report)
        titles = {d.id: d.title for d in documents}
        _merge_annotations(s, annotations, label_ids, document_ids, titles, report)
        _merge_relations(s, source.relation_types(), source.relations(), document_ids, report)
    return report


def _merge_relations(
    s: Session,
    relation_types: list[RelationTypeDef],
    relations: list[model.Relation],
    document_ids: dict[str, str],
    report: MergeReport,
) -> None:
    """Add the relation types the target lacks and the relations whose id is new here."""
    if report.codebook_replaced:  # the source's codebook, relation types included
        s.execute(delete(RelationType))
        s.flush()
    rows = {row.name: row for row in s.scalars(select(RelationType))}
    position = max((row.position for row in rows.values()), default=-1) + 1
    for relation_type in relation_types:
        if relation_type.name not in rows:
            rows[relation_type.name] = relation_type_to_row(relation_type, position)
            s.add(rows[relation_type.name])
            position += 1
    s.flush()
    ids = [r.id for r in relations]
    present: set[str] = set()
    for i in range(0, len(ids), _CHUNK):
        present.update(s.scalars(select(Relation.id).where(Relation.id.in_(ids[i : i + _CHUNK]))))
    new_rows = [
        dict(
            id=r.id,
            document_id=document_ids[r.document_id],
            type_id=rows[r.type].id,
            source_id=r.source_id,
            target_id=r.target_id,
            attributes=r.attributes,
            note=r.note,
            annotator=r.annotator,
            created=r.created,
            modified=r.modified,
        )
        for r in relations
        if r.id not in present
    ]
    if new_rows:
        s.execute(insert(Relation), new_rows)
    report.relations_added = len(new_rows)


def _merge_labels(s: Session, labels: list[LabelDef], report: MergeReport) -> dict[str, int]:
    empty = not s.scalar(select(func.count()).select_from(Document))
    if empty and labels:  # a new target takes the first copy's codebook as it is
        current = [
            label_from_row(r)
            for r in s.scalars(
                select(Label).options(selectinload(Label.attributes)).order_by(Label.position)
            )
        ]
        if current != labels:
            s.execute(delete(Label))
            s.add_all(label_to_row(label, i) for i, label in enumerate(labels))
            s.flush()
            report.codebook_replaced = True
            report.labels_added = [label.name for label in labels]
    rows = {
        row.name: row for row in s.scalars(select(Label).options(selectinload(Label.attributes)))
    }
    shortcuts = {row.shortcut for row in rows.values() if row.shortcut}
    position = max((row.position for row in rows.values()), default=-1) + 1
    for label in labels:
        row = rows.get(label.name)
        if row is None:
            shortcut = label.shortcut if label.shortcut not in shortcuts else None
            row = label_to_row(
                LabelDef(label.name, label.color, shortcut, label.description, label.attributes),
                position,
            )
            s.add(row)
            rows[label.name] = row
            shortcuts.add(shortcut)
            position += 1
            report.labels_added.append(label.name)
        elif label_from_row(row) != label:
            report.label_conflicts.append(
                f"label {label.name!r} is defined differently; kept the target's definition"
            )
    s.flush()
    return {name: row.id for name, row in rows.items()}


def _merge_documents(
    s: Session, documents: list[model.Document], report: MergeReport
) -> dict[str, str]:
    """Source document id -> target document id, adding the documents the target lacks."""
    shas = [d.sha256 for d in documents]
    known: dict[str, str] = {}
    for i in range(0, len(shas), _CHUNK):
        known.update(
            s.execute(
                select(Document.sha256, Document.id).where(
                    Document.sha256.in_(shas[i : i + _CHUNK])
                )
            ).all()
        )
    taken = _existing_ids(s, [d.id for d in documents if d.sha256 not in known])
    position = s.scalar(select(func.coalesce(func.max(Document.position), -1))) + 1
    mapping: dict[str, str] = {}
    rows = []
    for d in documents:
        if d.sha256 in known:
            mapping[d.id] = known[d.sha256]
            report.documents_matched += 1
            continue
        new_id = _fresh(d.id, taken)
        known[d.sha256] = new_id
        mapping[d.id] = new_id
        rows.append(
            dict(
                id=new_id,
                title=d.title,
                source=d.source,
                meta=d.metadata,
                text=d.text,
                length=len(d.text),
                sha256=d.sha256,
                created=d.created,
                status=d.status.value,
                position=position,
            )
        )
        position += 1
        report.documents_added += 1
    insert_documents(s, rows)
    return mapping


def _merge_annotations(
    s: Session,
    annotations: list[model.Annotation],
    label_ids: dict[str, int],
    document_ids: dict[str, str],
    titles: dict[str, str],
    report: MergeReport,
) -> None:
    ids = [a.id for a in annotations]
    label_names = {v: k for k, v in label_ids.items()}
    present: dict[str, tuple[tuple[Any, ...], str]] = {}  # id -> (content, modified)
    for i in range(0, len(ids), _CHUNK):
        rows = s.execute(
            select(
                Annotation.id,
                Annotation.document_id,
                Annotation.label_id,
                Annotation.start,
                Annotation.end,
                Annotation.attributes,
                Annotation.note,
                Annotation.annotator,
                Annotation.modified,
            ).where(Annotation.id.in_(ids[i : i + _CHUNK]))
        ).all()
        for id, doc, label_id, start, end, attributes, note, annotator, modified in rows:
            present[id] = (
                _content(
                    doc, label_names.get(label_id, ""), start, end, attributes, note, annotator
                ),
                modified,
            )
    new_rows = []
    for a in annotations:
        document_id = document_ids[a.document_id]
        mine = _content(document_id, a.label, a.start, a.end, a.attributes, a.note, a.annotator)
        if a.id not in present:
            new_rows.append(
                (
                    a.id,
                    document_id,
                    label_ids[a.label],
                    a.start,
                    a.end,
                    a.text,
                    annotation_rows.attributes_json(a.attributes),
                    a.note,
                    a.annotator,
                    a.created,
                    a.modified,
                )
            )
            present[a.id] = (mine, a.modified)
            continue
        theirs, modified = present[a.id]
        if theirs == mine:
            report.annotations_skipped += 1
            continue
        newer = a.modified > modified
        report.conflicts.append(
            Conflict(
                a.id, titles.get(a.document_id, a.document_id), "source" if newer else "target"
            )
        )
        if newer:
            s.execute(
                update(Annotation)
                .where(Annotation.id == a.id)
                .values(
                    document_id=document_id,
                    label_id=label_ids[a.label],
                    start=a.start,
                    end=a.end,
                    text=a.text,
                    attributes=dict(a.attributes),
                    note=a.note,
                    annotator=a.annotator,
                    modified=a.modified,
                )
            )
            present[a.id] = (mine, a.modified)
    if new_rows:
        annotation_rows.insert(s.connection(), new_rows)
    report.annotations_added = len(new_rows)
