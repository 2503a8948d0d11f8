"""Every document with its annotations and relations, read a batch of documents at a time.

Bulk work (an export, a report) walks the whole project. Read document by document, that cost
three or four statements per document; here a batch of :data:`SIZE` documents costs three
(documents with their texts, their annotations, their relations), all on the driver's cursor
as :mod:`annotation_rows` reads (no ORM object per row), and only one batch is in memory at a
time. The ids come first, in list order, from one cursor that stays open for the walk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.core import model
from annotator.store import annotation_records, relation_rows
from annotator.store.annotation_rows import rows_of_ids

#: Documents per batch: big enough that a statement's cost is spread over many documents, small
#: enough for the bound ids of one batch to stay under SQLite's old limit of 999 parameters.
SIZE = 500

#: One document, its annotations (text order), its relations (text order of their ends).
Contents = tuple[model.Document, list[model.Annotation], list[model.Relation]]

_IDS = text("SELECT id FROM documents ORDER BY position, id")
_DOCUMENTS = (
    "SELECT d.id, d.title, d.source, d.metadata, t.text, d.sha256, d.created, d.status "
    "FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id WHERE d.id IN ({ids})"
)
_ANNOTATIONS = (
    annotation_records.SELECT
    + 'WHERE a.document_id IN ({ids}) ORDER BY a.document_id, a.start, a."end", a.id'
)
_RELATIONS = (
    relation_rows.SELECT
    + "WHERE r.document_id IN ({ids}) ORDER BY r.document_id, s.start, g.start, r.id"
)


def read(s: Session, size: int = SIZE) -> Iterator[list[Contents]]:
    """Batches of at most ``size`` documents, in list order, each with what belongs to it."""
    types = {t.name: t for t in relation_rows.relation_types(s)}
    related = relation_rows.any_relation(s)
    connection = s.connection()
    # The ids come from a cursor of their own, so that the batches' statements do not end it.
    ids_cursor = connection.connection.driver_connection.cursor()
    try:
        ids_cursor.execute(str(_IDS))
        while batch := [row[0] for row in ids_cursor.fetchmany(size)]:
            yield _contents(s, batch, types, related)
    finally:
        ids_cursor.close()


def of_ids(s: Session, ids: Sequence[str], size: int = SIZE) -> Iterator[list[Contents]]:
    """:func:`read` of these documents only, in the order given; one gone meanwhile is left
    out."""
    types = {t.name: t for t in relation_rows.relation_types(s)}
    related = relation_rows.any_relation(s)
    for first in range(0, len(ids), size):
        yield _contents(s, ids[first : first + size], types, related)


def _contents(
    s: Session,
    ids: Sequence[str],
    types: dict[str, Any],
    related: bool,
) -> list[Contents]:
    connection = s.connection()
    with rows_of_ids(connection, _DOCUMENTS, ids) as rows:
        documents = {row[0]: _document(row) for row in rows}
    with rows_of_ids(connection, _ANNOTATIONS, ids) as rows:
        annotations = {
            id: annotation_records.records(group) for id, group in groupby(rows, itemgetter(1))
        }
    relations: dict[str, list[model.Relation]] = {}
    if related:
        with rows_of_ids(connection, _RELATIONS, ids) as rows:
            relations = {
                id: relation_rows.records(group, types)
                for id, group in groupby(rows, itemgetter(1))
            }
    return [
        (documents[id], annotations.get(id, []), relations.get(id, []))
        for id in ids
        if id in documents  # deleted since the ids were read (another client, on a server)
    ]


def _document(row: tuple[Any, ...]) -> model.Document:
    id, title, source, metadata, body, sha256, created, status = row
    if not isinstance(metadata, dict):  # a driver that decodes JSON columns itself gives a dict
        metadata = json.loads(metadata) if metadata else {}
    return model.Document(
        id=id,
        title=title,
        source=source,
        metadata=metadata,
        text=body or "",
        sha256=sha256,
        created=created,
        status=model.DocumentStatus(status),
    )
