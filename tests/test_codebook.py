"""The codebook in the store and on the command line: every edit, its undo data, label sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.labels import DEFAULT_LABELS, AttributeDef, AttributeKind, LabelDef
from annotator.core.templates import NEWS_ENTITIES, QUALITATIVE_CODING, TEMPLATES
from annotator.io import labelset
from annotator.store import codebook
from annotator.store.project import Project


def names(project: Project) -> list[str]:
    return [label.name for label in project.labels()]


@pytest.fixture
def labelled(any_sample_project: Project) -> Project:
    sample_project = any_sample_project
    doc = sample_project.documents()[0].id
    text = sample_project.document(doc).text
    for label, phrase in (
        ("Quote", "We hope that will continue"),
        ("Organisation", "Afesip"),
        ("Organisation", "Licadho"),
    ):
        start = text.index(phrase)
        sample_project.add_annotation(
            doc,
            label,
            start,
            start + len(phrase),
            attributes={"speaker": "John Miller"} if label == "Quote" else {"type": "NGO"},
        )
    return sample_project


def test_add_rename_recolour_describe_and_move(any_project: Project) -> None:
    project = any_project
    codebook.add_label(project, LabelDef("Person", "#123456", "5"))
    assert names(project)[-1] == "Person"
    before = codebook.update_label(
        project, "Person", name="Speaker", color="#654321", description="Who speaks"
    )
    assert before == LabelDef("Person", "#123456", "5")
    assert project.labels()[-1] == LabelDef("Speaker", "#654321", "5", "Who speaks")
    assert codebook.move_label(project, "Speaker", 0) == 4
    assert names(project) == ["Speaker", "Claim", "Quote", "Organisation", "Tier rating"]


def test_conflicts_are_refused_with_a_reason(any_project: Project) -> None:
    project = any_project
    with pytest.raises(codebook.CodebookError, match="shortcut 2 is already used by 'Quote'"):
        codebook.update_label(project, "Claim", shortcut="2")
    with pytest.raises(codebook.CodebookError, match="'Quote' already exists"):
        codebook.update_label(project, "Claim", name="Quote")
    with pytest.raises(codebook.CodebookError, match="needs a name"):
        codebook.add_label(project, LabelDef("  ", "#000000"))
    assert project.labels() == list(DEFAULT_LABELS)
    codebook.update_label(project, "Claim", shortcut=None)
    assert project.labels()[0].shortcut is None


def test_delete_with_annotations_deletes_or_moves_them_and_restores(labelled: Project) -> None:
    before = labelled.annotations()
    deleted = codebook.delete_label(labelled, "Organisation")
    assert "Organisation" not in names(labelled)
    assert [a.label for a in labelled.annotations()] == ["Quote"]
    codebook.restore_label(labelled, deleted)
    assert labelled.annotations() == before and labelled.labels() == list(DEFAULT_LABELS)

    moved = codebook.delete_label(labelled, "Organisation", move_to="Claim")
    assert sorted(a.label for a in labelled.annotations()) == ["Claim", "Claim", "Quote"]
    assert [a.attributes for a in labelled.annotations() if a.label == "Claim"] == [
        {"type": "NGO"},
        {"type": "NGO"},
    ]  # kept, and flagged in the editor as not defined
    codebook.restore_label(labelled, moved)
    assert labelled.annotations() == before and labelled.labels() == list(DEFAULT_LABELS)


def test_attribute_definitions_change_but_values_are_kept(labelled: Project) -> None:
    new = (
        AttributeDef("speaker", AttributeKind.TEXT, required=True),
        AttributeDef("tone", AttributeKind.CHOICE, ("neutral", "angry"), default="neutral"),
        AttributeDef("confidence", AttributeKind.NUMBER, default=0.5),
        AttributeDef("verified", AttributeKind.BOOLEAN),
    )
    before = codebook.set_attributes(labelled, "Quote", new)
    assert before == DEFAULT_LABELS[1].attributes
    assert labelled.labels()[1].attributes == new
    codebook.set_attributes(labelled, "Quote", ())
    assert [a.attributes for a in labelled.annotations() if a.label == "Quote"] == [
        {"speaker": "John Miller"}
    ]
    with pytest.raises(codebook.CodebookError, match="needs at least one choice"):
        codebook.set_attributes(labelled, "Quote", (AttributeDef("x", AttributeKind.CHOICE),))
    with pytest.raises(codebook.CodebookError, match="same name"):
        codebook.set_attributes(labelled, "Quote", (AttributeDef("x"), AttributeDef("x")))
    with pytest.raises(codebook.CodebookError, match="does not fit"):
        codebook.set_attributes(
            labelled, "Quote", (AttributeDef("n", AttributeKind.NUMBER, default="many"),)
        )


def test_renaming_an_attribute_carries_values_over(labelled: Project) -> None:
    codebook.rename_attribute(labelled, "Quote", "speaker", "source")
    quote = next(a for a in labelled.annotations() if a.label == "Quote")
    assert quote.attributes == {"source": "John Miller"}
    assert labelled.labels()[1].attributes[0].name == "source"
    codebook.rename_attribute(labelled, "Quote", "source", "speaker")
    assert next(a for a in labelled.annotations() if a.label == "Quote").attributes == {
        "speaker": "John Miller"
    }


def test_choice_values_that_no_longer_fit_are_flagged_not_dropped() -> None:
    verdict = DEFAULT_LABELS[0].attribute("verdict")
    assert verdict is not None and verdict.accepts("false") and not verdict.accepts("pants on fire")
    assert AttributeDef("n", AttributeKind.NUMBER).accepts(3)
    assert not AttributeDef("n", AttributeKind.NUMBER).accepts(True)
    assert not AttributeDef("b", AttributeKind.BOOLEAN).accepts("yes")


def test_templates_and_merging(labelled: Project, backend: str, new_location) -> None:
    assert set(TEMPLATES) == {"fact-check", "news-entities", "qualitative-coding"}
    assert all(label.description for label in QUALITATIVE_CODING)
    report = codebook.merge_labels(labelled, NEWS_ENTITIES)
    assert not report.replaced  # this project has annotations: merge, never replace
    assert names(labelled)[-4:] == ["PER", "ORG", "LOC", "MISC"]
    assert any("shortcut 1 is used by 'Claim'" in c for c in report.conflicts)
    assert all(label.shortcut is None for label in labelled.labels()[-4:])
    extended = LabelDef(
        "Claim",
        "#e0a030",
        "1",
        attributes=(
            AttributeDef("verdict", AttributeKind.CHOICE, ("pants on fire",)),
            AttributeDef("source", AttributeKind.TEXT),
        ),
    )
    report = codebook.merge_labels(labelled, [extended])
    claim = labelled.labels()[0]
    assert claim.attribute("verdict").choices[-1] == "pants on fire"
    assert claim.attribute("source") is not None
    assert report.extended == ["Claim"]
    with Project.open(new_location(backend, "fresh", project=True)) as fresh:
        assert codebook.merge_labels(fresh, QUALITATIVE_CODING).replaced
        assert fresh.labels() == list(QUALITATIVE_CODING)


def test_new_project_from_a_template(store_location: Path | str) -> None:
    with Project.open(store_location, labels=NEWS_ENTITIES) as project:
        assert project.labels() == list(NEWS_ENTITIES)


def test_label_set_files(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    labelset.write(path, QUALITATIVE_CODING)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "annotator-labels" and len(data["labels"]) == 6
    assert labelset.read(path) == list(QUALITATIVE_CODING)
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([{"name": "A"}]), encoding="utf-8")
    assert labelset.read(bare)[0].name == "A"


# -- command line -------------------------------------------------------------------------------


def test_cli_round_trip_is_identical(tmp_path: Path, backend: str, new_location, capsys) -> None:
    first, second = new_location(backend, "a"), new_location(backend, "b")
    assert main(["labels", str(first), "--template", "qualitative-coding"]) == 0
    assert main(["labels", str(first), "--import", str(_custom(tmp_path))]) == 0
    assert main(["labels", str(first), "--export", str(tmp_path / "one.json")]) == 0
    assert main(["labels", str(second), "--import", str(tmp_path / "one.json")]) == 0
    assert main(["labels", str(second), "--export", str(tmp_path / "two.json")]) == 0
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    capsys.readouterr()
    assert main(["labels", str(second)]) == 0
    listing = capsys.readouterr().out
    assert "Problem  #e05a5a  key 1" in listing
    assert "    strength [choice]: weak / moderate / strong" in listing
    assert "Person" in listing


def test_cli_reports_conflicts(store_location: Path | str, capsys) -> None:
    project = store_location
    main(
        [
            "import",
            str(project),
            str(Path(__file__).parent.parent / "resources" / "cambodia-tier2.txt"),
        ]
    )
    with Project.open(project) as p:
        doc = p.documents()[0].id
        p.add_annotation(doc, "Claim", 0, 8)
    capsys.readouterr()
    assert main(["labels", str(project), "--template", "news-entities"]) == 0
    captured = capsys.readouterr()
    assert "added: PER, ORG, LOC, MISC" in captured.out
    assert "conflict: 'PER': shortcut 1 is used by 'Claim'" in captured.err


# File only: the label file is refused while it is read, before the store is asked anything.
def test_cli_bad_label_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"labels": [{"name": "A", "color": "blue"}]}', encoding="utf-8")
    assert main(["labels", str(tmp_path / "p.annot"), "--import", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"annotator: error: {bad}: label 1 ('A'): colour")


def _custom(tmp_path: Path) -> Path:
    path = tmp_path / "custom.json"
    labelset.write(
        path,
        [
            LabelDef(
                "Person",
                "#123456",
                "p",
                "Somebody",
                (AttributeDef("role", AttributeKind.CHOICE, ("a", "b"), True, "a"),),
            )
        ],
    )
    return path
