"""Codebooks with the QDA tools (issue 13, items 5-7): REFI-QDA ``.qdc`` read and written (checked
against the REFI-QDA schema), Taguette's codebook CSV (checked against what Taguette 1.5.2's own
import read from it), and a QualCoder round trip: positions named truthfully, the attribute
block read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from annotator.cli import main
from annotator.core.errors import ImportFailed
from annotator.core.labels import AttributeDef, LabelDef
from annotator.io import codebook_files, qdc, taguette
from annotator.io.qdpx_import import _names_match, _parse_description, describe_reading
from annotator.service import Outcome, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE, build, export

TAGUETTE = INTERCHANGE / "taguette-1.5.2"
QUALCODER = INTERCHANGE / "qualcoder" / "qualcoder-export.qdpx"
QUALCODER_CODEBOOK = INTERCHANGE / "qualcoder" / "qualcoder-codebook.qdc"
# The labels fixtures/interchange/taguette-1.5.2/annotator-codebook.csv was written from.
TAGUETTE_LABELS = [
    LabelDef("Claim", "#e0a030", "1", "A checkable claim", (AttributeDef("verdict"),)),
    LabelDef("Tier rating", "#30a060", None, 'The US TIP report tier, “Tier 2”; "quoted"'),
    LabelDef("Organisation/NGO", "#3080e0", None, "Licadho, ADHOC…"),
    LabelDef("柬埔寨", "#a040c0"),
]


@pytest.fixture
def rich(project: Project) -> Project:
    return build(project)


def schema(shared_dir: Path) -> etree.XMLSchema:
    path = shared_dir / "schemas" / "refi-qda" / "Codebook.xsd"
    if not path.is_file():
        pytest.skip(f"the REFI-QDA codebook schema is not at {path}")
    return etree.XMLSchema(etree.parse(str(path)))


# -- 5. REFI-QDA codebooks ---------------------------------------------------------------------


def test_qdc_export_is_valid_against_the_refi_qda_schema(
    rich: Project, tmp_path: Path, shared_dir: Path
) -> None:
    target = tmp_path / "codebook.qdc"
    path = rich.path
    labels = rich.labels()
    rich.close()
    assert main(["labels", str(path), "--export", str(target)]) == 0
    document = etree.parse(str(target))
    schema(shared_dir).assertValid(document)
    codes = document.getroot().findall(".//{urn:QDA-XML:codebook:1.0}Code")
    assert [(c.get("name"), c.get("color")) for c in codes] == [
        (label.name, label.color) for label in labels
    ]
    described = {c.get("name"): c.findtext("{urn:QDA-XML:codebook:1.0}Description") for c in codes}
    assert all(described[label.name] == (label.description or None) for label in labels)


def test_qdc_code_guids_match_the_qdpx_export(rich: Project, tmp_path: Path) -> None:
    export(rich, "qdc", tmp_path / "c.qdc")
    export(rich, "qdpx", tmp_path / "p.qdpx")
    import zipfile

    qde = zipfile.ZipFile(tmp_path / "p.qdpx").read("project.qde").decode()
    for code in (
        etree.parse(str(tmp_path / "c.qdc")).getroot().iter("{urn:QDA-XML:codebook:1.0}Code")
    ):
        assert f'guid="{code.get("guid")}" name="{code.get("name")}"' in qde


def test_qdc_round_trip_keeps_names_colours_descriptions(rich: Project, tmp_path: Path) -> None:
    target = tmp_path / "codebook.qdc"
    qdc.write(target, rich.labels())
    back = qdc.read(target)
    assert [(x.name, x.color, x.description) for x in back] == [
        (x.name, x.color, x.description) for x in rich.labels()
    ]


def test_labels_import_qdc_merges_into_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.annot"
    assert main(["labels", str(path), "--import", str(QUALCODER_CODEBOOK)]) == 0
    with Project.open(path) as project:
        names = [label.name for label in project.labels()]
    assert "Fact-check/Claim" in names and "Fact-check/Quote" in names
    assert "Fact-check" not in names  # a category (not codable) only names the path


def test_taguette_qdc_with_empty_sets_reads(tmp_path: Path) -> None:
    """Taguette writes ``<Sets/>`` (the schema wants at least one Set) and no colours."""
    labels = codebook_files.read(TAGUETTE / "codebook.qdc")
    assert [label.name for label in labels] == [
        "Claim",
        "Quote",
        "Tier rating",
        "interesting.people",
    ]
    assert len({label.color for label in labels}) == 4


def test_importing_a_qdc_as_articles_says_to_use_labels_import(project: Project) -> None:
    outcome = import_file(project, TAGUETTE / "codebook.qdc")
    assert outcome.outcome is Outcome.ERROR
    assert "is a REFI-QDA codebook" in outcome.message
    assert "annotator labels PROJECT --import FILE" in outcome.message
    assert project.documents() == []


def test_import_command_exits_non_zero_on_a_qdc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path / "p.annot"), str(TAGUETTE / "codebook.qdc")]) == 2
    assert "labels PROJECT --import" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"<CodeBook", "not valid XML"),
        (b'<Project xmlns="urn:QDA-XML:project:1.0"/>', "not a REFI-QDA codebook"),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="A" '
            b'isCodable="false"/></Codes></CodeBook>',
            "the codebook holds no codable codes",
        ),
        (  # an external entity is never read
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook xmlns="urn:QDA-XML:'
            b'codebook:1.0"><Codes><Code guid="x" name="&e;" isCodable="true"/></Codes></CodeBook>',
            "not valid XML (Attribute references external entity 'e'",
        ),
    ],
)
def test_bad_qdc_is_one_line_error_naming_the_file(
    tmp_path: Path, content: bytes, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(content)
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        before = project.labels()
    assert main(["labels", str(path), "--import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {bad}: {problem}") and err.count("\n") == 1
    with Project.open(path) as project:
        assert project.labels() == before


def test_export_dialog_offers_the_qdc_codebook(window) -> None:
    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window.ctx, window)
    assert dialog.format.findData("qdc") >= 0
    assert dialog.format.findData("taguette") >= 0


# -- 6. Taguette -------------------------------------------------------------------------------


def test_taguette_codebook_csv_is_what_taguette_read(tmp_path: Path) -> None:
    """annotator-codebook.csv was written by this code and read by Taguette 1.5.2's own
    codebook import (taguette/import_codebook.py); what it read is in the .json beside it."""
    target = tmp_path / "tags.csv"
    taguette.write(target, TAGUETTE_LABELS)
    assert target.read_bytes() == (TAGUETTE / "annotator-codebook.csv").read_bytes()
    read_by_taguette = json.loads(
        (TAGUETTE / "annotator-codebook.taguette-read.json").read_text(encoding="utf-8")
    )
    assert read_by_taguette == [
        {"path": label.name, "description": label.description} for label in TAGUETTE_LABELS
    ]


def test_taguette_codebook_export_reads_back_as_labels(tmp_path: Path) -> None:
    labels = codebook_files.read(TAGUETTE / "codebook.csv")  # Taguette's own export
    assert [(x.name, x.description) for x in labels] == [
        ("Claim", "A checkable claim"),
        ("Quote", ""),
        ("Tier rating", "The US TIP report tier, “Tier 2”"),
        ("interesting.people", "nested with a dot"),
    ]


def test_taguette_format_from_the_export_command(rich: Project, tmp_path: Path) -> None:
    report = export(rich, "taguette", tmp_path / "tags.csv")
    assert any("Import codebook" in note for note in report.notes)
    rows = (tmp_path / "tags.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "tag,description" and len(rows) == len(rich.labels()) + 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("label,colour\nClaim,red\n", "expected one 'tag', 'name' or 'path' column"),
        ("tag,name\nClaim,Claim\n", "expected one 'tag', 'name' or 'path' column"),
        ("tag,description\n,no name\n", "row 2 has no tag name"),
        ("tag\n", "the codebook holds no tags"),
    ],
)
def test_bad_taguette_csv_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=problem):
        taguette.read(bad)


# -- 7. QualCoder ------------------------------------------------------------------------------


def test_qualcoder_export_imports_with_the_unit_named_truthfully(project: Project) -> None:
    outcome = import_file(project, QUALCODER)
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert "positions read as code points (from the selection names)" in outcome.message
    assert "CRLF" not in outcome.message


def test_qualcoder_round_trip_keeps_spans_attributes_and_notes(
    rich: Project, tmp_path: Path
) -> None:
    """Our qdpx, imported by QualCoder, exported by QualCoder, imported here: every span with its
    label (now under the category it was moved to), attributes and note. Unattributed spans come
    back as QualCoder's user "default"."""
    with Project.open(tmp_path / "back.annot") as back:
        assert import_file(back, QUALCODER).outcome is Outcome.IMPORTED
        renamed = {"Fact-check/Claim": "Claim", "Fact-check/Quote": "Quote"}

        def key(a, titles):  # type: ignore[no-untyped-def]
            return (
                titles[a.document_id],
                renamed.get(a.label, a.label),
                a.start,
                a.end,
                a.text,
                sorted(a.attributes.items()),
                a.note,
            )

        ours = {d.id: d.title for d in rich.documents()}
        theirs = {d.id: d.title for d in back.documents()}
        assert sorted(key(a, theirs) for a in back.annotations()) == sorted(
            key(a, ours) for a in rich.annotations()
        )
        assert {a.annotator for a in back.annotations()} == {"ana", "bo", "default"}


def test_a_line_break_in_a_selection_name_may_read_as_a_space() -> None:
    """QualCoder writes the selected text raw into the name attribute; XML reads its line
    breaks back as spaces. The span crossing a line break still matches its name."""
    assert _names_match("proud,” said Licadho. A ZWJ", "proud,” said Licadho.\nA ZWJ")
    assert not _names_match("proud,” said Licadho. B ZWJ", "proud,” said Licadho.\nA ZWJ")


def test_qualcoder_read_our_qdc_names_and_descriptions(rich: Project) -> None:
    read = json.loads(
        (QUALCODER.parent / "qualcoder-read-annotator-qdc.json").read_text(encoding="utf-8")
    )
    assert [(c["name"], c["memo"]) for c in read] == [
        (label.name, label.description) for label in rich.labels()
    ]


def test_the_readme_layout_of_the_block_reads_too() -> None:
    note, attributes = _parse_description(
        'checked\n---\nverdict: "mostly true"\ncheckworthy: true\nyear: 2004\nspeaker: Naly Pilorge'
    )
    assert note == "checked"
    assert attributes == {
        "verdict": "mostly true",
        "checkworthy": True,
        "year": 2004,
        "speaker": "Naly Pilorge",
    }
    assert _parse_description("a memo\n---\nnot an attribute line") == (
        "a memo\n---\nnot an attribute line",
        {},
    )


def test_crlf_is_named_only_when_the_text_has_it() -> None:
    assert describe_reading(("code points", True), "x", "a\nb") == "code points (x)"
    assert (
        describe_reading(("code points", True), "x", "a\r\nb")
        == "code points, line breaks (CRLF) counted as two (x)"
    )
    assert (
        describe_reading(("utf-16", False), "x", "👍\r\n")
        == "UTF-16 code units, CRLF counted as one (x)"
    )
    assert describe_reading(("utf-16", True), "x", "plain") == "code points (x)"


def test_codebook_window_imports_and_exports_qdc(qtbot, window, tmp_path: Path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from annotator.gui.codebook_dialog import CodebookDialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog = CodebookDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(QUALCODER_CODEBOOK), "")
    )
    dialog._import_file()
    names = [label.name for label in window.ctx.project.labels()]
    assert "Fact-check/Claim" in names and "Fact-check/Quote" in names
    window.ctx.undo_stack.undo()  # one undoable step, like any label import
    assert "Fact-check/Claim" not in [label.name for label in window.ctx.project.labels()]
    for name in ("codebook.qdc", "config.xml", "tags.csv"):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *_a, target=target, **_k: (str(target), "")
        )
        dialog._export_file()
        assert target.stat().st_size > 0
    assert etree.parse(str(tmp_path / "codebook.qdc")).getroot().tag.endswith("CodeBook")
    assert etree.parse(str(tmp_path / "config.xml")).getroot().tag == "View"
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(tmp_path / "config.xml"), "")
    )
    dialog._import_file()
    assert shown[-1].endswith(
        "a Label Studio config is written, not read: import labels from .json, .qdc or .csv"
    )


def _codes(count: int, depth: int = 1) -> bytes:
    """A codebook of ``count`` codes, each ``depth`` levels deep under the one before."""
    closing = "</Code>" * depth
    body = "".join(
        "".join(
            f'<Code guid="{n:08d}-{level}" name="{"Code" if level == 0 else "Part"} {n}.{level}"'
            ' isCodable="true">'
            for level in range(depth)
        )
        + f"<Description>Code number {n}</Description>"
        + closing
        for n in range(count)
    )
    return f'<CodeBook xmlns="{qdc.NS}"><Codes>{body}</Codes></CodeBook>'.encode()


def test_a_qdc_of_200k_codes_reads_in_a_child_process_within_a_safety_bound(
    tmp_path: Path,
) -> None:
    """Each code was compared with every label read before it: 64k codes took 62 s, 200k over
    300 s. Now linear (benchmarks/bench_codebook_files.py measures); 60 s is only a bound."""
    path = tmp_path / "big.qdc"
    path.write_bytes(_codes(200_000))
    script = (
        "import sys; from pathlib import Path; from annotator.io import qdc; "
        "labels = qdc.read(Path(sys.argv[1])); print(len(labels), labels[-1].name)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200000", "Code", "199999.0"]


def test_nested_qdc_codes_keep_their_order_and_paths_as_deep_as_the_parser_reads(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deep.qdc"
    path.write_bytes(_codes(2, depth=200))
    names = [label.name for label in qdc.read(path)]
    assert len(names) == 400
    assert names[0] == "Code 0.0" and names[1] == "Code 0.0/Part 0.1"
    assert names[199] == "/".join(["Code 0.0", *(f"Part 0.{level}" for level in range(1, 200))])
    assert names[200] == "Code 1.0"
    path.write_bytes(_codes(1, depth=300))  # deeper than lxml reads without huge_tree
    with pytest.raises(ImportFailed, match="not valid XML .*depth"):
        qdc.read(path)
