"""One row per annotation, shared by the CSV and Excel exports.

Columns: document, document_id, label, start, end, text, one column per attribute (the union over
all labels, in label order, then attributes only found on annotations), note, annotator,
created, modified. ``start``/``end`` are code points of the canonical text, end exclusive.
An attribute whose name clashes with a fixed column is headed ``attribute: <name>``.

:func:`protect` is the one guard against formulas (CSV injection) of every CSV the program
writes (this table, the Taguette codebook); :func:`unprotect` undoes it exactly where the
program reads such a file back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from annotator.io.registry import ExportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula: it starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return and is not a plain number (OWASP's list). Text
    that is such a value behind ``'`` counts too, so that :func:`unprotect` can tell the ``'``
    that :func:`protect` added from one the value had."""
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(bare)


def protect(text: str) -> tuple[str, bool]:
    """``text`` with a leading ``'`` if it looks like a formula (spreadsheets then show it as
    text), and whether it got one."""
    return ("'" + text, True) if looks_like_formula(text) else (text, False)


def unprotect(text: str) -> str:
    """:func:`protect` undone: ``unprotect(protect(t)[0]) == t`` for every ``t``."""
    return text[1:] if text.startswith("'") and looks_like_formula(text[1:]) else text


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
