"""One bad record (a Label Studio region, a doccano line, a brat line) refuses its file naming
the record, with a hint; ``--skip-bad`` (the window's "Import the rest") imports the rest and
says what it left out. Each bad file is a real export with one record corrupted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.project import Project

INTERCHANGE = Path(__file__).parent / "fixtures" / "interchange"
LABEL_STUDIO = INTERCHANGE / "labelstudio-1.23" / "export-with-ui-span.json"
DOCCANO = INTERCHANGE / "doccano-1.8.4" / "doccano-export-utf16.jsonl"
BRAT = INTERCHANGE / "brat"
HINT = "(use --skip-bad to import the rest)"


def bad_region_export(folder: Path) -> Path:
    """Label Studio 1.23's export with region r1-2's quoted text changed ("Tier 2" → "Tier 9")."""
    tasks = json.loads(LABEL_STUDIO.read_text(encoding="utf-8"))
    (region,) = [
        r
        for a in tasks[0]["annotations"]
        for r in a["result"]
        if r["id"] == "r1-2" and r["type"] == "labels"
    ]
    assert region["value"]["text"] == "Tier 2"
    region["value"]["text"] = "Tier 9"
    path = folder / "tasks.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def bad_line_export(folder: Path) -> Path:
    """doccano 1.8.4's export with its second line cut short (no longer JSON)."""
    first, second = DOCCANO.read_text(encoding="utf-8-sig").splitlines()
    path = folder / "doccano.jsonl"
    path.write_text(f"{first}\n{second[:40]}\n", encoding="utf-8")
    return path


def bad_brat_folder(folder: Path) -> Path:
    """The brat collection with T3's text changed: T3, the relation and attribute on it are bad."""
    target = folder / "brat"
    shutil.copytree(BRAT, target)
    (target / "empty-doc.ann").unlink()
    (target / "empty-doc.txt").unlink()
    ann = target / "licadho.ann"
    content = ann.read_text(encoding="utf-8")
    assert "\tMinistry of Women’s Affairs\n" in content
    ann.write_text(content.replace("\tMinistry of Women’s Affairs\n", "\tMinistry of Truth\n"))
    return target


def saved(path: Path) -> list[tuple[str, str, list[tuple[str, int, int, dict]]]]:
    with Project.open(path, create=False, read_only=True) as project:
        return [
            (
                d.title,
                project.document(d.id).text,
                sorted((a.label, a.start, a.end, a.attributes) for a in project.annotations(d.id)),
            )
            for d in project.documents()
        ]


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A project already holding a document with a span: a refused import must not touch it."""
    path = tmp_path / "target.annot"
    article = tmp_path / "kept.jsonl"
    article.write_text('{"text": "Kept text here.", "label": [[0, 4, "Claim"]]}\n')
    assert main(["import", str(path), str(article)]) == 0
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_bad_label_studio_region_refuses_the_file_naming_it_and_hints(
    target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = saved(target)
    code, _out, err = run(["import", str(target), str(bad_region_export(tmp_path))], capsys)
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(f"error: {tmp_path / 'tasks.json'}: task 1 (id 1, ")
    assert "region 'r1-2' (Tier rating 21..27): its text 'Tier 9'" in line
    assert line.endswith(HINT)
    assert saved(target) == before


def test_skip_bad_imports_the_other_label_studio_regions(
    target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = saved(target)
    path = bad_region_export(tmp_path)
    code, out, err = run(["import", "--skip-bad", str(target), str(path)], capsys)
    assert code == 0
    assert out.startswith(f"imported: {path}")
    (line,) = err.splitlines()
    assert line.startswith(f"{path}: skipped 1 of 4 regions: task 1 (id 1, ")
    assert "region 'r1-2' (Tier rating 21..27): its text 'Tier 9'" in line
    after = saved(target)
    assert after[: len(before)] == before
    ((_title, text, spans),) = after[len(before) :]
    assert [(label, text[s:e]) for label, s, e, _ in spans] == [
        ("Claim", "moved to Tier 2 👍🏽"),
        ("Claim", "said the Ministry"),
        ("Quote", "“no”"),
    ]
    assert not any("year" in attributes for *_, attributes in spans)  # r1-2's number went too


def test_a_bad_doccano_line_refuses_the_file_unless_skipped(
    target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = saved(target)
    path = bad_line_export(tmp_path)
    code, _out, err = run(["import", str(target), str(path)], capsys)
    assert code == 1
    assert err == (
        f"error: {path}: line 2 is not valid JSON (column 16: Unterminated string starting at) "
        f"{HINT}\n"
    )
    assert saved(target) == before

    code, out, err = run(["import", "--skip-bad", str(target), str(path)], capsys)
    assert code == 0
    assert err.startswith(f"{path}: skipped 1 of 2 lines: line 2 is not valid JSON")
    after = saved(target)
    assert after[: len(before)] == before
    ((title, text, spans),) = after[len(before) :]
    assert title == "News: Cambodia/Tier 2" and text.startswith("Cambodia 🇰🇭 moved")
    assert len(spans) == 10  # every span of the first line (doccano's export has 10)


def test_a_bad_brat_line_skips_it_and_what_depends_on_it(
    target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = bad_brat_folder(tmp_path)
    code, _out, err = run(["import", str(target), str(folder)], capsys)
    assert code == 1
    assert "document 'licadho', T3 (Government_body 27 54): its text 'Ministry of Truth'" in err
    assert err.rstrip().endswith(HINT)

    code, _out, err = run(["import", "--skip-bad", str(target), str(folder)], capsys)
    assert code == 0
    (line,) = err.splitlines()
    assert line.startswith(
        f"{folder}: skipped 1 of 3 annotations and 1 of 3 attribute and note lines and 1 of 1 "
        "relations: document 'licadho', T3 (Government_body 27 54): its text 'Ministry of Truth'"
    )
    assert "; document 'licadho': relation R1 (Disagrees) joins T3, which is not" in line
    assert line.endswith("; document 'licadho': Confidence refers to T3, which is not in the file")
    (_doc,) = [d for d in saved(target) if d[0] == "licadho"]
    assert [label for label, *_ in _doc[2]] == ["Organization", "Statement"]


def test_when_every_record_is_bad_nothing_is_imported_and_the_exit_is_2(
    target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = saved(target)
    path = tmp_path / "all-bad.jsonl"
    path.write_text('{"label": [[0, 9, "X"]]}\n{"text": \n', encoding="utf-8")
    code, _out, err = run(["import", "--skip-bad", str(target), str(path)], capsys)
    assert code == 2
    assert err.startswith(f"error: {path}: nothing left to import: skipped 2 of 2 lines: ")
    assert saved(target) == before


def test_the_window_offers_to_import_the_rest(
    qtbot, make_window, sample_project: Project, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.gui.bad_records_dialog import IMPORT_THE_REST

    window = make_window(sample_project)
    project = window.ctx.project
    before = [(d.id, d.title) for d in project.documents()]
    path = bad_region_export(tmp_path)
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([path])
    box = window.importer.question
    assert box is not None and box.isVisible()
    assert box.text() == "tasks.json was not imported: a record in it is bad."
    assert box.informativeText().startswith(
        "tasks.json: task 1 (id 1, 'Border news'), region "
        "'r1-2' (Tier rating 21..27): its text 'Tier 9' matches the document's text there"
    )
    assert [(d.id, d.title) for d in project.documents()] == before  # nothing of it yet
    buttons = {b.text(): b for b in box.buttons()}
    assert {IMPORT_THE_REST, "Cancel"} <= set(buttons)

    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        qtbot.mouseClick(buttons[IMPORT_THE_REST], _left())
    (outcome,) = finished.args[0]
    assert outcome.skipped.describe().startswith("skipped 1 of 4 regions: task 1 (id 1, ")
    (added,) = [d for d in project.documents() if (d.id, d.title) not in before]
    labels = sorted(a.label for a in project.annotations(added.id))
    assert labels == ["Claim", "Claim", "Quote"]  # not r1-2's "Tier rating"
    report = [
        b
        for b in window.findChildren(QMessageBox)
        if b.isVisible() and b is not box and "documents imported" in b.text()
    ]
    assert len(report) == 1
    assert "tasks.json: skipped 1 of 4 regions: task 1" in report[0].informativeText()
    window.ctx.undo_stack.undo()  # the rest was one import: one undo takes it all away
    assert [(d.id, d.title) for d in project.documents()] == before


def test_cancel_imports_nothing_of_the_file(
    qtbot, make_window, sample_project: Project, tmp_path: Path
) -> None:
    window = make_window(sample_project)
    before = [d.id for d in window.ctx.project.documents()]
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([bad_region_export(tmp_path)])
    box = window.importer.question
    cancel = next(b for b in box.buttons() if b.text() == "Cancel")
    qtbot.mouseClick(cancel, _left())
    assert not box.isVisible() and not window.importer.running
    assert [d.id for d in window.ctx.project.documents()] == before


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_project_json_skips_a_bad_annotation_and_the_relation_on_it(
    project: Project, tmp_path: Path
) -> None:
    from annotator.service import import_file

    document = {
        "text": "Licadho said so.",
        "annotations": [
            {"id": "a", "label": "Organisation", "start": 0, "end": 7, "text": "Licadho"},
            {"id": "b", "label": "Quote", "start": 8, "end": 12, "text": "sang"},
        ],
        "relations": [{"type": "said", "from": "a", "to": "b"}],
    }
    path = tmp_path / "project.json"
    path.write_text(
        json.dumps({"documents": [document], "relation_types": [{"name": "said"}]}),
        encoding="utf-8",
    )
    refused = import_file(project, path)
    assert refused.bad_record and refused.message == (
        f"{path}: document 1 ('Licadho said so.'), annotation 2 (Quote 8..12): its text 'sang' "
        "does not match the document's text there, 'said'"
    )
    assert project.documents() == []
    outcome = import_file(project, path, skip_bad=True)
    assert outcome.skipped.describe() == (
        "skipped 1 of 2 annotations and 1 of 1 relations: document 1 ('Licadho said so.'), "
        "annotation 2 (Quote 8..12): its text 'sang' does not match the document's text there, "
        "'said'; document 1 ('Licadho said so.'), relation 1: 'b' is not the id of an annotation "
        "of this document"
    )
    ((document_id, *_),) = [(d.id,) for d in project.documents()]
    assert [a.label for a in project.annotations(document_id)] == ["Organisation"]
