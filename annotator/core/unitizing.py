"""Krippendorff's unitizing alpha (alpha_u) as DKPro Agreement computes it, and INCEpTION's use
of it on span annotations.

Pure Python. A port of DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement``
(github.com/dkpro/dkpro-statistics, module dkpro-statistics-agreement; Krippendorff 1995,
"On the reliability of unitizing continuous data", and 2004, "Measuring the reliability of
qualitative text analysis data"), so that a team moving from INCEpTION gets the figure it knows:

- the continuum is ``[begin, begin + length)``; a unit is (offset, length, rater, category);
  a stretch of the continuum no unit of a rater's covers is that rater's *gap*;
- per category c, the observed disagreement D_O(c) sums, over every pair of raters, the
  distances between the overlapping units and gaps of the two raters (``measure_distance``),
  times 2 / (R (R - 1) L^2); the expected disagreement D_E(c) is Krippendorff's (2004) formula
  over all units of c and all gaps (of every rater) in c;
- the study's alpha_u = 1 - mean_c D_O(c) / mean_c D_E(c) over the categories that occur;
  a category's alpha_u(c) = 1 - D_O(c) / D_E(c).

INCEpTION (``KrippendorffAlphaUnitizingAgreementMeasure``) builds one study per document over
its characters, one rater per annotator, the label as the category; a span that overlaps an
earlier span of the same annotator with the same label is left out (the earlier, and at equal
starts the longer, one counts). ``document_units`` does the same.

Undefined (``None``): a study without units (INCEpTION shows NaN); a category whose D_E is 0.
Where DKPro turns D_O = D_E into a number (1 for a study whose raters all agree, 0 otherwise)
this module does too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Iterator, Sequence
from fractions import Fraction
from typing import NamedTuple


class Unit(NamedTuple):
    offset: int
    length: int
    rater: int
    category: Hashable


class UnitizingStudy:
    """Units of ``raters`` raters on the continuum ``[begin, begin + length)``."""

    def __init__(self, raters: int, begin: int, length: int, units: Iterable[Unit] = ()) -> None:
        self.raters = raters
        self.begin = begin
        self.length = length
        # DKPro keeps its units in a TreeSet ordered by offset, then length, then rater
        self.units = sorted(units, key=lambda u: (u.offset, u.length, u.rater))
        self._by: dict[tuple[int, Hashable], list[Unit]] = {}
        for unit in self.units:
            self._by.setdefault((unit.rater, unit.category), []).append(unit)

    def categories(self) -> list[Hashable]:
        return list(dict.fromkeys(u.category for u in self.units if u.category is not None))

    def _of(self, rater: int, category: Hashable) -> Iterator[Unit]:
        return iter(self._by.get((rater, category), ()))


def measure_distance(
    offset1: int,
    length1: int,
    category1: Hashable | None,
    offset2: int,
    length2: int,
    category2: Hashable | None,
) -> int:
    """Krippendorff's (2004) distance between a unit or gap (category None) of one rater and
    one of another (DKPro's ``measureDistance``)."""
    begin_diff = offset1 - offset2
    length_diff = length1 - length2
    if category1 is not None and category2 is not None and -length1 < begin_diff < length2:
        return begin_diff * begin_diff + (begin_diff + length_diff) ** 2
    if category1 is not None and category2 is None and -length_diff >= begin_diff >= 0:
        return length1 * length1
    if category1 is None and category2 is not None and -length_diff <= begin_diff <= 0:
        return length2 * length2
    return 0


def observed_disagreement(study: UnitizingStudy, category: Hashable) -> float:
    """D_O(c): the walk of DKPro's ``calculateObservedCategoryDisagreement``."""
    b, length, r = study.begin, study.length, study.raters
    end = b + length
    total = 0
    for r1 in range(r):
        for r2 in range(r1 + 1, r):
            units1, units2 = study._of(r1, category), study._of(r2, category)
            next1, next2 = next(units1, None), next(units2, None)
            offset1 = offset2 = b
            length1 = length2 = 0
            category1: Hashable | None = None
            category2: Hashable | None = None
            pos = b
            while pos < end and (next1 is not None or next2 is not None):
                if pos == offset1 + length1:
                    if next1 is not None and pos == next1.offset:
                        length1, category1 = next1.length, next1.category
                        next1 = next(units1, None)
                    else:
                        length1 = (next1.offset if next1 is not None else end) - pos
                        category1 = None
                    offset1 = pos
                if pos == offset2 + length2:
                    if next2 is not None and pos == next2.offset:
                        length2, category2 = next2.length, next2.category
                        next2 = next(units2, None)
                    else:
                        length2 = (next2.offset if next2 is not None else end) - pos
                        category2 = None
                    offset2 = pos
                total += measure_distance(offset1, length1, category1, offset2, length2, category2)
                pos = min(offset1 + length1, offset2 + length2)
    return 2.0 * total / (r * (r - 1) * length * length)


def _gaps(study: UnitizingStudy, category: Hashable) -> list[int]:
    """The lengths of every rater's gaps in ``category`` (DKPro's walk, zero-length units and
    all)."""
    b, end = study.begin, study.begin + study.length
    gaps: list[int] = []
    for rater in range(study.raters):
        units = study._of(rater, category)
        upcoming = next(units, None)
        offset, length, pos = b, 0, b
        while pos < end:
            if pos == offset + length:
                if upcoming is not None and pos == upcoming.offset:
                    length = upcoming.length
                    upcoming = next(units, None)
                else:
                    length = (upcoming.offset if upcoming is not None else end) - pos
                    gaps.append(length)
                offset = pos
            pos = offset + length
    return gaps


def expected_disagreement(study: UnitizingStudy, category: Hashable) -> float:
    """D_E(c) (DKPro's ``calculateExpectedCategoryDisagreement``), exactly, in fractions."""
    length, r = study.length, study.raters
    lengths = [u.length for u in study.units if u.category == category]
    n_c = len(lengths)
    squared = sum(x * (x - 1) for x in lengths)
    gaps = sorted(_gaps(study, category))
    suffix = [0] * (len(gaps) + 1)  # suffix[i]: the sum of gaps[i:]
    for i in range(len(gaps) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + gaps[i]
    result = Fraction(0)
    for x in lengths:
        result += Fraction((n_c - 1) * (2 * x**3 - 3 * x**2 + x), 3)
        first = bisect_left(gaps, x)  # the gaps at least as long as the unit
        result += x * x * (suffix[first] - (len(gaps) - first) * (x - 1))
    result *= Fraction(2, length)
    denominator = r * length * (r * length - 1) - squared
    return float(result / denominator) if denominator else float("nan")


def category_alpha(study: UnitizingStudy, category: Hashable) -> float | None:
    """alpha_u of one category (DKPro's ``calculateCategoryAgreement``); None when D_E is 0."""
    if study.length <= 0 or study.raters < 2:
        return None
    d_o = observed_disagreement(study, category)
    d_e = expected_disagreement(study, category)
    if d_e == 0 or d_e != d_e:
        return None
    return 0.0 if d_o == d_e else 1.0 - d_o / d_e


def alpha(study: UnitizingStudy) -> float | None:
    """alpha_u of the study (DKPro's ``calculateAgreement``); None when it has no units."""
    categories = study.categories()
    if not study.units or not categories or study.length <= 0 or study.raters < 2:
        return None
    d_o = sum(observed_disagreement(study, c) for c in categories) / len(categories)
    d_e = sum(expected_disagreement(study, c) for c in categories) / len(categories)
    if d_o == d_e:
        return (1.0 if any(u.length > 0 for u in study.units) else 0.0) if d_o == 0 else 0.0
    if d_e == 0 or d_e != d_e:
        return None
    return 1.0 - d_o / d_e


def document_units(
    layers: Sequence[Iterable[tuple[int, int, Hashable]]], length: int
) -> list[Unit]:
    """INCEpTION's units for one document: one rater per layer of (start, end, label) spans,
    clipped to the text; a span overlapping a span of the same layer and label that starts
    earlier (or, at the same start, is longer) is left out."""
    units: list[Unit] = []
    for rater, spans in enumerate(layers):
        clipped = sorted(
            ((max(0, s), min(length, e), label) for s, e, label in spans),
            key=lambda span: (span[0], -span[1]),
        )
        active: list[tuple[int, Hashable]] = []  # (end, label) of the spans still open
        for start, end, label in clipped:
            if start >= end:
                continue
            active = [(e, lab) for e, lab in active if e > start]
            if all(lab != label for _e, lab in active):
                units.append(Unit(start, end - start, rater, label))
            active.append((end, label))
    return units
