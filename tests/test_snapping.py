"""Snapping rules (core/snapping.py): examples from the sample article and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.snapping import SnapMode, matched_pairs, snap

TEXT = (
    "Chantoul Oung, director of the Cambodian Women’s Crisis Center, called the report "
    "“good news.”\n“I agree that Cambodia [does] not have a law on trafficking,” she said."
)


def picked(selection: str, mode: SnapMode = SnapMode.WORDS, occurrence: int = 0) -> str | None:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(selection, start + 1)
    span = snap(TEXT, start, start + len(selection), mode)
    return None if span is None else TEXT[span[0] : span[1]]


def test_an_exact_drag_over_a_quote_keeps_its_marks() -> None:
    assert picked("“good news.”") == "“good news.”"
    assert picked("the report “good news.”") == "the report “good news.”"


def test_a_sloppy_drag_still_snaps_to_words() -> None:
    assert picked("od new") == "good news"
    assert picked(" Women’s Crisis Center, ") == "Women’s Crisis Center"
    assert picked("[does] ") == "[does]"
    assert picked("does] ") == "does"  # the opening bracket was not selected
    assert picked(", ") is None


def test_an_apostrophe_is_not_a_closing_mark() -> None:
    assert matched_pairs(TEXT, 0, TEXT.index("Center")) == []
    assert picked("Women’s") == "Women’s"


def test_punctuation_and_exact_rules() -> None:
    assert picked("“good news.”\n", SnapMode.PUNCTUATION) == "“good news.”"
    assert picked("od news.", SnapMode.PUNCTUATION) == "good news."
    assert picked("od news.", SnapMode.EXACT) == "od news."
    assert picked(" ", SnapMode.EXACT) == " "
    assert picked(" ", SnapMode.PUNCTUATION) is None


texts = st.text(alphabet=st.sampled_from(list('ab ,.“”()[]’"\n')), min_size=1, max_size=40)


@given(texts, st.data(), st.sampled_from(list(SnapMode)))
def test_snapping_stays_in_the_text_and_is_stable(
    text: str, data: st.DataObject, mode: SnapMode
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = snap(text, start, end, mode)
    if span is None:
        return
    lo, hi = span
    assert 0 <= lo < hi <= len(text)
    if mode is SnapMode.EXACT:
        assert span == (start, end)
        return
    assert not text[lo].isspace() and not text[hi - 1].isspace()
    assert snap(text, lo, hi, mode) == span  # snapping what was snapped changes nothing


@given(texts, st.data())
def test_words_keeps_only_pairs_it_covers(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = snap(text, start, end)
    if span is None:
        return
    lo, hi = span
    for edge in (lo, hi - 1):  # a mark at an edge is half of a pair inside the span
        if not text[edge].isalnum() and text[edge] not in "’":
            assert any(
                edge in pair and lo <= pair[0] and pair[1] < hi
                for pair in matched_pairs(text, lo, hi)
            ), (text, span)


def test_each_label_keeps_its_rule_through_rename_delete_and_export(tmp_path) -> None:
    import io

    from annotator.service import export_project
    from annotator.store import codebook
    from annotator.store.project import Project

    with Project.open(tmp_path / "p.annot") as project:
        rules = {label.name: label.snap for label in project.labels()}
        assert rules["Quote"] is SnapMode.PUNCTUATION  # a quote keeps its marks by default
        assert rules["Claim"] is SnapMode.WORDS
        codebook.update_label(project, "Claim", snap=SnapMode.EXACT)
        codebook.update_label(project, "Claim", name="Assertion")
        assert {lb.name: lb.snap for lb in project.labels()}["Assertion"] is SnapMode.EXACT
        deleted = codebook.delete_label(project, "Assertion")
        codebook.restore_label(project, deleted)
        assert {lb.name: lb.snap for lb in project.labels()}["Assertion"] is SnapMode.EXACT
        out = io.StringIO()
        export_project(project, out)
    assert '"snap": "exact"' in out.getvalue() and '"snap": "punctuation"' in out.getvalue()
    (tmp_path / "p.json").write_text(out.getvalue(), encoding="utf-8")
    with Project.open(tmp_path / "q.annot") as other:
        from annotator.service import import_file

        import_file(other, tmp_path / "p.json")
        assert {lb.name: lb.snap for lb in other.labels()}["Assertion"] is SnapMode.EXACT
