"""The concordance's rows: a label's spans across documents with their context, a page at a
time, in one statement (no read per document; the context is cut from the text in SQL, so a
5 MB article is not handed to Python for 50 code points of it)."""

from __future__ import annotations

from sqlalchemy import Connection, case, func, literal, select, tuple_

from annotator.core.find import ConcordanceLine, flat
from annotator.store.fulltext import like_pattern
from annotator.store.models import Annotation, Document, DocumentText, Label

CONTEXT = 50
Key = tuple[int, int, str]


def page(
    connection: Connection, label: str, needle: str, after: Key | None, limit: int
) -> list[ConcordanceLine]:
    """Up to ``limit`` spans of ``label`` after ``after`` whose text holds ``needle`` (any case),
    in list order (document position, start, id)."""
    needle = needle.strip().lower()
    keys = (
        select(Annotation.id, Document.position, Annotation.start)
        .join(Label, Label.id == Annotation.label_id)
        .join(Document, Document.id == Annotation.document_id)
        .where(Label.name == label)
        .order_by(Document.position, Annotation.start, Annotation.id)
    )
    if needle:
        keys = keys.where(func.lower(Annotation.text).like(like_pattern(needle), escape="\\"))
    order = tuple_(Document.position, Annotation.start, Annotation.id)
    lines: list[ConcordanceLine] = []
    key = after
    while len(lines) < limit:
        # the page's spans are chosen first, then only they are cut from their texts: a sort
        # carrying every span's context read every text of the label
        chosen = (keys if key is None else keys.where(order > tuple_(*key))).limit(limit)
        page_keys = chosen.subquery()
        start, end = Annotation.start, Annotation.end
        left_from = case((start > CONTEXT, start - CONTEXT), else_=literal(0))
        query = (
            select(
                Document.id,
                Annotation.id,
                Document.title,
                func.substr(DocumentText.text, left_from + 1, start - left_from),
                Annotation.text,
                func.substr(DocumentText.text, end + 1, CONTEXT),
                page_keys.c.position,
                start,
            )
            .select_from(page_keys)
            .join(Annotation, Annotation.id == page_keys.c.id)
            .join(Document, Document.id == Annotation.document_id)
            .join(DocumentText, DocumentText.document_id == Annotation.document_id)
            .order_by(page_keys.c.position, page_keys.c.start, page_keys.c.id)
        )
        batch = connection.execute(query).all()
        for document_id, annotation_id, title, left, span, right, position, at in batch:
            key = (position, at, annotation_id)
            if needle and needle not in span.lower():
                continue  # a non-ASCII letter matched "_" but not the needle
            lines.append(
                ConcordanceLine(
                    document_id,
                    annotation_id,
                    title,
                    flat(left or "")[-CONTEXT:],
                    flat(span),
                    flat(right or "")[:CONTEXT],
                    key,
                )
            )
        if len(batch) < limit:
            break
    return lines[:limit]
