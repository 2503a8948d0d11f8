"""Span geometry in code points: snapping selections, lines, and which spans touch each line."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# Qt starts a new block at \n and at U+2029 PARAGRAPH SEPARATOR; lines here must match blocks.
_NEWLINE = re.compile("[\n\u2029]")
_JOINERS = {"\u200d", "\ufe0f", "\ufe0e"}


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in _JOINERS or unicodedata.category(ch)[0] in "MS"


def _is_slop(ch: str) -> bool:
    """Whitespace and punctuation that a sloppy drag picks up at a selection's edges."""
    return ch.isspace() or unicodedata.category(ch)[0] in "PZC"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim spaces/punctuation off both ends, then widen to whole words.

    Returns ``None`` when nothing but slop was selected.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and _is_slop(text[start]):
        start += 1
    while end > start and _is_slop(text[end - 1]):
        end -= 1
    if start == end:
        return None
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    return start, end


class LineIndex:
    """Where each ``\\n``-separated line (a Qt block) starts, in code points."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        self.length = len(text)

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, position: int) -> int:
        return bisect_right(self.starts, position) - 1

    def span(self, line: int) -> tuple[int, int]:
        """Code-point range of ``line`` without its newline."""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else self.length
        return self.starts[line], end


class Span(NamedTuple):
    """A span as the reader needs it; tuple order (start, end, label, id) is text order."""

    start: int
    end: int
    label: str
    id: str


class SpanIndex:
    """The spans of one document, by line, updated one span at a time."""

    def __init__(self, lines: LineIndex, spans: Iterable[Span] = ()) -> None:
        self.lines = lines
        self._by_line: defaultdict[int, list[Span]] = defaultdict(list)
        self._by_id: dict[str, Span] = {}
        # the loop below runs 50k times when a big document opens: kept free of method calls
        starts, by_line, by_id = lines.starts, self._by_line, self._by_id
        for span in sorted(spans):
            by_id[span.id] = span
            first = bisect_right(starts, span.start) - 1
            last = bisect_right(starts, span.end - 1) - 1
            if first == last:
                by_line[first].append(span)
            else:
                for line in range(first, last + 1):
                    by_line[line].append(span)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Span]:
        return iter(self._by_id.values())

    def __contains__(self, span_id: str) -> bool:
        return span_id in self._by_id

    def get(self, span_id: str) -> Span | None:
        return self._by_id.get(span_id)

    def _lines_of(self, span: Span) -> range:
        return range(self.lines.line_of(span.start), self.lines.line_of(span.end - 1) + 1)

    def add(self, span: Span) -> range:
        """Add ``span``; returns the lines to repaint."""
        self._by_id[span.id] = span
        lines = self._lines_of(span)
        for line in lines:
            insort(self._by_line[line], span)
        return lines

    def remove(self, span_id: str) -> range:
        span = self._by_id.pop(span_id, None)
        if span is None:
            return range(0)
        lines = self._lines_of(span)
        for line in lines:
            self._by_line[line].remove(span)
        return lines

    def in_line(self, line: int) -> list[Span]:
        return self._by_line.get(line, [])

    def at(self, position: int) -> list[Span]:
        """Spans covering ``position``, innermost (shortest) first."""
        line = self.lines.line_of(position)
        hits = [s for s in self.in_line(line) if s.start <= position < s.end]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start))


def segments(
    spans: Iterable[Span], start: int, end: int
) -> Iterator[tuple[int, int, frozenset[str]]]:
    """Split ``start..end`` into pieces covered by the same set of labels (empty sets skipped)."""
    events: list[tuple[int, int, str]] = []
    for span in spans:
        s, e = max(span.start, start), min(span.end, end)
        if s < e:
            events.append((s, 1, span.label))
            events.append((e, -1, span.label))
    if not events:
        return
    events.sort()
    active: dict[str, int] = {}
    previous = events[0][0]
    for position, delta, label in events:
        if position > previous and active:
            yield previous, position, frozenset(active)
        previous = position
        count = active.get(label, 0) + delta
        if count:
            active[label] = count
        else:
            active.pop(label, None)
