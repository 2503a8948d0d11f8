"""The documents of a project with their spans, one document at a time, read a batch at a
time: work over the whole corpus (agreement) whose memory must not grow with it. A span is a
row of ``core.agreement.SpanRecord``'s fields in its order.

One read transaction (one snapshot) for the whole walk; the document order on one cursor; each
batch's spans in one statement on the driver's cursor, no object per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select, text

from annotator.core.progress import Progress, tell
from annotator.store.annotation_rows import driver_rows, rows_of_ids
from annotator.store.models import Annotation, Document

if TYPE_CHECKING:
    from annotator.store.project import Project

#: Documents a batch (its ids are one statement's bound parameters: under SQLite's old 999).
BATCH = 900

_ORDER = text("SELECT id, length, status FROM documents ORDER BY position, id")
_NAMED = "SELECT id, length, status FROM documents WHERE id IN ({ids})"
_SPANS = (
    'SELECT a.annotator, a.document_id, l.name, a.start, a."end" FROM annotations a '
    "JOIN labels l ON l.id = a.label_id WHERE a.document_id IN ({ids}) "
    'ORDER BY a.document_id, a.start, a."end", a.id'
)


def _spans(connection: Connection, ids: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The spans of these documents by document, each a row of :class:`SpanRecord`'s fields in
    its order (made into no object of its own: there are millions)."""
    with rows_of_ids(connection, _SPANS, ids) as rows:
        # ordered by document: each document's rows are one run
        return {document: list(run) for document, run in groupby(rows, itemgetter(1))}


def _named(connection: Connection, ids: Sequence[str]) -> list[tuple[Any, ...]]:
    """(id, length, status) of these documents, in the order of ``ids``."""
    with rows_of_ids(connection, _NAMED, ids) as rows:
        by_id = {row[0]: tuple(row) for row in rows}
    return [by_id[id] for id in ids if id in by_id]


def documents_with_spans(
    project: Project,
    document_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[str, int, str, list[tuple[Any, ...]]]]:
    """(document id, length, status, its spans in text order, each a row of
    :class:`SpanRecord`'s fields in its order) for every document in list order,
    or for ``document_ids`` in their order. ``progress`` hears the documents done of all; its
    False stops the walk with :class:`Cancelled`."""
    with project.reading() as s:
        if s.get_bind().dialect.name == "postgresql":  # one snapshot for every batch
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        connection = s.connection()
        if document_ids is None:
            total = s.scalar(select(func.count()).select_from(Document)) or 0
        else:
            total = len(document_ids)
        tell(progress, 0, total, project.path)
        done = 0
        with _batches(connection, document_ids) as batches:
            for rows in batches:
                spans = _spans(connection, [row[0] for row in rows])
                for id, length, status in rows:
                    yield id, length, status, spans.get(id, [])
                done += len(rows)
                tell(progress, done, total, project.path)


@contextmanager
def _batches(
    connection: Connection, document_ids: Sequence[str] | None
) -> Iterator[Iterator[list[tuple[Any, ...]]]]:
    """Batches of (id, length, status): every document in list order, from one cursor, or
    ``document_ids`` in their order."""
    if document_ids is not None:
        chosen = document_ids
        yield (_named(connection, chosen[i : i + BATCH]) for i in range(0, len(chosen), BATCH))
        return
    with driver_rows(connection, _ORDER, {}) as order:
        yield iter(lambda: list(order.fetchmany(BATCH)), [])


def missing_documents(project: Project, ids: Sequence[str]) -> list[str]:
    """Those of ``ids`` that name no document of the project."""
    found: set[str] = set()
    with project.reading() as s:
        for i in range(0, len(ids), BATCH):
            chunk = list(ids[i : i + BATCH])
            found.update(s.scalars(select(Document.id).where(Document.id.in_(chunk))))
    return [id for id in ids if id not in found]


def layer_used(project: Project, name: str) -> bool:
    """Whether some annotation is in layer ``name`` (stops at the first)."""
    with project.reading() as s:
        return (
            s.scalar(select(Annotation.id).where(Annotation.annotator == name).limit(1)) is not None
        )
