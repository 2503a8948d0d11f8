"""Exports replace nothing they did not write: not the user's files in a folder, not the open
project, its companions or backups, not a link, FIFO or device (issue 11, items 1 and 2)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.io.registry import EXPORT_FORMATS
from annotator.store import backups
from annotator.store.project import Project
from tests.helpers.interchange import build, export


@pytest.fixture
def rich_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        build(project)
    return path


def _still_whole(path: Path) -> None:
    with Project.open(path, create=False) as project:
        assert len(project.documents()) == 2
        assert project.annotation_counts()


def test_a_brat_export_into_a_folder_of_articles_deletes_nothing(
    rich_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "interview-notes.txt").write_text("my notes", encoding="utf-8")
    (articles / "interview-notes.ann").write_text("T1\tClaim 0 2\tmy\n", encoding="utf-8")
    code = main(["export", str(rich_path), "--format", "brat", "-o", str(articles)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"annotator: error: {articles}: the folder is not empty" in err
    assert "interview-notes" in err and "new or empty folder" in err
    assert sorted(p.name for p in articles.iterdir()) == [
        "interview-notes.ann",
        "interview-notes.txt",
    ]
    assert (articles / "interview-notes.txt").read_text(encoding="utf-8") == "my notes"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_brat_export_writes_into_a_new_or_an_empty_folder_only(
    rich_path: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["export", str(rich_path), "--format", "brat", "-o", str(empty)]) == 0
    assert len(list(empty.glob("*.ann"))) == 2
    edited = next(empty.glob("*.ann"))
    edited.write_text("edited in brat\n", encoding="utf-8")
    # A second export into the first one's folder would replace files the user may have edited.
    assert main(["export", str(rich_path), "--format", "brat", "-o", str(empty)]) == 2
    assert edited.read_text(encoding="utf-8") == "edited in brat\n"
    assert main(["export", str(rich_path), "--format", "brat", "-o", str(tmp_path / "new")]) == 0


def test_a_folder_that_fills_while_exporting_is_not_replaced(
    rich_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.io.brat as brat

    target = tmp_path / "out"
    target.mkdir()
    real = brat._write_conf

    def meanwhile(folder: Path, *args: object) -> None:
        (target / "arrived.txt").write_text("mine", encoding="utf-8")
        real(folder, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(brat, "_write_conf", meanwhile)
    with Project.open(rich_path) as project, pytest.raises(AnnotatorError):
        export(project, "brat", target)
    assert [p.name for p in target.iterdir()] == ["arrived.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "qdpx", "brat"])
def test_an_export_onto_the_project_is_refused(
    rich_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rich_path.read_bytes()
    assert main(["export", str(rich_path), "--format", fmt, "-o", str(rich_path)]) == 2
    assert "is the open project; an export there would destroy it" in capsys.readouterr().err
    assert rich_path.read_bytes() == before
    _still_whole(rich_path)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_an_export_onto_the_projects_companions_is_refused(rich_path: Path, suffix: str) -> None:
    target = rich_path.with_name(rich_path.name + suffix)
    with Project.open(rich_path) as project:
        project.documents()  # the -wal and -shm exist while it is open
        with pytest.raises(AnnotatorError, match=f"the open project's {suffix} file"):
            export(project, "csv", target)
    _still_whole(rich_path)


def test_an_export_onto_the_project_under_another_name_is_refused(
    rich_path: Path, tmp_path: Path
) -> None:
    hard = tmp_path / "hard-link.csv"
    os.link(rich_path, hard)
    soft = tmp_path / "soft-link.csv"
    soft.symlink_to(rich_path)
    other = tmp_path / "sub" / ".." / "p.annot"
    (tmp_path / "sub").mkdir()
    with Project.open(rich_path) as project:
        for target in (hard, soft, other):
            with pytest.raises(AnnotatorError, match="is the open project"):
                export(project, "csv", target)
    assert soft.is_symlink() and os.stat(hard).st_nlink == 2
    _still_whole(rich_path)


def test_an_export_into_the_backups_folder_is_refused(rich_path: Path) -> None:
    made = backups.make_backup(rich_path)
    where = backups.folder(rich_path)
    with Project.open(rich_path) as project:
        with pytest.raises(AnnotatorError, match="is the open project's backups folder"):
            export(project, "brat", where)
        for target in (where / "export.csv", made):
            with pytest.raises(AnnotatorError, match="inside the open project's backups folder"):
                export(project, "csv", target)
    assert [p.path for p in backups.list_backups(rich_path)] == [made]


def test_a_symbolic_link_target_is_not_replaced(rich_path: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with Project.open(rich_path) as project:
        with pytest.raises(AnnotatorError, match="is a symbolic link"):
            export(project, "csv", link)
        with pytest.raises(AnnotatorError, match="is a symbolic link, not a folder"):
            export(project, "brat", link)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep"


def test_a_fifo_target_is_not_replaced(rich_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with Project.open(rich_path) as project:
        for fmt in ("csv", "json", "xlsx"):
            with pytest.raises(AnnotatorError, match="is a FIFO"):
                export(project, fmt, fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_target_is_not_replaced(
    rich_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # like /dev/full
    except (OSError, AttributeError) as exc:
        pytest.skip(f"cannot make a device node here ({exc})")
    assert main(["export", str(rich_path), "--format", "csv", "-o", str(device)]) == 2
    assert "is a device; an export replaces only a regular file" in capsys.readouterr().err
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_regular_file_the_user_named_is_replaced(rich_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old", encoding="utf-8")
    assert main(["export", str(rich_path), "--format", "csv", "-o", str(target)]) == 0
    assert "Cambodia" in target.read_text(encoding="utf-8-sig")


def test_labels_export_onto_the_project_is_refused(
    rich_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rich_path.read_bytes()
    assert main(["labels", str(rich_path), "--export", str(rich_path)]) == 2
    assert "is the open project" in capsys.readouterr().err
    assert rich_path.read_bytes() == before


def test_the_export_dialog_refuses_the_open_project(
    window,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.gui.export_dialog import ExportDialog

    warnings: list[str] = []
    exported: list[object] = []  # the success message, which must not come
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: exported.append(a))
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    path = window.ctx.project.path
    before = path.stat().st_ino, window.ctx.project.annotation_counts()
    dialog = ExportDialog(window.ctx, window)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.target.setText(str(path))
    dialog.export()
    assert len(warnings) == 1 and "is the open project" in warnings[0] and not exported
    assert dialog.isVisible() or dialog.result() == 0
    assert (path.stat().st_ino, window.ctx.project.annotation_counts()) == before


def test_every_folder_format_is_covered() -> None:
    assert [f.name for f in EXPORT_FORMATS.values() if not f.extension] == ["brat"]


def test_the_export_dialog_refuses_a_folder_of_articles_for_brat(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.gui.export_dialog import ExportDialog

    warnings: list[str] = []
    exported: list[object] = []  # the success message, which must not come
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: exported.append(a))
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "interview-notes.txt").write_text("my notes", encoding="utf-8")
    dialog = ExportDialog(window.ctx, window)
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    dialog.target.setText(str(articles))
    dialog.export()
    assert len(warnings) == 1 and "the folder is not empty" in warnings[0] and not exported
    assert [p.name for p in articles.iterdir()] == ["interview-notes.txt"]
    assert (articles / "interview-notes.txt").read_text(encoding="utf-8") == "my notes"


def test_a_project_opened_through_a_link_is_protected_where_it_really_is(
    rich_path: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "link.annot"
    link.symlink_to(rich_path)
    with Project.open(link) as project:
        project.documents()
        for target in (rich_path, rich_path.with_name(rich_path.name + "-wal")):
            with pytest.raises(AnnotatorError, match="the open project"):
                export(project, "csv", target)
    _still_whole(rich_path)
