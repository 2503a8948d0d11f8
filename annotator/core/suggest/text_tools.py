"""Small text helpers shared by the detectors: paragraphs, sentences, capitalised words."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

_PARAGRAPH_BREAK = re.compile(r"\n")
# A sentence ends at . ! ? … (after any closing quotes/brackets) followed by space and a capital,
# a digit or an opening quote; or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])|\n+")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Code-point ranges of the non-empty lines of ``text``."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)


class Sentences:
    """Sentence ranges of a text, and which sentence holds a position."""

    def __init__(self, text: str) -> None:
        self.ranges: list[tuple[int, int]] = []
        start = 0
        for match in _SENTENCE_END.finditer(text):
            end = match.end() if match.group().strip() else match.start()
            self._add(text, start, end)
            start = match.end()
        self._add(text, start, len(text))
        self._starts = [s for s, _ in self.ranges]

    def _add(self, text: str, start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            self.ranges.append((start, end))

    def around(self, position: int) -> tuple[int, int]:
        """The sentence holding ``position`` (or the nearest one before it)."""
        index = max(0, bisect_right(self._starts, position) - 1)
        return self.ranges[index] if self.ranges else (0, 0)


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


_last: list[Sentences] = []  # the sentences of the last text asked for (detectors share them)
_last_text: list[str] = []


def sentences_of(text: str) -> Sentences:
    """:class:`Sentences` of ``text``, computed once when several detectors ask in a row."""
    if _last_text and _last_text[0] is text:
        return _last[0]
    sentences = Sentences(text)
    _last[:] = [sentences]
    _last_text[:] = [text]
    return sentences


_WORD = re.compile(r"\w+")


def first_word(name: str) -> str | None:
    """The word a name must start with to be found by :func:`find_names` (None: never found)."""
    first = _WORD.match(name)
    if first is None or name.strip() != name:
        return None
    return first.group()


def words(text: str) -> set[str]:
    """The distinct words of ``text``: a name whose :func:`first_word` is not one of them cannot
    be found in it."""
    return set(_WORD.findall(text))


def find_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where any of ``names`` occurs in ``text`` as whole words (longest name first at each
    place), in one scan of the text's words however many names there are."""
    by_first: dict[str, list[str]] = {}
    for name in names:
        first = first_word(name)
        if first is not None:
            by_first.setdefault(first, []).append(name)
    if not by_first:
        return []
    for candidates in by_first.values():
        candidates.sort(key=len, reverse=True)
    found = []
    length = len(text)
    for word in _WORD.finditer(text):
        candidates = by_first.get(word.group())
        if candidates is None:
            continue
        start = word.start()
        if start > 0 and text[start - 1] in "-":
            continue
        for name in candidates:
            stop = start + len(name)
            if text.startswith(name, start) and not (
                stop < length and (text[stop].isalnum() or text[stop] in "_-")
            ):
                found.append((start, stop))
                break
    return found
