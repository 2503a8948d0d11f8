"""Precision, recall and F1, exact and overlapping, computed by hand for small cases."""

from __future__ import annotations

import pytest

from annotator.core.suggest.evaluation import evaluate


def test_exact_and_overlap_scores() -> None:
    gold = {"d": [("Quote", 0, 10), ("Quote", 20, 30), ("Organisation", 40, 45)]}
    predicted = {
        "d": [("Quote", 0, 10), ("Quote", 21, 30), ("Quote", 50, 55), ("Organisation", 40, 45)]
    }
    result = evaluate(gold, predicted)
    quote = result.exact["Quote"]
    assert (quote.gold, quote.predicted, quote.correct) == (2, 3, 1)
    assert quote.precision == pytest.approx(1 / 3)
    assert quote.recall == pytest.approx(1 / 2)
    assert quote.f1 == pytest.approx(0.4)
    loose = result.overlap["Quote"]
    assert loose.precision == pytest.approx(2 / 3)
    assert loose.recall == 1.0
    assert result.exact["Organisation"].f1 == 1.0


def test_labels_differ_means_no_match_and_unscored_documents_are_ignored() -> None:
    result = evaluate(
        {"d": [("Quote", 0, 10)]}, {"d": [("Claim", 0, 10)], "other": [("Quote", 0, 10)]}
    )
    assert result.exact["Quote"].recall == 0.0
    assert result.exact["Claim"].precision == 0.0
    assert result.exact["Quote"].predicted == 0


def test_nothing_predicted_gives_zero_not_an_error() -> None:
    result = evaluate({"d": [("Quote", 0, 10)]}, {})
    assert result.exact["Quote"].precision == 0.0 and result.exact["Quote"].f1 == 0.0
    assert "Quote" in result.table()[1]
    assert result.as_dict()["labels"]["Quote"]["exact"]["recall"] == 0.0
