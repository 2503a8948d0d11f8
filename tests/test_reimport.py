"""Re-import (issue 28): a document imported before the PDF reflow keeps its text until asked;
``annotator reimport`` reads its source again and carries every annotation across, or refuses
and changes nothing."""

from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from pypdf import PdfReader

from annotator.cli import main
from annotator.core.carry import SpanToCarry, carry
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store.project import Project
from tests.test_io_articles import COLUMNS_REPORT_TEXT

FIXTURES = Path(__file__).parent / "fixtures"


def old_pdf_text(path: Path) -> str:
    """The text the PDF reader gave before issue 28 (pypdf's plain mode, pages apart by a
    blank line): hard line breaks, hyphens, header and footer, the ligature."""
    pages = [page.extract_text() for page in PdfReader(path).pages]
    return "\n\n".join("\n".join(x.rstrip() for x in page.strip().split("\n")) for page in pages)


# --- carrying spans ----------------------------------------------------------------------------


def carried_text(old: str, new: str, start: int, end: int) -> str | None:
    result = carry(old, new, [SpanToCarry("a", start, end)])
    if "a" in result.missing:
        return None
    new_start, new_end = result.moved["a"]
    return new[new_start:new_end]


def test_a_line_break_in_a_span_matches_a_space() -> None:
    old = "said: \u201cWe will not\nreturn until the cranes are inspected,\u201d he said"
    new = "said: \u201cWe will not return until the cranes are inspected,\u201d he said"
    start = old.index("\u201c")
    end = old.index("\u201d") + 1
    assert carried_text(old, new, start, end) == (
        "\u201cWe will not return until the cranes are inspected,\u201d"
    )


def test_a_hyphen_at_a_line_break_matches_the_mended_word_or_the_compound() -> None:
    old = "an inter-\nnational team; a well-\nknown engineer"
    new = "an international team; a well-known engineer"
    team = old.index("team") + 4
    assert carried_text(old, new, 3, team) == "international team"
    assert carried_text(old, new, old.index("well"), old.index(" engineer")) == "well-known"


def test_a_ligature_matches_its_letters() -> None:
    old = "their \ufb01nal report"
    assert carried_text(old, "their final report", 6, 10) == "final"


def test_the_nearest_occurrence_to_the_proportional_position_wins() -> None:
    old = "cranes A.\n" + "x" * 100 + "\ncranes B."
    new = "cranes A. " + "x" * 100 + " cranes B."
    result = carry(old, new, [SpanToCarry("first", 0, 6), SpanToCarry("last", 111, 117)])
    assert result.moved == {"first": (0, 6), "last": (111, 117)}


def test_a_span_whose_text_is_gone_is_missing() -> None:
    old = "Port Safety Board\nDock workers stopped"
    result = carry(old, "Dock workers stopped", [SpanToCarry("header", 0, 17)])
    assert result.missing == ["header"] and result.moved == {}


# --- the command -------------------------------------------------------------------------------


ANNOTATED = [
    ("quote", "Quote", "\u201cWe will not\nreturn until the cranes are inspected,\u201d"),
    ("team", "Organisation", "inter-\nnational team of inspectors"),
    ("final", "Claim", "\ufb01nal report within\nthirty days"),
    ("known", "Claim", "well-\nknown checklist"),
]
CARRIED = {
    "quote": "\u201cWe will not return until the cranes are inspected,\u201d",
    "team": "international team of inspectors",
    "final": "final report within thirty days",
    "known": "well-known checklist",
}


def import_the_old_way(project: Project, source: Path) -> dict[str, str]:
    """The columns report as the old reader imported it, four annotations across its line
    breaks, and a relation between two of them; their ids by name."""
    old = old_pdf_text(source)
    project.import_bundle(
        ImportedBundle([ImportedDocument(old, "Crane report", str(source), {"pages": 2}, id="d1")])
    )
    ids = {}
    for name, label, text in ANNOTATED:
        start = old.index(text)
        ids[name] = project.add_annotation("d1", label, start, start + len(text)).id
    project.add_relation("d1", "said by", ids["quote"], ids["team"])
    return ids


@pytest.fixture
def imported_before(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    source = tmp_path / "columns-report.pdf"
    shutil.copy(FIXTURES / "columns-report.pdf", source)
    project_path = tmp_path / "p.annot"
    with Project.open(project_path, create=True) as project:
        ids = import_the_old_way(project, source)
    return project_path, source, ids


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_reimport_reflows_the_text_and_carries_every_annotation(
    imported_before: tuple[Path, Path, dict[str, str]],
) -> None:
    project_path, source, ids = imported_before
    code, out, err = run("reimport", str(project_path), "Crane report")
    assert (code, err) == (0, "")
    assert out == f"{source}: re-imported; carried 4 of 4 annotations\n"
    with Project.open(project_path) as project:
        assert project.document("d1").text == COLUMNS_REPORT_TEXT
        spans = {a.id: a.text for a in project.annotations("d1")}
        assert spans == {ids[name]: text for name, text in CARRIED.items()}
        for a in project.annotations("d1"):
            assert COLUMNS_REPORT_TEXT[a.start : a.end] == a.text
        (relation,) = project.relations("d1")
        assert (relation.source_id, relation.target_id) == (ids["quote"], ids["team"])
        assert project.documents("d1")[0].length == len(COLUMNS_REPORT_TEXT)
    code, out, _ = run("reimport", str(project_path), "d1")  # again: nothing to do
    assert (code, out) == (0, f"{source}: the text is the same as before; nothing to do\n")


def test_reimport_carries_rejected_suggestions_and_undo_puts_them_back(
    imported_before: tuple[Path, Path, dict[str, str]],
) -> None:
    from annotator.reimport_service import apply_reimport, plan_reimport, undo_reimport
    from annotator.store import suggestion_store

    project_path, _source, _ids = imported_before
    with Project.open(project_path) as project:
        old = project.document("d1").text
        crane = old.index("Crane Collapse")
        header = old.index("Port Safety")
        before = {("Organisation", crane, crane + 14), ("Claim", header, header + 11)}
        suggestion_store.reject(project, "d1", before)
        plan = plan_reimport(project, "d1")
        apply_reimport(project, plan)
        # the header is not in the new text: that rejection is let go
        assert suggestion_store.rejected(project, "d1") == {("Organisation", 0, 14)}
        assert COLUMNS_REPORT_TEXT[0:14] == "Crane Collapse"
        undo_reimport(project, plan)
        assert suggestion_store.rejected(project, "d1") == before
        assert project.document("d1").text == old


def test_a_rejection_whose_place_does_not_change_stays(tmp_path: Path) -> None:
    from annotator.reimport_service import apply_reimport, plan_reimport
    from annotator.store import suggestion_store

    source = tmp_path / "note.txt"
    source.write_text("Alpha beta. Gamma", encoding="utf-8")
    with Project.open(tmp_path / "p.annot", create=True) as project:
        old = ImportedDocument("Alpha beta.\nGamma", "note", str(source), id="n1")
        project.import_bundle(ImportedBundle([old]))
        kept = {("Claim", 0, 5), ("Claim", 12, 17)}
        suggestion_store.reject(project, "n1", kept)
        apply_reimport(project, plan_reimport(project, "n1"))
        assert project.document("n1").text == "Alpha beta. Gamma"
        assert suggestion_store.rejected(project, "n1") == kept


def test_reimport_refuses_and_changes_nothing_when_an_annotation_is_not_found(
    imported_before: tuple[Path, Path, dict[str, str]],
) -> None:
    project_path, source, _ids = imported_before
    with Project.open(project_path) as project:
        old = project.document("d1").text
        start = old.index("Confidential")
        project.add_annotation("d1", "Claim", start, start + len("Confidential"))
        before = [(a.id, a.start, a.end, a.text) for a in project.annotations("d1")]
    code, out, err = run("reimport", str(project_path), "d1")
    assert (code, out) == (2, "")
    assert err == (
        f"annotator: error: {source}: 1 of 5 annotations not found in the new text; "
        "nothing was changed:\n"
        f"  Claim at {start}..{start + 12}: \u201cConfidential\u201d\n"
    )
    with Project.open(project_path) as project:
        assert project.document("d1").text == old
        assert [(a.id, a.start, a.end, a.text) for a in project.annotations("d1")] == before


def test_reimport_names_a_missing_source_and_an_unknown_document(
    imported_before: tuple[Path, Path, dict[str, str]],
) -> None:
    project_path, source, _ids = imported_before
    code, _, err = run("reimport", str(project_path), "no such title")
    assert code == 2
    assert err == f"annotator: error: {project_path}: no such document ('no such title')\n"
    source.unlink()
    code, _, err = run("reimport", str(project_path), "d1")
    assert code == 2
    assert err == f"annotator: error: {source}: the source file is not there any more\n"


def test_a_source_that_is_the_open_project_is_refused_unread(tmp_path: Path) -> None:
    # a document whose source file now is the project itself (a hard link): reading it through
    # a second descriptor would drop SQLite's locks on it, as the import refuses it too
    from annotator.core.errors import ImportFailed
    from annotator.reimport_service import plan_reimport

    source = tmp_path / "note.txt"
    source.write_text("Alpha beta.", encoding="utf-8")
    with Project.open(tmp_path / "p.annot", create=True) as project:
        project.import_bundle(ImportedBundle([ImportedDocument("Alpha beta.", "n", str(source))]))
        (document,) = project.documents()
        source.unlink()
        os.link(project.path, source)
        with pytest.raises(ImportFailed, match="is the open project"):
            plan_reimport(project, document.id)


# --- the window --------------------------------------------------------------------------------


def test_the_window_reimports_the_shown_document_undoably(
    qtbot, make_window, tmp_path: Path
) -> None:
    source = tmp_path / "columns-report.pdf"
    shutil.copy(FIXTURES / "columns-report.pdf", source)
    with Project.open(tmp_path / "w.annot", create=True) as project:
        ids = import_the_old_way(project, source)
        old = project.document("d1").text
        window = make_window(project)
        window.show_document("d1")
        assert window.reader.text == old
        window.actions_by_name["reimport"].trigger()
        assert window.reader.text == COLUMNS_REPORT_TEXT
        assert {a.id: a.text for a in window.reader.annotations()} == {
            ids[name]: text for name, text in CARRIED.items()
        }
        assert window.statusBar().currentMessage() == (
            f"{source}: re-imported; carried 4 of 4 annotations"
        )
        window.ctx.undo_stack.undo()
        assert project.document("d1").text == old
        assert window.reader.text == old
        assert {a.id: a.text for a in project.annotations("d1")} == {
            ids[name]: text for name, _label, text in ANNOTATED
        }
        window.ctx.undo_stack.redo()
        assert window.reader.text == COLUMNS_REPORT_TEXT
        assert project.document("d1").text == COLUMNS_REPORT_TEXT


def test_suggestions_are_computed_again_for_the_new_text(
    qtbot, make_window, tmp_path: Path
) -> None:
    source = tmp_path / "columns-report.pdf"
    shutil.copy(FIXTURES / "columns-report.pdf", source)
    with Project.open(tmp_path / "w.annot", create=True) as project:
        import_the_old_way(project, source)
        old = project.document("d1").text
        first = old.index("Crane")
        project.add_annotation("d1", "Organisation", first, first + 5)  # a known name

        def all_at_crane() -> bool:
            text = window.reader.text
            named = [
                s for s in window.suggestions.suggestions if s.source == "project:labelled names"
            ]
            return bool(named) and all(text[s.start : s.end] == "Crane" for s in named)

        window = make_window(project, suggestions=True)
        window.show_document("d1")
        window.suggestions.refresh()
        qtbot.waitUntil(all_at_crane, timeout=10000)
        window.actions_by_name["reimport"].trigger()
        assert window.reader.text == COLUMNS_REPORT_TEXT
        qtbot.waitUntil(all_at_crane, timeout=10000)


def test_the_window_refuses_a_reimport_that_would_lose_an_annotation(
    qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    source = tmp_path / "columns-report.pdf"
    shutil.copy(FIXTURES / "columns-report.pdf", source)
    with Project.open(tmp_path / "w.annot", create=True) as project:
        import_the_old_way(project, source)
        old = project.document("d1").text
        start = old.index("Page 1")
        project.add_annotation("d1", "Claim", start, start + 6)
        window = make_window(project)
        window.show_document("d1")
        window.actions_by_name["reimport"].trigger()
        assert shown == [
            f"{source}: 1 of 5 annotations not found in the new text; nothing was changed:\n\n"
            f"Claim at {start}..{start + 6}: \u201cPage 1\u201d\n\n"
            "Delete or adjust them to re-import, or keep the text as it is."
        ]
        assert window.reader.text == old and project.document("d1").text == old
        assert window.ctx.undo_stack.count() == 0


# --- the store, on a file and on a PostgreSQL server --------------------------------------------


def test_replace_text_moves_every_annotation_and_back(any_project: Project) -> None:
    from annotator.core.errors import ProjectError

    project = any_project
    old, new = "Alpha\nbeta gamma.", "Alpha beta gamma."
    project.import_bundle(ImportedBundle([ImportedDocument(old, "doc", id="d1")]))
    project.import_bundle(ImportedBundle([ImportedDocument("Other text.", "other", id="d2")]))
    a = project.add_annotation("d1", "Claim", 0, 10)  # "Alpha\nbeta"
    project.replace_text("d1", new, {a.id: (0, 10)}, {"pages": 1})
    assert project.document("d1").text == new
    assert project.document("d1").metadata == {"pages": 1}
    assert [(x.start, x.end, x.text) for x in project.annotations("d1")] == [(0, 10, "Alpha beta")]
    assert project.documents("d1")[0].length == len(new)

    b = project.add_annotation("d1", "Claim", 11, 16)
    with pytest.raises(ProjectError, match="annotations changed meanwhile; nothing was changed"):
        project.replace_text("d1", old, {a.id: (0, 10)})  # b is not named
    with pytest.raises(ProjectError, match="the document “other” has that text already"):
        project.replace_text("d1", "Other text.", {a.id: (0, 5), b.id: (6, 10)})
    assert project.document("d1").text == new

    project.replace_text("d1", old, {a.id: (0, 10), b.id: (11, 16)}, {})
    assert project.document("d1").text == old
    assert [x.text for x in project.annotations("d1")] == ["Alpha\nbeta", "gamma"]
