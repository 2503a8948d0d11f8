"""Tier ratings of the US trafficking report: "Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3",
and "Watch List" alone where the article speaks of tiers; with the tier, subject and year."""

from __future__ import annotations

import re
from bisect import bisect_right

from annotator.core.suggest.countries import countries_in
from annotator.core.suggest.text_tools import Sentences, sentences_of
from annotator.core.suggest.types import Suggestion

SOURCE = "detector:tiers"
_NUMBERS = {
    "1": "1",
    "2": "2",
    "3": "3",
    "one": "1",
    "two": "2",
    "three": "3",
    "i": "1",
    "ii": "2",
    "iii": "3",
}
_TIER = re.compile(
    r"\bTier[\s\u00a0-]+(?P<n>[123]|One|Two|Three|III|II|I)\b"
    r"(?P<watch>[\s\u00a0-]+Watch[\s\u00a0-]*[Ll]ist)?",
)
_WATCH = re.compile(r"(?<![\w-])(?:[Ss]pecial\s+)?Watch[\s\u00a0-]*List\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def detect_tiers(text: str, label: str = "Tier rating") -> list[Suggestion]:
    found: list[Suggestion] = []
    sentences = sentences_of(text)
    covered: list[tuple[int, int]] = []
    for match in _TIER.finditer(text):
        number = _NUMBERS[match.group("n").lower()]
        tier = f"Tier {number}" + (" Watch List" if match.group("watch") else "")
        start, end = match.span()
        covered.append((start, end))
        found.append(
            Suggestion(
                label, start, end, 0.95, SOURCE, _attributes(text, sentences, start, end, tier)
            )
        )
    if found:  # "Watch List" alone means the tier only where the article speaks of tiers
        for match in _WATCH.finditer(text):
            start, end = match.span()
            index = bisect_right(covered, (start, len(text))) - 1
            inside = index >= 0 and covered[index][0] <= start < covered[index][1]
            if inside or match.group().startswith(("S", "s")):
                continue
            found.append(
                Suggestion(
                    label,
                    start,
                    end,
                    0.8,
                    SOURCE,
                    _attributes(text, sentences, start, end, "Tier 2 Watch List"),
                )
            )
    found.sort(key=lambda s: s.start)
    return found


def _attributes(
    text: str, sentences: Sentences, start: int, end: int, tier: str
) -> dict[str, object]:
    attributes: dict[str, object] = {"tier": tier}
    s_start, s_end = sentences.around(start)
    before = countries_in(text, s_start, start)
    after = countries_in(text, end, min(s_end, end + 60))
    if before:
        attributes["subject"] = before[-1][2]
    elif after:
        attributes["subject"] = after[0][2]
    year = _YEAR.search(text, max(s_start, start - 16), start)
    if year:
        attributes["year"] = int(year.group())
    return attributes
