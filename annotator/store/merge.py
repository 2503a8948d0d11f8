"""Merging another copy of a project into this one, in one transaction per source.

Documents are matched by the SHA-256 of their canonical text, labels by name, annotations by
id. A label missing here is added (with its snapping rule); a label defined differently keeps
this project's definition and is reported, naming what differs. This project's codebook and
suggestion patterns are never replaced, except the untouched default codebook of a project with
no documents, no patterns and no rejections, which takes the source's as it is (reported as
such). An annotation id already here with equal content is skipped; with different content the
newer ``modified`` wins and the pair is reported as a conflict; a new id is added. Deletions travel
as edits do (store/deletions.py): the source's tombstones delete the annotations here that are
not newer than the deletion (and their relations, as a deletion here does), and an annotation
deleted here is not added back unless the source's version is newer than its deletion.
Relation types merge by name like labels (the target's definition wins); a relation whose id
is new here is added (its ends keep their ids) where both its ends are here, one already here
is left as it is. A layer the source marks curated is marked here too (the union of both
lists; store/layers.py). Merging the same source again changes nothing.

The source is read in one read transaction (one snapshot, through its WAL: another program
writing to it meanwhile neither shows half-way nor is disturbed), a batch of its documents at a
time, so that memory stays that of one batch however many documents it has; each batch is
checked before it is merged, and a damaged source is refused with one line naming it (the
target's transaction rolled back: nothing of it merged).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from annotator.core import model
from annotator.core.errors import AnnotatorError, ProjectError
from annotator.core.labels import DEFAULT_LABELS, LabelDef, RelationTypeDef, first_bad_name
from annotator.core.progress import Progress, tell
from annotator.core.templates import relation_types_for
from annotator.core.text import text_sha256
from annotator.store import annotation_rows, deletions, layers, relation_rows, snap_rules
from annotator.store.annotation_records import attributes_from_row
from annotator.store.convert import document_from_row, label_to_row, relation_type_to_row
from annotator.store.importing import _existing_ids, _fresh, insert_documents
from annotator.store.models import (
    Annotation,
    AnnotationDeletion,
    Document,
    DocumentText,
    Label,
    RejectedSuggestion,
    Relation,
    RelationType,
    SuggestionPattern,
)
from annotator.store.project import read_codebook
from annotator.store.retry import retrying

if TYPE_CHECKING:
    from annotator.store.project import Project

_CHUNK = 900
#: What a merge compares of an annotation already in the target (the ``WHERE`` follows).
_PRESENT = (
    'SELECT id, document_id, label_id, start, "end", attributes, note, annotator, modified '
    "FROM annotations"
)
T = TypeVar("T")


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
    #: this project's untouched default codebook was replaced by the source's
    codebook_replaced: bool = False
    relations_added: int = 0
    #: annotations here deleted because the source deleted them (not edited here since)
    deletions_applied: int = 0
    #: relations here that went with those annotations
    relations_deleted: int = 0
    #: the source's annotations not added back because they were deleted here (later than
    #: the source's version of them)
    kept_deleted: int = 0
    #: the source's new relations not added because an end of theirs is deleted here
    relations_of_deleted: int = 0
    #: layers the source marks curated that were not marked here (now they are)
    curated_added: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.documents_added
            or self.labels_added
            or self.annotations_added
            or self.relations_added
            or self.deletions_applied
            or self.curated_added
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
    compared = json.dumps(attributes, sort_keys=True) if attributes else "{}"
    return (document_id, label, start, end, compared, note, annotator)


#: Documents of the source read, checked and merged at a time: memory stays that of one batch,
#: and each statement's bound parameters stay under SQLite's old limit of 999.
BATCH = 500


@dataclass(frozen=True)
class _Codebook:
    """What a merge takes from the source before its documents."""

    labels: list[LabelDef]
    relation_types: list[RelationTypeDef]
    curated: list[str]  # the layers the source marks curated (store/layers.py)
    documents: int


@dataclass(frozen=True)
class _Batch:
    """Some documents of the source, in list order, with everything of theirs a merge takes."""

    documents: list[model.Document]  # with the hash of their text, not the one stored
    annotations: list[model.Annotation]
    relations: list[model.Relation]
    tombstones: list[deletions.Tombstone]


@retrying
def merge_project(
    target: Project, source: Project, progress: Progress | None = None
) -> MergeReport:
    """Merge ``source`` into ``target`` in one transaction of ``target``: all or nothing.

    The source is read in one snapshot, ``BATCH`` documents at a time (each batch's annotations,
    relations and tombstones in one statement each); ``progress`` hears the documents done of
    all, and may stop the merge (:class:`Cancelled`): the target is then as it was."""
    report = MergeReport()
    with _reading(source) as s_source:
        codebook = _read(source, lambda: _codebook(source, s_source))
        tell(progress, 0, codebook.documents, source.path)
        with target.transaction() as s:
            label_ids = _merge_labels(s, codebook.labels, report)
            type_ids = _merge_relation_types(s, codebook.relation_types, report)
            position = s.scalar(select(func.coalesce(func.max(Document.position), -1))) + 1
            seen = [0, 0, 0]  # annotations, relations, tombstones read by document
            done = 0
            with _document_order(s_source) as order:
                while ids := [row[0] for row in order.fetchmany(BATCH)]:
                    batch = _read(source, lambda ids=ids: _batch(s_source, ids))
                    _check(source, batch)
                    document_ids, position = _merge_documents(s, batch.documents, position, report)
                    titles = {d.id: d.title for d in batch.documents}
                    _merge_deletions(s, batch.tombstones, document_ids, report)
                    _merge_annotations(
                        s, batch.annotations, label_ids, document_ids, titles, report
                    )
                    _merge_relations(s, type_ids, batch.relations, document_ids, report)
                    seen[0] += len(batch.annotations)
                    seen[1] += len(batch.relations)
                    seen[2] += len(batch.tombstones)
                    done += len(ids)
                    tell(progress, done, codebook.documents, source.path)
            _check_rest(source, s_source, seen)
            # a curated layer stays one in the merged project: agreement leaves it out there too
            report.curated_added = layers.add_curated(s, target, codebook.curated)
    return report


@contextmanager
def _reading(source: Project) -> Iterator[Session]:
    """One read transaction of ``source``: every batch sees the same snapshot."""
    with source.reading() as s:
        if s.get_bind().dialect.name == "postgresql":  # one snapshot for every read
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield s


def _read(source: Project, read: Callable[[], T]) -> T:
    """``read()`` of the source, a value it cannot take raising a one-line
    :class:`ProjectError` naming it."""
    try:
        return read()
    except AnnotatorError:
        raise
    except RecursionError as exc:
        raise ProjectError(
            source.path, "the project is damaged (a stored value is nested too deeply)"
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ProjectError(source.path, f"the project is damaged ({detail})") from exc


def _codebook(source: Project, s: Session) -> _Codebook:
    codebook = _Codebook(
        [label for _id, label, _attributes in read_codebook(s)],
        relation_rows.relation_types(s),
        layers.read_curated(s, source),
        s.scalar(select(func.count()).select_from(Document)) or 0,
    )
    if (bad := first_bad_name(codebook.labels, codebook.relation_types)) is not None:
        raise ProjectError(source.path, f"{bad}; rename it in the source before merging it")
    return codebook


@contextmanager
def _document_order(s: Session) -> Iterator[Any]:
    """The source's document ids in list order, on one cursor fetched a batch at a time."""
    with annotation_rows.driver_rows(
        s.connection(), text("SELECT id FROM documents ORDER BY position, id"), {}
    ) as rows:
        yield rows


def _batch(s: Session, ids: list[str]) -> _Batch:
    rows = s.execute(
        select(Document, DocumentText.text)
        .outerjoin(DocumentText, DocumentText.document_id == Document.id)
        .where(Document.id.in_(ids))
    ).all()
    by_id = {}
    for row, text_ in rows:
        document = document_from_row(row, text_ or "")
        # matched by the hash of the text itself, not by the stored hash the source claims
        by_id[row.id] = replace(document, sha256=text_sha256(document.text))
    of_document = annotation_rows.read_of_documents(s.connection(), ids)
    return _Batch(
        [by_id[id] for id in ids if id in by_id],
        [a for id in ids for a in of_document.get(id, ())],
        relation_rows.read_of_documents(s, ids),
        deletions.of_documents(s, ids),
    )


def _check(source: Project, batch: _Batch) -> None:
    """Refuse a source whose rows do not hold together (written by something else)."""
    texts = {d.id: d.text for d in batch.documents}
    where: dict[str, str] = {}  # annotation id -> its document
    for a in batch.annotations:
        text_ = texts.get(a.document_id)
        if (
            text_ is None
            or not 0 <= a.start < a.end <= len(text_)
            or text_[a.start : a.end] != a.text
        ):
            raise ProjectError(
                source.path,
                f"annotation {a.id} does not fit its document's text; the project is damaged",
            )
        where[a.id] = a.document_id
    for r in batch.relations:
        if r.document_id not in texts or not (
            where.get(r.source_id) == where.get(r.target_id) == r.document_id
        ):
            _bad_relation(source, r.id)


def _bad_relation(source: Project, relation_id: str) -> NoReturn:
    raise ProjectError(
        source.path,
        f"the project is damaged (relation {relation_id} does not join two annotations of "
        "its document)",
    )


def _check_rest(source: Project, s: Session, seen: list[int]) -> None:
    """Refuse a source with rows of no document of it: counted, and looked for only when the
    counts say some were not read with a document."""
    annotations, relations, tombstones = seen
    if (s.scalar(select(func.count()).select_from(Annotation)) or 0) != annotations:
        id = s.scalar(
            select(Annotation.id).where(~Annotation.document_id.in_(select(Document.id))).limit(1)
        )
        raise ProjectError(
            source.path,
            f"annotation {id} does not fit its document's text; the project is damaged",
        )
    if (s.scalar(select(func.count()).select_from(Relation)) or 0) != relations:
        _bad_relation(
            source,
            s.scalar(
                select(Relation.id).where(~Relation.document_id.in_(select(Document.id))).limit(1)
            )
            or "?",
        )
    if (s.scalar(select(func.count()).select_from(AnnotationDeletion)) or 0) != tombstones:
        id = s.scalar(
            select(AnnotationDeletion.annotation_id)
            .where(~AnnotationDeletion.document_id.in_(select(Document.id)))
            .limit(1)
        )
        raise ProjectError(
            source.path,
            f"the project is damaged (the deletion of annotation {id} names "
            "no document of the project)",
        )


def _merge_deletions(
    s: Session,
    tombstones: list[deletions.Tombstone],
    document_ids: dict[str, str],
    report: MergeReport,
) -> None:
    """Apply the source's deletions: an annotation here goes (with its relations, as a
    deletion here takes them) unless it is newer than the deletion; the tombstone is kept."""
    if not tombstones:
        return
    incoming = {
        t.annotation_id: replace(t, document_id=document_ids[t.document_id]) for t in tombstones
    }
    ids = list(incoming)
    known = {t.annotation_id: t.deleted for t in deletions.read(s, ids)}
    newer = [t for id, t in incoming.items() if id not in known or t.deleted > known[id]]
    doomed: list[str] = []
    for i in range(0, len(ids), _CHUNK):
        rows = s.execute(
            select(Annotation.id, Annotation.modified).where(Annotation.id.in_(ids[i : i + _CHUNK]))
        ).all()
        doomed += [id for id, modified in rows if modified <= incoming[id].deleted]
    if doomed:
        relations = relation_rows.read(s, touching=doomed)
        relation_rows.remove(s, [r.id for r in relations])
        for i in range(0, len(doomed), _CHUNK):
            s.execute(delete(Annotation).where(Annotation.id.in_(doomed[i : i + _CHUNK])))
        report.deletions_applied += len(doomed)
        report.relations_deleted += len(relations)
    deletions.record(s, newer)


def _merge_relation_types(
    s: Session, relation_types: list[RelationTypeDef], report: MergeReport
) -> dict[str, int]:
    """Add the relation types the target lacks; every type's id here, by name."""
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
    return {name: row.id for name, row in rows.items()}


def _merge_relations(
    s: Session,
    type_ids: dict[str, int],
    relations: list[model.Relation],
    document_ids: dict[str, str],
    report: MergeReport,
) -> None:
    """Add the relations whose id is new here and whose ends are both here (an end deleted
    here takes the relation with it)."""
    ids = [r.id for r in relations]
    present: set[str] = set()
    for i in range(0, len(ids), _CHUNK):
        present.update(s.scalars(select(Relation.id).where(Relation.id.in_(ids[i : i + _CHUNK]))))
    ends = sorted(
        {end for r in relations if r.id not in present for end in (r.source_id, r.target_id)}
    )
    here: set[str] = set()
    for i in range(0, len(ends), _CHUNK):
        here.update(s.scalars(select(Annotation.id).where(Annotation.id.in_(ends[i : i + _CHUNK]))))
    new_rows = []
    for r in relations:
        if r.id in present:
            continue
        if not {r.source_id, r.target_id} <= here:
            report.relations_of_deleted += 1
            continue
        new_rows.append(
            dict(
                id=r.id,
                document_id=document_ids[r.document_id],
                type_id=type_ids[r.type],
                source_id=r.source_id,
                target_id=r.target_id,
                attributes=r.attributes,
                note=r.note,
                annotator=r.annotator,
                created=r.created,
                modified=r.modified,
            )
        )
    if new_rows:
        s.execute(insert(Relation), new_rows)
    report.relations_added += len(new_rows)


def _untouched(s: Session) -> bool:
    """Whether the target is a new project as created: no documents, the default codebook
    (relation types and snapping rules included), no suggestion patterns, no rejections."""
    for table in (Document, SuggestionPattern, RejectedSuggestion):
        if s.scalar(select(func.count()).select_from(table)):
            return False
    labels = [label for _id, label, _attributes in read_codebook(s)]
    return labels == list(DEFAULT_LABELS) and relation_rows.relation_types(s) == list(
        relation_types_for(DEFAULT_LABELS)
    )


def _merge_labels(s: Session, labels: list[LabelDef], report: MergeReport) -> dict[str, int]:
    if labels and labels != list(DEFAULT_LABELS) and _untouched(s):
        # a new target takes the first copy's codebook as it is
        s.execute(delete(Label))
        s.add_all(label_to_row(label, i) for i, label in enumerate(labels))
        s.flush()
        snap_rules.set_rules(s, labels, replace=True)
        report.codebook_replaced = True
        report.labels_added = [label.name for label in labels]
    current = {label.name: (id, label) for id, label, _attributes in read_codebook(s)}
    ids = {name: id for name, (id, _label) in current.items()}
    shortcuts = {label.shortcut for _id, label in current.values() if label.shortcut}
    position = s.scalar(select(func.coalesce(func.max(Label.position), -1))) + 1
    added: list[LabelDef] = []
    for label in labels:
        if label.name not in current:
            shortcut = label.shortcut if label.shortcut not in shortcuts else None
            label = replace(label, shortcut=shortcut)
            row = label_to_row(label, position)
            s.add(row)
            s.flush()
            ids[label.name] = row.id
            shortcuts.add(shortcut)
            position += 1
            added.append(label)
            report.labels_added.append(label.name)
        elif not report.codebook_replaced and current[label.name][1] != label:
            differences = "; ".join(label_differences(current[label.name][1], label))
            report.label_conflicts.append(
                f"label {label.name!r} is defined differently ({differences});"
                " this project's definition was kept"
            )
    if added:
        snap_rules.set_rules(s, added)
    s.flush()
    return ids


def label_differences(here: LabelDef, there: LabelDef) -> list[str]:
    """What differs between this project's definition of a label and the source's, in words."""
    said: list[str] = []
    for field_name, word in (("color", "colour"), ("shortcut", "shortcut"), ("snap", "snapping")):
        mine, theirs = getattr(here, field_name), getattr(there, field_name)
        if mine != theirs:
            said.append(f"{word} {mine or 'none'} here, {theirs or 'none'} in the source")
    if here.description != there.description:
        said.append("the description")
    mine_attributes = {a.name: a for a in here.attributes}
    theirs_attributes = {a.name: a for a in there.attributes}
    for name in [*mine_attributes, *(n for n in theirs_attributes if n not in mine_attributes)]:
        if name not in theirs_attributes:
            said.append(f"attribute {name!r} only here")
        elif name not in mine_attributes:
            said.append(f"attribute {name!r} only in the source")
        elif mine_attributes[name] != theirs_attributes[name]:
            said.append(f"attribute {name!r}")
    if not said and here.attributes != there.attributes:
        said.append("the order of the attributes")
    return said


def _merge_documents(
    s: Session, documents: list[model.Document], position: int, report: MergeReport
) -> tuple[dict[str, str], int]:
    """Source document id -> target document id, adding the documents the target lacks from
    ``position`` on; and the position after them."""
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
    return mapping, position


def _merge_annotations(
    s: Session,
    annotations: list[model.Annotation],
    label_ids: dict[str, int],
    document_ids: dict[str, str],
    titles: dict[str, str],
    report: MergeReport,
) -> None:
    label_names = {v: k for k, v in label_ids.items()}
    present: dict[str, tuple[tuple[Any, ...], str]] = {}  # id -> (content, modified)

    def found(rows: Iterable[tuple[Any, ...]], wanted: set[str]) -> None:
        for id, doc, label_id, start, end, raw, note, annotator, modified in rows:
            if id in wanted:
                attributes = attributes_from_row(raw)
                present[id] = (
                    _content(
                        doc, label_names.get(label_id, ""), start, end, attributes, note, annotator
                    ),
                    modified,
                )

    # Most are where the source has them: read the target's documents' annotations in one
    # statement, then look up by id only those not there (new, or in another document here).
    ids = {a.id for a in annotations}
    s.flush()  # the driver's cursor sees only what the session has written
    targets = sorted({document_ids[a.document_id] for a in annotations})
    if targets:
        names = [f"d{i}" for i in range(len(targets))]
        statement = text(f"{_PRESENT} WHERE document_id IN ({', '.join(':' + n for n in names)})")
        parameters = dict(zip(names, targets, strict=True))
        with annotation_rows.driver_rows(s.connection(), statement, parameters) as rows:
            found(rows, ids)
    elsewhere = [a.id for a in annotations if a.id not in present]
    for i in range(0, len(elsewhere), _CHUNK):
        names = [f"i{n}" for n in range(len(elsewhere[i : i + _CHUNK]))]
        statement = text(f"{_PRESENT} WHERE id IN ({', '.join(':' + n for n in names)})")
        parameters = dict(zip(names, elsewhere[i : i + _CHUNK], strict=True))
        with annotation_rows.driver_rows(s.connection(), statement, parameters) as rows:
            found(rows, ids)
    absent = [id for id in elsewhere if id not in present]  # only these may be deleted here
    deleted = {t.annotation_id: t.deleted for t in deletions.read(s, absent)}
    new_rows = []
    updated: list[dict[str, Any]] = []
    for a in annotations:
        document_id = document_ids[a.document_id]
        mine = _content(document_id, a.label, a.start, a.end, a.attributes, a.note, a.annotator)
        if a.id not in present:
            if a.id in deleted and a.modified <= deleted[a.id]:
                report.kept_deleted += 1  # deleted here after the source's last edit of it
                continue
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
            updated.append(
                dict(
                    id=a.id,
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
    if updated:  # by primary key, in one executemany
        s.execute(update(Annotation), updated)
    if new_rows:
        annotation_rows.insert(s.connection(), new_rows)
    report.annotations_added += len(new_rows)
