"""A project file deleted, moved or replaced while open: the next write is refused (nothing
acknowledged goes into a file nobody sees), saving stops, and Save As… rescues every
acknowledged change into a new file — through the store, the command line and the window."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store import backups, identity, rescue
from annotator.store.project import Project

from .reliability import make_foreign_sqlite
from .test_gui_reader import select_text
from .test_reliability_gui import apps, isolated, new_app, sample_file  # noqa: F401

TEXT = "The minister said the report was wrong. The agency disagreed."


def labelled(path: Path) -> tuple[Project, str, list[str]]:
    """An open project with one document and two acknowledged annotations."""
    project = Project.open(path)
    document = project.import_bundle(ImportedBundle([ImportedDocument(TEXT, "T")])).added[0].id
    ids = [
        project.add_annotation(document, "Claim", 4, 12).id,
        project.add_annotation(document, "Quote", 13, 17).id,
    ]
    return project, document, ids


def delete(path: Path) -> None:
    path.unlink()


def move(path: Path) -> None:
    path.rename(path.with_name("moved.annot"))


def replace_with_another_project(path: Path) -> None:
    other = path.with_name("other.annot")
    Project.open(other).close()
    os.replace(other, path)


def overwrite_with_foreign_sqlite(path: Path) -> None:
    foreign = make_foreign_sqlite(path.with_name("foreign.db"))
    with path.open("r+b") as handle:  # same inode, other content (as `cp foreign.db p.annot`)
        handle.truncate(0)
        handle.write(foreign.read_bytes())


CHANGES = {
    "deleted": (delete, "deleted or moved away"),
    "moved": (move, "deleted or moved away"),
    "replaced": (replace_with_another_project, "replaced by another file"),
    "overwritten": (overwrite_with_foreign_sqlite, "overwritten with another program's database"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_write_after_the_file_changed_is_refused_and_save_as_rescues_all(
    tmp_path: Path, change: str
) -> None:
    path = tmp_path / "p.annot"
    project, document, ids = labelled(path)
    make_change, fragment = CHANGES[change]
    make_change(path)
    there = sorted(p.name for p in tmp_path.iterdir())
    replacement = path.read_bytes() if path.exists() else None
    with pytest.raises(identity.FileReplaced) as caught:
        project.add_annotation(document, "Claim", 18, 24)
    assert str(caught.value).startswith(f"{path}: the project file was ")
    assert fragment in str(caught.value) and "the change was not saved" in str(caught.value)
    # Saving stops: every later write is refused too, and nothing appears at the path.
    assert project.read_only_reason == identity.STOPPED
    with pytest.raises(ProjectError, match="is open read-only"):
        project.set_document_status(document, "done")  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == there
    assert (path.read_bytes() if path.exists() else None) == replacement  # not touched
    if change == "overwritten":  # its pages were overwritten in place: no copy is whole
        with pytest.raises(
            ProjectError,
            match="no copy could be made .what the open connection still reads is damaged",
        ):
            rescue.save_as(project, tmp_path / "rescued.annot")
        assert sorted(p.name for p in tmp_path.iterdir()) == there
        assert path.read_bytes() == replacement
        project.close()  # (SQLite's checkpoint on closing still writes the WAL into the inode)
        return
    # What was acknowledged is still readable, and Save As copies it into a new project.
    assert [a.id for a in project.annotations()] == ids
    saved = rescue.save_as(project, tmp_path / "rescued.annot")
    project.close()
    with Project.open(saved) as copy:
        assert [a.id for a in copy.annotations()] == ids
        copy.add_annotation(document, "Claim", 18, 24)  # an ordinary, writable project
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(rescue.SAVING_SUFFIX)] == []


def test_an_unchanged_file_writes_as_before_and_a_copy_is_a_project(tmp_path: Path) -> None:
    project, document, ids = labelled(tmp_path / "p.annot")
    project.add_annotation(document, "Claim", 18, 24)
    copy = rescue.save_as(project, tmp_path / "copy.annot")
    with pytest.raises(ProjectError, match="already exists; choose a new name"):
        rescue.save_as(project, copy)
    project.close()
    with Project.open(copy) as opened:
        assert len(opened.annotations()) == 3


def test_no_new_connection_makes_an_empty_project_where_the_old_one_was(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    project, _document, _ids = labelled(path)
    delete(path)
    project._engine.dispose()  # no connection left open: the next read would need a new one
    with pytest.raises(identity.FileReplaced):
        project.documents()
    assert not path.exists()
    with pytest.raises(ProjectError, match="no copy could be made: the project file was deleted"):
        rescue.save_as(project, tmp_path / "rescued.annot")
    assert not path.exists()


def test_no_rolling_backup_of_a_file_that_replaced_the_project(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    project, _document, _ids = labelled(path)
    backups.make_backup(path)
    replace_with_another_project(path)
    with pytest.raises(identity.FileReplaced):
        backups.rolling_backup(project, now=None, min_interval=backups.timedelta(0))
    assert len(backups.list_backups(path)) == 1
    project.close()


def test_a_command_line_writer_gets_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.annot"
    Project.open(path).close()
    opened = Project.open

    def open_then_lose_the_file(*args: object, **kwargs: object) -> Project:
        project = opened(*args, **kwargs)  # type: ignore[arg-type]
        move(path)  # another program moves it away between opening and the first write
        return project

    monkeypatch.setattr(Project, "open", open_then_lose_the_file)
    assert main(["labels", str(path), "--template", "news-entities"]) == 2
    assert capsys.readouterr().err == (
        f"annotator: error: {path}: the project file was deleted or moved away while open; the "
        "change was not saved, and nothing more will be saved to it\n"
    )
    assert not path.exists()


# -- the window -----------------------------------------------------------------------------------


def test_the_window_stops_saving_says_so_and_save_as_carries_on(
    apps,  # noqa: F811 (the fixture imported above)
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = sample_file(tmp_path / "p.annot")
    app = new_app(apps)
    window = app._open_path(path, create=False)
    assert window is not None
    select_text(window, "Tier 2")
    window.label_selection("Tier rating")  # acknowledged: "All changes saved"
    (kept,) = window.ctx.project.annotations()
    shutil.move(path, tmp_path / "elsewhere.annot")
    select_text(window, "Cambodia")
    window.label_selection("Claim")
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert [b.windowTitle() for b in boxes] == ["Project file gone"]
    (box,) = boxes
    assert "deleted or moved away while open" in box.informativeText()
    assert window.ctx.undo_stack.count() == 1  # the refused label left no step behind
    assert window.saved.text() == "Read-only" and window.saved.toolTip() == identity.STOPPED
    assert window.notice.isVisible() and identity.STOPPED in window.notice.label.text()
    assert [a.id for a in window.ctx.project.annotations()] == [kept.id]
    assert not path.exists()
    target = tmp_path / "rescued.annot"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    (save,) = [b for b in box.buttons() if b.text() == "Save As…"]
    save.click()
    assert app.window is not window and app.window is not None
    assert app.window.ctx.project.path == target and not app.window.ctx.project.read_only
    assert [a.id for a in app.window.ctx.project.annotations()] == [kept.id]
    select_text(app.window, "Cambodia")
    app.window.label_selection("Claim")  # saving again, into the new file
    assert len(app.window.ctx.project.annotations()) == 2
    assert not path.exists()


def window_with_a_label(apps, tmp_path: Path):  # noqa: F811 (the fixture imported above)
    """The sample project at tmp_path/p.annot open in a new window, a Tier rating labelled."""
    path = sample_file(tmp_path / "p.annot")
    app = new_app(apps)
    window = app._open_path(path, create=False)
    assert window is not None
    select_text(window, "Tier 2")
    window.label_selection("Tier rating")  # acknowledged: "All changes saved"
    return path, app, window


def test_file_save_as_copies_a_healthy_project_and_carries_on_there(
    apps,  # noqa: F811 (the fixture imported above)
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, app, window = window_with_a_label(apps, tmp_path)
    target = tmp_path / "copy.annot"
    offered: list[str] = []

    def choose(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    window.actions_by_name["save_as"].trigger()
    assert offered == [str(tmp_path / "p (copy).annot")]
    assert app.window is not None and app.window.ctx.project.path == target
    assert len(app.window.ctx.project.annotations()) == 1
    with Project.open(path, read_only=True) as original:  # the original stays as it was
        assert len(original.annotations()) == 1


def test_file_send_a_copy_writes_one_whole_file_and_the_window_stays_on_the_original(
    apps,  # noqa: F811 (the fixture imported above)
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, app, window = window_with_a_label(apps, tmp_path)
    every = sorted(a.id for a in window.ctx.project.annotations())
    (tmp_path / "mailed").mkdir()
    target = tmp_path / "mailed" / "copy.annot"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions_by_name["send_copy"].trigger()
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.annot"]  # one file
    assert target.read_bytes()[18:20] == b"\x01\x01"  # and stays one: no WAL mode
    assert app.window is window and window.ctx.project.path == path
    with Project.open(target, read_only=True) as copy:
        assert sorted(a.id for a in copy.annotations()) == every
    assert "copy.annot" in window.statusBar().currentMessage()
    select_text(window, "Cambodia")
    window.label_selection("Claim")  # the window still saves to the original
    assert window.saved.text() == "All changes saved"
    with Project.open(path, read_only=True) as original:
        assert len(original.annotations()) == len(every) + 1


def test_send_a_copy_onto_the_project_itself_is_refused_and_changes_nothing(
    apps,  # noqa: F811 (the fixture imported above)
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = sample_file(tmp_path / "p.annot")
    app = new_app(apps)
    window = app._open_path(path, create=False)
    assert window is not None
    count = len(window.ctx.project.annotations())
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *a: warnings.append((title, text))
    )
    window.actions_by_name["send_copy"].trigger()
    assert len(warnings) == 1 and warnings[0][0] == "Send a Copy"
    assert str(path) in warnings[0][1] and "\n" not in warnings[0][1]
    assert app.window is window and len(window.ctx.project.annotations()) == count
