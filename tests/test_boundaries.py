"""Sentence, clause and word boundaries (core/boundaries.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.boundaries import next_boundary, previous_boundary, sentence_at, word_step

from .conftest import SAMPLE

TEXT = SAMPLE.read_text(encoding="utf-8")


def test_the_sentence_at_the_caret_keeps_its_closing_marks() -> None:
    start, end = sentence_at(TEXT, TEXT.index("comply"))
    assert TEXT[start:end].startswith("The new classification signifies")
    assert TEXT[start:end].endswith("efforts to do so.”")
    start, end = sentence_at(TEXT, TEXT.index("Tier 3 was"))
    assert TEXT[start:end] == "“Tier 3 was a warning, and we took the warning seriously,” she said."


def test_clause_steps_go_forward_and_back() -> None:
    start = TEXT.index("The US State")
    first = next_boundary(TEXT, start)
    assert TEXT[start:first].endswith("human trafficking,")
    second = next_boundary(TEXT, first)
    assert TEXT[first:second] == " which was released Wednesday."
    assert previous_boundary(TEXT, second, start) == first
    assert previous_boundary(TEXT, first, start) == start


def test_word_steps() -> None:
    start = TEXT.index("Cambodia Moves")
    assert word_step(TEXT, start, 1) == start + len("Cambodia")
    assert word_step(TEXT, start + len("Cambodia Moves"), -1) == start + len("Cambodia ")


texts = st.text(alphabet=st.sampled_from(list("ab .,;“”\n")), min_size=1, max_size=50)


@given(texts, st.data())
def test_boundaries_move_the_right_way_and_stay_in_the_text(text: str, data) -> None:
    position = data.draw(st.integers(0, len(text)))
    after = next_boundary(text, position)
    assert position <= after <= len(text)
    assert 0 <= previous_boundary(text, position) <= max(0, position)
    assert word_step(text, position, 1) >= position
    assert word_step(text, position, -1) <= position
    sentence = sentence_at(text, position)
    if sentence is not None:
        start, end = sentence
        assert 0 <= start < end <= len(text)
        assert "\n" not in text[start:end]
