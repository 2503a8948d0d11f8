"""Inter-annotator agreement: Krippendorff's alpha, Cohen's and Fleiss' kappa, span F1.

Pure Python. The character-level figures never look at code points one by one: each
annotator's coverage of a (document, label) is a union of intervals, and a sweep over the
interval ends counts how many code points show each *pattern* (one 0/1 value per annotator).
Every coefficient is then computed from those counts, so 1 MB of text costs as much as its
spans, not as its characters.

Definitions (also in the README and the Agreement window's help):

- units: the code points of the compared documents, once per label; an annotator's value at a
  unit is 1 when one of their spans with that label covers it, else 0;
- ``alpha``: Krippendorff's alpha, nominal metric, on those units;
- ``kappa``: Cohen's kappa for two annotators, Fleiss' kappa for three or more, same units;
- ``f1_exact``: for a pair, spans match when label, start and end are equal, one to one;
  F1 = 2 x matches / (spans of A + spans of B);
- ``f1_overlap``: spans match when they have the same label and overlap; the matches are a
  maximum one-to-one matching of overlapping spans of the same label (Hopcroft-Karp), so the
  figure does not depend on the order of the spans;
- with three or more annotators an F1 is the mean over the pairs for which it is defined;
- the overall F1 of a pair pools every label: 2 x all matches / all spans of both.

A figure that is undefined (no variation, nothing to compare) is ``None``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any, NamedTuple

Pattern = tuple[Hashable | None, ...]  # one value per annotator; None: the annotator is missing


class SpanRecord(NamedTuple):
    """One annotation as agreement needs it."""

    annotator: str
    document_id: str
    label: str
    start: int
    end: int


# -- coefficients over patterns ---------------------------------------------------------------


def coincidences(
    units: Iterable[tuple[Sequence[Hashable | None], float]],
) -> defaultdict[tuple[Hashable, Hashable], float]:
    """Krippendorff's coincidence matrix: each unit's values (None: missing) paired within the
    unit, weighted by the unit's weight; a unit with fewer than two values is not pairable."""
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for values_of_unit, weight in units:
        values = Counter(v for v in values_of_unit if v is not None)
        m = sum(values.values())
        if m < 2:
            continue
        for c, n_c in values.items():
            for k, n_k in values.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidence[c, k] += weight * pairs / (m - 1)
    return coincidence


def krippendorff_alpha_nominal(patterns: Mapping[Pattern, int]) -> float | None:
    """Krippendorff's alpha (nominal) of units given as pattern -> number of such units.

    Units with fewer than two values are not pairable and do not count (Krippendorff 2011,
    "Computing Krippendorff's Alpha-Reliability", section C).
    """
    coincidence = coincidences((pattern, units) for pattern, units in patterns.items() if units)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), o in coincidence.items():
        totals[c] += o
    n = sum(totals.values())
    observed = sum(o for (c, k), o in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n <= 1 or expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def cohen_kappa(patterns: Mapping[Pattern, int]) -> float | None:
    """Cohen's kappa of two raters; ``patterns`` maps (value of A, value of B) -> units."""
    total = 0
    agree = 0
    a_counts: Counter[Hashable] = Counter()
    b_counts: Counter[Hashable] = Counter()
    for (a, b), units in patterns.items():
        if a is None or b is None or not units:
            continue
        total += units
        agree += units if a == b else 0
        a_counts[a] += units
        b_counts[b] += units
    if not total:
        return None
    p_o = agree / total
    p_e = sum(a_counts[v] * b_counts[v] for v in a_counts) / (total * total)
    if p_e >= 1:
        return None
    return (p_o - p_e) / (1 - p_e)


def fleiss_kappa(patterns: Mapping[Pattern, int]) -> float | None:
    """Fleiss' kappa (1971); every unit must have the same number of raters (no None)."""
    raters = None
    subjects = 0
    agreement_sum = 0.0
    category_totals: Counter[Hashable] = Counter()
    for pattern, units in patterns.items():
        if not units:
            continue
        if any(v is None for v in pattern):
            raise ValueError("Fleiss' kappa needs a value from every rater for every unit")
        if raters is None:
            raters = len(pattern)
        elif raters != len(pattern):
            raise ValueError("Fleiss' kappa needs the same number of raters for every unit")
        counts = Counter(pattern)
        subjects += units
        agreement_sum += units * sum(n * (n - 1) for n in counts.values())
        for value, n in counts.items():
            category_totals[value] += units * n
    if not subjects or raters is None or raters < 2:
        return None
    p_bar = agreement_sum / (subjects * raters * (raters - 1))
    p_e = sum((n / (subjects * raters)) ** 2 for n in category_totals.values())
    if p_e >= 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def kappa(patterns: Mapping[Pattern, int]) -> float | None:
    """Cohen's kappa for two raters, Fleiss' for three or more."""
    width = len(next(iter(patterns), ()))
    return cohen_kappa(patterns) if width == 2 else fleiss_kappa(patterns)


# -- span matching ------------------------------------------------------------------------------

Interval = tuple[int, int]


def exact_matches(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """Spans of A and B with equal start and end, matched one to one."""
    set_a, set_b = set(a), set(b)
    if len(set_a) == len(a) and len(set_b) == len(b):  # no span twice: one to one already
        return len(set_a & set_b)
    counts_a = Counter(a)
    counts_b = Counter(b)
    return sum(min(n, counts_b[span]) for span, n in counts_a.items())


def overlap_matches(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """The most overlapping spans of A and B that can be matched one to one (a maximum
    bipartite matching, so the figure does not depend on the order of the spans)."""
    if not a or not b:
        return 0
    if len(a) * len(b) <= 16:  # a few spans: every pair looked at, no sorting
        neighbours = [
            [j for j, (s, e) in enumerate(b) if min(end, e) - max(start, s) > 0] for start, end in a
        ]
        return _matching(neighbours, len(b))
    order_b = sorted(range(len(b)), key=lambda j: b[j])
    starts_b = [b[j][0] for j in order_b]
    longest_b = max(e - s for s, e in b)
    neighbours: list[list[int]] = []
    for start, end in a:
        # only spans of B starting in (start - longest_b, end) can overlap A's span
        first = bisect_right(starts_b, start - longest_b)
        stop = bisect_left(starts_b, end)
        neighbours.append(
            [
                order_b[p]
                for p in range(first, stop)
                if min(end, b[order_b[p]][1]) - max(start, b[order_b[p]][0]) > 0
            ]
        )
    return _matching(neighbours, len(b))


def _matching(neighbours: Sequence[Sequence[int]], right: int) -> int:
    if all(len(found) <= 1 for found in neighbours):
        ends = [found[0] for found in neighbours if found]
        if len(set(ends)) == len(ends):  # no span overlaps two: every overlap is a match
            return len(ends)
    return maximum_matching(neighbours, right)


def maximum_matching(neighbours: Sequence[Sequence[int]], right: int) -> int:
    """The size of a maximum matching of a bipartite graph (Hopcroft-Karp): left vertex ``i``
    is joined to the right vertices ``neighbours[i]``, numbered below ``right``. Iterative, so
    that thousands of spans in one document do not exhaust the recursion limit."""
    partner_of_left = [-1] * len(neighbours)
    partner_of_right = [-1] * right
    size = 0
    while True:
        free = [i for i, partner in enumerate(partner_of_left) if partner == -1]
        # breadth first: the layers of the shortest alternating paths from the free left
        layer = [-1] * len(neighbours)
        for i in free:
            layer[i] = 0
        queue = deque(free)
        reachable = False
        while queue:
            i = queue.popleft()
            for j in neighbours[i]:
                k = partner_of_right[j]
                if k == -1:
                    reachable = True
                elif layer[k] == -1:
                    layer[k] = layer[i] + 1
                    queue.append(k)
        if not reachable:
            return size
        # depth first along the layers: vertex-disjoint augmenting paths
        tried = [0] * len(neighbours)
        for root in free:
            path = [root]
            while path:
                i = path[-1]
                if tried[i] == len(neighbours[i]):
                    layer[i] = -1  # a dead end in this phase
                    path.pop()
                    continue
                j = neighbours[i][tried[i]]
                tried[i] += 1
                k = partner_of_right[j]
                if k == -1:
                    for vertex in path:  # each took the edge just before its ``tried``
                        chosen = neighbours[vertex][tried[vertex] - 1]
                        partner_of_left[vertex] = chosen
                        partner_of_right[chosen] = vertex
                    size += 1
                    break
                if layer[k] == layer[i] + 1:
                    path.append(k)


def f1(matches: int, spans_a: int, spans_b: int) -> float | None:
    total = spans_a + spans_b
    return 2 * matches / total if total else None


# -- coverage patterns --------------------------------------------------------------------------


def coverage_patterns(length: int, layers: Sequence[Sequence[Interval]]) -> Counter[Pattern]:
    """How many code points of a text of ``length`` show each 0/1 pattern, one value per layer
    (1: one of that layer's intervals covers the code point)."""
    by_mask: dict[int, int] = {}
    _sweep(length, layers, by_mask)
    return Counter({_pattern(mask, len(layers)): units for mask, units in by_mask.items()})


def _pattern(mask: int, width: int) -> Pattern:
    return tuple((mask >> i) & 1 for i in range(width))


def _sweep(length: int, layers: Sequence[Sequence[Interval]], by_mask: dict[int, int]) -> None:
    """Add to ``by_mask`` the code points of a text of ``length`` by the layers covering them,
    one bit per layer (keys in the order first seen, as a pattern Counter would have them)."""
    events: list[tuple[int, int, int]] = []  # (position, layer, +1 / -1)
    for layer, intervals in enumerate(layers):
        for start, end in intervals:
            start, end = max(0, start), min(length, end)
            if start < end:
                events.append((start, layer, 1))
                events.append((end, layer, -1))
    events.sort()
    depth = [0] * len(layers)
    covering = 0  # the layers whose depth is not 0, one bit each
    previous = 0
    for position, layer, step in events:
        if position > previous:
            by_mask[covering] = by_mask.get(covering, 0) + position - previous
            previous = position
        depth[layer] += step
        if depth[layer]:
            covering |= 1 << layer
        else:
            covering &= ~(1 << layer)
    if length > previous:
        by_mask[covering] = by_mask.get(covering, 0) + length - previous


def project_patterns(patterns: Mapping[Pattern, int], columns: Sequence[int]) -> Counter[Pattern]:
    """The same units seen by a subset of the annotators (by their positions)."""
    result: Counter[Pattern] = Counter()
    for pattern, units in patterns.items():
        result[tuple(pattern[c] for c in columns)] += units
    return result


# -- the whole report ---------------------------------------------------------------------------


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


DocumentSpans = tuple[str, int, Sequence[SpanRecord]]
"""One document as the agreement reports take them: its id, its length in code points and its
spans (they may hold other annotators and labels, which are left out)."""


def by_document(documents: Mapping[str, int], spans: Iterable[SpanRecord]) -> list[DocumentSpans]:
    """``spans`` of any order grouped by document, in the order of ``documents`` (id ->
    length); spans of other documents are left out."""
    grouped: dict[str, list[SpanRecord]] = {d: [] for d in documents}
    for span in spans:
        if span.document_id in grouped:
            grouped[span.document_id].append(span)
    return [(d, documents[d], found) for d, found in grouped.items()]


def agreement_report(
    annotators: Sequence[str],
    labels: Sequence[str],
    documents: Mapping[str, int],
    spans: Iterable[SpanRecord],
) -> dict[str, Any]:
    """The agreement of ``annotators`` over ``documents`` (id -> length in code points) and
    ``labels``, as the ``annotator agreement --json`` object.

    ``spans`` may hold other annotators, labels and documents: they are left out.
    """
    sums = AgreementSums(annotators, labels)
    for document, length, found in by_document(documents, spans):
        sums.add(document, length, found)
    return sums.report()


class _LabelSums:
    """One label's counts, summed over the documents so far."""

    def __init__(self, annotators: int, pairs: Sequence[tuple[int, int]]) -> None:
        self.masks: dict[int, int] = {}  # code points by covering layers (see _sweep)
        self.covered = 0  # code points of the documents where someone used the label
        self.counts = [0] * annotators
        self.exact = {pair: 0 for pair in pairs}
        self.overlap = {pair: 0 for pair in pairs}


class AgreementSums:
    """:func:`agreement_report` one document at a time: every figure is made of counts that
    add up over documents (coverage patterns, spans, matches), so only those are kept, never
    the spans of more than the document being added."""

    def __init__(self, annotators: Sequence[str], labels: Sequence[str]) -> None:
        if len(annotators) < 2:
            raise ValueError("agreement needs at least two annotators")
        self.annotators = list(annotators)
        self.labels = list(labels)
        self._column = {name: i for i, name in enumerate(annotators)}
        self._pairs = list(combinations(range(len(annotators)), 2))
        self._sums = {label: _LabelSums(len(annotators), self._pairs) for label in labels}
        self.documents = 0
        self.total_length = 0

    def add(self, document: str, length: int, spans: Iterable[Sequence[Any]]) -> None:
        """Count ``document`` of ``length`` code points with its spans (``SpanRecord``s, or
        rows of the same fields in the same order)."""
        self.documents += 1
        self.total_length += length
        layers: dict[str, list[list[Interval]]] = {}
        columns, sums = self._column, self._sums
        for annotator, _document, label, start, end in spans:  # a SpanRecord or its row
            column = columns.get(annotator)
            if column is None or label not in sums:
                continue
            if label not in layers:
                layers[label] = [[] for _ in self.annotators]
            layers[label][column].append((start, end))
        for label, intervals in layers.items():
            sums = self._sums[label]
            _sweep(length, intervals, sums.masks)
            sums.covered += length
            for i, own in enumerate(intervals):
                sums.counts[i] += len(own)
            for pair in self._pairs:
                a, b = intervals[pair[0]], intervals[pair[1]]
                if a == b:  # the same spans in the same order (agreement, mostly): each its own
                    sums.exact[pair] += len(a)
                    sums.overlap[pair] += len(a)
                    continue
                sums.exact[pair] += exact_matches(a, b)
                sums.overlap[pair] += overlap_matches(a, b)

    def report(self) -> dict[str, Any]:
        annotators, pairs = self.annotators, self._pairs
        empty: Pattern = (0,) * len(annotators)
        overall_patterns: Counter[Pattern] = Counter()
        pair_matches = {pair: [0, 0] for pair in pairs}  # exact, overlap; pooled over labels
        pair_spans = {pair: 0 for pair in pairs}
        label_figures: dict[str, dict[str, Any]] = {}
        for label in self.labels:
            sums = self._sums[label]
            width = len(annotators)
            patterns = Counter({_pattern(m, width): n for m, n in sums.masks.items()})
            if self.total_length > sums.covered:  # documents where no one used this label
                patterns[empty] += self.total_length - sums.covered
            overall_patterns.update(patterns)
            label_pairs = []
            for pair in pairs:
                n = sums.counts[pair[0]] + sums.counts[pair[1]]
                label_pairs.append((f1(sums.exact[pair], 0, n), f1(sums.overlap[pair], 0, n)))
                pair_matches[pair][0] += sums.exact[pair]
                pair_matches[pair][1] += sums.overlap[pair]
                pair_spans[pair] += n
            label_figures[label] = {
                "alpha": krippendorff_alpha_nominal(patterns),
                "kappa": kappa(patterns),
                "f1_exact": _mean(e for e, _ in label_pairs),
                "f1_overlap": _mean(o for _, o in label_pairs),
                "spans": {name: sums.counts[i] for i, name in enumerate(annotators)},
            }
        pair_figures = []
        for pair in pairs:
            seen = project_patterns(overall_patterns, pair)
            pair_figures.append(
                {
                    "annotators": [annotators[pair[0]], annotators[pair[1]]],
                    "alpha": krippendorff_alpha_nominal(seen),
                    "kappa": cohen_kappa(seen),
                    "f1_exact": f1(pair_matches[pair][0], 0, pair_spans[pair]),
                    "f1_overlap": f1(pair_matches[pair][1], 0, pair_spans[pair]),
                }
            )
        return {
            "annotators": list(annotators),
            "documents": self.documents,
            "overall": {
                "alpha": krippendorff_alpha_nominal(overall_patterns),
                "kappa": kappa(overall_patterns),
                "f1_exact": _mean(p["f1_exact"] for p in pair_figures),
                "f1_overlap": _mean(p["f1_overlap"] for p in pair_figures),
            },
            "labels": label_figures,
            "pairs": pair_figures,
        }
