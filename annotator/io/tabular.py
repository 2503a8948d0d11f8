"""One row per annotation, shared by the CSV and Excel exports.

Columns: document, document_id, label, start, end, text, one column per attribute (the union over
all labels, in label order, then attributes only found on annotations), note, annotator,
created, modified. ``start``/``end`` are code points of the canonical text, end exclusive.
An attribute whose name clashes with a fixed column is headed ``attribute: <name>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.io.registry import ExportData

HEAD = ("document", "document_id", "label", "start", "end", "text")
TAIL = ("note", "annotator", "created", "modified")


def table(data: ExportData) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows (values keep their Python types; unset attributes are None)."""
    documents = list(data.documents)
    names: list[str] = []
    for label in data.labels:
        names += [a.name for a in label.attributes if a.name not in names]
    for item in documents:
        for a in item.annotations:
            names += [n for n in a.attributes if n not in names]
    fixed = set(HEAD) | set(TAIL)
    header = [*HEAD, *(f"attribute: {n}" if n in fixed else n for n in names), *TAIL]

    def rows() -> Iterator[list[Any]]:
        for item in documents:
            for a in item.annotations:
                yield [
                    item.document.title,
                    item.document.id,
                    a.label,
                    a.start,
                    a.end,
                    a.text,
                    *(a.attributes.get(n) for n in names),
                    a.note,
                    a.annotator,
                    a.created,
                    a.modified,
                ]

    return header, rows()
