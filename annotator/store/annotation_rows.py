"""The one place where annotation rows become core annotations and back.

The ORM path (one annotation at a time: a keystroke, an undo) and the bulk path (opening a
document, exporting, importing 100k spans) both go through here. The bulk path skips SQLAlchemy's
per-row objects, which cost more than SQLite spends producing the rows, but its statements are
SQLAlchemy Core ``text()`` with named bound parameters, compiled for the connection's own dialect
(``?`` for SQLite, ``%(name)s`` for PostgreSQL's drivers): nothing here is SQLite-only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import Connection, TextClause, text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import Compiled

from annotator.core import model
from annotator.store import annotation_records as records
from annotator.store.annotation_records import COLUMNS, attributes_json
from annotator.store.models import Annotation

__all__ = [
    "COLUMNS",
    "attributes_json",
    "driver_rows",
    "from_orm",
    "insert",
    "read",
    "read_of_documents",
    "rows_of_ids",
    "to_orm",
]

OF_DOCUMENT = text(records.OF_DOCUMENT)
ALL = text(records.ALL)
INSERT = text(records.INSERT)
_OF_DOCUMENTS = (
    records.SELECT + "WHERE a.document_id IN ({ids}) ORDER BY a.document_id, " + records.IN_TEXT
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
    with driver_rows(connection, statement, parameters) as rows:
        return records.records(rows)


def read_of_documents(
    connection: Connection, document_ids: Sequence[str]
) -> dict[str, list[model.Annotation]]:
    """Annotations of these documents (a batch of a bulk read) in one statement, by document,
    each document's in text order."""
    if not document_ids:
        return {}
    with rows_of_ids(connection, _OF_DOCUMENTS, document_ids) as rows:
        found: dict[str, list[model.Annotation]] = {}
        for annotation in records.records(rows):
            found.setdefault(annotation.document_id, []).append(annotation)
        return found


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


@contextmanager
def driver_rows(
    connection: Connection, statement: TextClause, parameters: Mapping[str, Any]
) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The driver's cursor over ``statement``'s rows (closed afterwards): rows as plain tuples,
    no SQLAlchemy result processing (a JSON column's value comes as the driver gives it)."""
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


@contextmanager
def rows_of_ids(
    connection: Connection, sql: str, ids: Sequence[str]
) -> Iterator[Iterator[tuple[Any, ...]]]:
    """:func:`driver_rows` of ``sql`` whose ``{ids}`` (inside an ``IN (…)``) stands for ``ids``,
    a batch of a bulk read, each its own bound parameter."""
    parameters = {f"i{n}": id for n, id in enumerate(ids)}
    with driver_rows(connection, _with_ids(sql, len(ids)), parameters) as rows:
        yield rows


@cache
def _with_ids(sql: str, count: int) -> TextClause:
    """``sql`` with ``{ids}`` made ``count`` parameters ``:i0, :i1, …``: made once for each
    count (a walk in batches uses two, whole batches and the last one), as parsing a statement
    of 900 parameters costs milliseconds."""
    return text(sql.replace("{ids}", ", ".join(f":i{n}" for n in range(count))))


_COMPILED: dict[tuple[str, str, str], Compiled] = {}


def _compiled(statement: TextClause, dialect: Dialect) -> Compiled:
    """``statement`` compiled once per dialect and parameter style."""
    key = (statement.text, dialect.name, dialect.paramstyle)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = statement.compile(dialect=dialect)
    return compiled
