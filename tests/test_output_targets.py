"""Every output the user names goes through the one target check exports use, and every input
the user names is a regular file (issue 25, item 2).

A report, the suggestions JSON, a patterns or labels export aimed at the open project, at its
``-wal`` or through a symbolic link is refused (exit 2, one line naming the file) with the project
and the linked file byte-for-byte as they were. A FIFO, device, socket or folder given as a
project, an article, a label, pattern or gold file or a merge source is refused before it is
opened (a FIFO opened for reading waits for a writer forever).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.core.suggest.patterns import make_pattern
from annotator.store import suggestion_store
from annotator.store.project import Project
from tests.helpers.interchange import build

CHILD_TIMEOUT = 60  # s; the fixed program answers in about one; a regression hangs visibly


@pytest.fixture
def rich_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        build(project)
        suggestion_store.add_patterns(project, [make_pattern("Claim", "phrase", "Cambodia")])
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _still_whole(path: Path) -> None:
    with Project.open(path, create=False) as project:
        assert len(project.documents()) == 2
        assert project.annotation_counts()
        assert suggestion_store.patterns(project)


# Each writer as the command line gives it, with the target last.
WRITERS = {
    "report html": ["report", "{project}", "-o"],
    "report pdf": ["report", "{project}", "--format", "pdf", "-o"],
    "suggest": ["suggest", "{project}", "-o"],
    "patterns --export": ["patterns", "{project}", "--export"],
    "labels --export": ["labels", "{project}", "--export"],
    "export": ["export", "{project}", "--format", "csv", "-o"],
}


def _command(writer: str, project: Path, target: Path) -> list[str]:
    return [part.format(project=project) for part in WRITERS[writer]] + [str(target)]


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("what", ["the project", "its -wal", "its -journal"])
def test_a_writer_aimed_at_the_project_is_refused(
    rich_path: Path, writer: str, what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = {
        "the project": rich_path,
        "its -wal": rich_path.with_name(rich_path.name + "-wal"),
        "its -journal": rich_path.with_name(rich_path.name + "-journal"),
    }[what]
    before = _digest(rich_path)
    assert main(_command(writer, rich_path, target)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"annotator: error: {target}: is the open ")
    assert "would destroy it" in err
    assert _digest(rich_path) == before
    if what != "the project":
        assert not target.exists()
    _still_whole(rich_path)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_writer_aimed_at_a_symbolic_link_leaves_the_linked_file(
    rich_path: Path, tmp_path: Path, writer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "mine.txt"
    real.write_text("my own notes\n", encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to(real)
    assert main(_command(writer, rich_path, link)) == 2
    err = capsys.readouterr().err
    assert err == (
        f"annotator: error: {link}: is a symbolic link; an export replaces only a regular "
        "file: choose a file name\n"
    )
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "my own notes\n"
    _still_whole(rich_path)


def test_a_writer_aimed_at_a_link_to_the_project_is_refused(
    rich_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "patterns.jsonl"
    link.symlink_to(rich_path)
    before = _digest(rich_path)
    assert main(["patterns", str(rich_path), "--export", str(link)]) == 2
    assert "is the open project" in capsys.readouterr().err
    assert _digest(rich_path) == before and link.is_symlink()


def test_the_writers_still_write_a_new_or_regular_file(rich_path: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.jsonl"
    old.write_text("old", encoding="utf-8")
    assert main(["patterns", str(rich_path), "--export", str(old)]) == 0
    assert json.loads(old.read_text(encoding="utf-8"))["pattern"] == "Cambodia"
    assert main(["suggest", str(rich_path), "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["documents"]
    assert main(["report", str(rich_path), "-o", str(tmp_path / "r.html")]) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_patterns_export_leaves_no_half_file(
    rich_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator import suggest_service

    target = tmp_path / "patterns.jsonl"
    target.write_text("before\n", encoding="utf-8")

    def unwritable(_patterns: object) -> str:  # fails as the text is encoded, i.e. written
        return '{"label": "Claim", "pattern": "' + "x" * 100_000 + '\ud800"}\n'

    monkeypatch.setattr(suggest_service, "to_jsonl", unwritable)
    with Project.open(rich_path) as project, pytest.raises(UnicodeEncodeError):
        suggest_service.export_patterns(project, target)
    assert target.read_text(encoding="utf-8") == "before\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_save_as_onto_the_projects_wal_is_refused(rich_path: Path) -> None:
    from annotator import service

    wal = rich_path.with_name(rich_path.name + "-wal")
    with Project.open(rich_path) as project:
        wal.unlink(missing_ok=True)  # as after a checkpoint on another system
        with pytest.raises(AnnotatorError, match="is the open project's -wal file"):
            service.save_as(project, wal)
    assert not wal.exists()
    _still_whole(rich_path)


# -- the window's writers -----------------------------------------------------------------------


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    seen: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *_a: seen.append(text)
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: seen.append("saved"))
    return seen


@pytest.fixture
def rich_window(make_window, rich_path: Path) -> Iterator[object]:
    with Project.open(rich_path) as project:
        yield make_window(project)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_the_report_dialog_refuses_the_project(
    qtbot, rich_window, fmt: str, suffix: str, warnings: list[str]
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.gui.report_dialog import ReportDialog

    path = rich_window.ctx.project.path
    target = path.with_name(path.name + suffix)
    counts = rich_window.ctx.project.annotation_counts()
    before = path.stat().st_ino, path.stat().st_size
    dialog = ReportDialog(rich_window.ctx, rich_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.target.setText(str(target))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1 and warnings[0].startswith(f"{target}: is the open project")
    assert dialog.isVisible() and getattr(dialog, "saved_to", None) is None
    assert (path.stat().st_ino, path.stat().st_size) == before
    assert rich_window.ctx.project.annotation_counts() == counts
    rich_window.ctx.project.close()
    _still_whole(path)


def test_the_patterns_page_export_refuses_the_project_and_links(
    qtbot, rich_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from annotator.gui.codebook_dialog import CodebookDialog

    path = rich_window.ctx.project.path
    real = tmp_path / "mine.txt"
    real.write_text("my own notes\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    dialog = CodebookDialog(rich_window.ctx, rich_window)
    qtbot.addWidget(dialog)
    before = path.stat().st_ino, path.stat().st_size
    for target in (path, path.with_name(path.name + "-wal"), link):
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *_a, t=target, **_k: (str(t), "")
        )
        dialog.patterns_page._export_file()
    assert [w.split(": ")[0] for w in warnings] == [
        str(path),
        str(path.with_name(path.name + "-wal")),
        str(link),
    ]
    assert "is the open project" in warnings[0] and "is a symbolic link" in warnings[2]
    assert (path.stat().st_ino, path.stat().st_size) == before
    assert real.read_text(encoding="utf-8") == "my own notes\n" and link.is_symlink()
    good = tmp_path / "patterns.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(good), ""))
    dialog.patterns_page._export_file()
    assert json.loads(good.read_text(encoding="utf-8"))["pattern"] == "Cambodia"
    rich_window.ctx.project.close()
    _still_whole(path)


def test_the_patterns_page_refuses_a_fifo_to_import(
    qtbot, rich_window, tmp_path: Path, warnings: list[str]
) -> None:
    from annotator.gui.codebook_dialog import CodebookDialog

    fifo = tmp_path / "patterns.jsonl"
    os.mkfifo(fifo)
    dialog = CodebookDialog(rich_window.ctx, rich_window)
    qtbot.addWidget(dialog)
    dialog.patterns_page.import_file(fifo)  # before the fix: waits for a writer forever
    assert warnings == [f"{fifo}: is a FIFO (named pipe), not a regular file"]


# -- inputs that are not regular files ---------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a child process: a FIFO that is opened hangs it (until the timeout
    fails the test) rather than the test session."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from annotator.cli import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.annot"
    os.mkfifo(path)
    return path


def _one_line(result: subprocess.CompletedProcess[str], path: Path, what: str) -> None:
    assert result.stderr == f"annotator: error: {path}: is a FIFO (named pipe), not {what}\n"


@pytest.mark.parametrize("command", ["info", "import", "report", "suggest", "gui"])
def test_a_fifo_as_project_is_refused(fifo: Path, tmp_path: Path, command: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Some text.", encoding="utf-8")
    args = {
        "info": ["info", str(fifo)],
        "import": ["import", str(fifo), str(article)],
        "report": ["report", str(fifo), "-o", str(tmp_path / "r.html")],
        "suggest": ["suggest", str(fifo)],
        "gui": [str(fifo)],
    }[command]
    result = _run(*args)
    assert result.returncode == 2
    _one_line(result, fifo, "a project file")


def test_the_first_look_passes_a_fifo_to_the_normal_open(fifo: Path) -> None:
    from annotator.store import first_look

    assert first_look.reading_uri(fifo) is None  # before the fix: waits for a writer forever
    with pytest.raises(AnnotatorError, match="is a FIFO"):
        Project.open(fifo)


def test_a_fifo_as_merge_source_is_refused(rich_path: Path, fifo: Path) -> None:
    result = _run("merge", str(rich_path), str(fifo))
    assert result.returncode == 2  # "2 all refused", as for a damaged source
    _one_line(result, fifo, "a project file")


def test_a_fifo_as_article_is_refused_and_the_others_imported(
    rich_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    article = tmp_path / "b.txt"
    article.write_text("Another article.", encoding="utf-8")
    result = _run("import", str(rich_path), str(fifo), str(article))
    assert result.returncode == 1  # "1 some failed", as for a missing or unreadable article
    assert result.stderr == f"error: {fifo}: is a FIFO (named pipe), not a regular file\n"
    with Project.open(rich_path, create=False) as project:
        assert len(project.documents()) == 3


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("labels", "codebook.json"),
        ("labels", "codebook.qdc"),
        ("labels", "codebook.csv"),
        ("patterns", "patterns.jsonl"),
        ("evaluate", "gold.json"),
    ],
)
def test_a_fifo_as_label_pattern_or_gold_file_is_refused(
    rich_path: Path, tmp_path: Path, command: str, name: str
) -> None:
    option = "--gold" if command == "evaluate" else "--import"
    fifo = tmp_path / name
    os.mkfifo(fifo)
    before = _digest(rich_path)
    result = _run(command, str(rich_path), option, str(fifo))
    assert result.returncode == 2
    _one_line(result, fifo, "a regular file")
    assert _digest(rich_path) == before


def test_a_folder_as_label_or_pattern_file_is_refused(
    rich_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "codebook.json"
    folder.mkdir()
    for command in ("labels", "patterns"):
        assert main([command, str(rich_path), "--import", str(folder)]) == 2
        assert capsys.readouterr().err == (
            f"annotator: error: {folder}: is a folder, not a regular file\n"
        )


def test_the_screenshot_refuses_a_link_and_the_project(
    rich_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.gui import app as gui_app

    monkeypatch.setattr(rich_window.ctx.project, "close", lambda: None)  # the fixture closes it
    real = tmp_path / "mine.png"
    real.write_bytes(b"my own picture")
    link = tmp_path / "shot.png"
    link.symlink_to(real)
    with pytest.raises(AnnotatorError, match="is a symbolic link"):
        gui_app.screenshot(rich_window, link)
    assert real.read_bytes() == b"my own picture" and link.is_symlink()
    path = rich_window.ctx.project.path
    before = _digest(path)
    with pytest.raises(AnnotatorError, match="is the open project"):
        gui_app.screenshot(rich_window, path)
    assert _digest(path) == before
    shot = tmp_path / "new.png"
    assert gui_app.screenshot(rich_window, shot) == 0
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_file_open_refuses_a_fifo_with_a_dialog(
    qtbot, fifo: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.gui import app as gui_app

    app = gui_app.Application(QApplication.instance())  # type: ignore[arg-type]
    app.choose_and_open(str(fifo))  # File -> Open; before the fix: waits for a writer forever
    assert warnings == [f"{fifo}: is a FIFO (named pipe), not a project file"]
    assert app.window is None and app.lock is None
