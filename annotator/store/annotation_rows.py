"""The one place where annotation rows become core annotations and back.

The ORM path (one annotation at a time: a keystroke, an undo) and the bulk path (opening a
document, exporting, importing 100k spans) both go through here. The bulk path skips SQLAlchemy's
per-row objects, which cost more than SQLite spends producing the rows, but its statements are
SQLAlchemy Core ``text()`` with named bound parameters, compiled for the connection's own dialect
(``?`` for SQLite, ``%(name)s`` for PostgreSQL's drivers): nothing here is SQLite-only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, TextClause, text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import Compiled

from annotator.core import model
from annotator.store.models import Annotation

#: The stored columns, in the order of :data:`Values` tuples (``label_id`` where the core type
#: has the label's name).
COLUMNS = (
    "id",
    "document_id",
    "label_id",
    "start",
    "end",
    "text",
    "attributes",
    "note",
    "annotator",
    "created",
    "modified",
)

_SELECT = (
    'SELECT a.id, a.document_id, l.name, a.start, a."end", a.text, a.attributes, a.note, '
    "a.annotator, a.created, a.modified FROM annotations a JOIN labels l ON l.id = a.label_id "
)
OF_DOCUMENT = text(_SELECT + 'WHERE a.document_id = :document_id ORDER BY a.start, a."end", a.id')
ALL = text(
    _SELECT + 'JOIN documents d ON d.id = a.document_id ORDER BY d.position, a.start, a."end", a.id'
)
INSERT = text(
    "INSERT INTO annotations ("
    + ", ".join(f'"{c}"' for c in COLUMNS)
    + ") VALUES ("
    + ", ".join(f":{c}" for c in COLUMNS)
    + ")"
)


# -- ORM rows (one at a time) ----------------------------------------------------------------------


def from_orm(row: Annotation, label: str) -> model.Annotation:
    return model.Annotation(
        id=row.id,
        document_id=row.document_id,
        label=label,
        start=row.start,
        end=row.end,
        text=row.text,
        attributes=dict(row.attributes),
        note=row.note,
        annotator=row.annotator,
        created=row.created,
        modified=row.modified,
    )


def to_orm(annotation: model.Annotation, label_id: int) -> Annotation:
    return Annotation(
        id=annotation.id,
        document_id=annotation.document_id,
        label_id=label_id,
        start=annotation.start,
        end=annotation.end,
        text=annotation.text,
        attributes=dict(annotation.attributes),
        note=annotation.note,
        annotator=annotation.annotator,
        created=annotation.created,
        modified=annotation.modified,
    )


# -- bulk rows (on the driver's cursor) ------------------------------------------------------------


def read(connection: Connection, document_id: str | None = None) -> list[model.Annotation]:
    """Annotations of one document (or all), in document order, then text order.

    Rows are turned into annotations as the cursor yields them (never all rows and all
    annotations at once), and the values that repeat from row to row (the document id, the
    label, the annotator, an empty attributes dict) are one object each, not one per row.
    """
    if document_id is None:
        statement, parameters = ALL, {}
    else:
        statement, parameters = OF_DOCUMENT, {"document_id": document_id}
    shared: dict[str, str] = {}
    share = shared.setdefault
    annotations: list[model.Annotation] = []
    append = annotations.append
    make = model.Annotation
    with _rows(connection, statement, parameters) as rows:
        for (
            id,
            document,
            label,
            start,
            end,
            snippet,
            attributes,
            note,
            annotator,
            created,
            modified,
        ) in rows:
            append(
                make(
                    id,
                    share(document, document),
                    share(label, label),
                    start,
                    end,
                    snippet,
                    _attributes(attributes),
                    note,
                    share(annotator, annotator),
                    created,
                    modified,
                )
            )
    return annotations


def insert(connection: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows``, each a tuple in :data:`COLUMNS` order (attributes already JSON text,
    as :func:`attributes_json` makes it), in one ``executemany``."""
    if not rows:
        return
    compiled = _compiled(INSERT, connection.dialect)
    if compiled.positional:
        order = [COLUMNS.index(name) for name in compiled.positiontup or ()]
        if order == list(range(len(COLUMNS))):
            parameters: Sequence[Any] = rows
        else:
            parameters = [tuple(row[i] for i in order) for row in rows]
    else:
        parameters = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    connection.exec_driver_sql(compiled.string, parameters)  # type: ignore[arg-type]


def attributes_json(attributes: Mapping[str, Any]) -> str:
    """What the JSON column itself writes (``json.dumps`` with default settings)."""
    return json.dumps(attributes) if attributes else "{}"


@contextmanager
def _rows(
    connection: Connection, statement: TextClause, parameters: Mapping[str, Any]
) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The driver's cursor over ``statement``'s rows (closed afterwards)."""
    compiled = _compiled(statement, connection.dialect)
    values = compiled.construct_params(dict(parameters))
    bound: Any = (
        tuple(values[name] for name in compiled.positiontup or ())
        if compiled.positional
        else values
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, bound)
        yield cursor
    finally:
        cursor.close()


_COMPILED: dict[tuple[str, str, str], Compiled] = {}


def _compiled(statement: TextClause, dialect: Dialect) -> Compiled:
    """``statement`` compiled once per dialect and parameter style."""
    key = (statement.text, dialect.name, dialect.paramstyle)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = statement.compile(dialect=dialect)
    return compiled


#: The attributes of every annotation that has none: one dict, like the default of
#: ``model.Annotation.attributes`` (annotations are never changed in place, only replaced).
_NO_ATTRIBUTES: dict[str, Any] = {}


def _attributes(raw: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(raw, dict):  # a driver that decodes JSON columns itself
        return raw
    return _NO_ATTRIBUTES if raw == "{}" else json.loads(raw)
