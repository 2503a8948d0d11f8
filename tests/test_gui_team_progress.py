"""The window's merge and agreement run off the GUI thread with a progress dialog whose Cancel
stops them, leaving the project as it was (issue 29). No timing: the work waits at a progress
call, on an event the test sets once it has pressed Cancel."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from annotator.core.progress import Cancelled
from annotator.gui.agreement_window import AgreementWindow
from annotator.store import merge as merge_module
from annotator.store import span_batches
from annotator.store.project import Project

from .test_gui_team import team_project, team_window  # noqa: F401 (fixtures)
from .test_team_corpus import build, dump


def held_at(module: object, monkeypatch: pytest.MonkeyPatch, done: int) -> Callable[[], None]:
    """Make the work in ``module`` wait at its progress call for ``done`` documents until the
    returned function is called; wait until it is there."""
    reached, go_on = threading.Event(), threading.Event()
    real = module.tell  # type: ignore[attr-defined]

    def tell(progress, at, total, where=None):  # type: ignore[no-untyped-def]
        if at == done:
            reached.set()
            go_on.wait(60)
        real(progress, at, total, where)

    monkeypatch.setattr(module, "tell", tell)

    def release() -> None:
        go_on.set()

    release.reached = reached  # type: ignore[attr-defined]
    return release


def press_cancel(dialog: object) -> None:
    button = dialog.findChild(QPushButton)  # type: ignore[attr-defined]
    assert button.text() == "Cancel"
    button.click()


def test_a_merge_cancelled_in_the_window_leaves_the_project_as_it_was(
    qtbot, make_window, sample_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.gui.team_menu import merge_into_window

    monkeypatch.setattr(merge_module, "BATCH", 1)
    source = build(tmp_path / "bob.annot", 3)
    window = make_window(sample_project)
    before = dump(sample_project.path)
    release = held_at(merge_module, monkeypatch, done=2)  # two documents merged already
    running = merge_into_window(window, [source])
    qtbot.waitUntil(release.reached.is_set)  # type: ignore[attr-defined]
    assert running.running
    press_cancel(running.dialog)
    release()
    qtbot.waitUntil(lambda: not running.running)
    assert isinstance(running.error, Cancelled)
    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "merge-summary")
    assert "cancelled, nothing of it merged" in box.text() and str(source) in box.text()
    if os.environ.get("ANNOTATOR_PROGRESS_PNG"):  # to look at it: render it offscreen
        box.grab().save(os.environ["ANNOTATOR_PROGRESS_PNG"] + "-merge.png")
    box.close()
    assert dump(sample_project.path) == before
    assert sample_project.annotations() == []


def test_agreement_cancelled_in_its_window_says_so_and_computes_again_on_refresh(
    qtbot,
    team_window,  # noqa: F811
    team_project: Project,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annotator.service import agreement

    release = held_at(span_batches, monkeypatch, done=0)
    dialog = AgreementWindow(team_window.ctx, team_window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(release.reached.is_set)  # type: ignore[attr-defined]
    assert dialog.computing and dialog.figures is None
    press_cancel(dialog._work.dialog)  # type: ignore[union-attr]
    release()
    qtbot.waitUntil(lambda: not dialog.computing)
    assert dialog.figures is None and dialog.summary.text().startswith("Cancelled")
    assert dialog.table.rowCount() == 0
    if os.environ.get("ANNOTATOR_PROGRESS_PNG"):
        dialog.show()
        dialog.grab().save(os.environ["ANNOTATOR_PROGRESS_PNG"] + "-agreement.png")
    dialog.refresh()
    qtbot.waitUntil(lambda: not dialog.computing)
    assert dialog.figures == agreement(team_project)
