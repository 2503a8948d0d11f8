"""A model learned from the project's own annotations: no download, no pretrained weights.

Candidate spans (runs of capitalised words, acronyms, quotations, sentences, and every string
already labelled) are described by simple features (their words, first and last word, the words
around them, their shape) and one logistic regression per label learns, from the annotated
documents, which candidates people label. It trains in about a second on a few hundred
annotations, in pure Python, so it can run in a background thread; its suggestions carry the
predicted probability as their score.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.suggest.organisations import LEADING_WORDS, name_runs
from annotator.core.suggest.quotes import detect_quotes
from annotator.core.suggest.text_tools import find_names, sentences_of
from annotator.core.suggest.types import Suggestion

SOURCE = "model"
MIN_EXAMPLES = 3  # a label needs this many annotations before the model suggests it
THRESHOLD = 0.5
MAX_SUGGESTIONS = 1000  # per text, the most probable: a model gone wrong must not flood a page
EPOCHS = 5
MAX_EXAMPLES = 20_000  # beyond this, negatives are sampled: training stays within seconds
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,7}\b")
_WORDS = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")

TrainingDocument = tuple[str, Sequence[tuple[str, int, int]]]  # text, (label, start, end)


class Stopped(Exception):
    """Training was asked to stop (the project closed, or newer annotations arrived)."""


def candidates(text: str, known: Iterable[str] = ()) -> dict[tuple[int, int], str]:
    """Spans worth scoring, each with the kind of candidate it is."""
    found: dict[tuple[int, int], str] = {}
    for _s, _e, spans in name_runs(text):
        while spans and text[spans[0][0] : spans[0][1]] in LEADING_WORDS:
            spans = spans[1:]
        if spans:
            found[(spans[0][0], spans[-1][1])] = "name"
            if len(spans) > 1:
                found.setdefault((spans[-1][0], spans[-1][1]), "name")
    for match in _ACRONYM.finditer(text):
        found.setdefault(match.span(), "acronym")
    for q in detect_quotes(text):
        found.setdefault((q.start, q.end), "quote")
    for span in sentences_of(text).ranges:
        found.setdefault(span, "sentence")
    names = [n for n in known if any(c.isupper() or c.isdigit() for c in n)]  # names, not words
    for span in find_names(text, names):
        found.setdefault(span, "known")
    return found


def _shape(word: str) -> str:
    return re.sub(r"[A-Z]+", "A", re.sub(r"[a-z]+", "a", re.sub(r"\d+", "9", word)))[:6]


def features(text: str, start: int, end: int, kind: str, known: bool) -> list[str]:
    words = _WORDS.findall(text[start:end])[:12]
    before = _WORDS.findall(text[max(0, start - 40) : start])[-2:]
    after = _WORDS.findall(text[end : end + 30])[:1]
    length = len(words)
    out = [f"kind={kind}", f"len={min(length, 6) if length < 20 else 'long'}", "bias"]
    if words:
        out += [
            f"first={words[0].lower()}",
            f"last={words[-1].lower()}",
            f"shape={_shape(words[0])}",
            f"lastshape={_shape(words[-1])}",
        ]
    out += [f"w={w.lower()}" for w in words[:8]]
    out += [f"prev={w.lower()}" for w in before[-1:]] + [f"prev2={' '.join(before).lower()}"]
    out += [f"next={w.lower()}" for w in after]
    if text[start : start + 1] in '“"«„‹':
        out.append("opens-quote")
    if _DIGIT.search(text, start, end):
        out.append("digit")
    if known:
        out.append("known")
    return out


@dataclass
class _Classifier:
    weights: dict[str, float] = field(default_factory=dict)

    def score(self, feats: Sequence[str]) -> float:
        weights = self.weights
        z = sum([weights.get(f, 0.0) for f in feats])
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def update(self, feats: Sequence[str], target: float, rate: float) -> None:
        gradient = (target - self.score(feats)) * rate
        for f in feats:
            self.weights[f] = self.weights.get(f, 0.0) + gradient


@dataclass
class SpanModel:
    """One classifier per label, and the strings each label was given in training."""

    classifiers: dict[str, _Classifier]
    known: dict[str, set[str]]
    examples: int  # annotations it learned from
    kinds: dict[str, set[str]] = field(default_factory=dict)  # candidate kinds each label took

    @property
    def labels(self) -> list[str]:
        return sorted(self.classifiers)

    def predict(self, text: str, labels: Iterable[str] | None = None) -> list[Suggestion]:
        wanted = set(labels) if labels is not None else None
        everything_known = {name for names in self.known.values() for name in names}
        spans = candidates(text, everything_known)
        scored = [label for label in self.classifiers if wanted is None or label in wanted]
        kinds = {kind for label in scored for kind in self.kinds.get(label, ())}
        found = []
        for (start, end), kind in spans.items():
            if kind not in kinds:  # e.g. sentences, for a label only ever given to names
                continue
            surface = text[start:end]
            feats = features(text, start, end, kind, False)
            for label in scored:
                if kind not in self.kinds.get(label, ()):
                    continue
                marked = [*feats, "known"] if surface in self.known[label] else feats
                p = self.classifiers[label].score(marked)
                if p >= THRESHOLD:
                    found.append(Suggestion(label, start, end, round(p, 3), SOURCE, {}))
        if len(found) > MAX_SUGGESTIONS:
            found = sorted(found, key=lambda s: -s.score)[:MAX_SUGGESTIONS]
        return found


def train(
    documents: Sequence[TrainingDocument],
    should_stop: Callable[[], bool] = lambda: False,
    seed: int = 0,
) -> SpanModel | None:
    """Learn from annotated documents; None when no label has enough examples yet."""
    per_label: dict[str, int] = {}
    known: dict[str, set[str]] = {}
    for text, spans in documents:
        for label, start, end in spans:
            per_label[label] = per_label.get(label, 0) + 1
            if end - start <= 80:
                known.setdefault(label, set()).add(text[start:end])
    labels = sorted(label for label, n in per_label.items() if n >= MIN_EXAMPLES)
    if not labels:
        return None
    everything_known = {name for names in known.values() for name in names}
    examples: list[tuple[list[str], set[str], str]] = []  # features, labels it has, surface
    kinds: dict[str, set[str]] = {label: set() for label in labels}
    for text, spans in documents:
        if should_stop():
            raise Stopped
        gold: dict[tuple[int, int], set[str]] = {}
        for label, start, end in spans:
            gold.setdefault((start, end), set()).add(label)
        spans_here = candidates(text, everything_known)
        for span in gold:
            spans_here.setdefault(span, "annotated")
        for (start, end), kind in spans_here.items():
            for label in gold.get((start, end), ()):
                if label in kinds and kind != "annotated":
                    kinds[label].add(kind)
            examples.append(
                (
                    features(text, start, end, kind, False),
                    gold.get((start, end), set()),
                    text[start:end],
                )
            )
    rng = random.Random(seed)
    if len(examples) > MAX_EXAMPLES:  # keep every positive, sample the rest
        positives = [e for e in examples if e[1]]
        negatives = [e for e in examples if not e[1]]
        room = max(MAX_EXAMPLES - len(positives), MAX_EXAMPLES // 2)
        examples = positives[:MAX_EXAMPLES] + rng.sample(negatives, min(room, len(negatives)))
    classifiers = {label: _Classifier() for label in labels}
    for epoch in range(EPOCHS):
        rng.shuffle(examples)
        rate = 0.5 / (1 + epoch)
        for feats, gold_labels, surface in examples:
            if should_stop():
                raise Stopped
            for label, classifier in classifiers.items():
                marked = [*feats, "known"] if surface in known.get(label, ()) else feats
                classifier.update(marked, 1.0 if label in gold_labels else 0.0, rate)
    return SpanModel(
        classifiers,
        {label: known.get(label, set()) for label in labels},
        sum(per_label[label] for label in labels),
        kinds,
    )
