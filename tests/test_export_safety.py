"""Exports that do not harm the next program (issue 11, item 8): no NaN/Infinity in or out of
JSON, attribute names neutralised in spreadsheet headers, and JSON-LD that can be pasted into a
``<script>`` element."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.service import Outcome, import_file
from annotator.store.project import Project
from tests.helpers.interchange import export


def strict(text: str) -> Any:
    """Parse as strict JSON: NaN, Infinity and -Infinity are errors."""

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in the JSON")

    return json.loads(text, parse_constant=refuse)


def _native(value: str) -> str:
    document = '{"text": "The claim.", "metadata": {"n": @}, "annotations": []}'.replace("@", value)
    return '{"format": "annotator-project", "version": 1, "documents": [' + document + "]}"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", '[1, {"x": NaN}]'])
def test_nan_and_infinity_are_refused_on_json_import(
    project: Project, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "nan.json"
    path.write_text(_native(value), encoding="utf-8")
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.ERROR
    assert outcome.message.startswith(f"{path}: the JSON holds ")
    assert "not a JSON number" in outcome.message or "too large to read" in outcome.message
    assert project.documents() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tasks.json", '[{"data": {"text": "abc", "n": NaN}}]'),
        ("doccano.jsonl", '{"text": "abc", "label": [], "score": Infinity}'),
    ],
)
def test_nan_is_refused_by_every_json_reader(
    project: Project, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.ERROR and "not a JSON number" in outcome.message
    assert project.documents() == []


def test_nan_from_any_reader_is_refused_by_the_last_check(project: Project) -> None:
    from annotator.core.errors import ImportFailed
    from annotator.io.sanitize import check_bundle

    bundle = ImportedBundle([ImportedDocument("text", "t", metadata={"n": float("nan")})])
    with pytest.raises(ImportFailed, match="its metadata: it holds NaN or Infinity"):
        check_bundle(Path("x.qdpx"), bundle)


def test_a_label_set_with_nan_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labels.json"
    path.write_text(
        '{"format": "annotator-labels", "version": 1, "labels": [{"name": "Year", '
        '"attributes": [{"name": "y", "kind": "number", "default": NaN}]}]}',
        encoding="utf-8",
    )
    assert main(["labels", str(tmp_path / "p.annot"), "--import", str(path)]) == 2
    assert "holds NaN, which is not a JSON number" in capsys.readouterr().err


@pytest.fixture
def with_nan(project: Project) -> Project:
    """A project that already holds NaN and Infinity (as imports before this fix let in)."""
    doc = (
        project.import_bundle(
            ImportedBundle(
                [ImportedDocument("The claim is false.", "t", metadata={"score": float("inf")})]
            )
        )
        .added[0]
        .id
    )
    project.add_annotation(
        doc,
        "Claim",
        0,
        9,
        attributes={"verdict": "false", "weight": float("nan"), "list": [float("-inf"), 1.5]},
    )
    return project


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [
        ("json", ".json"),
        ("jsonl", ".jsonl"),
        ("labelstudio", ".json"),
        ("doccano", ".jsonl"),
        ("w3c", ".jsonld"),
        ("claimreview", ".jsonld"),
    ],
)
def test_exports_never_write_nan_or_infinity(
    with_nan: Project, tmp_path: Path, fmt: str, suffix: str
) -> None:
    target = tmp_path / f"out{suffix}"
    export(with_nan, fmt, target, org_name="FC")
    text = target.read_text(encoding="utf-8-sig")  # doccano's starts with a BOM
    for line in text.splitlines() if suffix == ".jsonl" else [text]:
        strict(line)
    assert "NaN" not in text and "Infinity" not in text


def test_nan_is_written_as_null(with_nan: Project, tmp_path: Path) -> None:
    export(with_nan, "jsonl", tmp_path / "out.jsonl")
    line = strict((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert line["meta"]["score"] is None
    assert line["spans"][0]["attributes"]["weight"] is None
    assert line["spans"][0]["attributes"]["list"] == [None, 1.5]


FORMULA = '=HYPERLINK("http://evil.example","x")'


def test_attribute_names_in_spreadsheet_headers_are_neutralised(
    project: Project, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    doc = project.import_bundle(ImportedBundle([ImportedDocument("The claim.", "t")])).added[0]
    project.add_annotation(
        doc.id, "Claim", 0, 9, attributes={FORMULA: "x", "+cmd|' /C calc'!A0": "y", "@SUM(1)": "z"}
    )
    report = export(project, "csv", tmp_path / "out.csv")
    header = next(csv.reader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()))
    for name in (FORMULA, "+cmd|' /C calc'!A0", "@SUM(1)"):
        assert "'" + name in header and name not in header
    assert any("formulas" in note for note in report.notes)
    export(project, "xlsx", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    heads = {c.value: c.data_type for c in sheet[1]}
    assert heads[FORMULA] == "s" and heads["@SUM(1)"] == "s"


SCRIPT = '</script><script>alert("x")</script> & more'


@pytest.mark.parametrize("fmt", ["claimreview", "w3c"])
def test_json_ld_can_be_pasted_into_a_script_element(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    text = f"The minister said {SCRIPT} today."
    doc = (
        project.import_bundle(
            ImportedBundle(
                [
                    ImportedDocument(
                        text,
                        "<b>t</b>",
                        source="https://example.org/?a=1&b=2",
                        metadata={"author": "<script>x</script>"},
                    )
                ]
            )
        )
        .added[0]
        .id
    )
    start = text.index(SCRIPT)
    project.add_annotation(
        doc,
        "Claim",
        start,
        start + len(SCRIPT),
        attributes={"verdict": "false"},
        note="</script> & <!--",
    )
    target = tmp_path / "out.jsonld"
    export(project, fmt, target, org_name="<FC & co>")
    written = target.read_text(encoding="utf-8")
    assert not {"<", ">", "&"} & set(written)
    assert "\\u003c/script\\u003e" in written and "\\u0026" in written
    assert SCRIPT in json.dumps(strict(written), ensure_ascii=False).replace('\\"', '"')
