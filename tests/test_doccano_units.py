"""Which unit a doccano file's offsets count (issue 26, item 5): the import reads the unit every
span fits, and asks (``--doccano-offsets``, or a question in the window) when both fit with
different characters, instead of reading a grapheme-mode file as UTF-16 in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.cli import main
from annotator.io import doccano
from annotator.service import Outcome, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE

REAL = INTERCHANGE / "doccano-1.8.4"
# doccano 1.8.4's export of a grapheme-mode project whose clusters are all BMP code points
BMP = REAL / "doccano-export-bmp-graphemes.jsonl"
BMP_SPANS = [
    ("Organisation", "Cafe\u0301 owners"),
    ("Claim", "the re\u0301sume\u0301 was fine"),
    ("Quote", "Se\u0301bastien"),
]


def _pieces(project: Project) -> list[tuple[str, str]]:
    return sorted((a.label, a.text) for a in project.annotations())


def test_a_bmp_grapheme_file_is_refused_naming_the_option(project: Project) -> None:
    outcome = import_file(project, BMP)
    assert outcome.outcome is Outcome.ERROR
    assert "\n" not in outcome.message
    assert outcome.message.startswith(f"{BMP}: cannot tell whether its offsets count UTF-16")
    assert outcome.message.endswith("give --doccano-offsets utf16 or --doccano-offsets graphemes")
    # a span and its two readings, for a person to judge by
    assert "reads 'Cafe\u0301 owner' in UTF-16 code units, 'Cafe\u0301 owners' in grapheme" in (
        outcome.message
    )
    assert project.documents() == []


def test_told_graphemes_every_span_is_exact(project: Project) -> None:
    outcome = import_file(project, BMP, doccano_offsets="graphemes")
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert _pieces(project) == sorted(BMP_SPANS)


def test_the_import_command_takes_the_unit(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "p.annot"
    assert main(["import", str(target), str(BMP)]) == 1
    assert "--doccano-offsets graphemes" in capsys.readouterr().err
    assert main(["import", str(target), str(BMP), "--doccano-offsets", "graphemes"]) == 0
    with Project.open(target) as project:
        assert _pieces(project) == sorted(BMP_SPANS)


def _file(tmp_path: Path, *lines: dict) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def _read(path: Path) -> list[str]:
    bundle = doccano.read(path)
    return [d.text[a.start : a.end] for d in bundle.documents for a in d.annotations]


@pytest.mark.parametrize(
    ("lines", "pieces"),
    [
        # graphemes: 4..5 is the thumb; in UTF-16, 5 falls inside its surrogate pair
        ([{"text": "ok, 👍🏽 said Kim", "label": [[4, 5, "X"], [6, 10, "Y"]]}], ["👍🏽", "said"]),
        # UTF-16: 11 units, but 9 grapheme clusters, so 10..11 can only be UTF-16
        (
            [{"text": "Cafe\u0301 👍 ok", "label": [[0, 5, "X"], [9, 11, "Y"]]}],
            ["Cafe\u0301", "ok"],
        ),
        # a later document tells for the whole file (one doccano project counts one way)
        (
            [
                {"text": "e\u0301tude on", "label": [[0, 1, "X"]]},
                {"text": "a👍 b", "label": [[1, 2, "Y"]]},
            ],
            ["e\u0301", "👍"],
        ),
        # both readings land on the same characters: nothing to ask
        ([{"text": "Tier 2 😀", "label": [[0, 6, "X"]]}], ["Tier 2"]),
        ([{"text": "plain ASCII", "label": [[6, 11, "X"]]}], ["ASCII"]),
    ],
)
def test_a_file_that_tells_imports_silently(
    tmp_path: Path, lines: list[dict], pieces: list[str]
) -> None:
    assert _read(_file(tmp_path, *lines)) == pieces


def test_crlf_is_one_grapheme_cluster(tmp_path: Path) -> None:
    """doccano's grapheme mode counts "\\r\\n" as one; the text is made canonical after."""
    path = _file(tmp_path, {"text": "a\r\nb", "label": [[1, 3, "X"]]})
    with pytest.raises(doccano.ImportFailed, match="cannot tell"):
        doccano.read(path)
    (document,) = doccano.read(path, "graphemes").documents
    assert document.text == "a\nb"
    assert [(a.start, a.end) for a in document.annotations] == [(1, 3)]
    (document,) = doccano.read(path, "utf16").documents
    assert [(a.start, a.end) for a in document.annotations] == [(1, 2)]  # "\r\n" -> "\n"


def test_the_window_asks_for_the_unit(qtbot, make_window, project: Project) -> None:  # type: ignore[no-untyped-def]
    window = make_window(project)
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([BMP])
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "which unit do the doccano offsets count?" in box.text()
    assert "cannot tell" in box.informativeText()
    assert "--doccano-offsets" not in box.informativeText()  # the buttons say it here
    assert project.documents() == []
    (graphemes,) = [b for b in box.buttons() if b.text().startswith("Grapheme clusters")]
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        graphemes.click()
    assert _pieces(project) == sorted(BMP_SPANS)
