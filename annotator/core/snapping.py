"""How a selection becomes a span: each label's snapping rule, in code points.

- ``words``: trim spaces and punctuation off both ends, widen to whole words, and keep every
  quotation mark or bracket pair the selection covers (an exact drag over “good news.” stays
  “good news.”, a sloppy one over ``said “good news.”`` keeps both marks).
- ``punctuation`` (words, keeping punctuation): trim spaces only, widen to whole words.
- ``exact``: the characters selected, as they are.
"""

from __future__ import annotations

from enum import StrEnum

from annotator.core.spans import _is_word, snap_to_words


class SnapMode(StrEnum):
    WORDS = "words"
    PUNCTUATION = "punctuation"
    EXACT = "exact"

    @property
    def title(self) -> str:
        return SNAP_TITLES[self]


SNAP_TITLES = {
    SnapMode.WORDS: "Whole words",
    SnapMode.PUNCTUATION: "Whole words, keeping punctuation",
    SnapMode.EXACT: "Exact characters",
}

# opening mark -> closing mark; a symmetric mark (") closes itself
PAIRS = {
    "“": "”",
    "‘": "’",
    "«": "»",
    "‹": "›",
    "「": "」",
    "『": "』",
    "(": ")",
    "[": "]",
    "{": "}",
    '"': '"',
}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}


def matched_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Positions (opener, closer) of the quotation marks and brackets balanced in
    ``text[start:end]``. A closer with no opener (an apostrophe ’) is ignored."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for i in range(start, end):
        ch = text[i]
        if ch in _CLOSERS and (ch not in PAIRS or (stack and stack[-1][0] == ch)):
            opener = _CLOSERS[ch]
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == opener:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
        elif ch in PAIRS:
            stack.append((ch, i))
    return pairs


def _trim_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    return start, end


def snap(
    text: str, start: int, end: int, mode: SnapMode = SnapMode.WORDS
) -> tuple[int, int] | None:
    """The span a selection of ``text[start:end]`` stands for under ``mode``; None when it
    holds nothing worth labelling (only spaces, or only punctuation for ``words``)."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    if mode is SnapMode.EXACT:
        return (start, end) if start < end else None
    outer = _trim_spaces(text, start, end)
    if outer[0] == outer[1]:
        return None
    if mode is SnapMode.PUNCTUATION:
        return _widen_to_words(text, *outer)
    core = snap_to_words(text, *outer)
    if core is None:
        return None
    lo, hi = core
    pairs = matched_pairs(text, *outer)
    changed = True
    while changed:  # a pair reaching outside the core, but touching it, comes in whole
        changed = False
        for opener, closer in pairs:
            if opener < hi and closer >= lo and (opener < lo or closer >= hi):
                lo, hi, changed = min(lo, opener), max(hi, closer + 1), True
    return lo, hi
