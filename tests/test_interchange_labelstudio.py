"""Label Studio as 1.23 behaves (issue 13, items 1-3): code-point offsets out, either unit in,
the labelling config beside the export, predictions listed by id explained. The files in
fixtures/interchange/labelstudio-1.23/ were written by Label Studio 1.23.2 (see the
make_fixtures.py there)."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest
from lxml import etree

from annotator.cli import main
from annotator.core.errors import ImportFailed
from annotator.io import labelstudio, labelstudio_config
from annotator.io.detect import read_file
from annotator.service import import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE, build, export

REAL = INTERCHANGE / "labelstudio-1.23"
TEXT = "Cambodia 🇰🇭 moved to Tier 2 👍🏽, said the Ministry.\nHun Sen said “no”."


@pytest.fixture
def rich(project: Project) -> Project:
    return build(project)


def spans(bundle) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [
        (a.label, d.text[a.start : a.end], a.annotator)
        for d in bundle.documents
        for a in d.annotations
    ]


# -- 1. offsets --------------------------------------------------------------------------------


def test_a_span_drawn_in_label_studio_imports_in_code_points() -> None:
    bundle = read_file(REAL / "export-with-ui-span.json")
    (document,) = bundle.documents
    assert document.text == TEXT
    assert [s[:2] for s in spans(bundle)] == [
        ("Claim", "moved to Tier 2 👍🏽"),
        ("Tier rating", "Tier 2"),
        ("Quote", "“no”"),
        ("Claim", "said the Ministry"),
    ]  # the last one is the reviewer's, after two emoji
    drawn = document.annotations[-1]
    assert drawn.attributes == {"verdict": "false"}
    assert document.annotations[0].attributes == {"verdict": "mixed", "checkworthy": "true"}
    assert document.annotations[0].note == "see the report"
    assert document.metadata["positions"] == "code points"


def test_the_old_utf16_export_still_imports_and_says_so() -> None:
    bundle = labelstudio.read(INTERCHANGE / "labelstudio-tasks.json")
    assert bundle.documents[0].metadata["positions"] == "UTF-16 code units"
    assert spans(bundle)[0][:2] == ("Person", "Hun Sen 🇰🇭")


def test_each_span_is_read_in_the_unit_that_matches_its_text(tmp_path: Path) -> None:
    """One of our old UTF-16 spans and one a reviewer drew in code points, in one task."""

    def result(rid: str, start: int, end: int, label: str) -> dict:
        return {
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {
                "start": start,
                "end": end,
                "text": TEXT[TEXT.index(label[1]) :][: len(label[1])],
                "labels": [label[0]],
            },
        }

    before = TEXT[: TEXT.index("said the Ministry")]
    old = len(before.encode("utf-16-le")) // 2  # UTF-16: four astral code points before it
    new = TEXT.index("Hun Sen")
    task = {
        "data": {"text": TEXT},
        "annotations": [
            {
                "result": [
                    result("a", old, old + 17, ("Claim", "said the Ministry")),
                    result("b", new, new + 7, ("Person", "Hun Sen")),
                ]
            }
        ],
    }
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    bundle = read_file(path)
    assert [s[:2] for s in spans(bundle)] == [("Claim", "said the Ministry"), ("Person", "Hun Sen")]
    assert (
        bundle.documents[0].metadata["positions"]
        == "UTF-16 code units (1 spans) and code points (1 spans)"
    )


def test_a_span_matching_neither_reading_is_refused_by_name(tmp_path: Path) -> None:
    task = {
        "data": {"text": TEXT, "title": "Border news"},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 0, "end": 8, "text": "Thailand", "labels": ["Place"]},
                    }
                ]
            }
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(
        ImportFailed,
        match=r"bad.json: task 1 \('Border news'\), region 'a' "
        r"\(Place 0..8\): its text 'Thailand' matches the document's text there "
        r"neither in code points \('Cambodia'\) nor in UTF-16 code units",
    ):
        read_file(path)


def _ui_export_with(region: dict, task_id: int = 7) -> list[dict]:
    """The Label Studio 1.23.2 export, its task renumbered, with ``region`` added to the
    reviewer's annotation (the one made in Label Studio's UI)."""
    tasks = json.loads((REAL / "export-with-ui-span.json").read_text(encoding="utf-8"))
    tasks[0]["id"] = task_id
    for annotation in tasks[0]["annotations"]:
        annotation["task"] = task_id
    tasks[0]["annotations"][1]["result"].append(region)
    return tasks


def _ui_region(start: int, end: int, text: str) -> dict:
    return {
        "id": "Lb7pQ2xz",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": text, "labels": ["Quote"]},
    }


def test_a_region_across_a_line_break_imports_despite_label_studios_escaping(
    tmp_path: Path,
) -> None:
    """Label Studio 1.23.2 quotes a line break inside a region as the two characters ``\\n``;
    its offsets are right."""
    start = TEXT.index("Ministry.")
    end = TEXT.index(" said “no”")
    quoted = "Ministry.\\nHun Sen"  # as in the file: backslash, n
    assert TEXT[start:end] == "Ministry.\nHun Sen"
    path = tmp_path / "tasks.json"
    path.write_text(
        json.dumps(_ui_export_with(_ui_region(start, end, quoted)), ensure_ascii=False),
        encoding="utf-8",
    )
    bundle = read_file(path)
    (document,) = bundle.documents
    drawn = document.annotations[-1]
    assert (drawn.label, drawn.start, drawn.end) == ("Quote", start, end)
    assert document.text[drawn.start : drawn.end] == "Ministry.\nHun Sen"
    assert document.metadata["positions"] == "code points"


def test_a_region_across_a_line_break_is_stored_with_the_real_newline(
    project: Project, tmp_path: Path
) -> None:
    start = TEXT.index("Ministry.")
    end = TEXT.index(" said “no”")
    path = tmp_path / "tasks.json"
    path.write_text(
        json.dumps(_ui_export_with(_ui_region(start, end, "Ministry.\\nHun Sen"))),
        encoding="utf-8",
    )
    import_file(project, path)
    quotes = [a.text for a in project.annotations() if a.label == "Quote"]
    assert "Ministry.\nHun Sen" in quotes
    assert not any("\\n" in text for text in quotes)


def test_a_region_that_truly_mismatches_still_refuses_the_file_naming_task_and_region(
    tmp_path: Path,
) -> None:
    start = TEXT.index("Ministry.")
    end = TEXT.index(" said “no”")
    path = tmp_path / "tasks.json"
    path.write_text(
        json.dumps(_ui_export_with(_ui_region(start, end, "Ministry.\\nPol Pot"), 7)),
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as caught:
        read_file(path)
    message = str(caught.value)
    assert "\n" not in message  # one line
    assert message.startswith(f"{path}: task 1 (id 7, 'Border news'), ")
    assert "region 'Lb7pQ2xz' (Quote " in message
    assert "'Ministry.\\\\nPol Pot'" in message  # the text as the file quotes it


def test_round_trip_through_code_points_is_exact(rich: Project, tmp_path: Path) -> None:
    target = tmp_path / "tasks.json"
    export(rich, "labelstudio", target)
    with Project.open(tmp_path / "copy.annot") as copy:
        outcome = import_file(copy, target)
        assert "positions read as code points" in outcome.message
        assert sorted((a.label, a.text) for a in copy.annotations()) == sorted(
            (a.label, a.text) for a in rich.annotations()
        )


# -- 2. the labelling config -------------------------------------------------------------------


def test_export_writes_the_labelling_config_beside_the_tasks(rich: Project, tmp_path: Path) -> None:
    report = export(rich, "labelstudio", tmp_path / "tasks.json")
    config = tmp_path / "tasks.labeling-config.xml"
    assert report.companions == [config]
    assert any("Labeling Interface" in note for note in report.notes)
    root = etree.fromstring(config.read_bytes())
    labels = [e.get("value") for e in root.find("Labels")]
    assert labels == [label.name for label in rich.labels()]
    controls = {e.get("name"): e for e in root.iter("Choices", "Number", "TextArea")}
    for label in rich.labels():
        for attribute in label.attributes:
            control = controls[attribute.name]
            assert control.get("perRegion") == "true" and control.get("toName") == "text"
            assert label.name in control.getparent().get("whenLabelValue").split(",")
    # every per-region result the tasks hold has its control
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    used = {
        (r["from_name"], r["type"])
        for t in tasks
        for a in t["annotations"]
        for r in a["result"]
        if r["type"] != "labels"
    }
    tags = {"choices": "Choices", "number": "Number", "textarea": "TextArea"}
    assert used and all(controls[name].tag == tags[kind] for name, kind in used)


def test_the_config_is_the_one_label_studio_accepted() -> None:
    """labeling-config.xml is what this code wrote for the fixture's codebook, and Label Studio
    1.23.2 took it as a project's config (it validates on project creation)."""
    codebook = runpy.run_path(str(REAL / "make_fixtures.py"))["labels"]()
    written = labelstudio_config.config(codebook)
    assert written == (REAL / "labeling-config.xml").read_text(encoding="utf-8")


def test_an_attribute_named_like_a_control_round_trips(tmp_path: Path) -> None:
    from annotator.core.labels import AttributeDef, LabelDef

    assert labelstudio_config.control_name("text") == "attribute_text"
    xml = labelstudio_config.config(
        [LabelDef("Quote", "#3080e0", attributes=(AttributeDef("text"),))]
    )
    assert 'name="attribute_text"' in xml and xml.count('name="text"') == 1


def test_a_label_with_a_comma_shows_its_controls_for_every_region() -> None:
    from annotator.core.labels import AttributeDef, LabelDef

    xml = labelstudio_config.config(
        [LabelDef("Claim, checked", "#e0a030", attributes=(AttributeDef("verdict"),))]
    )
    box = etree.fromstring(xml).find("View")
    assert box.get("visibleWhen") == "region-selected" and box.get("whenLabelValue") is None


def test_labels_export_xml_writes_the_config_alone(
    rich: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rich.path
    rich.close()
    out = tmp_path / "config.xml"
    assert main(["labels", str(path), "--export", str(out)]) == 0
    root = etree.fromstring(out.read_bytes())
    assert root.tag == "View" and root.find("Labels").get("name") == "label"
    assert list(tmp_path.glob("*.json")) == []


def test_export_to_standard_output_says_the_config_was_not_written(
    rich: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rich.path
    rich.close()
    assert main(["export", str(path), "--format", "labelstudio"]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "OUT.labeling-config.xml was not written" in captured.err
    assert "-o OUT" in captured.err and "written to" not in captured.err


# -- 3. predictions ----------------------------------------------------------------------------


def test_predictions_listed_by_id_are_refused_with_the_way_out() -> None:
    with pytest.raises(ImportFailed) as caught:
        read_file(REAL / "predictions-by-id.json")
    message = str(caught.value)
    assert "task 1 (id 2, 'Border news') lists its predictions only by id (1)" in message
    assert "Create Annotations From Predictions" in message
    assert '"only_id": false' in message


def test_predictions_with_their_results_import_as_the_models_spans() -> None:
    bundle = read_file(REAL / "predictions-with-results.json")
    assert spans(bundle) == [
        ("Claim", "moved to Tier 2 👍🏽", "annotator-0.1"),
        ("Tier rating", "Tier 2", "annotator-0.1"),
        ("Quote", "“no”", "annotator-0.1"),
    ]
    assert bundle.documents[0].annotations[2].attributes == {"speaker": "Hun Sen"}
