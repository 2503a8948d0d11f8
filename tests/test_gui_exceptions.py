"""Python exceptions that escape into Qt: the three paths where they did (a command's redo from
the attribute editor, a codebook dialog button, the import thread), the one hook that shows
them, an undo stack that keeps no broken step, and garbage collection back on however an import
ends (closing the window included)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from annotator.gui import import_runner
from annotator.gui.codebook_dialog import CodebookDialog
from annotator.gui.exception_hook import ExceptionHook
from annotator.service import import_file
from annotator.store import codebook

from .conftest import SAMPLE
from .reliability import fill_disk
from .test_gui_reader import select_text


@pytest.fixture
def hook(window) -> Iterator[ExceptionHook]:
    with ExceptionHook(lambda: window) as installed:
        yield installed


@pytest.fixture(autouse=True)
def collection_back_on() -> Iterator[None]:
    yield
    enabled = gc.isenabled()
    gc.enable()  # never leave the rest of the suite without garbage collection
    assert enabled, "the test left garbage collection disabled"


def shown(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_bug_in_a_command_from_the_attribute_editor_leaves_no_step(
    qtbot, window, hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    select_text(window, "Tier 2")
    window.label_selection("Tier rating")
    (annotation,) = window.ctx.project.annotations()
    window.panel.select(annotation.id)
    assert window.editor.annotation is not None

    def bug(*_args: object, **_kwargs: object) -> None:
        raise KeyError(annotation.id)  # a bug: not the store's Deleted refusal

    monkeypatch.setattr(window.ctx.project, "update_annotation", bug)
    window.editor.note.setPlainText("a note the buggy store call never saves")
    window.editor.commit_pending()  # EditAnnotation.redo raises KeyError inside Qt's push
    assert [type(e) for e in hook.caught] == [KeyError]
    (box,) = shown(window)
    assert box.windowTitle() == "Something went wrong"
    assert box.text().startswith("Annotator hit an error it did not expect: KeyError")
    assert "Traceback" in box.detailedText()
    assert window.ctx.undo_stack.count() == 1  # the label; no broken "Change note" step
    window.ctx.undo_stack.undo()  # and undo still works
    assert window.ctx.undo_stack.index() == 0 and hook.caught == [hook.caught[0]]


def test_an_edit_to_an_annotation_deleted_meanwhile_says_so_and_leaves_no_step(
    qtbot, window, hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    select_text(window, "Tier 2")
    window.label_selection("Tier rating")
    (annotation,) = window.ctx.project.annotations()
    window.panel.select(annotation.id)
    said: list[str] = []
    monkeypatch.setattr(
        "annotator.gui.main_window.show_write_failure", lambda _w, error: said.append(str(error))
    )
    window.ctx.project.delete_annotations([annotation.id])  # another window, behind this one
    window.editor.note.setPlainText("a note for an annotation that is gone")
    window.editor.commit_pending()
    assert hook.caught == []  # not a bug: the store refused it
    assert len(said) == 1 and "the annotation was deleted meanwhile" in said[0]
    assert window.ctx.project.annotations() == []
    assert window.ctx.undo_stack.count() == 1  # the label only


def test_a_codebook_button_that_cannot_save_says_so(
    qtbot, window, hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = CodebookDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    (add,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "Add label"]
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    window.ctx.project.read_only_reason = "made read-only for the test"
    add.click()
    assert len(warned) == 1 and warned[0].startswith("Not saved: ")
    assert "made read-only for the test" in warned[0] and hook.caught == []
    window.ctx.project.read_only_reason = None

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug in the codebook")

    monkeypatch.setattr(codebook, "add_label", broken)
    add.click()  # escapes from the button's slot into Qt: the hook shows it
    assert [str(e) for e in hook.caught] == ["a bug in the codebook"]
    assert hook.box is not None and hook.box.isVisible()
    assert window.ctx.undo_stack.count() == 0
    assert [label.name for label in window.ctx.project.labels()] == [
        "Claim",
        "Quote",
        "Organisation",
        "Tier rating",
    ]


def test_a_bug_in_the_import_thread_is_shown_and_what_imported_stays(
    qtbot, window, hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article, imported before the bug.", encoding="utf-8")

    def import_then_fail(project, paths, report, **options):  # type: ignore[no-untyped-def]
        report(0, import_file(project, paths[0]))
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(import_runner, "import_files", import_then_fail)
    with qtbot.waitSignal(window.importer.finished):
        window.import_files([other, SAMPLE])
    assert gc.isenabled()
    assert [type(e) for e in hook.caught] == [RecursionError]
    assert [d.title for d in window.ctx.project.documents()][
        -1
    ] == "Another article, imported before the bug."
    assert window.ctx.undo_stack.undoText() == "Import other.txt"


def test_closing_the_window_during_an_import_turns_collection_back_on(
    qtbot, window, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()

    def import_until_cancelled(project, paths, report, **options):  # type: ignore[no-untyped-def]
        started.set()
        window.importer._cancel.wait()  # a long file: stops when the window asks
        return []

    monkeypatch.setattr(import_runner, "import_files", import_until_cancelled)
    window.import_files([SAMPLE])
    assert started.wait(30)
    assert not gc.isenabled()  # paused while the worker runs
    window.close()
    assert gc.isenabled()
    assert not window.importer.running


def test_a_write_failure_inside_a_command_is_still_a_write_failure(qtbot, window, hook) -> None:
    """Annotator's own errors keep going to the "Change not saved" box, not the bug dialog."""
    fill_disk(window.ctx.project, window.reader.document_id)
    select_text(window, "Tier 2")
    window.label_selection("Claim")
    (box,) = shown(window)
    assert box.windowTitle() == "Change not saved" and hook.caught == []
    assert "the disk is full" in box.informativeText()
    assert window.ctx.undo_stack.count() == 0
