"""Carry spans from a document's old text to a new text of the same source (a re-import with
better readers): each span goes where its text is found again.

The new text may differ where the old one broke lines: a span's ``\\n`` (or any run of
whitespace) matches any run of whitespace, a hyphen before a line break matches the hyphen or
nothing ("inter-\\nnational" finds "international" and "well-known"), and a ligature matches
its letters. Of several places, the one nearest the span's proportional position wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.text import LIGATURES

_PIECES = re.compile(r"-[ \t]*\n\s*|\s+|.", re.S)


@dataclass(frozen=True)
class SpanToCarry:
    id: str
    start: int
    end: int


@dataclass
class Carried:
    moved: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (start, end)
    missing: list[str] = field(default_factory=list)  # ids whose text was not found


def pattern(span_text: str) -> re.Pattern[str]:
    parts: list[str] = []
    for piece in _PIECES.findall(span_text):
        if piece.startswith("-") and "\n" in piece:
            parts.append(r"-?\s*")
        elif piece.isspace():
            parts.append(r"\s+")
        elif piece in LIGATURES:
            parts.append(f"(?:{re.escape(piece)}|{re.escape(LIGATURES[piece])})")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def carry(old_text: str, new_text: str, spans: Sequence[SpanToCarry]) -> Carried:
    carried = Carried()
    old_length = max(len(old_text), 1)
    found: dict[str, list[tuple[int, int]]] = {}  # the same text is searched once
    for span in spans:
        text = old_text[span.start : span.end]
        if text not in found:
            found[text] = [
                m.span() for m in _overlapping(pattern(text), new_text) if m.end() > m.start()
            ]
        places = found[text]
        if not places:
            carried.missing.append(span.id)
            continue
        wanted = span.start / old_length * len(new_text)
        carried.moved[span.id] = min(places, key=lambda place: abs(place[0] - wanted))
    return carried


def _overlapping(compiled: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Every match, overlapping ones too ("aa" twice in "aaa")."""
    matches = []
    position = 0
    while (match := compiled.search(text, position)) is not None:
        matches.append(match)
        position = match.start() + 1
    return matches
