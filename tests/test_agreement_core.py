"""annotator.core.agreement against worked examples from the literature and against independent
implementations (the krippendorff package, scikit-learn, statsmodels), code point by code point."""

from __future__ import annotations

import math
import random
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement import (
    SpanRecord,
    agreement_report,
    cohen_kappa,
    coverage_patterns,
    exact_matches,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    overlap_matches,
)

krippendorff = pytest.importorskip("krippendorff")
sklearn_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
np = pytest.importorskip("numpy")
scipy_optimize = pytest.importorskip("scipy.optimize")

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1-5, missing values; nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Fleiss (1971) as tabulated on Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters, 5
# categories (raters per category); kappa = 0.210.
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def patterns_of(matrix: list[list[int | None]]) -> Counter:
    return Counter(zip(*matrix, strict=True))


def test_krippendorff_2011_worked_example() -> None:
    alpha = krippendorff_alpha_nominal(patterns_of(KRIPPENDORFF_2011))
    assert alpha == pytest.approx(0.743, abs=5e-4)
    data = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011])
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert alpha == pytest.approx(expected, abs=1e-12)


def test_fleiss_1971_worked_example() -> None:
    patterns: Counter = Counter()
    for row in FLEISS_1971:
        patterns[tuple(c for c, n in enumerate(row) for _ in range(n))] += 1
    assert fleiss_kappa(patterns) == pytest.approx(0.210, abs=5e-4)
    expected = inter_rater.fleiss_kappa(np.array(FLEISS_1971), method="fleiss")
    assert fleiss_kappa(patterns) == pytest.approx(expected, abs=1e-12)


def test_cohen_worked_example() -> None:
    # Wikipedia's "Cohen's kappa" example: 50 proposals, p_o = 0.7, p_e = 0.5, kappa = 0.4
    patterns = Counter({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    assert cohen_kappa(patterns) == pytest.approx(0.4)


def test_undefined_figures_are_none() -> None:
    same = Counter({(0, 0): 10})
    assert krippendorff_alpha_nominal(same) is None
    assert cohen_kappa(same) is None
    assert fleiss_kappa(Counter({(1, 1, 1): 4})) is None
    assert krippendorff_alpha_nominal(Counter()) is None
    assert cohen_kappa(Counter()) is None


def test_coverage_patterns_count_every_code_point() -> None:
    layers = [[(0, 5), (3, 8)], [(4, 6)], []]
    found = coverage_patterns(10, layers)
    expected: Counter = Counter()
    for unit in range(10):
        expected[tuple(int(any(s <= unit < e for s, e in layer)) for layer in layers)] += 1
    assert found == expected
    assert coverage_patterns(0, layers) == Counter()


def test_span_matching() -> None:
    a = [(0, 5), (0, 5), (10, 20)]
    b = [(0, 5), (12, 30), (15, 18)]
    assert exact_matches(a, b) == 1
    # (10, 20) overlaps both (12, 30) and (15, 18) but pairs with one of them; (0, 5) pairs once
    assert overlap_matches(a, b) == 2
    assert overlap_matches([(0, 10)], [(2, 4), (5, 9)]) == 1
    assert overlap_matches([(0, 10), (3, 4)], [(2, 4)]) == 1
    assert overlap_matches([], b) == 0


def test_overlap_f1_is_a_maximum_matching_not_the_largest_overlap_first() -> None:
    # issue 26: largest overlap first pairs [0, 20) with [5, 18) and leaves [15, 16) and [0, 4)
    # alone (F1 0.5); [0, 20)-[0, 4) and [15, 16)-[5, 18) match both (F1 1.0)
    spans = [
        SpanRecord("A", "d", "Claim", 0, 20),
        SpanRecord("A", "d", "Claim", 15, 16),
        SpanRecord("B", "d", "Claim", 5, 18),
        SpanRecord("B", "d", "Claim", 0, 4),
    ]
    figures = agreement_report(["A", "B"], ["Claim"], {"d": 30}, spans)
    assert figures["overall"]["f1_overlap"] == 1.0
    assert figures["labels"]["Claim"]["f1_overlap"] == 1.0
    assert figures["pairs"][0]["f1_overlap"] == 1.0


def brute_force_overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """The largest one-to-one matching of overlapping spans, by trying every matching."""

    def best(i: int, free: frozenset[int]) -> int:
        if i == len(a):
            return 0
        start, end = a[i]
        found = best(i + 1, free)  # A's span i left unmatched
        for j in free:
            if min(end, b[j][1]) > max(start, b[j][0]):
                found = max(found, 1 + best(i + 1, free - {j}))
        return found

    return best(0, frozenset(range(len(b))))


small_spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=7,
)


@given(a=small_spans, b=small_spans, data=st.data())
def test_overlap_matches_is_a_maximum_matching_in_any_order(
    a: list[tuple[int, int]], b: list[tuple[int, int]], data: st.DataObject
) -> None:
    expected = brute_force_overlap_matches(a, b)
    assert overlap_matches(a, b) == expected
    shuffled_a = data.draw(st.permutations(a))
    shuffled_b = data.draw(st.permutations(b))
    assert overlap_matches(shuffled_a, shuffled_b) == expected
    assert overlap_matches(shuffled_b, shuffled_a) == expected


@given(a=small_spans, b=small_spans, data=st.data())
def test_overlap_f1_does_not_depend_on_the_order_of_the_spans(
    a: list[tuple[int, int]], b: list[tuple[int, int]], data: st.DataObject
) -> None:
    def figure(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> float | None:
        spans = [SpanRecord("A", "d", "L", s, e) for s, e in first]
        spans += [SpanRecord("B", "d", "L", s, e) for s, e in second]
        return agreement_report(["A", "B"], ["L"], {"d": 50}, spans)["overall"]["f1_overlap"]

    expected = figure(a, b)
    assert figure(data.draw(st.permutations(a)), data.draw(st.permutations(b))) == expected


def reference_overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """A maximum one-to-one matching of overlapping spans by scipy's linear_sum_assignment."""
    if not a or not b:
        return 0
    overlaps = np.array([[int(min(x[1], y[1]) > max(x[0], y[0])) for y in b] for x in a])
    rows, columns = scipy_optimize.linear_sum_assignment(overlaps, maximize=True)
    return int(overlaps[rows, columns].sum())


def random_layers(
    rng: random.Random,
    annotators: list[str],
    labels: list[str],
    lengths: dict[str, int],
    per_annotator: int,
) -> list[SpanRecord]:
    spans = []
    shared = []  # spans several annotators copy, so that agreement is not near zero
    for document, length in lengths.items():
        for _ in range(per_annotator):
            start = rng.randrange(length - 1)
            shared.append(
                (document, rng.choice(labels), start, min(length, start + rng.randint(1, 40)))
            )
    for name in annotators:
        for document, label, start, end in shared:
            roll = rng.random()
            if roll < 0.5:
                spans.append(SpanRecord(name, document, label, start, end))
            elif roll < 0.75:  # shifted: overlaps without matching exactly
                shift = rng.randint(-3, 3)
                spans.append(
                    SpanRecord(
                        name, document, label, max(0, start + shift), max(start + shift + 1, end)
                    )
                )
        for document, length in lengths.items():  # spans of one's own, overlapping others
            for _ in range(per_annotator // 3):
                start = rng.randrange(length - 1)
                spans.append(
                    SpanRecord(
                        name,
                        document,
                        rng.choice(labels),
                        start,
                        min(length, start + rng.randint(1, 60)),
                    )
                )
    return spans


def unit_values(
    spans: list[SpanRecord], annotators: list[str], labels: list[str], lengths: dict[str, int]
) -> np.ndarray:
    """The reliability matrix the definition describes, code point by code point."""
    columns = []
    for label in labels:
        for document, length in lengths.items():
            block = np.zeros((len(annotators), length), dtype=int)
            for s in spans:
                if s.label == label and s.document_id == document and s.annotator in annotators:
                    block[annotators.index(s.annotator), s.start : s.end] = 1
            columns.append(block)
    return np.concatenate(columns, axis=1)


def brute_f1(spans: list[SpanRecord], a: str, b: str, labels: list[str]) -> tuple[float, float]:
    """Exact and overlap F1 by brute force, the overlap matches by scipy's assignment solver."""
    exact = overlap = total = 0
    for label in labels:
        for document in {s.document_id for s in spans}:
            sa = [
                (s.start, s.end)
                for s in spans
                if (s.annotator, s.label, s.document_id) == (a, label, document)
            ]
            sb = [
                (s.start, s.end)
                for s in spans
                if (s.annotator, s.label, s.document_id) == (b, label, document)
            ]
            total += len(sa) + len(sb)
            left = list(sb)
            for span in sa:
                if span in left:
                    left.remove(span)
                    exact += 1
            overlap += reference_overlap_matches(sa, sb)
    return 2 * exact / total, 2 * overlap / total


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("count", [2, 3])
def test_report_equals_reference_implementations(seed: int, count: int) -> None:
    rng = random.Random(seed)
    annotators = ["ann", "bob", "cleo"][:count]
    labels = ["Claim", "Quote", "Organisation"]
    lengths = {"d1": 400, "d2": 250}
    spans = random_layers(rng, annotators, labels, lengths, 12)
    report = agreement_report(annotators, labels, lengths, spans)

    def check(figures: dict, names: list[str], chosen_labels: list[str]) -> None:
        data = unit_values(spans, names, chosen_labels, lengths)
        alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert figures["alpha"] == pytest.approx(alpha, abs=1e-9)
        if len(names) == 2:
            expected = sklearn_metrics.cohen_kappa_score(data[0], data[1])
        else:
            table, _ = inter_rater.aggregate_raters(data.T)
            expected = inter_rater.fleiss_kappa(table, method="fleiss")
        assert figures["kappa"] == pytest.approx(expected, abs=1e-9)

    check(report["overall"], annotators, labels)
    for label in labels:
        check(report["labels"][label], annotators, [label])
        counts = Counter(s.annotator for s in spans if s.label == label)
        assert report["labels"][label]["spans"] == {n: counts[n] for n in annotators}
        pair_f1 = []
        for a, b in combinations(annotators, 2):
            pair_f1.append(brute_f1(spans, a, b, [label]))
        assert report["labels"][label]["f1_exact"] == pytest.approx(
            sum(e for e, _ in pair_f1) / len(pair_f1)
        )
        assert report["labels"][label]["f1_overlap"] == pytest.approx(
            sum(o for _, o in pair_f1) / len(pair_f1)
        )
    for pair in report["pairs"]:
        a, b = pair["annotators"]
        check(pair, [a, b], labels)
        assert (pair["f1_exact"], pair["f1_overlap"]) == pytest.approx(
            brute_f1(spans, a, b, labels)
        )
    assert report["documents"] == 2
    assert report["annotators"] == annotators


def test_report_never_holds_nan() -> None:
    spans = [SpanRecord("a", "d", "Claim", 0, 4), SpanRecord("b", "d", "Claim", 0, 4)]
    report = agreement_report(["a", "b"], ["Claim", "Quote"], {"d": 4}, spans)
    quote = report["labels"]["Quote"]
    assert quote["alpha"] is None and quote["kappa"] is None
    assert quote["f1_exact"] is None and quote["f1_overlap"] is None
    claim = report["labels"]["Claim"]
    assert claim["f1_exact"] == 1.0 and claim["alpha"] is None  # every unit is 1: no variation

    def walk(value: object) -> None:
        if isinstance(value, float):
            assert not math.isnan(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(report)
    with pytest.raises(ValueError):
        agreement_report(["a"], ["Claim"], {"d": 4}, spans)
