"""Adding an imported file's labels, documents and annotations inside one session transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from annotator.core import model
from annotator.core.labels import LabelDef, RelationTypeDef, next_color
from annotator.core.progress import Progress, tell
from annotator.core.text import text_sha256
from annotator.store import annotation_rows, fulltext, snap_rules
from annotator.store.convert import attribute_to_row, label_to_row, relation_type_to_row
from annotator.store.models import (
    Annotation,
    Document,
    DocumentText,
    Label,
    Relation,
    RelationType,
)

_CHUNK = 900  # stays under SQLite's bound-parameter limit on old builds


@dataclass
class AddedDocument:
    id: str
    title: str
    annotations: int


@dataclass
class SkippedDocument:
    title: str
    existing_title: str


@dataclass
class ImportSummary:
    added: list[AddedDocument] = field(default_factory=list)
    skipped: list[SkippedDocument] = field(default_factory=list)
    labels_created: list[str] = field(default_factory=list)
    relation_types_created: list[str] = field(default_factory=list)
    codebook_replaced: bool = False
    #: spans identical to an earlier one of the same document (:func:`model.duplicate_key`:
    #: annotator, label, range, attributes, note), not imported
    duplicates_skipped: int = 0

    @property
    def annotation_count(self) -> int:
        return sum(d.annotations for d in self.added)


def add_bundle(s: Session, bundle: model.ImportedBundle) -> ImportSummary:
    summary = ImportSummary()
    label_ids = _merge_labels(s, bundle, summary)
    type_ids = _merge_relation_types(s, bundle, summary)
    shas = {text_sha256(doc.text): doc for doc in bundle.documents}
    known_texts = _titles_by_sha(s, list(shas))
    wanted_ids = [
        *(d.id for d in bundle.documents if d.id),
        *(a.id for d in bundle.documents for a in d.annotations if a.id),
        *(r.id for d in bundle.documents for r in d.relations if r.id),
    ]
    empty = s.scalar(select(func.count()).select_from(Document)) == 0
    taken_ids = set() if empty else _existing_ids(s, wanted_ids)
    position = s.scalar(select(func.coalesce(func.max(Document.position), -1))) + 1
    now = model.timestamp()

    documents: list[dict] = []
    annotations: list[tuple] = []  # in annotation_rows.COLUMNS order
    relations: list[dict] = []
    for sha, doc in _by_sha(bundle, shas):
        if sha in known_texts:
            summary.skipped.append(SkippedDocument(doc.title, known_texts[sha]))
            continue
        known_texts[sha] = doc.title
        doc_id = _fresh(doc.id, taken_ids)
        documents.append(
            dict(
                id=doc_id,
                title=doc.title,
                source=doc.source,
                meta=doc.metadata,
                text=doc.text,
                length=len(doc.text),
                sha256=sha,
                created=doc.created or now,
                status=model.DocumentStatus(doc.status).value,
                position=position,
            )
        )
        position += 1
        new_ids: dict[str, str] = {}  # the file's annotation id -> the stored one
        seen: dict[tuple[str, str, int, int, str, str], str] = {}  # a span -> its stored id
        kept = 0
        for span in doc.annotations:
            if not 0 <= span.start < span.end <= len(doc.text):
                raise ValueError(
                    f"document {doc.title!r}: span {span.label} "
                    f"{span.start}..{span.end} is outside its text "
                    f"(length {len(doc.text)})"
                )
            key = model.duplicate_key(span)
            if key in seen:
                summary.duplicates_skipped += 1
                if span.id:  # a relation of the duplicate joins the span kept
                    new_ids[span.id] = seen[key]
                continue
            stored_id = seen[key] = _fresh(span.id, taken_ids)
            values = annotation_rows.attributes_json(span.attributes)
            if span.id:
                new_ids[span.id] = stored_id
            kept += 1
            annotations.append(
                (
                    stored_id,
                    doc_id,
                    label_ids[span.label],
                    span.start,
                    span.end,
                    doc.text[span.start : span.end],
                    values,
                    span.note,
                    span.annotator,
                    span.created or now,
                    span.modified or span.created or now,
                )
            )
        for relation in doc.relations:
            where = f"document {doc.title!r}: relation {relation.id or relation.type!r}"
            for end in (relation.source, relation.target):
                if end not in new_ids:
                    raise ValueError(f"{where} joins {end!r}, which is not one of its annotations")
            if relation.source == relation.target:
                raise ValueError(f"{where} joins an annotation to itself")
            if new_ids[relation.source] == new_ids[relation.target]:
                continue  # it joined a span to its duplicate, skipped above
            relations.append(
                dict(
                    id=_fresh(relation.id, taken_ids),
                    document_id=doc_id,
                    type_id=type_ids[relation.type],
                    source_id=new_ids[relation.source],
                    target_id=new_ids[relation.target],
                    attributes=relation.attributes,
                    note=relation.note,
                    annotator=relation.annotator,
                    created=relation.created or now,
                    modified=relation.modified or relation.created or now,
                )
            )
        summary.added.append(AddedDocument(doc_id, doc.title, kept))

    insert_documents(s, documents)
    # One executemany, not the ORM's bulk insert: 100k rows in a fifth of the time.
    annotation_rows.insert(s.connection(), annotations)
    if relations:
        s.execute(insert(Relation), relations)
    return summary


def add_parts(
    s: Session,
    parts: Iterable[model.ImportedBundle],
    progress: Progress | None = None,
    where: object = None,
) -> ImportSummary:
    """:func:`add_bundle` for each part of one file, in the session's one transaction: the
    first part may take the codebook; later parts see the documents, ids and labels the
    earlier ones added, as one bundle's documents see each other. ``progress`` hears the
    documents read so far (of an unknown total); its "stop" raises ``Cancelled`` for the
    transaction to roll back."""
    summary = ImportSummary()
    documents = 0
    for part in parts:
        tell(progress, documents, None, where)
        more = add_bundle(s, part)
        documents += len(part.documents)
        summary.added += more.added
        summary.skipped += more.skipped
        summary.labels_created += more.labels_created
        summary.relation_types_created += more.relation_types_created
        summary.codebook_replaced |= more.codebook_replaced
        summary.duplicates_skipped += more.duplicates_skipped
    tell(progress, documents, None, where)
    return summary


def insert_documents(s: Session, rows: list[dict]) -> None:
    """Insert document rows (``documents`` columns plus ``text``), each text into its own
    table."""
    if not rows:
        return
    texts = [dict(document_id=row["id"], text=row["text"]) for row in rows]
    s.execute(insert(Document), [{k: v for k, v in row.items() if k != "text"} for row in rows])
    s.execute(insert(DocumentText), texts)
    fulltext.catch_up(s.connection())


def _titles_by_sha(s: Session, shas: list[str]) -> dict[str, str]:
    """Titles of the project's documents whose text has one of these hashes."""
    found: dict[str, str] = {}
    for i in range(0, len(shas), _CHUNK):
        rows = s.execute(
            select(Document.sha256, Document.title).where(Document.sha256.in_(shas[i : i + _CHUNK]))
        )
        found.update((sha, title) for sha, title in rows)
    return found


def _by_sha(
    bundle: model.ImportedBundle, shas: dict[str, model.ImportedDocument]
) -> list[tuple[str, model.ImportedDocument]]:
    """The bundle's documents with their hashes, in file order (hashing each text once)."""
    by_id = {id(doc): sha for sha, doc in shas.items()}
    return [(by_id.get(id(doc)) or text_sha256(doc.text), doc) for doc in bundle.documents]


def _merge_labels(
    s: Session, bundle: model.ImportedBundle, summary: ImportSummary
) -> dict[str, int]:
    """Make every label the file defines or uses exist; return name -> id.

    A project with no documents yet takes the file's codebook as it is (so exporting a project
    and importing it into a new one gives the same project). Otherwise labels merge by name: the
    project's definition wins, attributes it lacks are added, new labels are appended.
    """
    if not bundle.labels and not any(doc.annotations for doc in bundle.documents):
        return {}  # plain articles: the codebook is not involved
    if bundle.labels and not s.scalar(select(func.count()).select_from(Document)):
        s.execute(delete(Label))
        s.add_all(label_to_row(label, i) for i, label in enumerate(bundle.labels))
        snap_rules.set_rules(s, bundle.labels, replace=True)
        summary.codebook_replaced = True
        s.flush()
    existing = {
        row.name: row for row in s.scalars(select(Label).options(selectinload(Label.attributes)))
    }
    shortcuts = {row.shortcut for row in existing.values() if row.shortcut}
    colors = {row.color for row in existing.values()}
    position = max((row.position for row in existing.values()), default=-1) + 1

    def create(label: LabelDef) -> None:
        nonlocal position
        shortcut = label.shortcut if label.shortcut not in shortcuts else None
        row = label_to_row(
            LabelDef(label.name, label.color, shortcut, label.description, label.attributes),
            position,
        )
        s.add(row)
        snap_rules.set_rule(s, label.name, label.snap)
        existing[label.name] = row
        shortcuts.add(shortcut)
        colors.add(label.color)
        summary.labels_created.append(label.name)
        position += 1

    for label in bundle.labels:
        row = existing.get(label.name)
        if row is None:
            create(label)
            continue
        have = {a.name for a in row.attributes}
        for attribute in label.attributes:
            if attribute.name not in have:
                row.attributes.append(attribute_to_row(attribute, len(row.attributes)))
    for doc in bundle.documents:
        for span in doc.annotations:
            if span.label not in existing:
                create(LabelDef(span.label, next_color(colors)))
    s.flush()
    return {name: row.id for name, row in existing.items()}


def _merge_relation_types(
    s: Session, bundle: model.ImportedBundle, summary: ImportSummary
) -> dict[str, int]:
    """Make every relation type the file defines or uses exist; return name -> id.

    A codebook taken from the file (see :func:`_merge_labels`) takes its relation types too.
    Otherwise types merge by name (the project's definition wins); a type only named by a
    relation is created joining any labels."""
    used = {r.type for doc in bundle.documents for r in doc.relations}
    if not bundle.relation_types and not used:
        return {}
    if summary.codebook_replaced:
        s.execute(delete(RelationType))
        s.flush()
    existing = {row.name: row for row in s.scalars(select(RelationType))}
    colors = {row.color for row in existing.values()}
    position = max((row.position for row in existing.values()), default=-1) + 1
    wanted = list(bundle.relation_types) + [
        RelationTypeDef(name, next_color(colors)) for name in sorted(used)
    ]
    for relation_type in wanted:
        if relation_type.name in existing:
            continue
        if not relation_type.color:  # a file that names no colour (Label Studio's "bi")
            relation_type = replace(relation_type, color=next_color(colors))
        row = relation_type_to_row(relation_type, position)
        s.add(row)
        existing[relation_type.name] = row
        colors.add(relation_type.color)
        summary.relation_types_created.append(relation_type.name)
        position += 1
    s.flush()
    return {name: row.id for name, row in existing.items()}


def _existing_ids(s: Session, ids: list[str]) -> set[str]:
    taken: set[str] = set()
    for table in (Document, Annotation, Relation):
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            taken.update(s.scalars(select(table.id).where(table.id.in_(chunk))))
    return taken


def _fresh(wanted: str | None, taken: set[str]) -> str:
    """Keep the file's id unless the project (or this file) already uses it."""
    chosen = wanted if wanted and wanted not in taken else str(uuid.uuid4())
    taken.add(chosen)
    return chosen
