"""annotator.core.curation: which clusters of two layers' spans are disagreements."""

from __future__ import annotations

from annotator.core.curation import clusters, disagreements
from annotator.core.model import Annotation


def span(who: str, label: str, start: int, end: int, doc: str = "d") -> Annotation:
    return Annotation(
        f"{who}-{label}-{start}-{end}-{doc}",
        doc,
        label,
        start,
        end,
        "x" * (end - start),
        annotator=who,
    )


def test_clusters_join_overlapping_spans_transitively() -> None:
    spans = [
        span("a", "X", 0, 5),
        span("b", "X", 4, 9),
        span("a", "Y", 8, 12),
        span("b", "X", 12, 14),
    ]
    assert [[s.start for s in group] for group in clusters(spans)] == [[0, 4, 8], [12]]


def test_agreed_clusters_and_decided_ones_are_left_out() -> None:
    spans = [
        span("a", "X", 0, 5),
        span("b", "X", 0, 5),  # agreed
        span("a", "X", 10, 15),
        span("b", "Y", 10, 15),  # label differs
        span("a", "X", 20, 25),  # only A
        span("b", "X", 30, 35),  # only B, but the curator decided it
        span("lead", "X", 31, 33),
        span("c", "X", 40, 45),  # a third layer is not compared
        span("a", "X", 0, 5, doc="e"),
        span("b", "X", 0, 6, doc="e"),  # boundary differs
    ]
    found = disagreements(spans, "a", "b", "lead", ["e", "d"])
    assert [(d.document_id, d.start, d.end, len(d.a), len(d.b)) for d in found] == [
        ("e", 0, 6, 1, 1),
        ("d", 10, 15, 1, 1),
        ("d", 20, 25, 1, 0),
    ]
