"""Disagreements between two annotators, as the curation view walks them.

In each document the spans of A and B (any label) are grouped into clusters of overlapping
spans. A cluster is a *disagreement* unless A's and B's spans in it are the same (label, start
and end, one to one): such spans are agreed (``annotator adjudicate`` copies them). A
disagreement the curator has already decided (their layer has a span in its range) is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.model import Annotation


@dataclass(frozen=True)
class Disagreement:
    document_id: str
    start: int  # the cluster's range, code points, end exclusive
    end: int
    a: tuple[Annotation, ...]  # A's spans in the cluster, in text order
    b: tuple[Annotation, ...]

    @property
    def key(self) -> tuple[str, int, int]:
        return self.document_id, self.start, self.end


def _shape(spans: Iterable[Annotation]) -> Counter[tuple[str, int, int]]:
    return Counter((s.label, s.start, s.end) for s in spans)


def clusters(spans: Sequence[Annotation]) -> list[list[Annotation]]:
    """Spans grouped so that each group's spans overlap one another transitively."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.id))
    groups: list[list[Annotation]] = []
    end = -1
    for span in ordered:
        if groups and span.start < end:
            groups[-1].append(span)
            end = max(end, span.end)
        else:
            groups.append([span])
            end = span.end
    return groups


def disagreements(
    annotations: Iterable[Annotation], a: str, b: str, curator: str, document_order: Sequence[str]
) -> list[Disagreement]:
    """Every undecided disagreement between layers ``a`` and ``b``, in document order, then
    text order."""
    by_document: dict[str, list[Annotation]] = {}
    decided: dict[str, list[tuple[int, int]]] = {}
    for x in annotations:
        if x.annotator in (a, b):
            by_document.setdefault(x.document_id, []).append(x)
        elif x.annotator == curator:
            decided.setdefault(x.document_id, []).append((x.start, x.end))
    found = []
    for document_id in document_order:
        done = decided.get(document_id, [])
        for group in clusters(by_document.get(document_id, [])):
            mine = tuple(x for x in group if x.annotator == a)
            theirs = tuple(x for x in group if x.annotator == b)
            if _shape(mine) == _shape(theirs):
                continue
            start = min(x.start for x in group)
            end = max(x.end for x in group)
            if any(s < end and start < e for s, e in done):
                continue
            found.append(Disagreement(document_id, start, end, mine, theirs))
    return found
