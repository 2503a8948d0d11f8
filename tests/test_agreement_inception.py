"""INCEpTION's agreement definitions (annotator.core.coding_study, annotator.core.unitizing,
annotator.core.inception_agreement) against DKPro Agreement's own figures and the papers'
worked examples."""

from __future__ import annotations

import math
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import coding_study, unitizing
from annotator.core.agreement import SpanRecord
from annotator.core.inception_agreement import coding_report, unitizing_report
from annotator.core.unitizing import Unit, UnitizingStudy

DKPRO = Path(__file__).parent / "fixtures" / "dkpro"


def _cases() -> list[tuple[list[str], list[str]]]:
    """(case lines, figure fields) from cases.txt / figures.txt (see make_fixtures.py)."""
    lines = (DKPRO / "cases.txt").read_text(encoding="utf-8").splitlines()
    figures = (DKPRO / "figures.txt").read_text(encoding="utf-8").splitlines()
    cases: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line == "END":
            cases.append(current)
            current = []
        else:
            current.append(line)
    assert len(cases) == len(figures) == 300
    return [(case, figure.split()) for case, figure in zip(cases, figures, strict=True)]


def _same(ours: float | None, dkpro: str) -> bool:
    if dkpro == "nan":
        return ours is None
    return ours is not None and math.isclose(ours, float(dkpro), rel_tol=1e-9, abs_tol=1e-12)


def test_coding_figures_are_dkpros_on_300_random_studies() -> None:
    checked = 0
    for case, figures in _cases():
        head = case[0].split()
        if head[0] != "C":
            continue
        raters, label_set = int(head[1]), head[2:]
        items = [[None if v == "-" else v for v in row.split()] for row in case[1:]]
        assert _same(coding_study.alpha(items, label_set), figures[1]), (case, figures)
        assert _same(coding_study.kappa(items, raters), figures[2]), (case, figures)
        checked += 1
    assert checked == 150


def test_unitizing_figures_are_dkpros_on_300_random_studies() -> None:
    checked = 0
    for case, figures in _cases():
        head = case[0].split()
        if head[0] != "U":
            continue
        units = []
        for row in case[1:]:
            offset, length, rater, category = row.split()
            units.append(Unit(int(offset), int(length), int(rater), category))
        study = UnitizingStudy(int(head[1]), int(head[2]), int(head[3]), units)
        assert _same(unitizing.alpha(study), figures[1]), (case, figures)
        for field in figures[2:]:
            category, value = field.split("=")
            ours = unitizing.category_alpha(study, category)
            if ours is None:  # D_E = 0: DKPro says 0.0 (its D_O = D_E rule), we say undefined
                assert unitizing.expected_disagreement(study, category) == 0
                assert value == "0.0"
            else:
                assert _same(ours, value), (case, figures, category, ours)
        checked += 1
    assert checked == 150


# -- worked examples, as DKPro Agreement's tests quote them ---------------------------------


def test_krippendorff_2004_coding_examples() -> None:
    # DKPro Krippendorff2004Test (coding): Krippendorff (2004), Content Analysis, 2nd ed.
    # p. 224 (two raters, 0/1): alpha = 0.095; p. 227 (a/b/c): alpha = 0.734; p. 230 (four
    # raters, missing values): alpha = 0.743.
    dichotomy = [[1, 0], [1, 1], [0, 1], [0, 0], [0, 0], [0, 1], [0, 0], [0, 1], [0, 0], [0, 0]]
    assert coding_study.alpha(dichotomy) == pytest.approx(0.095, abs=0.0005)
    three = [["a", "a"], ["a", "b"], *[["b", "b"]] * 4, ["b", "c"], *[["c", "c"]] * 5]
    assert coding_study.alpha(three) == pytest.approx(0.734, abs=0.0005)
    missing = [
        ["B", "B", None, "B"],
        ["L", "L", "P", "L"],
        ["P", "P", "P", "P"],
        ["P", "P", "P", "P"],
        ["L", "L", "L", "L"],
        ["B", "L", "P", "C"],
        ["C", "C", "C", "C"],
        ["B", "B", "L", "B"],
        ["L", "L", "L", "L"],
        [None, "F", "F", "F"],
        [None, None, "B", "B"],
        [None, None, "P", None],
    ]
    assert coding_study.alpha(missing) == pytest.approx(0.743, abs=0.0005)


def test_cohen_1960_and_fleiss_1971() -> None:
    # DKPro Cohen1960Test: Cohen (1960), p. 45: kappa = 0.492.
    cells = {(1, 1): 88, (1, 2): 14, (1, 3): 18, (2, 1): 10, (2, 2): 40, (2, 3): 10}
    cells |= {(3, 1): 2, (3, 2): 6, (3, 3): 12}
    items = [list(pair) for pair, n in cells.items() for _ in range(n)]
    assert coding_study.cohen_kappa(items) == pytest.approx(0.492, abs=0.0005)
    # DKPro Fleiss1971Test: Fleiss (1971), p. 379, 30 subjects x 6 raters: kappa = 0.430.
    fleiss = """444444 222555 233335 555555 222444 113333 333355 113334 114444 555555
        144444 124444 222333 144444 224445 333335 111455 111112 224444 133555 555555 244444
        224555 114444 144445 222224 111155 224444 133333 555555"""
    rows = [list(word) for word in fleiss.split()]
    assert len(rows) == 30
    assert coding_study.fleiss_kappa(rows) == pytest.approx(0.430, abs=0.0005)


def _krippendorff_1995(stretch: float) -> UnitizingStudy:
    """DKPro Krippendorff1995Test.createExample: Krippendorff (1995), p. 57."""
    spans = {
        "A": [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
        "B": [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1)]
        + [(9, 1, 1)],
        "C": [(2, 6, 0), (10, 2, 0), (14, 4, 0), (20, 2, 0), (0, 2, 1), (4, 4, 1), (10, 4, 1)]
        + [(16, 2, 1), (20, 2, 1)],
        "D": [(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0), (0, 4, 1), (4, 4, 1)]
        + [(8, 7, 1), (15, 2, 1), (17, 7, 1)],
    }
    units = [
        Unit(int(o * stretch), int(n * stretch), r, c)
        for c, found in spans.items()
        for o, n, r in found
    ]
    return UnitizingStudy(2, 0, int(24 * stretch), units)


def test_krippendorff_1995_unitizing_example() -> None:
    # DKPro Krippendorff1995Test.testAgreement: D_O per category to 5 decimals; D_E and
    # alpha_u(c) at stretch 50000, within DKPro's own tolerances (0.005 and 0.02: "there seems
    # to be a small error in the computation of D_E in the original reference").
    study = _krippendorff_1995(1)
    observed = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for category, expected in observed.items():
        assert unitizing.observed_disagreement(study, category) == pytest.approx(
            expected, abs=0.00001
        )
    study = _krippendorff_1995(1200000 / 24)
    expected_d = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alphas = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for category in "ABCD":
        d_e = unitizing.expected_disagreement(study, category)
        assert d_e == pytest.approx(expected_d[category], abs=0.005)
        assert unitizing.category_alpha(study, category) == pytest.approx(
            alphas[category], abs=0.02
        )


def test_krippendorff_2004_unitizing_example() -> None:
    # DKPro unitizing Krippendorff2004Test: Krippendorff (2004), "Measuring the reliability
    # of qualitative text analysis data", p. 254: alpha_u = 0.8591 (DKPro: within 0.0005);
    # category c: D_O 0.0144, D_E 0.0532, alpha 0.7286; k: D_O 0, D_E 0.0490, alpha 1.
    units = [
        Unit(225, 70, 0, "c"),
        Unit(370, 30, 0, "c"),
        Unit(220, 80, 1, "c"),
        Unit(355, 20, 1, "c"),
        Unit(400, 20, 1, "c"),
        Unit(180, 60, 0, "k"),
        Unit(300, 50, 0, "k"),
        Unit(180, 60, 1, "k"),
        Unit(300, 50, 1, "k"),
    ]
    study = UnitizingStudy(2, 150, 300, units)
    assert unitizing.alpha(study) == pytest.approx(0.8591, abs=0.0005)
    assert unitizing.observed_disagreement(study, "c") == pytest.approx(0.0144, abs=0.0001)
    assert unitizing.expected_disagreement(study, "c") == pytest.approx(0.0532, abs=0.0001)
    assert unitizing.category_alpha(study, "c") == pytest.approx(0.7286, abs=0.0001)
    assert unitizing.observed_disagreement(study, "k") == 0
    assert unitizing.expected_disagreement(study, "k") == pytest.approx(0.0490, abs=0.0001)
    assert unitizing.category_alpha(study, "k") == 1.0


def test_krippendorff_2004_distances() -> None:
    # DKPro unitizing Krippendorff2004Test.testDistanceMetric1/2.
    d = unitizing.measure_distance
    assert d(2, 3, None, 2, 2, "X") + d(5, 6, "X", 4, 7, None) == 40
    assert d(3, 2, None, 3, 2, "X") + d(5, 6, "X", 5, 6, None) == 40
    assert [d(5, 6, "X", o, n, "X") for o, n in ((4, 2), (5, 2), (6, 2), (7, 2), (6, 4))] == [
        26,
        16,
        10,
        8,
        2,
    ]
    assert d(5, 6, "X", 5, 6, "X") == 0
    assert d(0, 5, "X", 5, 3, "X") == d(5, 3, "X", 0, 5, "X") == 0  # adjacent: no overlap
    assert d(225, 70, "c", 220, 80, "c") == 50
    assert d(370, 30, "c", 355, 20, "c") == 850
    assert d(400, 50, None, 400, 20, "c") == 400


# -- from spans to studies, as INCEpTION does --------------------------------------------------


def test_positions_items_missing_stacked_and_exclude_incomplete() -> None:
    a = [(0, 5, "PER"), (10, 15, "LOC"), (20, 25, "ORG"), (20, 25, "LOC"), (30, 35, "PER")]
    b = [(0, 5, "PER"), (10, 15, "ORG"), (20, 25, "ORG"), (40, 45, "PER")]
    # (20, 25): A has two spans there, stacked, the position is left out
    assert coding_study.position_items([a, b]) == [
        ["PER", "PER"],
        ["LOC", "ORG"],
        ["PER", None],
        [None, "PER"],
    ]
    assert coding_study.position_items([a, b], exclude_incomplete=True) == [
        ["PER", "PER"],
        ["LOC", "ORG"],
    ]


def test_document_units_leave_out_overlaps_of_one_label_like_inception() -> None:
    spans = [(0, 3, "X"), (5, 9, "X"), (0, 10, "X"), (8, 12, "Y"), (9, 14, "X"), (10, 12, "X")]
    # (0, 10) starts first and, at the same start, is longer than (0, 3) (UIMA's order: start,
    # then the longer first); (5, 9) and (9, 14) overlap it; (10, 12) overlaps (9, 14), which
    # was left out but, as in INCEpTION, still counts as open
    assert unitizing.document_units([spans], 20) == [Unit(0, 10, 0, "X"), Unit(8, 4, 0, "Y")]


def _records(layers: dict[str, dict[str, list[tuple[int, int, str]]]]) -> list[SpanRecord]:
    return [
        SpanRecord(name, doc, label, s, e)
        for name, docs in layers.items()
        for doc, spans in docs.items()
        for s, e, label in spans
    ]


def test_pair_figure_is_the_mean_over_documents() -> None:
    spans = _records(
        {
            "ann": {"d1": [(0, 4, "X"), (5, 9, "Y")], "d2": [(0, 4, "X"), (5, 9, "X")]},
            "bob": {"d1": [(0, 4, "X"), (5, 9, "Y")], "d2": [(0, 4, "X"), (5, 9, "Y")]},
        }
    )
    report = coding_report(["ann", "bob"], ["X", "Y"], {"d1": 10, "d2": 10}, spans)
    d1 = report["per_document"]["d1"]
    d2 = report["per_document"]["d2"]
    assert d1["kappa"] == 1.0 and d1["alpha"] == 1.0
    assert d2["kappa"] == 0.0  # one agrees, one does not: A_O 0.5 = A_E 0.5
    assert report["pairs"][0]["kappa"] == pytest.approx(0.5)
    assert report["pairs"][0]["kappa_documents"] == 2
    assert report["overall"]["kappa"] == pytest.approx(0.5)
    u = unitizing_report(["ann", "bob"], ["X", "Y"], {"d1": 10, "d2": 10}, spans)
    assert u["per_document"]["d1"]["alpha_u"] == 1.0
    assert u["labels"]["X"]["spans"] == {"ann": 3, "bob": 2}
    assert u["pairs"][0]["alpha_u"] == pytest.approx((1.0 + u["per_document"]["d2"]["alpha_u"]) / 2)


def test_no_positions_is_undefined() -> None:
    spans = _records({"ann": {"d1": []}, "bob": {"d1": []}})
    report = coding_report(["ann", "bob"], ["X", "Y"], {"d1": 10}, spans)
    assert report["overall"] == {"alpha": None, "kappa": None}
    assert report["pairs"][0]["kappa_documents"] == 0
    u = unitizing_report(["ann", "bob"], ["X", "Y"], {"d1": 10}, spans)
    assert u["overall"] == {"alpha_u": None}
    assert u["labels"]["X"]["alpha_u"] is None


# -- properties ----------------------------------------------------------------------------------

span = st.tuples(st.integers(0, 40), st.integers(1, 15), st.sampled_from("XYZ")).map(
    lambda t: (t[0], min(50, t[0] + t[1]), t[2])
)
layer = st.lists(span, max_size=6)


@settings(max_examples=60, deadline=None)
@given(layer, st.integers(2, 4))
def test_perfect_agreement_is_one(spans: list[tuple[int, int, str]], raters: int) -> None:
    layers = [spans] * raters
    items = coding_study.position_items(layers)
    if items:
        assert coding_study.alpha(items, "XYZ") == pytest.approx(1.0)
        assert coding_study.kappa(items, raters) == pytest.approx(1.0)
    study = UnitizingStudy(raters, 0, 50, unitizing.document_units(layers, 50))
    if study.units:
        assert unitizing.alpha(study) == pytest.approx(1.0)
        for category in study.categories():
            assert unitizing.category_alpha(study, category) in (None, pytest.approx(1.0))


@settings(max_examples=60, deadline=None)
@given(st.lists(layer, min_size=2, max_size=3))
def test_figures_do_not_depend_on_the_order_of_the_raters(layers: list) -> None:
    def figures(ordered: list) -> tuple:
        items = coding_study.position_items(ordered)
        study = UnitizingStudy(len(ordered), 0, 50, unitizing.document_units(ordered, 50))
        return (
            coding_study.alpha(items, "XYZ"),
            coding_study.kappa(items, len(ordered)),
            unitizing.alpha(study),
            *(unitizing.category_alpha(study, c) for c in "XYZ" if c in study.categories()),
        )

    first = figures(layers)
    for order in permutations(layers):
        again = figures(list(order))
        for x, y in zip(first, again, strict=True):
            assert (x is None and y is None) or x == pytest.approx(y, abs=1e-9)
