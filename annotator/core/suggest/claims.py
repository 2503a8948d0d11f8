"""Claim candidates: sentences carrying checkable content, ranked by a score.

Figures, comparisons and reported findings make a sentence checkable; opinion words and
questions make it less so. The score is a sum of such cues, capped at 1.
"""

from __future__ import annotations

import re

from annotator.core.suggest.text_tools import Sentences
from annotator.core.suggest.types import Suggestion

SOURCE = "detector:claims"
MIN_SCORE = 0.4
_CUES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\d"), 0.3),  # any figure
    (
        re.compile(
            r"\d\s*(?:%|per ?cent|percent)|\b(?:million|billion|thousand)\b|[$€£¥]\s*\d", re.I
        ),
        0.25,
    ),
    (
        re.compile(
            r"\b(?:more|fewer|less|higher|lower|larger|smaller|greater)\s+than\b|"
            r"\b(?:compared with|compared to|up from|down from|twice|doubled|tripled|halved|"
            r"rose|fell|increased|decreased|increase|decrease|dropped|risen|largest|"
            r"smallest|highest|lowest|most|least|record)\b",
            re.I,
        ),
        0.25,
    ),
    (
        re.compile(
            r"\b(?:according to|report(?:ed|s)?|found|estimate[sd]?|show(?:s|ed)?|"
            r"data|survey(?:ed)?|figures?|statistics|counted|recorded|published)\b",
            re.I,
        ),
        0.2,
    ),
    (re.compile(r"\b(?:in|since|by|from) (?:19|20)\d\d\b"), 0.1),
)
_AGAINST: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\?\s*$"), 0.4),
    (
        re.compile(r"\b(?:I think|we hope|I believe|should|must|might|perhaps|hopefully)\b", re.I),
        0.2,
    ),
)


def claim_score(sentence: str) -> float:
    score = sum(weight for cue, weight in _CUES if cue.search(sentence))
    score -= sum(weight for cue, weight in _AGAINST if cue.search(sentence))
    if len(sentence) < 30 or "\n" in sentence.strip():
        score -= 0.3
    return round(max(0.0, min(1.0, score)), 3)


def detect_claims(text: str, label: str = "Claim") -> list[Suggestion]:
    found = []
    for start, end in Sentences(text).ranges:
        score = claim_score(text[start:end])
        if score >= MIN_SCORE:
            found.append(Suggestion(label, start, end, score, SOURCE, {}))
    return found
