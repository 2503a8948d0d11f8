"""The agreement report with INCEpTION's definitions (``annotator agreement --measure
inception-coding`` / ``inception-unitizing``).

Pure Python. INCEpTION computes a figure per document and shows, for a pair of annotators,
the mean of the pair's figures over the documents for which the figure is defined
(``AgreementSummary.getAgreement``); its per-document table uses every annotator at once.
This report gives both, and as ``overall`` the mean of the per-document figures (INCEpTION
shows no single overall figure). Definitions: :mod:`annotator.core.coding_study` and
:mod:`annotator.core.unitizing`. An undefined figure is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from annotator.core import coding_study, unitizing
from annotator.core.agreement import SpanRecord

Layers = list[list[tuple[int, int, str]]]  # per annotator: (start, end, label)

INCEPTION_CODING = "inception-coding"
INCEPTION_UNITIZING = "inception-unitizing"


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def _layers(
    annotators: Sequence[str],
    labels: Sequence[str],
    documents: Mapping[str, int],
    spans: Iterable[SpanRecord],
) -> dict[str, Layers]:
    if len(annotators) < 2:
        raise ValueError("agreement needs at least two annotators")
    column = {name: i for i, name in enumerate(annotators)}
    wanted = set(labels)
    layers: dict[str, Layers] = {d: [[] for _ in annotators] for d in documents}
    for span in spans:
        if span.annotator in column and span.label in wanted and span.document_id in layers:
            layers[span.document_id][column[span.annotator]].append(
                (span.start, span.end, span.label)
            )
    return layers


def _report(
    annotators: Sequence[str],
    layers: Mapping[str, Layers],
    figures: Callable[[Layers, str], dict[str, Any]],
    keys: Sequence[str],
) -> dict[str, Any]:
    per_document = {d: figures(doc_layers, d) for d, doc_layers in layers.items()}
    pairs = []
    for a, b in combinations(range(len(annotators)), 2):
        seen = [figures([doc_layers[a], doc_layers[b]], d) for d, doc_layers in layers.items()]
        pair: dict[str, Any] = {"annotators": [annotators[a], annotators[b]]}
        for key in keys:
            pair[key] = _mean(f[key] for f in seen)
            pair[f"{key}_documents"] = sum(f[key] is not None for f in seen)
        pairs.append(pair)
    return {
        "annotators": list(annotators),
        "documents": len(layers),
        "overall": {key: _mean(f[key] for f in per_document.values()) for key in keys},
        "pairs": pairs,
        "per_document": per_document,
    }


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

    def figures(layers: Layers, _document: str) -> dict[str, Any]:
        items = coding_study.position_items(layers, exclude_incomplete=exclude_incomplete)
        return {
            "alpha": coding_study.alpha(items, labels),
            "kappa": coding_study.kappa(items, len(layers)),
            "positions": len(items),
        }

    report = _report(
        annotators, _layers(annotators, labels, documents, spans), figures, ("alpha", "kappa")
    )
    return {"measure": INCEPTION_CODING, "exclude_incomplete": exclude_incomplete, **report}


def unitizing_report(
    annotators: Sequence[str],
    labels: Sequence[str],
    documents: Mapping[str, int],
    spans: Iterable[SpanRecord],
) -> dict[str, Any]:
    """Krippendorff's unitizing alpha as INCEpTION computes it: one study per document over its
    code points, the label as the category; per document, per pair and per label (each the mean
    over the documents where it is defined) and overall."""

    def study(layers: Layers, document: str) -> unitizing.UnitizingStudy:
        length = documents[document]
        return unitizing.UnitizingStudy(
            len(layers), 0, length, unitizing.document_units(layers, length)
        )

    def figures(layers: Layers, document: str) -> dict[str, Any]:
        return {"alpha_u": unitizing.alpha(study(layers, document))}

    layers = _layers(annotators, labels, documents, spans)
    report = _report(annotators, layers, figures, ("alpha_u",))
    label_figures: dict[str, dict[str, Any]] = {}
    for document, doc_layers in layers.items():
        whole = study(doc_layers, document)
        found = set(whole.categories())
        per_label = {
            label: unitizing.category_alpha(whole, label) if label in found else None
            for label in labels
        }
        report["per_document"][document]["labels"] = per_label
        for label, value in per_label.items():
            label_figures.setdefault(label, {"values": []})["values"].append(value)
    counts = {label: {name: 0 for name in annotators} for label in labels}
    for doc_layers in layers.values():
        for name, own in zip(annotators, doc_layers, strict=True):
            for _s, _e, label in own:
                counts[label][name] += 1
    report["labels"] = {
        label: {
            "alpha_u": _mean(label_figures.get(label, {"values": []})["values"]),
            "spans": counts[label],
        }
        for label in labels
    }
    return {"measure": INCEPTION_UNITIZING, **report}
