"""Relations in the store: rows <-> core relations, and the checks every write makes.

A relation joins two annotations of one document. It is *flagged* when the labels at its ends
no longer fit its type (one end was relabelled, or the type's allowed labels changed); the flag
is worked out here on every read, so it can never disagree with the codebook.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, delete, or_, select, text
from sqlalchemy.orm import Session, aliased

from annotator.core import model
from annotator.core.errors import RelationError
from annotator.core.labels import RelationTypeDef
from annotator.store.annotation_records import attributes_from_row
from annotator.store.annotation_rows import driver_rows, rows_of_ids
from annotator.store.convert import relation_type_from_row
from annotator.store.models import Annotation, Label, Relation, RelationType

_CHUNK = 900  # stays under SQLite's bound-parameter limit on old builds


def relation_types(s: Session) -> list[RelationTypeDef]:
    return [
        relation_type_from_row(row)
        for row in s.scalars(select(RelationType).order_by(RelationType.position))
    ]


#: What every read selects, in the order :func:`records` takes: the relation's columns (the
#: type's name for its id), then the labels of its source and its target.
SELECT = (
    "SELECT r.id, r.document_id, t.name, r.source_id, r.target_id, r.attributes, r.note, "
    "r.annotator, r.created, r.modified, sl.name, tl.name "
    "FROM relations r JOIN relation_types t ON t.id = r.type_id "
    "JOIN annotations s ON s.id = r.source_id JOIN labels sl ON sl.id = s.label_id "
    "JOIN annotations g ON g.id = r.target_id JOIN labels tl ON tl.id = g.label_id "
)
_IN_TEXT = "ORDER BY s.start, g.start, r.id"  # text order of their ends
_OF_DOCUMENT = text(SELECT + "WHERE r.document_id = :document_id " + _IN_TEXT)
_ALL = text(SELECT + _IN_TEXT)


def _query() -> Select[Any]:
    """:data:`SELECT` for the reads that pick relations by id or by end."""
    source_label = aliased(Label)
    target_label = aliased(Label)
    source = aliased(Annotation)
    target = aliased(Annotation)
    return (
        select(
            Relation.id,
            Relation.document_id,
            RelationType.name,
            Relation.source_id,
            Relation.target_id,
            Relation.attributes,
            Relation.note,
            Relation.annotator,
            Relation.created,
            Relation.modified,
            source_label.name,
            target_label.name,
        )
        .join(RelationType, RelationType.id == Relation.type_id)
        .join(source, source.id == Relation.source_id)
        .join(source_label, source_label.id == source.label_id)
        .join(target, target.id == Relation.target_id)
        .join(target_label, target_label.id == target.label_id)
        .order_by(source.start, target.start, Relation.id)
    )


def read(
    s: Session,
    document_id: str | None = None,
    *,
    ids: Sequence[str] | None = None,
    touching: Sequence[str] | None = None,
) -> list[model.Relation]:
    """Relations of one document (or all), or with these ``ids``, or with an end among the
    annotation ids ``touching``; in text order of their ends.

    A document's (or all) relations are read in one statement on the driver's cursor, as the
    annotations are: 100k relations must not cost 100k ORM objects when a window opens."""
    if touching is not None and not _any_touching(s, touching):
        return []  # most deletions: no reading of types and joins (the keystroke's undo)
    types = {t.name: t for t in relation_types(s)}
    if ids is None and touching is None:
        s.flush()  # the driver's cursor sees only what the session has written
        if document_id is None:
            statement, parameters = _ALL, {}
        else:
            statement, parameters = _OF_DOCUMENT, {"document_id": document_id}
        with driver_rows(s.connection(), statement, parameters) as rows:
            return records(rows, types)
    query = _query()
    if document_id is not None:
        query = query.where(Relation.document_id == document_id)
    if ids is not None:
        chunks = [
            query.where(Relation.id.in_(ids[i : i + _CHUNK])) for i in range(0, len(ids), _CHUNK)
        ]
    else:
        assert touching is not None
        chunks = [
            query.where(
                or_(
                    Relation.source_id.in_(touching[i : i + _CHUNK]),
                    Relation.target_id.in_(touching[i : i + _CHUNK]),
                )
            )
            for i in range(0, len(touching), _CHUNK)
        ]
    found: dict[str, model.Relation] = {}
    for chunk in chunks:
        for relation in records(s.execute(chunk), types):
            found[relation.id] = relation
    return list(found.values())


def read_of_documents(s: Session, document_ids: Sequence[str]) -> list[model.Relation]:
    """Relations of these documents (a batch of a bulk read), in one statement."""
    if not document_ids:
        return []
    types = {t.name: t for t in relation_types(s)}
    sql = SELECT + "WHERE r.document_id IN ({ids}) " + _IN_TEXT
    with rows_of_ids(s.connection(), sql, document_ids) as rows:
        return records(rows, types)


def records(
    rows: Iterable[tuple[Any, ...]], types: dict[str, RelationTypeDef]
) -> list[model.Relation]:
    """Rows of :data:`SELECT` as relations, flagged where the type no longer allows the ends'
    labels. Whether it does is worked out once per (type, source label, target label), and the
    values that repeat from row to row (the document, the type, the annotator, an empty
    attributes dict) are one object each."""
    shared: dict[str, str] = {}
    share = shared.setdefault
    fits: dict[tuple[str, str, str], bool] = {}
    relations: list[model.Relation] = []
    append = relations.append
    make = model.Relation
    for (
        id,
        document,
        type_name,
        source_id,
        target_id,
        attributes,
        note,
        annotator,
        created,
        modified,
        source_label,
        target_label,
    ) in rows:
        key = (type_name, source_label, target_label)
        fit = fits.get(key)
        if fit is None:
            definition = types.get(type_name)
            fit = fits[key] = definition is not None and definition.allows(
                source_label, target_label
            )
        append(
            make(
                id,
                share(document, document),
                share(type_name, type_name),
                source_id,
                target_id,
                attributes_from_row(attributes),
                note,
                share(annotator, annotator),
                created,
                modified,
                not fit,
            )
        )
    return relations


def any_relation(s: Session) -> bool:
    """Whether the project has a relation at all (most have none: no statement per batch)."""
    return s.scalar(select(Relation.id).limit(1)) is not None


def type_id(s: Session, name: str) -> int:
    found = s.scalar(select(RelationType.id).where(RelationType.name == name))
    if found is None:
        raise RelationError(f"there is no relation type named {name!r}")
    return found


def check_ends(
    s: Session, document_id: str, type_name: str, source_id: str, target_id: str, *, fit: bool
) -> None:
    """Refuse a relation whose ends are not two annotations of ``document_id``; with ``fit``,
    also one whose type does not allow their labels."""
    if source_id == target_id:
        raise RelationError("a relation joins two different annotations")
    ends = {
        id: (document, label)
        for id, document, label in s.execute(
            select(Annotation.id, Annotation.document_id, Label.name)
            .join(Label, Label.id == Annotation.label_id)
            .where(Annotation.id.in_([source_id, target_id]))
        )
    }
    for end in (source_id, target_id):
        if end not in ends:
            raise RelationError(f"there is no annotation {end!r}")
        if ends[end][0] != document_id:
            raise RelationError("a relation joins two annotations of the same document")
    if fit:
        row = s.scalar(select(RelationType).where(RelationType.name == type_name))
        if row is None:
            raise RelationError(f"there is no relation type named {type_name!r}")
        definition = relation_type_from_row(row)
        if not definition.allows(ends[source_id][1], ends[target_id][1]):
            raise RelationError(
                f"{type_name!r} does not join {ends[source_id][1]} to {ends[target_id][1]}"
            )


def to_orm(relation: model.Relation, type_id: int) -> Relation:
    return Relation(
        id=relation.id,
        document_id=relation.document_id,
        type_id=type_id,
        source_id=relation.source_id,
        target_id=relation.target_id,
        attributes=dict(relation.attributes),
        note=relation.note,
        annotator=relation.annotator,
        created=relation.created,
        modified=relation.modified,
    )


def restore(s: Session, relations: Iterable[model.Relation]) -> list[model.Relation]:
    """Put relations back as they were (ids and timestamps kept), replacing same ids; returns
    those that cannot come back: an end or their type is gone (deleted meanwhile, by another
    window or client)."""
    relations = list(relations)
    if not relations:
        return []
    names = sorted({r.type for r in relations})
    type_ids: dict[str, int] = {
        name: id
        for name, id in s.execute(
            select(RelationType.name, RelationType.id).where(RelationType.name.in_(names))
        )
    }
    ends = sorted({end for r in relations for end in (r.source_id, r.target_id)})
    present: set[str] = set()
    for i in range(0, len(ends), _CHUNK):
        present.update(
            s.scalars(select(Annotation.id).where(Annotation.id.in_(ends[i : i + _CHUNK])))
        )
    lost = []
    for relation in relations:
        if relation.type in type_ids and {relation.source_id, relation.target_id} <= present:
            s.merge(to_orm(relation, type_ids[relation.type]))
        else:
            lost.append(relation)
    return lost


def _any_touching(s: Session, annotation_ids: Sequence[str]) -> bool:
    """Whether any relation has an end among ``annotation_ids`` (two index look-ups each)."""
    for i in range(0, len(annotation_ids), _CHUNK):
        chunk = annotation_ids[i : i + _CHUNK]
        touching = or_(Relation.source_id.in_(chunk), Relation.target_id.in_(chunk))
        if s.scalar(select(Relation.id).where(touching).limit(1)) is not None:
            return True
    return False


def remove(s: Session, ids: Sequence[str]) -> None:
    for i in range(0, len(ids), _CHUNK):
        s.execute(delete(Relation).where(Relation.id.in_(ids[i : i + _CHUNK])))
