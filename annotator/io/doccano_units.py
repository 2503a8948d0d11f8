"""Which unit a doccano file's offsets count: UTF-16 code units or grapheme clusters.

doccano writes ``[start, end, "LABEL"]`` triples (or ``entities`` with ``start_offset`` and
``end_offset``) and nothing else about a span: not its text, not the project's "Count grapheme
clusters as one character" setting. The offsets themselves are the only evidence, so the rule,
over the whole file (one doccano project counts one way), is:

- a span *fits* a unit when ``0 <= start < end <= length of the text in that unit`` and, in
  UTF-16, neither end falls between the two halves of a surrogate pair;
- a text whose every grapheme cluster is one UTF-16 code unit (ASCII, most BMP text without
  combining marks or ``\\r\\n``) reads the same both ways, and its spans are no evidence;
- when every span fits one unit and some span does not fit the other, the file is read in the
  unit that fits, silently;
- when every span fits both and the two readings land on the same characters, it does not
  matter (read as UTF-16);
- when every span fits both and some span lands on different characters (a grapheme-mode
  export of text with accents written as combining marks, or with an emoji early in a long
  text), the file cannot tell: it is refused, naming a span and both its readings, and asks for
  ``--doccano-offsets utf16`` or ``--doccano-offsets graphemes``;
- when no unit fits every span, the file is read as UTF-16, which refuses it naming the span.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.core.errors import OptionNeeded
from annotator.core.graphemes import GraphemeMap
from annotator.core.offsets import OffsetMap

AUTO, UTF16, GRAPHEMES = "auto", "utf16", "graphemes"
CHOICES = (AUTO, UTF16, GRAPHEMES)

#: a document: where it is (for messages), its raw text, and its spans' (start, end, label)
Spans = tuple[str, str, Sequence[tuple[Any, Any, str]]]


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _utf16(units: OffsetMap, start: int, end: int) -> tuple[int, int] | None:
    if not 0 <= start < end <= units.utf16_length:
        return None
    if units.is_inside_pair(start) or units.is_inside_pair(end):
        return None
    return units.from_utf16(start), units.from_utf16(end)


def _graphemes(clusters: GraphemeMap, start: int, end: int) -> tuple[int, int] | None:
    if not 0 <= start < end <= clusters.length:
        return None
    return clusters.from_graphemes(start), clusters.from_graphemes(end)


def _same_both_ways(raw: str) -> bool:
    return raw.isascii() and "\r" not in raw


def offsets_unit(path: Path, documents: Iterable[Spans]) -> str:
    """``UTF16`` or ``GRAPHEMES`` by the rule above; raises :class:`OptionNeeded` when the file
    cannot tell."""
    fits = {UTF16: True, GRAPHEMES: True}
    differs: str | None = None  # the first span read differently, for the message
    for where, raw, spans in documents:
        spans = [(s, e, label) for s, e, label in spans if _whole(s) and _whole(e)]
        if not spans or _same_both_ways(raw):
            continue
        units, clusters = OffsetMap(raw), GraphemeMap(raw)
        for n, (start, end, label) in enumerate(spans, 1):
            as_utf16, as_graphemes = _utf16(units, start, end), _graphemes(clusters, start, end)
            fits[UTF16] &= as_utf16 is not None
            fits[GRAPHEMES] &= as_graphemes is not None
            if differs is None and as_utf16 and as_graphemes and as_utf16 != as_graphemes:
                differs = (
                    f"{where}, span {n} ({label} {start}..{end}) reads "
                    f"{raw[slice(*as_utf16)][:30]!r} in UTF-16 code units, "
                    f"{raw[slice(*as_graphemes)][:30]!r} in grapheme clusters"
                )
        if not (fits[UTF16] or fits[GRAPHEMES]):
            return UTF16  # reading it refuses it, naming the span
    if fits[UTF16] and fits[GRAPHEMES] and differs is not None:
        raise OptionNeeded(
            path,
            "cannot tell whether its offsets count UTF-16 code units or grapheme clusters "
            f"(doccano's 'Count grapheme clusters as one character'): {differs}",
            option="doccano_offsets",
            choices=(UTF16, GRAPHEMES),
            hint="give --doccano-offsets utf16 or --doccano-offsets graphemes",
        )
    return UTF16 if fits[UTF16] else GRAPHEMES
