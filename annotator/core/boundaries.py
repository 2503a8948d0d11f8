"""Sentence and clause boundaries, word steps, in code points (for keyboard selection and for
moving an annotation's edges)."""

from __future__ import annotations

from annotator.core.spans import _is_word

SENTENCE_END = ".!?…"
CLAUSE_END = ",;:—–"
CLOSING = '”’"»)]›'


def _end_after_mark(text: str, i: int) -> int:
    """The boundary after the mark at ``i``: closing quotes and brackets go with it."""
    i += 1
    while i < len(text) and (text[i] in SENTENCE_END or text[i] in CLOSING):
        i += 1
    return i


def _is_sentence_end(text: str, i: int) -> bool:
    """A ``.`` that ends a sentence, not one in "U.S." or "3.5" (followed by a space or the
    end, and not after a single capital)."""
    ch = text[i]
    if ch == "\n":
        return True
    if ch not in SENTENCE_END:
        return False
    after = _end_after_mark(text, i)
    if after < len(text) and not text[after].isspace():
        return False
    return not (
        ch == "." and i >= 1 and text[i - 1].isupper() and (i < 2 or not text[i - 2].isalnum())
    )


def sentence_at(text: str, position: int) -> tuple[int, int] | None:
    """The sentence around ``position``, without surrounding spaces; None on a blank line."""
    if not text:
        return None
    position = max(0, min(position, len(text) - 1))
    start = position
    while start > 0 and not _is_sentence_end(text, start - 1):
        start -= 1
    if start > 0 and text[start - 1] != "\n":  # after "end." the closing marks stay behind
        start = _end_after_mark(text, start - 1) if start - 1 < len(text) else start
    end = position
    while end < len(text) and not _is_sentence_end(text, end):
        end += 1
    if end < len(text) and text[end] != "\n":
        end = _end_after_mark(text, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_boundary_mark(text: str, i: int) -> bool:
    return text[i] in CLAUSE_END or _is_sentence_end(text, i)


def next_boundary(text: str, position: int) -> int:
    """The end of the clause or sentence after ``position`` (just past its punctuation and any
    closing marks), or the end of the line."""
    i = position
    while i < len(text) and (text[i].isspace() or text[i] in CLOSING) and text[i] != "\n":
        i += 1
    while i < len(text) and text[i] != "\n":
        if _is_boundary_mark(text, i) and i > position:
            return _end_after_mark(text, i) if text[i] not in CLAUSE_END else i + 1
        i += 1
    return i


def previous_boundary(text: str, position: int, floor: int = 0) -> int:
    """The end of the clause or sentence before ``position`` (not before ``floor``)."""
    i = position - 1
    while i > floor and not text[i - 1].isspace() and not _is_boundary_mark(text, i - 1):
        i -= 1
    i -= 1
    while i > floor:
        if _is_boundary_mark(text, i - 1) or text[i - 1] == "\n":
            return i
        i -= 1
    return floor


def word_step(text: str, position: int, direction: int) -> int:
    """From ``position``, the next word boundary forward (+1: the end of the next word) or
    back (-1: the start of the previous word)."""
    i = position
    if direction > 0:
        while i < len(text) and not _is_word(text[i]):
            i += 1
        while i < len(text) and _is_word(text[i]):
            i += 1
    else:
        while i > 0 and not _is_word(text[i - 1]):
            i -= 1
        while i > 0 and _is_word(text[i - 1]):
            i -= 1
    return i
