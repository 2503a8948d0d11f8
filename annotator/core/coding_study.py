"""INCEpTION's "coding" agreement on span annotations: Krippendorff's alpha (nominal), Cohen's
and Fleiss' kappa over annotated positions, as DKPro Agreement computes them.

Pure Python. INCEpTION (``CodingStudyUtils.makeCodingStudy`` on a ``CasDiff``) turns one
document's spans into a DKPro ``CodingAnnotationStudy``:

- an *item* is a position, a distinct (start, end) at which at least one of the compared
  annotators has a span (of the labels compared);
- a rater's value at the item is the label of their span there; no span there is a missing
  value (``None``); a rater with two or more spans at one position ("stacked") takes the whole
  position out of the study;
- "exclude incomplete" leaves out the positions at which some rater has no span. INCEpTION's
  Cohen's and Fleiss' kappa always exclude them (they cannot handle missing values); its alpha
  does only when asked;
- the study's categories are the label set (INCEpTION adds its tagset) and the labels used.

Coefficients (DKPro ``KrippendorffAlphaAgreement`` with ``NominalDistanceFunction``,
``CohenKappaAgreement``, ``FleissKappaAgreement``) with INCEpTION's conventions around them:
no items is undefined (``None``; INCEpTION shows NaN); kappa when one label is all that was
used is 1.0; alpha with zero observed and zero expected disagreement is 1.0; alpha with one
category, or with no item that two raters coded, is undefined.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence

from annotator.core.agreement import coincidences

Item = Sequence[Hashable | None]  # one value per rater; None: missing


def alpha(items: Iterable[Item], categories: Iterable[Hashable] = ()) -> float | None:
    """Krippendorff's alpha, nominal, with missing values; ``categories``: the label set."""
    rows = [list(item) for item in items]
    if not rows:
        return None
    known = set(categories) | {v for row in rows for v in row if v is not None}
    if len(known) <= 1:
        return None  # DKPro: InsufficientDataException, INCEpTION: NaN
    coincidence = coincidences((row, 1) for row in rows)
    n = sum(coincidence.values())
    if n == 0:
        return None  # no item two raters coded: D_O is 0 / 0
    marginals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), o in coincidence.items():
        marginals[c] += o
    d_o = sum(o for (c, k), o in coincidence.items() if c != k) / n
    d_e = sum(marginals[c] * marginals[k] for c in marginals for k in marginals if c != k) / (
        n * (n - 1)
    )
    if d_o == 0 and d_e == 0:
        return 1.0
    return 1.0 - d_o / d_e


def _observed_agreement(rows: Sequence[Item]) -> float:
    """DKPro's ``CodingAgreementMeasure.calculateObservedAgreement``."""
    result = 0.0
    denominator = 0
    for row in rows:
        counts = Counter(v for v in row if v is not None)
        raters = sum(counts.values())
        if raters > 1:
            result += sum(n * (n - 1) for n in counts.values()) / (raters - 1)
            denominator += raters
    return result / denominator


def _chance_corrected(a_o: float, a_e: float) -> float | None:
    """DKPro's ``AgreementMeasure.calculateAgreement``."""
    if a_e == 0:
        return a_o
    if a_o == 1 and a_e == 1:
        return None
    return (a_o - a_e) / (1 - a_e)


def _complete(items: Iterable[Item]) -> list[Item]:
    return [item for item in items if all(v is not None for v in item)]


def _without_variation(rows: Sequence[Item]) -> float | None | bool:
    """A kappa decided before any sum: None with no items, 1.0 when one value was used
    (INCEpTION's convention); False when it has to be computed."""
    if not rows:
        return None
    if len({v for row in rows for v in row}) == 1:
        return 1.0
    return False


def cohen_kappa(items: Iterable[Item]) -> float | None:
    """Cohen's kappa of two raters on the complete items."""
    rows = _complete(items)
    if (decided := _without_variation(rows)) is not False:
        return decided
    used = {v for row in rows for v in row}
    per_rater = [Counter(row[r] for row in rows) for r in range(2)]
    a_e = sum(per_rater[0][c] * per_rater[1][c] for c in used) / len(rows) ** 2
    return _chance_corrected(_observed_agreement(rows), a_e)


def fleiss_kappa(items: Iterable[Item]) -> float | None:
    """Fleiss' kappa on the complete items."""
    rows = _complete(items)
    if (decided := _without_variation(rows)) is not False:
        return decided
    probability: defaultdict[Hashable, float] = defaultdict(float)
    for row in rows:
        for value, n in Counter(row).items():
            probability[value] += n / len(row)
    a_e = sum(p * p for p in probability.values()) / len(rows) ** 2
    return _chance_corrected(_observed_agreement(rows), a_e)


def kappa(items: Iterable[Item], raters: int) -> float | None:
    """Cohen's kappa for two raters, Fleiss' for three or more (both on complete items)."""
    return cohen_kappa(items) if raters == 2 else fleiss_kappa(items)


def position_items(
    layers: Sequence[Iterable[tuple[int, int, Hashable]]], *, exclude_incomplete: bool = False
) -> list[list[Hashable | None]]:
    """INCEpTION's items for one document: ``layers`` holds each rater's (start, end, label)
    spans."""
    at: dict[tuple[int, int], list[list[Hashable]]] = {}
    for rater, spans in enumerate(layers):
        for start, end, label in spans:
            at.setdefault((start, end), [[] for _ in layers])[rater].append(label)
    items = []
    for position in sorted(at):
        found = at[position]
        if any(len(labels) > 1 for labels in found):
            continue  # stacked
        row = [labels[0] if labels else None for labels in found]
        if exclude_incomplete and any(v is None for v in row):
            continue
        items.append(row)
    return items
