"""Quotations: text between quotation marks, marks included, with the speaker when one is near.

Marks are read as real articles use them: curly “…”, low-high „…“, straight "…", guillemets «…»
and ‹…›, single quotes nested inside, a quotation running over several paragraphs (each opening
with a mark, only the last closing), and marks that do not pair up cleanly (an opening “ used to
close, a quotation never closed before its paragraph ends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.suggest.speakers import find_speaker
from annotator.core.suggest.types import Suggestion

SOURCE = "detector:quotes"
# family of a double mark: which marks may close a quotation that a mark of the family opened
_OPENERS = {
    "“": "curly",
    "„": "curly",
    '"': "straight",
    "«": "guillemet",
    "‹": "single-guillemet",
    "”": "curly-swedish",
}
_CLOSERS = {
    "curly": "”“",  # “ closes too when it follows a word and precedes a space (a typo, often)
    "curly-swedish": "”",
    "straight": '"',
    "guillemet": "»",
    "single-guillemet": "›",
}
_MARKS = re.compile("[“”„\"«»‹›‘’'\n]")
_OPEN_CONTEXT = set(" \t\n([{—–-/:;,")  # what may stand before an opening mark
_WORD_PUNCT = set(".,;:!?…)]}-—–")


@dataclass
class _Open:
    position: int
    family: str


def _before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else " "


def _after(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else " "


def _can_open(text: str, i: int) -> bool:
    before, after = _before(text, i), _after(text, i)
    return (before in _OPEN_CONTEXT or before in "“‘«„\"'") and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before, after = _before(text, i), _after(text, i)
    return not before.isspace() and (after.isspace() or after in _WORD_PUNCT or after in "”’»\"'")


def detect_quotes(text: str, label: str = "Quote") -> list[Suggestion]:
    spans: list[tuple[int, int, float]] = []
    stack: list[_Open] = []  # stack[0] is the outermost open quotation
    single: list[int] = []  # nested single quotes open inside the current quotation
    for match in _MARKS.finditer(text):
        i, mark = match.start(), match.group()
        if mark == "\n":
            _paragraph_end(text, i, stack, single, spans)
            continue
        if mark in "‘’'":
            _single(text, i, mark, stack, single)
            continue
        top = stack[-1] if stack else None
        if (
            top is not None
            and mark in _CLOSERS[top.family]
            and (mark != "“" or _can_close(text, i))
            and (mark != '"' or _can_close(text, i) or not _can_open(text, i))
        ):
            stack.pop()
            single.clear()
            if not stack:
                spans.append((top.position, i + 1, 0.95))
            continue
        family = _OPENERS.get(mark)
        if family is None:
            continue  # a stray closing mark
        if family == "curly-swedish" and stack:
            continue
        if family in ("straight", "curly-swedish") and not _can_open(text, i):
            continue
        if stack and family == stack[-1].family:
            continue  # the same mark cannot nest in itself: a typo, keep the outer quotation
        stack.append(_Open(i, family))
    _paragraph_end(text, len(text), stack, single, spans, last=True)
    found = []
    earlier: list[tuple[int, str]] = []
    for start, end, score in sorted(spans):
        speaker = find_speaker(text, start, end, earlier)
        if speaker:
            earlier.append((start, speaker))
        found.append(
            Suggestion(label, start, end, score, SOURCE, {"speaker": speaker} if speaker else {})
        )
    return found


def _single(text: str, i: int, mark: str, stack: list[_Open], single: list[int]) -> None:
    """Single quotes only nest inside a quotation: elsewhere ’ and ' are apostrophes."""
    if not stack:
        return
    if single and mark in "’'" and _can_close(text, i):
        single.pop()
    elif mark in "‘'" and _can_open(text, i):
        single.append(i)


def _paragraph_end(
    text: str,
    i: int,
    stack: list[_Open],
    single: list[int],
    spans: list[tuple[int, int, float]],
    last: bool = False,
) -> None:
    """At a line break: a quotation whose next paragraph opens with its mark goes on; any other
    quotation still open never closed, so it is offered up to the end of its paragraph."""
    single.clear()
    if not stack:
        return
    outer = stack[0]
    del stack[1:]
    if not last:
        rest = text[i : i + 4].lstrip("\n")
        if rest[:1] in '“„"«' and _OPENERS.get(rest[:1]) == outer.family:
            return  # continued quotation: the next paragraph's opening mark is consumed below
    stack.clear()
    end = i
    while end > outer.position and text[end - 1].isspace():
        end -= 1
    if end - outer.position > 1:
        spans.append((outer.position, end, 0.5))
