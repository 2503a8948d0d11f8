"""The agreement report with INCEpTION's definitions (``annotator agreement --measure
inception-coding`` / ``inception-unitizing``).

Pure Python. INCEpTION computes a figure per document and shows, for a pair of annotators,
the mean of the pair's figures over the documents for which the figure is defined
(``AgreementSummary.getAgreement``); its per-document table uses every annotator at once.
This report gives both, and as ``overall`` the mean of the per-document figures (INCEpTION
shows no single overall figure). Every figure is a document's, or a mean of documents', so a
report is made one document at a time (``CodingSums``, ``UnitizingSums``); what it keeps per
document is what it reports per document. Definitions: :mod:`annotator.core.coding_study` and
:mod:`annotator.core.unitizing`. An undefined figure is ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import combinations
from typing import Any

from annotator.core import coding_study, unitizing
from annotator.core.agreement import SpanRecord, by_document

Layers = list[list[tuple[int, int, str]]]  # per annotator: (start, end, label)

INCEPTION_CODING = "inception-coding"
INCEPTION_UNITIZING = "inception-unitizing"


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def _layers(
    column: Mapping[str, int], labels: AbstractSet[str], spans: Iterable[Sequence[Any]]
) -> Layers:
    """One document's spans (``SpanRecord``s or rows of their fields in their order) of the
    compared annotators and labels, one list per annotator."""
    layers: Layers = [[] for _ in column]
    for annotator, _document, label, start, end in spans:
        if annotator in column and label in labels:
            layers[column[annotator]].append((start, end, label))
    return layers


class _Sums:
    """A report made one document at a time: each document's figures (they are the report's
    ``per_document``) and each pair's, whose means are the report's; only the document being
    added has its spans in memory."""

    keys: tuple[str, ...] = ()

    def __init__(self, annotators: Sequence[str], labels: Sequence[str]) -> None:
        if len(annotators) < 2:
            raise ValueError("agreement needs at least two annotators")
        self.annotators = list(annotators)
        self.labels = list(labels)
        self._column = {name: i for i, name in enumerate(annotators)}
        self._wanted = set(labels)
        self._pairs = list(combinations(range(len(annotators)), 2))
        self.per_document: dict[str, dict[str, Any]] = {}
        # per pair, each document's figures (one value per key): the report's means of them
        # are sums in document order, as they were when every document was read at once
        self._pair_values: dict[tuple[int, int], list[tuple[float | None, ...]]] = {
            pair: [] for pair in self._pairs
        }

    def figures(self, layers: Layers, document: str, length: int) -> dict[str, Any]:
        raise NotImplementedError

    def add(self, document: str, length: int, spans: Iterable[Sequence[Any]]) -> None:
        layers = _layers(self._column, self._wanted, spans)
        self.per_document[document] = self.figures(layers, document, length)
        for a, b in self._pairs:
            figures = self.figures([layers[a], layers[b]], document, length)
            self._pair_values[a, b].append(tuple(figures[key] for key in self.keys))
        self.added(document, length, layers)

    def added(self, document: str, length: int, layers: Layers) -> None:
        """What a report counts beyond the figures (the unitizing labels)."""

    def report(self) -> dict[str, Any]:
        pairs = []
        for (a, b), seen in self._pair_values.items():
            pair: dict[str, Any] = {"annotators": [self.annotators[a], self.annotators[b]]}
            for i, key in enumerate(self.keys):
                pair[key] = _mean(values[i] for values in seen)
                pair[f"{key}_documents"] = sum(values[i] is not None for values in seen)
            pairs.append(pair)
        return {
            "annotators": list(self.annotators),
            "documents": len(self.per_document),
            "overall": {
                key: _mean(f[key] for f in self.per_document.values()) for key in self.keys
            },
            "pairs": pairs,
            "per_document": self.per_document,
        }


class CodingSums(_Sums):
    """:func:`coding_report` one document at a time."""

    keys = ("alpha", "kappa")

    def __init__(
        self, annotators: Sequence[str], labels: Sequence[str], *, exclude_incomplete: bool = False
    ) -> None:
        super().__init__(annotators, labels)
        self.exclude_incomplete = exclude_incomplete

    def figures(self, layers: Layers, document: str, length: int) -> dict[str, Any]:
        items = coding_study.position_items(layers, exclude_incomplete=self.exclude_incomplete)
        return {
            "alpha": coding_study.alpha(items, self.labels),
            "kappa": coding_study.kappa(items, len(layers)),
            "positions": len(items),
        }

    def report(self) -> dict[str, Any]:
        return {
            "measure": INCEPTION_CODING,
            "exclude_incomplete": self.exclude_incomplete,
            **super().report(),
        }


class UnitizingSums(_Sums):
    """:func:`unitizing_report` one document at a time."""

    keys = ("alpha_u",)

    def __init__(self, annotators: Sequence[str], labels: Sequence[str]) -> None:
        super().__init__(annotators, labels)
        self._label_values: dict[str, list[float | None]] = {}
        self._counts = {label: {name: 0 for name in annotators} for label in labels}

    @staticmethod
    def _study(layers: Layers, length: int) -> unitizing.UnitizingStudy:
        return unitizing.UnitizingStudy(
            len(layers), 0, length, unitizing.document_units(layers, length)
        )

    def figures(self, layers: Layers, document: str, length: int) -> dict[str, Any]:
        return {"alpha_u": unitizing.alpha(self._study(layers, length))}

    def added(self, document: str, length: int, layers: Layers) -> None:
        whole = self._study(layers, length)
        found = set(whole.categories())
        per_label = {
            label: unitizing.category_alpha(whole, label) if label in found else None
            for label in self.labels
        }
        self.per_document[document]["labels"] = per_label
        for label, value in per_label.items():
            self._label_values.setdefault(label, []).append(value)
        for name, own in zip(self.annotators, layers, strict=True):
            for _s, _e, label in own:
                self._counts[label][name] += 1

    def report(self) -> dict[str, Any]:
        report = super().report()
        report["labels"] = {
            label: {
                "alpha_u": _mean(self._label_values.get(label, [])),
                "spans": self._counts[label],
            }
            for label in self.labels
        }
        return {"measure": INCEPTION_UNITIZING, **report}


def coding_report(
    annotators: Sequence[str],
    labels: Sequence[str],
    documents: Mapping[str, int],
    spans: Iterable[SpanRecord],
    *,
    exclude_incomplete: bool = False,
) -> dict[str, Any]:
    """INCEpTION's coding figures: ``alpha`` (Krippendorff, nominal; missing values unless
    ``exclude_incomplete``) and ``kappa`` (Cohen for two annotators, Fleiss for more; always on
    the complete positions), per document, per pair (mean over documents) and overall."""
    sums = CodingSums(annotators, labels, exclude_incomplete=exclude_incomplete)
    for document, length, found in by_document(documents, spans):
        sums.add(document, length, found)
    return sums.report()


def unitizing_report(
    annotators: Sequence[str],
    labels: Sequence[str],
    documents: Mapping[str, int],
    spans: Iterable[SpanRecord],
) -> dict[str, Any]:
    """Krippendorff's unitizing alpha as INCEpTION computes it: one study per document over its
    code points, the label as the category; per document, per pair and per label (each the mean
    over the documents where it is defined) and overall."""
    sums = UnitizingSums(annotators, labels)
    for document, length, found in by_document(documents, spans):
        sums.add(document, length, found)
    return sums.report()
