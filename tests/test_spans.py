"""Selections snap to words; the span index answers per line; segments split overlaps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.spans import LineIndex, Span, SpanIndex, segments, snap_to_words

TEXT = "He said “Tier 2, at last.” The Ministry of Women’s Affairs agreed 👍🏽.\nNext line."


def snapped(piece_start: int, piece_end: int) -> str | None:
    result = snap_to_words(TEXT, piece_start, piece_end)
    return None if result is None else TEXT[result[0] : result[1]]


def test_drag_slop_is_trimmed_and_words_completed() -> None:
    start = TEXT.index("“Tier")
    assert snapped(start - 1, start + 9) == "Tier 2"  # ' “Tier 2,' -> 'Tier 2'
    ministry = snapped(TEXT.index("inistry"), TEXT.index("Affairs") + 3)
    assert ministry == "Ministry of Women’s Affairs"
    assert snapped(TEXT.index("👍"), TEXT.index("👍") + 1) == "👍🏽"
    assert snapped(TEXT.index(", at"), TEXT.index(", at") + 2) is None


def test_lines_and_spans_by_line() -> None:
    lines = LineIndex(TEXT)
    assert len(lines) == 2
    assert lines.span(1) == (TEXT.index("Next"), len(TEXT))
    index = SpanIndex(lines, [Span(3, 7, "Claim", "a"), Span(0, len(TEXT), "Quote", "b")])
    assert [s.id for s in index.in_line(0)] == ["b", "a"]
    assert [s.id for s in index.in_line(1)] == ["b"]
    assert [s.id for s in index.at(4)] == ["a", "b"]
    assert index.remove("b") == range(0, 2)
    assert index.in_line(1) == []
    assert index.add(Span(len(TEXT) - 3, len(TEXT), "Claim", "c")) == range(1, 2)


def test_segments_split_overlaps() -> None:
    spans = [Span(0, 10, "A", "1"), Span(5, 15, "B", "2"), Span(20, 25, "A", "3")]
    assert list(segments(spans, 0, 30)) == [
        (0, 5, frozenset({"A"})),
        (5, 10, frozenset({"A", "B"})),
        (10, 15, frozenset({"B"})),
        (20, 25, frozenset({"A"})),
    ]
    assert list(segments(spans, 8, 12)) == [
        (8, 10, frozenset({"A", "B"})),
        (10, 12, frozenset({"B"})),
    ]


spans_strategy = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20), st.sampled_from("ABC")), max_size=12
)


@given(spans_strategy)
def test_segments_agree_with_a_per_character_count(raw: list[tuple[int, int, str]]) -> None:
    spans = [Span(s, s + n, label, str(i)) for i, (s, n, label) in enumerate(raw)]
    expected = [frozenset(sp.label for sp in spans if sp.start <= i < sp.end) for i in range(90)]
    got: list[frozenset[str]] = [frozenset()] * 90
    for s, e, labels in segments(spans, 0, 90):
        for i in range(s, e):
            got[i] = labels
    assert got == expected
