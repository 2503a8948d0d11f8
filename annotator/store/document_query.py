"""The document list's reads: a page of rows, their number, where one document stands and the
next unfinished one, each one statement over ``documents`` filtered and sorted in SQL (the
annotation counts are kept per document in a file, migration 0007; a server counts those of
the rows it returns). Nothing here reads more rows than
it returns, but for a filter on labels, layers or disagreements, which looks at each candidate
document's own annotations (by the ``document_id`` index)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from annotator.core import model
from annotator.core.document_query import DocumentFilter, DocumentOrder, DocumentQuery
from annotator.store.models import Annotation, Document, Label

_COUNTED = (
    select(func.count(Annotation.id))
    .where(Annotation.document_id == Document.id)
    .correlate(Document)
    .scalar_subquery()
)


def _count_of(s: Session) -> ColumnElement[int]:
    """Each document's annotation count: kept in its row in a file; on a server (where keeping
    it would make labellers of one document wait for each other) counted by the index."""
    if s.get_bind().dialect.name == "postgresql":
        return _COUNTED
    return Document.annotation_count


def _summary_columns(s: Session) -> tuple[ColumnElement[Any], ...]:
    return (
        Document.id,
        Document.title,
        Document.source,
        Document.status,
        Document.length,
        _count_of(s),
    )


_STATUS_ORDER = case(
    {status.value: n for n, status in enumerate(model.DocumentStatus)},
    value=Document.status,
    else_=len(model.DocumentStatus),
)


def _keys(s: Session, order: DocumentOrder) -> Sequence[ColumnElement[Any]]:
    """The sort key, made total by the list order and the id."""
    first: dict[DocumentOrder, Sequence[ColumnElement[Any]]] = {
        DocumentOrder.LIST: (),
        DocumentOrder.TITLE: (func.lower(Document.title),),
        DocumentOrder.COUNT: (_count_of(s),),
        DocumentOrder.STATUS: (_STATUS_ORDER,),
    }
    return (*first[order], Document.position, Document.id)


def _conditions(f: DocumentFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.title:
        conditions.append(Document.title.icontains(f.title, autoescape=True))
    if f.status is not None:
        conditions.append(Document.status == f.status.value)
    if f.label is not None or f.annotator is not None:
        span = select(Annotation.id).where(Annotation.document_id == Document.id)
        if f.label is not None:
            label_id = select(Label.id).where(Label.name == f.label).scalar_subquery()
            span = span.where(Annotation.label_id == label_id)
        if f.annotator is not None:
            span = span.where(Annotation.annotator == f.annotator)
        conditions.append(exists(span))
    if f.disagreements:
        conditions.append(_has_disagreements())
    return conditions


def _has_disagreements() -> ColumnElement[bool]:
    """Some span (start, end, label) of one layer is missing from another layer that holds
    spans in the same document."""
    span, layer, same = aliased(Annotation), aliased(Annotation), aliased(Annotation)
    missing = ~exists(
        select(same.id).where(
            same.document_id == span.document_id,
            same.annotator == layer.annotator,
            same.start == span.start,
            same.end == span.end,
            same.label_id == span.label_id,
        )
    )
    return exists(
        select(span.id)
        .join(layer, and_(layer.document_id == span.document_id, layer.annotator != span.annotator))
        .where(span.document_id == Document.id, missing)
    )


def _filtered(query: DocumentQuery, *columns: Any) -> Select[Any]:
    return select(*columns).select_from(Document).where(*_conditions(query.filter))


def _ordered(s: Session, statement: Select[Any], query: DocumentQuery) -> Select[Any]:
    keys = _keys(s, query.order)
    return statement.order_by(*(k.desc() if query.descending else k for k in keys))


def _summary(row: Any) -> model.DocumentSummary:
    id, title, source, status, length, count = row
    return model.DocumentSummary(id, title, source, model.DocumentStatus(status), count, length)


def count(s: Session, query: DocumentQuery) -> int:
    return s.scalar(_filtered(query, func.count())) or 0


def page(
    s: Session, query: DocumentQuery, offset: int, limit: int | None
) -> list[model.DocumentSummary]:
    columns = _summary_columns(s)
    statement = _ordered(s, _filtered(query, *columns), query).offset(offset).limit(limit)
    return [_summary(row) for row in s.execute(statement)]


def _after(
    s: Session, query: DocumentQuery, document_id: str, *, before: bool = False
) -> ColumnElement[bool] | None:
    """Rows after (or before) ``document_id`` in the query's order; None if there is no such
    document."""
    keys = _keys(s, query.order)
    values = s.execute(select(*keys).where(Document.id == document_id)).first()
    if values is None:
        return None
    theirs, mine = tuple_(*keys), tuple_(*values)
    return theirs < mine if query.descending != before else theirs > mine


def rank(s: Session, query: DocumentQuery, document_id: str) -> int | None:
    """Where ``document_id`` stands in the list (0 first); None if the filter leaves it out."""
    shown = s.scalar(_filtered(query, func.count()).where(Document.id == document_id))
    earlier = _after(s, query, document_id, before=True) if shown else None
    if earlier is None:
        return None
    return s.scalar(_filtered(query, func.count()).where(earlier)) or 0


def next_unfinished(s: Session, query: DocumentQuery, document_id: str | None) -> str | None:
    """The first document not done after ``document_id`` in the list, wrapping round to the
    top; never ``document_id`` itself."""
    unfinished = _filtered(query, Document.id).where(
        Document.status != model.DocumentStatus.DONE.value
    )
    after = _after(s, query, document_id) if document_id else None
    if after is not None:
        found = s.scalar(_ordered(s, unfinished.where(after), query).limit(1))
        if found is not None:
            return found
    others = unfinished if document_id is None else unfinished.where(Document.id != document_id)
    return s.scalar(_ordered(s, others, query).limit(1))


def summaries(s: Session, ids: Sequence[str]) -> list[model.DocumentSummary]:
    """These documents' rows (in list order), for a view that shows them already."""
    statement = select(*_summary_columns(s)).where(Document.id.in_(ids)).order_by(Document.position)
    return [_summary(row) for row in s.execute(statement)]
