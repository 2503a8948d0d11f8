"""Precision, recall and F1 per label, for exact spans and for overlapping ones.

Exact: a predicted span is right when a gold span has the same label, start and end. Overlap: a
predicted span is right when it shares a code point with a gold span of its label, and a gold span
is found when a predicted span of its label shares a code point with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Span = tuple[str, int, int]  # label, start, end


@dataclass(frozen=True)
class Scores:
    gold: int
    predicted: int
    correct: int  # exact: matched pairs; overlap: predicted spans that hit (recall counted apart)
    found: int  # gold spans that were found

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "found": self.found,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class _Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap_correct: int = 0
    overlap_found: int = 0


@dataclass(frozen=True)
class Evaluation:
    exact: dict[str, Scores] = field(default_factory=dict)
    overlap: dict[str, Scores] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return list(self.exact)

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": {
                label: {
                    "exact": self.exact[label].as_dict(),
                    "overlap": self.overlap[label].as_dict(),
                }
                for label in self.labels
            }
        }

    def table(self) -> list[str]:
        """The scores as aligned text lines (percentages)."""
        header = (
            f"{'label':<16} {'gold':>5} {'pred':>5}  {'P exact':>7} {'R exact':>7} "
            f"{'F1 exact':>8}  {'P overlap':>9} {'R overlap':>9} {'F1 overlap':>10}"
        )
        lines = [header]
        for label in self.labels:
            e, o = self.exact[label], self.overlap[label]
            lines.append(
                f"{label[:16]:<16} {e.gold:>5} {e.predicted:>5}  {e.precision:>7.1%} "
                f"{e.recall:>7.1%} {e.f1:>8.1%}  {o.precision:>9.1%} {o.recall:>9.1%} "
                f"{o.f1:>10.1%}"
            )
        return lines


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def evaluate(
    gold: Mapping[str, Iterable[Span]],
    predicted: Mapping[str, Iterable[Span]],
    labels: Iterable[str] | None = None,
) -> Evaluation:
    """Score ``predicted`` against ``gold``; both map a document key to its spans. Documents
    only in ``predicted`` are not scored (their gold is unknown)."""
    counts: dict[str, _Counts] = {}
    wanted = set(labels) if labels is not None else None
    for key, gold_spans in gold.items():
        g = {s for s in gold_spans if wanted is None or s[0] in wanted}
        p = {s for s in predicted.get(key, ()) if wanted is None or s[0] in wanted}
        for span in g | p:
            counts.setdefault(span[0], _Counts())
        for span in g:
            c = counts[span[0]]
            c.gold += 1
            c.exact += span in p
            c.overlap_found += any(_overlaps(span, q) for q in p)
        for span in p:
            c = counts[span[0]]
            c.predicted += 1
            c.overlap_correct += any(_overlaps(span, q) for q in g)
    exact, overlap = {}, {}
    for label in sorted(counts):
        c = counts[label]
        exact[label] = Scores(c.gold, c.predicted, c.exact, c.exact)
        overlap[label] = Scores(c.gold, c.predicted, c.overlap_correct, c.overlap_found)
    return Evaluation(exact, overlap)
