"""The model learned from a project's annotations: what it needs, what it suggests, stopping."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from annotator.core.suggest import learner

GOLD = Path(__file__).resolve().parent / "fixtures" / "suggest"


def dev_documents() -> list[learner.TrainingDocument]:
    data = json.loads((GOLD / "dev.json").read_text(encoding="utf-8"))
    return [
        (d["text"], [(a["label"], a["start"], a["end"]) for a in d["annotations"]])
        for d in data["documents"]
    ]


def test_too_few_examples_learn_nothing() -> None:
    text = "The World Bank said so."
    assert learner.train([(text, [("Organisation", 4, 14)])]) is None


def test_it_learns_the_labels_it_has_examples_of_and_scores_its_suggestions() -> None:
    model = learner.train(dev_documents())
    assert model is not None
    assert model.labels == ["Organisation", "Quote", "Tier rating"]
    assert model.examples == 57
    text = "Officials at the Interior Ministry met IJM. “We agree,” one said. It is Tier 2."
    found = {text[s.start : s.end]: s for s in model.predict(text)}
    assert found["Interior Ministry"].label == "Organisation"
    assert found["IJM"].label == "Organisation"
    assert found["“We agree,”"].label == "Quote"
    assert found["Tier 2"].label == "Tier rating"
    assert all(0.5 <= s.score <= 1 and s.source == "model" for s in found.values())
    assert pickle.loads(pickle.dumps(model)).predict(text) == model.predict(text)  # to processes


def test_training_stops_when_asked() -> None:
    with pytest.raises(learner.Stopped):
        learner.train(dev_documents(), should_stop=lambda: True)
