"""annotator agreement --measure inception-coding / inception-unitizing on a real project: the
figures are INCEpTION's (checked by hand against the positions), say which measure produced
them, and print undefined figures as '-' / null."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import coding_study, unitizing
from annotator.service import agreement, import_file
from annotator.store.project import Project

TEXT = "Alice met Bob in Paris.\nThen Carol flew to Rome with Dave.\n"


@pytest.fixture
def team(tmp_path: Path) -> Project:
    source = tmp_path / "story.txt"
    source.write_text(TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("Nobody here at all.\n", encoding="utf-8")
    with Project.open(tmp_path / "team.annot") as project:
        import_file(project, source)
        doc = project.documents()[0].id

        def at(word: str) -> tuple[int, int]:
            start = TEXT.index(word)
            return start, start + len(word)

        layers = {
            "ann": [("Claim", "Alice"), ("Claim", "Bob"), ("Quote", "Paris"), ("Claim", "Carol")],
            "bob": [("Claim", "Alice"), ("Quote", "Bob"), ("Quote", "Paris"), ("Quote", "Rome")],
        }
        for name, spans in layers.items():
            for label, word in spans:
                project.add_annotation(doc, label, *at(word), annotator=name)
        yield project


def test_inception_coding_json_and_table(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(team.path)
    assert main(["agreement", path, "--measure", "inception-coding", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measure"] == "inception-coding" and data["exclude_incomplete"] is False
    # positions: Alice PER/PER, Bob PER/LOC, Paris LOC/LOC, Carol PER/-, Rome -/LOC
    items = [
        ["Claim", "Claim"],
        ["Claim", "Quote"],
        ["Quote", "Quote"],
        ["Claim", None],
        [None, "Quote"],
    ]
    alpha = coding_study.alpha(items, ["Claim", "Quote", "Organisation", "Tier rating"])
    kappa = coding_study.cohen_kappa(items[:3])
    assert alpha is not None and kappa is not None
    assert data["overall"]["alpha"] == pytest.approx(alpha)
    assert data["pairs"][0]["kappa"] == pytest.approx(kappa)
    # Cohen on the three complete positions, by hand: A_O 2/3, A_E (2*1 + 1*2)/9 = 4/9
    assert kappa == pytest.approx((2 / 3 - 4 / 9) / (1 - 4 / 9))
    (figures,) = data["per_document"].values()
    assert figures["positions"] == 5
    assert main(["agreement", path, "--measure", "inception-coding", "--exclude-incomplete"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Annotators: ann, bob; documents: 1; measure: inception-coding")
    assert "exclude incomplete" in out.splitlines()[0]
    assert "positions every annotator annotated" in out.splitlines()[0]


def test_exclude_incomplete_with_three_annotators(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    # cleo marks Alice and Bob only: Paris, Carol and Rome become incomplete for three
    doc = team.documents()[0].id
    for label, word in (("Claim", "Alice"), ("Quote", "Bob")):
        start = TEXT.index(word)
        team.add_annotation(doc, label, start, start + len(word), annotator="cleo")
    labels = ["Claim", "Quote", "Organisation", "Tier rating"]
    items = [["Claim", "Claim", "Claim"], ["Claim", "Quote", "Quote"], ["Quote", "Quote", None]]
    items += [["Claim", None, None], [None, "Quote", None]]
    with_missing = coding_study.alpha(items, labels)
    complete = coding_study.alpha(items[:2], labels)
    assert with_missing is not None and complete is not None
    assert f"{with_missing:.3f}" != f"{complete:.3f}"
    args = ["agreement", str(team.path), "--measure", "inception-coding", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotators"] == ["ann", "bob", "cleo"]
    assert data["overall"]["alpha"] == pytest.approx(with_missing)
    # Fleiss' kappa: the complete positions only, with or without the option
    assert data["overall"]["kappa"] == pytest.approx(coding_study.fleiss_kappa(items[:2]))
    assert main([*args, "--exclude-incomplete"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["alpha"] == pytest.approx(complete)
    assert data["overall"]["kappa"] == pytest.approx(coding_study.fleiss_kappa(items[:2]))
    assert data["per_document"][doc]["positions"] == 2


def test_inception_unitizing_json_and_table(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(team.path)
    assert main(["agreement", path, "--measure", "inception-unitizing", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measure"] == "inception-unitizing"
    spans = {"ann": ["Alice", "Bob", "Paris", "Carol"], "bob": ["Alice", "Bob", "Paris", "Rome"]}
    labels = {
        "ann": ["Claim", "Claim", "Quote", "Claim"],
        "bob": ["Claim", "Quote", "Quote", "Quote"],
    }
    units = [
        unitizing.Unit(TEXT.index(w), len(w), r, lab)
        for r, name in enumerate(spans)
        for w, lab in zip(spans[name], labels[name], strict=True)
    ]
    (document,) = team.documents()
    assert document.length < len(TEXT)  # the import drops the last newline
    study = unitizing.UnitizingStudy(2, 0, document.length, units)
    assert data["overall"]["alpha_u"] == pytest.approx(unitizing.alpha(study))
    assert data["labels"]["Claim"]["alpha_u"] == pytest.approx(
        unitizing.category_alpha(study, "Claim")
    )
    assert data["labels"]["Claim"]["spans"] == {"ann": 3, "bob": 1}
    assert main(["agreement", path, "--measure", "inception-unitizing"]) == 0
    out = capsys.readouterr().out
    assert "measure: inception-unitizing (Krippendorff's unitizing alpha" in out
    assert "label Claim" in out and "alpha_u" in out


def test_undefined_prints_as_dash_and_null(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(team.path)
    # only Quote: the coding study has one category, alpha is undefined
    args = ["agreement", path, "--measure", "inception-coding", "--labels", "Quote"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["alpha"] is None
    assert main(args) == 0
    overall = capsys.readouterr().out.splitlines()[2]
    assert overall.split()[:2] == ["overall", "-"]


def test_exclude_incomplete_needs_the_coding_measure(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["agreement", str(team.path), "--exclude-incomplete"])
    assert stop.value.code == 2
    assert "--exclude-incomplete goes with --measure inception-coding" in capsys.readouterr().err


def test_service_default_is_ours(team: Project) -> None:
    assert agreement(team)["measure"] == "ours"
    assert "f1_overlap" in agreement(team)["overall"]
