"""Adding an imported file's labels, documents and annotations inside one session transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from annotator.core import model
from annotator.core.labels import LabelDef, next_color
from annotator.core.text import text_sha256
from annotator.store import annotation_rows, snap_rules
from annotator.store.convert import attribute_to_row, label_to_row
from annotator.store.models import Annotation, Document, Label

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
    codebook_replaced: bool = False
    #: spans identical to an earlier one of the same document (label, range, attributes,
    #: note), not imported
    duplicates_skipped: int = 0

    @property
    def annotation_count(self) -> int:
        return sum(d.annotations for d in self.added)


def add_bundle(s: Session, bundle: model.ImportedBundle) -> ImportSummary:
    summary = ImportSummary()
    label_ids = _merge_labels(s, bundle, summary)
    shas = {text_sha256(doc.text): doc for doc in bundle.documents}
    known_texts = _titles_by_sha(s, list(shas))
    wanted_ids = [d.id for d in bundle.documents if d.id] + [
        a.id for d in bundle.documents for a in d.annotations if a.id
    ]
    empty = s.scalar(select(func.count()).select_from(Document)) == 0
    taken_ids = set() if empty else _existing_ids(s, wanted_ids)
    position = s.scalar(select(func.coalesce(func.max(Document.position), -1))) + 1
    now = model.timestamp()

    documents: list[dict] = []
    annotations: list[tuple] = []  # in annotation_rows.COLUMNS order
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
        seen: set[tuple[str, int, int, str, str]] = set()
        kept = 0
        for span in doc.annotations:
            if not 0 <= span.start < span.end <= len(doc.text):
                raise ValueError(
                    f"document {doc.title!r}: span {span.label} "
                    f"{span.start}..{span.end} is outside its text "
                    f"(length {len(doc.text)})"
                )
            values = annotation_rows.attributes_json(span.attributes)
            key = (span.label, span.start, span.end, values, span.note)
            if key in seen:
                summary.duplicates_skipped += 1
                continue
            seen.add(key)
            kept += 1
            annotations.append(
                (
                    _fresh(span.id, taken_ids),
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
        summary.added.append(AddedDocument(doc_id, doc.title, kept))

    if documents:
        s.execute(insert(Document), documents)
    # One executemany, not the ORM's bulk insert: 100k rows in a fifth of the time.
    annotation_rows.insert(s.connection(), annotations)
    return summary


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


def _existing_ids(s: Session, ids: list[str]) -> set[str]:
    taken: set[str] = set()
    for table in (Document, Annotation):
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            taken.update(s.scalars(select(table.id).where(table.id.in_(chunk))))
    return taken


def _fresh(wanted: str | None, taken: set[str]) -> str:
    """Keep the file's id unless the project (or this file) already uses it."""
    chosen = wanted if wanted and wanted not in taken else str(uuid.uuid4())
    taken.add(chosen)
    return chosen
