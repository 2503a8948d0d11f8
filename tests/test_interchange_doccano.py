"""doccano's two offset units (issue 13, item 4): UTF-16 code units (the default, for projects
with "Count grapheme clusters as one character" off) and grapheme clusters (``grapheme_mode``
on), declared as the doccano format's ``doccano_offsets`` option."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.graphemes import GraphemeMap
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.service import Outcome, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE, build, export, spans_of

# flag (2 code points), "e" + combining acute, a ZWJ family (5 code points), a skin-tone thumb
TEXT = "🇰🇭 Cafe\u0301 👨\u200d👩\u200d👧 fled, 👍🏽 ok"


@pytest.fixture
def rich(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Project.open(tmp_path / "rich.annot") as project:
        yield build(project)


@pytest.fixture
def project_with_clusters(project: Project) -> Project:
    def at(piece: str) -> tuple[int, int]:
        start = TEXT.index(piece)
        return start, start + len(piece)

    project.import_bundle(
        ImportedBundle(
            [
                ImportedDocument(
                    TEXT,
                    "Clusters",
                    annotations=[
                        ImportedAnnotation("Place", *at("🇰🇭")),
                        ImportedAnnotation("Quote", *at("Cafe\u0301")),
                        ImportedAnnotation("Claim", *at("fled")),
                        ImportedAnnotation("Claim", *at("👍🏽 ok")),
                    ],
                )
            ]
        )
    )
    return project


def _triples(path: Path) -> list[list]:
    (line,) = [json.loads(x) for x in path.read_text(encoding="utf-8-sig").splitlines()]
    assert line["text"] == TEXT
    return line["label"]


def test_graphemes_count_what_a_reader_sees(project_with_clusters: Project, tmp_path: Path) -> None:
    target = tmp_path / "g.jsonl"
    report = export(project_with_clusters, "doccano", target, doccano_offsets="graphemes")
    # counted by hand: 0 flag, 1 space, 2-5 C a f é, 6 space, 7 family, 8 space, 9-12 fled,
    # 13 comma, 14 space, 15 thumb, 16 space, 17-18 ok
    assert sorted(_triples(target)) == sorted(
        [[0, 1, "Place"], [2, 6, "Quote"], [9, 13, "Claim"], [15, 19, "Claim"]]
    )
    assert not any("widened" in note for note in report.notes)


def test_utf16_stays_the_default(project_with_clusters: Project, tmp_path: Path) -> None:
    target = tmp_path / "u.jsonl"
    export(project_with_clusters, "doccano", target)
    units = TEXT.encode("utf-16-le")
    for start, end, _label in _triples(target):
        assert units[2 * start : 2 * end].decode("utf-16-le") in {
            "🇰🇭",
            "Cafe\u0301",
            "fled",
            "👍🏽 ok",
        }


def test_a_span_inside_a_cluster_is_widened_and_counted(project: Project, tmp_path: Path) -> None:
    start = TEXT.index("e\u0301")
    project.import_bundle(
        ImportedBundle(
            [
                ImportedDocument(
                    TEXT, "Cut", annotations=[ImportedAnnotation("Quote", start + 1, start + 2)]
                )
            ]
        )
    )  # the accent alone
    target = tmp_path / "g.jsonl"
    report = export(project, "doccano", target, doccano_offsets="graphemes")
    assert _triples(target) == [[5, 6, "Quote"]]  # the whole "é"
    assert any("1 spans started or ended inside a grapheme cluster" in n for n in report.notes)


def test_grapheme_option_from_the_command_line(
    project_with_clusters: Project, tmp_path: Path
) -> None:
    path = project_with_clusters.path
    project_with_clusters.close()
    out = tmp_path / "cli.jsonl"
    assert (
        main(
            [
                "export",
                str(path),
                "--format",
                "doccano",
                "--doccano-offsets",
                "graphemes",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert [9, 13, "Claim"] in _triples(out)


def test_grapheme_map_round_trips_boundaries() -> None:
    clusters = GraphemeMap(TEXT)
    assert clusters.length == 19
    for index in range(clusters.length + 1):
        assert clusters.to_graphemes(clusters.from_graphemes(index)) == index
    inside = TEXT.index("\u200d")  # inside the family
    assert not clusters.is_boundary(inside)
    assert clusters.to_graphemes(inside) == 7 and clusters.to_graphemes(inside, end=True) == 8
    with pytest.raises(ValueError, match="outside the text"):
        clusters.from_graphemes(20)


# -- with doccano 1.8.4 (fixtures/interchange/doccano-1.8.4, see make_fixtures.py there) -------

REAL = INTERCHANGE / "doccano-1.8.4"


@pytest.mark.parametrize("unit", ["utf16", "graphemes"])
def test_doccano_kept_every_span_it_was_given(rich: Project, tmp_path: Path, unit: str) -> None:
    """doccano imported our export with a BOM (encoding "Auto") and exported the same offsets
    back."""
    target = tmp_path / "ours.jsonl"
    export(rich, "doccano", target, doccano_offsets=unit, doccano_bom="yes")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf{")  # the BOM doccano's "Auto" needs
    assert _labels(REAL / f"doccano-export-{unit}.jsonl") == _labels(target)


def test_doccanos_own_export_imports(rich: Project, tmp_path: Path) -> None:
    with Project.open(tmp_path / "copy.annot") as copy:
        outcome = import_file(copy, REAL / "doccano-export-utf16.jsonl")
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert spans_of(copy) == spans_of(rich)


def _labels(path: Path) -> dict[str, list]:
    """Each document's sorted (start, end, label) triples, by text."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return {item["text"]: sorted(map(tuple, item["label"])) for item in map(json.loads, lines)}


# -- the byte-order mark (issue 26, item 5) ----------------------------------------------------


def test_the_default_export_has_no_bom_and_the_option_writes_one(
    rich: Project, tmp_path: Path
) -> None:
    """doccano's upload form preselects utf_8, which reads a BOM as part of the first line."""
    export(rich, "doccano", tmp_path / "plain.jsonl")
    assert (tmp_path / "plain.jsonl").read_bytes().startswith(b'{"text": "Cambodia')
    export(rich, "doccano", tmp_path / "auto.jsonl", doccano_bom="yes")
    assert (tmp_path / "auto.jsonl").read_bytes().startswith(b'\xef\xbb\xbf{"text": "Cambodia')


def test_bom_option_from_the_command_line(rich: Project, tmp_path: Path) -> None:
    path = rich.path
    rich.close()
    out = tmp_path / "cli.jsonl"
    args = ["export", str(path), "--format", "doccano", "--doccano-bom", "yes", "-o", str(out)]
    assert main(args) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf{")


def test_the_export_dialog_writes_the_bom_when_asked(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QComboBox, QMessageBox

    from annotator.gui.export_dialog import ExportDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    dialog = ExportDialog(window.ctx, window)
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    box = dialog.fields["doccano_bom"]
    assert isinstance(box, QComboBox) and box.currentData() == "no"
    box.setCurrentIndex(box.findData("yes"))
    dialog.target.setText(str(tmp_path / "d.jsonl"))
    dialog.export()
    assert (tmp_path / "d.jsonl").read_bytes().startswith(b"\xef\xbb\xbf{")


def test_doccanos_default_form_read_every_document_of_the_default_export(
    rich: Project, tmp_path: Path
) -> None:
    """doccano imported our default export with its form's encoding, utf_8, and exported it:
    both documents, every span, back through our importer."""
    ours = tmp_path / "ours.jsonl"
    export(rich, "doccano", ours)
    theirs = REAL / "doccano-export-default-utf_8.jsonl"
    assert not (REAL / "doccano-errors-default-utf_8.json").exists()  # doccano reported none
    assert len(_labels(theirs)) == 2
    assert _labels(theirs) == _labels(ours)
    with Project.open(tmp_path / "copy.annot") as copy:
        outcome = import_file(copy, theirs)
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert [d.title for d in copy.documents()] == [d.title for d in rich.documents()]
        assert spans_of(copy) == spans_of(rich)


def test_doccanos_form_with_a_bom_and_utf_8_lost_the_first_document() -> None:
    """What doccano 1.8.4 did with the old default export (a BOM) and its form's utf_8."""
    (error,) = json.loads((REAL / "doccano-errors-bom-utf_8.json").read_text())
    assert error["line"] == 1
    assert error["message"].startswith("Unexpected UTF-8 BOM (decode using utf-8-sig)")
    kept = list(_labels(REAL / "doccano-export-bom-utf_8.jsonl"))
    assert len(kept) == 1 and kept[0].startswith("Mixed scripts")  # the news article is lost


def test_doccanos_auto_without_a_bom_read_nothing() -> None:
    """Why the BOM stays an option: 'Auto' took our default export for Windows-1254."""
    (error,) = json.loads((REAL / "doccano-errors-default-auto.json").read_text())
    assert error["exception"].startswith("UnicodeDecodeError: 'charmap' codec")
    assert (REAL / "doccano-export-default-auto.jsonl").read_text().strip() == ""


def test_doccanos_grapheme_export_needs_the_unit(rich: Project, tmp_path: Path) -> None:
    """Every span of doccano's grapheme-mode export also fits in UTF-16 code units, with
    other characters: the file cannot tell, so the import asks; told, it reads every span."""
    with Project.open(tmp_path / "copy.annot") as copy:
        path = REAL / "doccano-export-graphemes.jsonl"
        refused = import_file(copy, path)
        assert refused.outcome is Outcome.ERROR and refused.needs is not None
        assert refused.message.startswith(f"{path}: cannot tell whether its offsets count")
        assert copy.documents() == []
        outcome = import_file(copy, path, doccano_offsets="graphemes")
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert spans_of(copy) == spans_of(rich)
