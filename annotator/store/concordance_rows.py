"""The concordance's rows: a label's spans across documents with their context, a page at a
time, in a few statements whatever the number of documents (never one per document; the
context is cut from the text in SQL, so a 5 MB article is not handed to Python for 50 code
points of it).

A page is found by walking the documents in list order a growing stretch at a time (200, then
four times as many each step), reading their spans of the label through the
``(document_id, start)`` index: the first page of a label with half a million spans reads a
few hundred documents, not the half million spans. A filter that matches rarely would walk
the whole list so; after a few steps the rest is one statement over the label's spans.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, text

from annotator.core.find import ConcordanceLine, flat
from annotator.store.fulltext import like_pattern

CONTEXT = 50
Key = tuple[int, int, str]
FIRST_STRETCH = 200
STEPS = 4  # stretches walked before the rest is one statement

_FILTER = " AND lower(a.text) LIKE :pattern ESCAPE '\\'"
_AFTER = (
    " AND (d.position > :position OR (d.position = :position AND (a.start > :start"
    " OR (a.start = :start AND a.id > :id))))"
)
_LABEL = "(SELECT id FROM labels WHERE name = :label)"
# a stretch of documents first (CROSS JOIN keeps SQLite from starting at the label's index),
# and the stretch's last document even when none of them has a span of the label
_STRETCH = (
    "WITH d AS (SELECT id, position FROM documents WHERE position > :beyond"
    " ORDER BY position LIMIT :documents),"
    " e AS (SELECT max(position) AS last FROM d)"
    " SELECT e.last, s.id, s.position, s.start, s.text FROM e LEFT JOIN ("
    " SELECT a.id AS id, d.position AS position, a.start AS start, a.text AS text"
    f" FROM d CROSS JOIN annotations a WHERE a.document_id = d.id AND a.label_id + 0 = {_LABEL}"
    " {where} ORDER BY d.position, a.start, a.id LIMIT :limit) s ON 1 = 1"
    " ORDER BY s.position, s.start, s.id"
)
_REST = (
    "SELECT NULL, a.id, d.position, a.start, a.text FROM annotations a"
    f" JOIN documents d ON d.id = a.document_id WHERE a.label_id = {_LABEL}"
    " {where} ORDER BY d.position, a.start, a.id LIMIT :limit"
)
_CONTEXT = text(
    "SELECT a.id, d.id, d.title,"
    " substr(t.text, (CASE WHEN a.start > :context THEN a.start - :context ELSE 0 END) + 1,"
    " a.start - (CASE WHEN a.start > :context THEN a.start - :context ELSE 0 END)),"
    ' a.text, substr(t.text, a."end" + 1, :context)'
    " FROM annotations a JOIN documents d ON d.id = a.document_id"
    " JOIN document_texts t ON t.document_id = a.document_id WHERE a.id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_PAST = 2**62  # a start after every span: "this document is done"


def page(
    connection: Connection, label: str, needle: str, after: Key | None, limit: int
) -> list[ConcordanceLine]:
    """Up to ``limit`` spans of ``label`` after ``after`` whose text holds ``needle`` (any case),
    in list order (document position, start, id)."""
    needle = needle.strip().lower()
    where = (_FILTER if needle else "") + _AFTER
    cursor: Key = after or (-1, -1, "")
    beyond = cursor[0] - 1  # the cursor's document may have more spans
    chosen: list[tuple[str, Key]] = []
    stretch, steps = FIRST_STRETCH, 0
    while len(chosen) < limit:
        walking = steps < STEPS
        query = (_STRETCH if walking else _REST).replace("{where}", where)
        position, start, id = cursor
        rows = connection.execute(
            text(query),
            {
                "label": label,
                "pattern": like_pattern(needle),
                "limit": limit,
                "position": position,
                "start": start,
                "id": id,
                "beyond": beyond,
                "documents": stretch,
            },
        ).all()
        last_document, found = None, 0
        for last, annotation_id, at_position, at_start, span in rows:
            last_document = last
            if annotation_id is None:
                continue  # a stretch without a span of the label
            found += 1
            cursor = (at_position, at_start, annotation_id)
            if needle and needle not in span.lower():
                continue  # a letter that stood as "_" matched, the needle does not
            chosen.append((annotation_id, cursor))
        if found == limit:  # cut short by the limit: on from the last span read
            beyond = cursor[0] - 1
            continue
        if not walking or last_document is None:
            break  # read to the end
        cursor, beyond = (last_document, _PAST, ""), last_document
        steps, stretch = steps + 1, stretch * 4
    return _with_context(connection, chosen[:limit])


def _with_context(connection: Connection, chosen: list[tuple[str, Key]]) -> list[ConcordanceLine]:
    if not chosen:
        return []
    rows = {
        row[0]: row[1:]
        for row in connection.execute(
            _CONTEXT, {"ids": [a for a, _k in chosen], "context": CONTEXT}
        )
    }
    lines = []
    for annotation_id, key in chosen:
        if annotation_id not in rows:
            continue  # deleted meanwhile
        document_id, title, left, span, right = rows[annotation_id]
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
    return lines
