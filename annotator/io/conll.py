"""CoNLL-2003-style IOB2, for training and scoring sequence taggers (``token TAG`` per line).

- One token per line, a space, its IOB2 tag (``B-Claim``, ``I-Claim``, ``O``); a blank line
  between paragraphs (lines of the text) and ``-DOCSTART- -X- -X- O`` before each document.
  Spaces in labels become ``_`` (``B-Tier_rating``).
- Tokens come from a small regular-expression tokenizer (:func:`tokens`): runs of letters, digits
  and ``_`` with their combining marks; emoji with their modifiers, ZWJ sequences and flag
  pairs; every other non-space character alone. Invisible format characters are not tokens.
- A span covers every token it touches (a span that starts or ends inside a token is widened to
  whole tokens; the report counts them). Where spans overlap, the longest wins and the others
  are dropped (counted in the report). A paragraph break inside a span does not end the
  sentence, so no entity is cut in two.
- Offsets, attributes, notes and the exact whitespace are not kept.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from functools import cache
from pathlib import Path

from annotator.core.model import Annotation, Document
from annotator.io.files import atomic_text_writer
from annotator.io.registry import ExportData, ExportOptions, ExportReport

DOCSTART = "-DOCSTART- -X- -X- O"


@cache
def _token_pattern() -> re.Pattern[str]:
    marks = [
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith("M")
    ]
    joiners = re.escape("".join(marks)) + "\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
    word = rf"(?:\w|[{joiners}])+"
    flag = r"[\U0001f1e6-\U0001f1ff]{2}"
    other = rf"[^\w\s{joiners}](?:[{joiners}]|\u200d[^\s\u200d])*"
    return re.compile(f"{word}|{flag}|{other}")


def tokens(text: str) -> list[tuple[int, int]]:
    """Token (start, end) code-point offsets of ``text``."""
    return [
        m.span()
        for m in _token_pattern().finditer(text)
        if not all(unicodedata.category(ch) in ("Cf", "Cc") for ch in m.group())
    ]


def tag_name(label: str) -> str:
    return re.sub(r"\s+", "_", label.strip()) or "_"


def document_lines(document: Document, spans: list[Annotation]) -> tuple[list[str], int, int]:
    """The lines for one document, and how many spans were widened and dropped."""
    text = document.text
    found = tokens(text)
    tags = ["O"] * len(found)
    widened = dropped = 0
    taken = [False] * len(found)
    starts, ends = [s for s, _ in found], [e for _, e in found]
    for a in sorted(spans, key=lambda a: (-(a.end - a.start), a.start)):
        covered = list(range(bisect_right(ends, a.start), bisect_left(starts, a.end)))
        if not covered or any(taken[i] for i in covered):
            dropped += 1
            continue
        widened += (found[covered[0]][0], found[covered[-1]][1]) != (a.start, a.end)
        for n, i in enumerate(covered):
            taken[i] = True
            tags[i] = f"{'B' if n == 0 else 'I'}-{tag_name(a.label)}"
    lines: list[str] = []
    previous_end = 0
    for i, (start, end) in enumerate(found):
        inside = tags[i].startswith("I-")
        if lines and not inside and "\n" in text[previous_end:start]:
            lines.append("")
        lines.append(f"{text[start:end]} {tags[i]}")
        previous_end = end
    return lines, widened, dropped


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    widened = dropped = 0
    with atomic_text_writer(target) as out:
        for item in data.documents:
            lines, w, d = document_lines(item.document, item.annotations)
            widened, dropped = widened + w, dropped + d
            out.write(f"{DOCSTART}\n\n")
            if lines:
                out.write("\n".join(lines) + "\n\n")
    notes = []
    if dropped:
        notes.append(
            f"{dropped} spans overlapped a longer span (or covered no token) and were "
            "left out: CoNLL gives each token one tag"
        )
    if widened:
        notes.append(
            f"{widened} spans started or ended inside a word and were widened to whole tokens"
        )
    return ExportReport(notes)
