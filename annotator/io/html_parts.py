"""An HTML page cut into several complete pages, each about ``budget`` characters of markup.

WeasyPrint holds every box of every page of a document until it writes the PDF: a 1 MB article
with 10k notes (1,380 pages) took 3 GB. Printed part by part, the memory is one part's. The
writer marks where a cut may fall (:data:`CUT`: between paragraphs, notes, rows, segments,
sections); at a cut, every element still open is closed, and the next part opens them again with
the same start tags (a table also gets its header row back), after the same ``<head>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

CUT = "<!--cut-->"  # never in escaped text, where every "<" is "&lt;"
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})
_BODY = "<body>"
_VALUE = re.compile(r'\svalue="(\d+)"')


class _Open:
    """An element open at the current position, and the markup that opens it again."""

    __slots__ = ("name", "start_tag", "reopen", "head_from", "items")

    def __init__(self, name: str, start_tag: str) -> None:
        self.name = name
        self.start_tag = start_tag
        self.reopen = start_tag
        self.head_from = -1  # a table: where its <thead> starts in the piece being read
        self.items = 0  # a list: the number of its last item

    def count(self, item_tag: str) -> None:
        """A list's item started: the list reopens counting on from it (WeasyPrint reads
        neither ``<ol start>`` nor ``<li value>``; it reads ``counter-reset: list-item``)."""
        value = _VALUE.search(item_tag)
        self.items = int(value.group(1)) if value else self.items + 1
        self.reopen = f'{self.start_tag[:-1]} style="counter-reset: list-item {self.items}">'


def split(pieces: Iterable[str], budget: int) -> Iterator[str]:
    """The page made of ``pieces`` (the first holds the ``<head>`` and ``<body>``; each piece
    ends where a cut may fall, as does each :data:`CUT` inside one) as complete pages of about
    ``budget`` characters each (a part grows past it only until its next cut)."""
    stream = iter(pieces)
    first = next(stream, "")
    at = first.index(_BODY)
    head, first = first[:at], first[at:]
    stack: list[_Open] = []
    part: list[str] = []
    size = 0  # characters of content in this part, beyond what reopens the open elements

    def cut_points() -> Iterator[str]:
        yield from first.split(CUT)
        for piece in stream:
            yield from piece.split(CUT)

    for chunk in cut_points():
        if size >= budget and stack:
            closing = "".join(f"</{e.name}>" for e in reversed(stack))
            yield head + "".join(part) + closing + "</html>"
            part = [e.reopen for e in stack]
            size = 0
        part.append(chunk)
        size += len(chunk)
        _follow(chunk, stack)
    yield head + "".join(part)


def _table(stack: list[_Open]) -> _Open | None:
    return next((e for e in reversed(stack) if e.name == "table"), None)


def _follow(chunk: str, stack: list[_Open]) -> None:
    """Keep ``stack`` the elements open after ``chunk``; a table's ``<thead>`` is added to what
    reopens it, so a table continued in the next part keeps its column heads."""
    for match in _TAG.finditer(chunk):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            while stack:
                element = stack.pop()
                if element.name == name:
                    break
            table = _table(stack)
            if name == "thead" and table is not None and table.head_from >= 0:
                table.reopen += chunk[table.head_from : match.end()]  # one piece in our markup
                table.head_from = -1
            continue
        if self_closing or name in _VOID:
            continue
        if name == "thead" and (table := _table(stack)) is not None:
            table.head_from = match.start()
        if name == "li" and stack and stack[-1].name == "ol":
            stack[-1].count(match.group(0))
        stack.append(_Open(name, match.group(0)))
