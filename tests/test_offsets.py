"""Code points <-> UTF-16 code units, over text that trips naive converters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap
from annotator.core.text import NewlineShift, canonical_text

TRICKY = [
    "👍",
    "👍🏽",
    "🇰🇭",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "n\u0303",
    "中文",
    "漢字",
    "العربية",
    "עברית",
    "\u200f",
    "\n",
    "\r\n",
    "\r",
    " ",
    "a",
    "𝔘",
    "\U0010ffff",
    "\uffff",
]
texts = st.lists(
    st.one_of(
        st.sampled_from(TRICKY), st.text(st.characters(exclude_categories=("Cs",)), max_size=5)
    ),
    max_size=40,
).map("".join)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(texts, st.data())
def test_to_utf16_counts_what_came_before(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text)))
    assert OffsetMap(text).to_utf16(position) == utf16_len(text[:position])


@given(texts)
def test_round_trip_at_every_position(text: str) -> None:
    offsets = OffsetMap(text)
    assert offsets.utf16_length == utf16_len(text)
    for position in range(len(text) + 1):
        assert offsets.from_utf16(offsets.to_utf16(position)) == position


@given(texts)
def test_positions_inside_a_surrogate_pair_snap_to_the_character(text: str) -> None:
    offsets = OffsetMap(text)
    for position, char in enumerate(text):
        if ord(char) > 0xFFFF:
            inside = offsets.to_utf16(position) + 1
            assert offsets.is_inside_pair(inside)
            assert offsets.from_utf16(inside, "before") == position
            assert offsets.from_utf16(inside, "after") == position + 1
    for position in range(len(text) + 1):
        assert not offsets.is_inside_pair(offsets.to_utf16(position))


@given(texts, st.data())
def test_slices_agree_between_units(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    offsets = OffsetMap(text)
    encoded = text.encode("utf-16-le")
    piece = encoded[2 * offsets.to_utf16(start) : 2 * offsets.to_utf16(end)]
    assert piece.decode("utf-16-le") == text[start:end]


def test_out_of_range_is_refused() -> None:
    offsets = OffsetMap("a👍")
    with pytest.raises(ValueError):
        offsets.to_utf16(3)
    with pytest.raises(ValueError):
        offsets.from_utf16(4)


def test_known_values() -> None:
    text = "a👍b👨\u200d👩\u200d👧c"
    offsets = OffsetMap(text)
    assert [offsets.to_utf16(i) for i in range(len(text) + 1)] == [
        0,
        1,
        3,
        4,
        6,
        7,
        9,
        10,
        12,
        13,
    ]
    assert OffsetMap("plain ascii").is_identity


@given(texts)
def test_canonical_text_has_no_carriage_returns(text: str) -> None:
    result = canonical_text(text)
    assert "\r" not in result
    assert result.replace("\n", "") == text.replace("\r", "").replace("\n", "")


@given(texts, st.data())
def test_newline_shift_maps_raw_slices_onto_canonical_slices(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    shift = NewlineShift(text)
    assert canonical_text(text)[shift(start) : shift(end)] == canonical_text(text[start:end]) or (
        # a boundary that splits a \r\n pair keeps only the \n half
        text[start - 1 : start + 1] == "\r\n" or text[end - 1 : end + 1] == "\r\n"
    )
