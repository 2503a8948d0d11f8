"""Turn a PDF's positioned text lines into running text: reading order across columns, running
headers and footers left out, the lines of one paragraph joined, split words mended.

Pure geometry and text: :mod:`annotator.io.pdf` feeds it the text boxes pdfminer's layout
analysis finds (a box is a run of lines set close together: a paragraph, a heading, a footer).
Coordinates are PDF points with y growing upwards, as pdfminer gives them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.text import letters

__all__ = ["Box", "Line", "Page", "letters", "reflow"]

# A line in the top or bottom 12 % of the page's text area may be a running header or footer.
MARGIN_SHARE = 0.12
# A header or footer repeats on at least half the pages (and on two at least).
REPEAT_SHARE = 0.5
# "12", "- 12 -", "Page 12", "12/30", "Page 12 of 30", "p. 12": a page number on its own.
PAGE_NUMBER = re.compile(r"^[\W_]*(?:page|p\.|pg\.?)?\s*0\s*(?:(?:of|/)\s*0)?[\W_]*$", re.I)
HYPHENS = "-\u00ad\u2010"
CLOSED_UP = (
    "\u2014",
    "/",
)  # an em dash or a slash at a line end joins without a space  # hyphen-minus, soft hyphen, hyphen
SENTENCE_END = tuple(".!?:;\u201d\u2019\"')]\u2026")


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Box:
    lines: list[Line]
    x0: float = field(init=False)
    y0: float = field(init=False)
    x1: float = field(init=False)
    y1: float = field(init=False)

    def __post_init__(self) -> None:
        self.x0 = min(line.x0 for line in self.lines)
        self.y0 = min(line.y0 for line in self.lines)
        self.x1 = max(line.x1 for line in self.lines)
        self.y1 = max(line.y1 for line in self.lines)


@dataclass
class Page:
    height: float
    boxes: list[Box]


def reflow(pages: Sequence[Page]) -> str:
    """The running text of these pages: paragraphs apart by a blank line."""
    kept = _without_running_lines([_without_line_numbers(page) for page in pages])
    blocks = [
        [line.text for line in paragraph.lines]
        for page in kept
        for box in _reading_order(page)
        for paragraph in _paragraphs(box)
    ]
    every_line = [text for block in blocks for text in block]
    compounds = _inline_compounds(every_line)
    paragraphs: list[str] = []
    for block in blocks:
        text = _join_lines(block, compounds)
        if not text:
            continue
        if paragraphs and _continues(paragraphs[-1], text):
            paragraphs[-1] = _join_lines([paragraphs[-1], text], compounds)
        else:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# -- running headers and footers ----------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\d+", "0", " ".join(text.lower().split()))


def _in_margin(line: Line, area: tuple[float, float]) -> bool:
    bottom, top = area
    band = (top - bottom) * MARGIN_SHARE
    return line.y0 >= top - band or line.y1 <= bottom + band


def _text_area(page: Page) -> tuple[float, float]:
    """From the lowest line's bottom to the highest line's top: a printer's proof or a scan
    has a page far larger than its text, so the page's own height says little."""
    lines = [line for box in page.boxes for line in box.lines]
    if not lines:
        return (0.0, page.height)
    return (min(line.y0 for line in lines), max(line.y1 for line in lines))


def _without_running_lines(pages: Sequence[Page]) -> list[Page]:
    """Pages less the lines in the top or bottom margin that repeat on most pages (digits
    aside, so "Page 3" matches "Page 4"), and a one-page PDF's page number."""
    seen: Counter[str] = Counter()
    areas = [_text_area(page) for page in pages]
    for page, area in zip(pages, areas, strict=True):
        seen.update(
            {_key(line.text) for box in page.boxes for line in box.lines
             if _in_margin(line, area)}
        )  # fmt: skip
    needed = max(2, math.ceil(len(pages) * REPEAT_SHARE))
    running = {key for key, count in seen.items() if count >= needed}

    def drop(line: Line, area: tuple[float, float]) -> bool:
        if not _in_margin(line, area):
            return False
        key = _key(line.text)
        # On more pages a page number repeats like any running line ("page 0"); a lone one
        # is not taken on its own there: a table's last figure looks the same.
        return key in running or (len(pages) == 1 and bool(PAGE_NUMBER.match(key)))

    kept = []
    for page, area in zip(pages, areas, strict=True):
        boxes = []
        for box in page.boxes:
            lines = [line for line in box.lines if not drop(line, area)]
            if lines:
                boxes.append(Box(lines))
        kept.append(Page(page.height, boxes))
    return kept


# -- pleading paper's line numbers -------------------------------------------------------------

LINE_NUMBERS = 5  # at least this many, 1, 2, 3, ... down one edge of the page


def _without_line_numbers(page: Page) -> Page:
    """A court filing's line numbers (1, 2, 3, ... down the margin, one under the other) are
    not its text. A table's column of figures is rarely 1, 2, 3 in a row, so it stays."""
    numbers = [line for box in page.boxes for line in box.lines if line.text.strip().isdigit()]
    by_edge: dict[int, list[Line]] = {}
    for line in numbers:
        by_edge.setdefault(round(line.x1 / 4), []).append(line)  # right-aligned, within 4 pt
    gone: set[int] = set()
    for lines in by_edge.values():
        lines.sort(key=lambda line: -line.y1)
        values = [int(line.text.strip()) for line in lines]
        if len(values) >= LINE_NUMBERS and values == list(
            range(values[0], values[0] + len(values))
        ):
            gone.update(id(line) for line in lines)
    if not gone:
        return page
    boxes = []
    for box in page.boxes:
        lines = [line for line in box.lines if id(line) not in gone]
        if lines:
            boxes.append(Box(lines))
    return Page(page.height, boxes)


# -- paragraphs within a box --------------------------------------------------------------------


def _paragraphs(box: Box) -> list[Box]:
    """pdfminer's box is lines set close together; where paragraphs follow one another without
    a gap (double-spaced filings, indented paragraphs), a new one starts at a line indented
    from the box's left edge after a line that ends a sentence, or after a wider gap."""
    lines = box.lines
    if len(lines) < 2:
        return [box]
    left = min(line.x0 for line in lines)
    pitches = sorted(a.y0 - b.y0 for a, b in zip(lines, lines[1:], strict=False))
    pitch = pitches[len(pitches) // 2]
    groups: list[list[Line]] = [[lines[0]]]
    for n, (before, line) in enumerate(zip(lines, lines[1:], strict=False), start=1):
        height = line.y1 - line.y0
        below = before.y0 - line.y0 > height / 2  # not the rest of the same printed line
        after = lines[n + 1] if n + 1 < len(lines) else None
        # a first-line indent: the next line is back at the edge (a hanging indent, as in a
        # list of references, keeps the lines after the first indented)
        back = after is None or after.x0 <= left + 0.6 * height
        indented = (
            below
            and back
            and line.x0 > left + 0.6 * height
            and before.text.rstrip().endswith(SENTENCE_END)
        )
        gapped = pitch > 0 and before.y0 - line.y0 > 1.5 * pitch
        if indented or gapped:
            groups.append([])
        groups[-1].append(line)
    return [Box(group) for group in groups]


# -- reading order: a recursive XY cut ----------------------------------------------------------


def _reading_order(page: Page) -> list[Box]:
    return _order(page.boxes)


def _order(boxes: list[Box]) -> list[Box]:
    if len(boxes) <= 1:
        return boxes
    columns = _split_x(boxes)
    if len(columns) > 1:
        return [box for column in columns for box in _order(column)]
    bands = _merge_column_bands(_split_y(boxes))
    if len(bands) > 1:
        return [box for band in bands for box in _order(band)]
    return sorted(boxes, key=lambda box: (-box.y1, box.x0))


def _split_x(boxes: Iterable[Box]) -> list[list[Box]]:
    """Boxes in columns: groups no box bridges horizontally, left to right."""
    groups: list[list[Box]] = []
    right = -math.inf
    for box in sorted(boxes, key=lambda box: box.x0):
        if box.x0 > right:
            groups.append([])
        groups[-1].append(box)
        right = max(right, box.x1)
    return groups


def _split_y(boxes: Iterable[Box]) -> list[list[Box]]:
    """Boxes in bands: groups no box bridges vertically, top to bottom."""
    bands: list[list[Box]] = []
    bottom = math.inf
    for box in sorted(boxes, key=lambda box: -box.y1):
        if box.y1 < bottom:
            bands.append([])
        bands[-1].append(box)
        bottom = min(bottom, box.y0)
    return bands


def _gaps(band: list[Box]) -> list[tuple[float, float]]:
    columns = _split_x(band)
    edges = [
        (max(b.x1 for b in a), min(b.x0 for b in c))
        for a, c in zip(columns, columns[1:], strict=False)
    ]
    return [(left, right) for left, right in edges if right > left]


def _merge_column_bands(bands: list[list[Box]]) -> list[list[Box]]:
    """Two columns whose paragraphs happen to end at the same height split into bands that
    would read across the page; bands sharing a column gap are one band again."""
    merged: list[list[Box]] = []
    for band in bands:
        if merged and _share_gap(_gaps(merged[-1]), _gaps(band)):
            merged[-1] = merged[-1] + band
        else:
            merged.append(band)
    return merged


def _share_gap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return any(min(a1, b1) > max(a0, b0) for a0, a1 in a for b0, b1 in b)


# -- joining lines ------------------------------------------------------------------------------

TAIL = 200  # longer than any word
_WORD_END = re.compile(r"(\w+)[" + HYPHENS + r"]$")
_WORD_START = re.compile(r"^(\w+)")
_INLINE_COMPOUND = re.compile(r"\b(\w+)-(\w+)\b")


def _inline_compounds(lines: Iterable[str]) -> set[str]:
    """Hyphenated words the document spells out inside a line ("well-known"): the evidence
    that a hyphen at a line end before the same second half is part of the word."""
    return {
        f"{a}-{b}".lower() for line in lines for a, b in _INLINE_COMPOUND.findall(line.rstrip("-"))
    }


def _join_lines(lines: Sequence[str], compounds: set[str]) -> str:
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
            continue
        text = _join(text, line, compounds)
    return text


def _join(before: str, after: str, compounds: set[str]) -> str:
    """One line after another. A hyphen after a letter at the end, before a lowercase letter,
    splits a word and goes ("inter-" + "national"), unless the document writes that very
    compound with its hyphen inside a line ("well-known"); before a capital or a digit it
    stays without a space ("Franco-" + "British"), as it does after a digit ("1990-" +
    "1995"). A soft hyphen always goes.

    Without a dictionary a split word and a compound broken at its hyphen look alike; line-end
    hyphens in typeset text are mostly split words, so that is the default, and the document's
    own spelling of the compound is the only evidence taken against it."""
    end = _WORD_END.search(before[-TAIL:])  # not the whole paragraph: quadratic on long ones
    start = _WORD_START.match(after)
    if end and start:
        if before[-1] == "\u00ad":
            return before[:-1] + after
        if end.group(1)[-1].isalpha() and start.group(1)[0].islower():
            compound = f"{end.group(1)}-{start.group(1)}".lower()
            return before + after if compound in compounds else before[:-1] + after
        return before + after  # "Franco-" "British", "1990-" "1995", "5-" "year"
    if before.endswith(CLOSED_UP) and not before[:-1].endswith(" "):
        return before + after  # "the port\u2014" "and", "example.org/" "path"
    return f"{before} {after}"


def _continues(paragraph: str, block: str) -> bool:
    """A block starting lowercase after one that stops mid-sentence carries on the same
    paragraph: across a column or a page break."""
    return bool(block[:1].islower()) and not paragraph.endswith(SENTENCE_END)
