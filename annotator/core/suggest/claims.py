"""Claim candidates: sentences carrying checkable content, ranked by a score.

Figures, comparisons and reported findings make a sentence checkable; opinion words and
questions make it less so. The score is a sum of such cues, capped at 1. The cues are read from
one pass over the lower-cased words of the text (a regular expression per cue was three times
slower on a long article).
"""

from __future__ import annotations

import re

from annotator.core.suggest.text_tools import sentences_of
from annotator.core.suggest.types import Suggestion

SOURCE = "detector:claims"
MIN_SCORE = 0.4
FIGURE, AMOUNT, COMPARISON, REPORTED, DATED = range(5)
WEIGHTS = (0.3, 0.25, 0.25, 0.2, 0.1)
_TOKEN = re.compile(r"[a-z]+|\d+|[%$€£¥?]")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


_AMOUNT_WORDS = _words("million billion thousand percent")
_COMPARISON_WORDS = _words(
    "twice doubled tripled halved rose fell increased decreased increase decrease dropped risen "
    "largest smallest highest lowest most least record"
)
_COMPARATIVES = _words("more fewer less higher lower larger smaller greater")
_REPORTED_WORDS = _words(
    "report reported reports found estimate estimates estimated show shows showed data survey "
    "surveyed figure figures statistics counted recorded published"
)
_PAIRS = {
    ("compared", "with"): COMPARISON,
    ("compared", "to"): COMPARISON,
    ("up", "from"): COMPARISON,
    ("down", "from"): COMPARISON,
    ("according", "to"): REPORTED,
    ("per", "cent"): AMOUNT,
}
_DATE_WORDS = frozenset(("in", "since", "by", "from"))
_OPINION = re.compile(
    r"\b(?:I think|we hope|I believe|should|must|might|perhaps|hopefully)\b", re.I
)


def _cues(tokens: list[str]) -> set[int]:
    """Which cues the words of one sentence carry."""
    found: set[int] = set()
    previous = ""
    for token in tokens:
        if token[0].isdigit():
            found.add(FIGURE)
            if previous in "$€£¥" and previous:
                found.add(AMOUNT)
            if previous in _DATE_WORDS and len(token) == 4 and token[:2] in ("19", "20"):
                found.add(DATED)
        elif token == "%":
            if previous[:1].isdigit():
                found.add(AMOUNT)
        elif token in _AMOUNT_WORDS:
            found.add(AMOUNT)
        elif token in _COMPARISON_WORDS:
            found.add(COMPARISON)
        elif token in _REPORTED_WORDS:
            found.add(REPORTED)
        elif token == "than" and previous in _COMPARATIVES:
            found.add(COMPARISON)
        pair = _PAIRS.get((previous, token))
        if pair is not None:
            found.add(pair)
        previous = token
    return found


def _score(sentence: str, cues: set[int]) -> float:
    score = sum(WEIGHTS[cue] for cue in cues)
    if sentence.rstrip().endswith("?"):
        score -= 0.4
    if _OPINION.search(sentence):
        score -= 0.2
    if len(sentence) < 30 or "\n" in sentence.strip():
        score -= 0.3
    return round(max(0.0, min(1.0, score)), 3)


def claim_score(sentence: str) -> float:
    return _score(sentence, _cues(_TOKEN.findall(sentence.lower())))


def detect_claims(text: str, label: str = "Claim") -> list[Suggestion]:
    ranges = sentences_of(text).ranges
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer: keep the offsets
        lower = text
    found = []
    tokens = _TOKEN.finditer(lower)
    pending = next(tokens, None)
    for start, end in ranges:
        words = []
        while pending is not None and pending.start() < end:
            if pending.start() >= start:
                words.append(pending.group())
            pending = next(tokens, None)
        cues = _cues(words)
        if not cues:
            continue
        score = _score(text[start:end], cues)
        if score >= MIN_SCORE:
            found.append(Suggestion(label, start, end, score, SOURCE, {}))
    return found
