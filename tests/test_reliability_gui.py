"""The window when things go wrong: read-only projects (a bar, label keys only say so), changes
that cannot be saved (a message, nothing half-done), projects that cannot be opened (a dialog,
the app stays usable), a second window on the same project, and restoring a backup."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSysInfo
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from annotator.gui import app as gui_app
from annotator.gui import project_guard
from annotator.gui.main_window import MainWindow
from annotator.gui.restore_backup_dialog import RestoreBackupDialog
from annotator.service import import_file
from annotator.store import backups
from annotator.store.project import Project

from .conftest import SAMPLE
from .reliability import (
    BAD_PROJECTS,
    as_ordinary_user,
    disk_freed,
    fill_disk,
    overwrite_middle_page,
    reachable_tmp,
)
from .test_gui_reader import press, select_text, stored


def sample_file(path: Path) -> Path:
    with Project.open(path) as project:
        import_file(project, SAMPLE)
    return path


def visible_boxes(window: QApplication | MainWindow) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


# -- read-only ---------------------------------------------------------------------------------


def test_read_only_project_shows_the_bar_and_label_keys_only_say_so(
    qtbot, make_window, tmp_path: Path
) -> None:
    path = sample_file(tmp_path / "p.annot")
    before = path.read_bytes()
    window = make_window(Project.open(path, read_only=True))
    assert window.notice.isVisible()
    assert window.notice.geometry().bottom() <= window.reader.geometry().top()  # above it
    assert window.notice.label.text().startswith("<b>Read-only</b>: opened read-only.")
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    assert (
        window.statusBar().currentMessage()
        == "Not saved: this project is read-only (opened read-only)."
    )
    window.label_bar.label_chosen.emit("Claim")  # the label bar's buttons too
    assert stored(window) == [] and window.ctx.undo_stack.count() == 0
    assert not window.editor.isEnabled()
    for name in ("delete", "import", "paste", "status_done", "restore_backup"):
        assert not window.actions_by_name[name].isEnabled(), name
    assert window.actions_by_name["export"].isEnabled()  # reading and exporting still work
    assert window.saved.text() == "Read-only"
    window.ctx.project.close()
    assert path.read_bytes() == before


def test_a_file_the_system_will_not_let_us_write(qtbot, make_window, tmp_path: Path) -> None:
    Project.open(tmp_path / "warm.annot", read_only=False).close()
    with reachable_tmp() as base:
        folder = base / "shared"
        folder.mkdir(mode=0o777)
        os.chmod(folder, 0o777)
        path = sample_file(folder / "p.annot")
        os.chmod(path, 0o444)
        with as_ordinary_user():
            project = Project.open(path, read_only=None)
        window = make_window(project)
        assert "the file is not writable" in window.notice.label.text()
        select_text(window, "Tier 2")
        press(qtbot, window, "4")
        assert "read-only (the file is not writable)" in window.statusBar().currentMessage()
        project.close()


# -- changes that cannot be saved ---------------------------------------------------------------


def test_a_full_disk_refuses_the_label_with_a_message(qtbot, window) -> None:
    project = window.ctx.project
    document_id = window.reader.document_id
    fill_disk(project, document_id)
    filled = len(project.annotations())
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    (box,) = visible_boxes(window)
    assert box.text() == "The last change could not be saved, so it was not made."
    assert "the disk is full" in box.informativeText()
    assert len(project.annotations()) == filled
    assert window.ctx.undo_stack.count() == 0  # nothing to undo: nothing was done
    assert window.saved.text() == "Last change not saved"
    assert "Tier rating" not in {s.label for s in window.reader.index.in_line(0)} | {
        a.label for a in project.annotations()
    }
    box.close()
    disk_freed(project)  # room again: the window carries on
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    assert window.ctx.undo_stack.count() == 1
    assert [a.label for a in project.annotations()].count("Tier rating") == 1


def test_an_undo_that_cannot_be_saved_is_dropped_and_the_label_stays(qtbot, window) -> None:
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    (added,) = window.ctx.project.annotations()
    window.ctx.project.read_only_reason = "made read-only for the test"
    window.ctx.undo_stack.undo()
    (box,) = visible_boxes(window)
    assert "made read-only for the test" in box.informativeText()
    assert window.ctx.project.annotations() == [added]  # still stored…
    assert window.reader.annotation(added.id) is not None  # …and still shown
    assert window.ctx.undo_stack.count() == 0  # the step that failed is gone, not half-undone


# -- opening: a dialog for what cannot be opened, one writing window per project ---------------


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(gui_app, "data_folder", lambda: tmp_path / "data")
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(
        gui_app,
        "settings",
        lambda: QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
    )
    return tmp_path


@pytest.fixture
def apps(qtbot, isolated: Path) -> Iterator[list[gui_app.Application]]:
    """Applications (as if separate instances); their windows and locks go at the end."""
    made: list[gui_app.Application] = []
    yield made
    for app in made:
        if app.window is not None:
            app.window.close()
            app.window.ctx.project.close()
        if app.lock is not None:
            app.lock.unlock()


def new_app(apps: list[gui_app.Application]) -> gui_app.Application:
    app = gui_app.Application(QApplication.instance())  # type: ignore[arg-type]
    apps.append(app)
    return app


@pytest.mark.parametrize("kind", sorted(BAD_PROJECTS))
def test_a_project_that_cannot_be_opened_gives_a_dialog(
    apps, qtbot, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = new_app(apps)
    good = app._open_path(sample_file(tmp_path / "good.annot"), create=False)
    assert good is not None
    make, fragment = BAD_PROJECTS[kind]
    (tmp_path / "bad").mkdir()
    bad = make(tmp_path / "bad" / "bad.annot")
    before, names = bad.read_bytes(), sorted(p.name for p in bad.parent.iterdir())
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *a: warnings.append((title, text))
    )
    assert app._open_path(bad, create=False) is None
    assert len(warnings) == 1 and warnings[0][0] == "Cannot open project"
    assert warnings[0][1].startswith(f"{bad}: ") and fragment in warnings[0][1]
    assert app.window is good  # still open, still usable
    select_text(good, "Tier 2")
    good.label_selection("Tier rating")
    assert [a.label for a in good.ctx.project.annotations()] == ["Tier rating"]
    assert bad.read_bytes() == before and sorted(p.name for p in bad.parent.iterdir()) == names


def test_a_damaged_project_offers_its_backups(
    apps, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_file(tmp_path / "p.annot")
    with Project.open(path) as project:
        project.add_annotation(project.documents()[0].id, "Claim", 0, 8)
    backups.make_backup(path)
    overwrite_middle_page(path)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(RestoreBackupDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window = new_app(apps)._open_path(path, create=False)
    assert window is not None and window.ctx.project.path == path
    assert [a.text for a in window.ctx.project.annotations()] == ["Cambodia"]
    assert [p.name for p in tmp_path.glob("p.damaged-*.annot")]


def test_a_second_window_on_the_same_project_is_asked_first(
    apps, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_file(tmp_path / "p.annot")
    first = new_app(apps)
    assert first._open_path(path, create=False) is not None
    asked: list[str] = []
    answer = [project_guard.Choice.READ_ONLY]

    def ask(_parent: object, project: Path, holder: str) -> project_guard.Choice:
        asked.append(holder)
        return answer[0]

    monkeypatch.setattr(project_guard, "ask_when_open_elsewhere", ask)
    second = new_app(apps)
    window = second._open_path(path, create=False)
    assert window is not None
    assert asked == [f"process {os.getpid()} on {QSysInfo.machineHostName()}"]
    assert (
        window.ctx.project.read_only_reason
        == f"it is open in another Annotator window ({asked[0]})"
    )
    assert window.notice.isVisible()
    answer[0] = project_guard.Choice.CANCEL
    third = new_app(apps)
    assert third._open_path(path, create=False) is None and len(asked) == 2
    answer[0] = project_guard.Choice.ANYWAY  # the user's call: both write (safely, SQLite-wise)
    window = new_app(apps)._open_path(path, create=False)
    assert window is not None and not window.ctx.project.read_only and len(asked) == 3
    # The first window moves to another project: the lock goes with it.
    first._open_path(tmp_path / "other.annot", create=True)
    window = third._open_path(path, create=False)
    assert window is not None and not window.ctx.project.read_only and len(asked) == 3


# -- backups in the window ----------------------------------------------------------------------


def test_the_rolling_backup_is_made_off_the_windows_thread_and_finished_on_close(
    apps, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deciding on a backup reads the whole project (half a minute at 100k documents): never on
    the window's thread. Closing the project waits for it, so no copy is left half made."""
    path = sample_file(tmp_path / "p.annot")
    threads: list[bool] = []
    real = backups.rolling_backup

    def recorded(project: Project) -> Path | None:
        threads.append(threading.current_thread() is threading.main_thread())
        return real(project)

    monkeypatch.setattr(backups, "rolling_backup", recorded)
    app = new_app(apps)
    assert app._open_path(path, create=False) is not None
    app.close_project()
    assert threads == [False]
    assert len(backups.list_backups(path)) == 1 and app.backup is not None
    assert not app.backup.running


def test_opening_backs_up_and_file_restore_backup_reloads(
    apps, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_file(tmp_path / "p.annot")
    app = new_app(apps)
    window = app._open_path(path, create=False)
    assert window is not None
    assert app.backup is not None
    qtbot.waitUntil(lambda: not app.backup.running)  # made off the window's thread
    (made,) = backups.list_backups(path)  # the rolling backup of the project as opened
    assert made.annotations == 0
    select_text(window, "Tier 2")
    window.label_selection("Tier rating")
    dialog = RestoreBackupDialog(path)
    assert dialog.table.rowCount() == 1
    assert [dialog.table.item(0, c).text() for c in (2, 3)] == ["1", "0"]
    assert dialog.table.item(0, 1).text().endswith("KB") and dialog.chosen() == made
    monkeypatch.setattr(RestoreBackupDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.actions_by_name["restore_backup"].trigger()  # File -> Restore Backup…, cancelled
    assert app.window is window and len(window.ctx.project.annotations()) == 1
    monkeypatch.setattr(RestoreBackupDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.actions_by_name["restore_backup"].trigger()
    reloaded = app.window
    assert reloaded is not window and reloaded.ctx.project.annotations() == []
    assert "Restored the backup" in reloaded.statusBar().currentMessage()
    notes = [(b.note, b.annotations) for b in backups.list_backups(path)]
    assert notes == [(backups.BEFORE_RESTORE, 1), ("", 0)]  # the restore is undoable too
