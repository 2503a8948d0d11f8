"""Who said a quotation: "…," said X / X said / according to X, or the speaker named just before.

Pronouns (he said, she added) go back to the last person named as a speaker before the quote.
"""

from __future__ import annotations

import re

_NAME = r"(?:[A-Z][\w’'\-.]*(?: (?:de|van|von|bin|al|da|del|der|la|le))?(?: [A-Z][\w’'\-.]*){0,3})"
_VERB = (
    r"(?:said|says|added|adds|told|wrote|writes|asked|explained|insisted|warned|argued|"
    r"replied|noted|stated|declared|recalled|commented|continued|agreed|stressed|admitted|"
    r"conceded|acknowledged|claimed)"
)
_PRONOUN = r"(?:he|she|they|He|She|They)"
_AFTER = [
    re.compile(rf"^[\s,]*{_VERB}\s+(?:the\s+\w+\s+)?(?P<name>{_NAME})"),  # ," said John Miller
    re.compile(rf"^[\s,]*(?P<name>{_NAME}),?\s+(?:\w+\s+)?{_VERB}\b"),  # ," John Miller said
    re.compile(rf"^[\s,]*(?P<pronoun>{_PRONOUN})\s+{_VERB}\b"),  # ," she said
]
_BEFORE = [
    re.compile(rf"(?:[Aa]ccording to|[Ss]aid|told)\s+(?P<name>{_NAME}),?\s*$"),
    re.compile(rf"(?P<name>{_NAME}),?\s+(?:\w+\s+){{0,2}}{_VERB}(?:\s+\w+){{0,3}}[:,]?\s*$"),
    re.compile(
        rf"(?P<name>{_NAME}),[^.“”\"«»]{{3,120}}?,\s+(?:\w+\s+)?{_VERB}"
        rf"(?:\s+\w+){{0,4}}[:,]?\s*$"
    ),
    re.compile(rf"(?P<name>{_NAME}),[^.“”\"«»]{{3,120}}?,\s+called\s+[\w\s]{{0,30}}$"),
]
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "It",
    "This",
    "That",
    "In",
    "But",
    "And",
    "Its",
    "Asked",
    "Speaking",
    "Outside",
    "However",
    "Also",
    "When",
    "We",
    "I",
    "Our",
    "They",
}
_WINDOW = 160


def _clean(name: str) -> str | None:
    words = name.split()
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    name = " ".join(words).rstrip(".,’'")
    return name or None


def _named(text: str, start: int, end: int) -> str | None:
    after = text[end : end + _WINDOW].split("\n", 1)[0]
    for pattern in _AFTER[:2]:
        match = pattern.match(after)
        if match and (name := _clean(match.group("name"))):
            return name
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - _WINDOW * 2) : start]
    for pattern in _BEFORE:
        match = pattern.search(before)
        if match and (name := _clean(match.group("name"))):
            return name
    return None


_ATTRIBUTIONS = [
    re.compile(rf"(?P<name>{_NAME}),[^.“”\"«»\n]{{3,120}}?,\s+(?:\w+\s+)?{_VERB}\b"),
    re.compile(rf"(?P<name>{_NAME})\s+{_VERB}\b"),
    re.compile(rf"\b{_VERB}\s+(?P<name>{_NAME})"),
]


def find_speaker(
    text: str, start: int, end: int, earlier: list[tuple[int, str]] | None = None
) -> str | None:
    """The speaker of the quotation ``text[start:end]``, or None if no attribution is near.

    ``earlier``: (position, speaker) of the quotations before this one, in text order.
    """
    earlier = earlier or []
    name = _named(text, start, end)
    if name:
        return name
    line_start = text.rfind("\n", 0, start) + 1
    after = text[end : end + 40].split("\n", 1)[0]
    sentence = re.split(r"[.!?]\s", text[line_start:start])[-1]
    if _AFTER[2].match(after) or re.search(rf"\b{_PRONOUN}\s+{_VERB}\b", sentence):
        return _latest(text, start, earlier)
    if earlier and earlier[-1][0] >= line_start:  # the last speaker, if in this paragraph
        return earlier[-1][1]
    return None


def _latest(text: str, start: int, earlier: list[tuple[int, str]]) -> str | None:
    """The person most recently named as saying something before ``start``."""
    floor = max(0, start - 600)
    found = []
    for position, name in reversed(earlier):
        if position < floor:
            break
        found.append((position, name))
    for pattern in _ATTRIBUTIONS:
        for match in pattern.finditer(text, floor, start):
            name = _clean(match.group("name"))
            if name and len(name.split()) >= 2:
                found.append((match.start(), name))
    return max(found)[1] if found else None
