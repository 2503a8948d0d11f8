"""Open a project and paint the window once, against a bare QPlainTextEdit and raw sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPlainTextEdit

from annotator.gui.main_window import MainWindow
from annotator.store.project import Project
from benchmarks.generate import Size
from benchmarks.harness import (
    ANNOTATION_SQL,
    Workspace,
    discard,
    elapsed_ms,
    open_window,
    paint,
)
from benchmarks.rows import Row, Scenario, Target, median

TARGET = Target(max_ratio=1.5)


def open_app(ws: Workspace, path: Path) -> tuple[float, QSize]:
    """Milliseconds from Project.open to the first paint of the main window; the reader's size."""
    settings = ws.settings()
    opened: list[tuple[Project, MainWindow]] = []

    def action() -> None:
        project = Project.open(path)
        opened.append((project, open_window(project, settings)))

    ms = elapsed_ms(action)
    project, window = opened[0]
    reader_size = window.reader.size()
    discard(window)
    project.close()
    return ms, reader_size


def open_bare(path: Path, size: QSize) -> float:
    """The bare cost: raw sqlite3 reads the text and the same annotation rows, a plain
    QPlainTextEdit of the reader's size shows the text and paints once."""
    edits: list[QPlainTextEdit] = []

    def action() -> None:
        connection = sqlite3.connect(path)
        document_id, text = connection.execute(
            "SELECT d.id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id "
            "ORDER BY d.position LIMIT 1"
        ).fetchone()
        rows = connection.execute(ANNOTATION_SQL, (document_id,)).fetchall()
        connection.close()
        edit = QPlainTextEdit()
        edit.resize(size)
        edit.setPlainText(text)
        paint(edit)
        edits.append(edit)
        assert rows

    ms = elapsed_ms(action)
    discard(edits[0])
    return ms


def empty_project(ws: Workspace) -> Path:
    path = ws.fresh_dir("empty") / "empty.annot"
    Project.open(path).close()
    return path


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """``repeat`` interleaved runs of each, after one untimed warm-up of each. The window on an
    empty project (its fixed cost: menus, docks, tables) is timed too, for the notes."""
    path, empty = ws.project(size), empty_project(ws)
    _, reader_size = open_app(ws, path)
    open_bare(path, reader_size)
    open_app(ws, empty)
    app_ms: list[float] = []
    bare_ms: list[float] = []
    empty_ms: list[float] = []
    for _ in range(repeat):
        app_ms.append(open_app(ws, path)[0])
        bare_ms.append(open_bare(path, reader_size))
        empty_ms.append(open_app(ws, empty)[0])
    return [
        Row(
            "open + show document + first paint",
            size.label,
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=TARGET,
            note=f"the window on an empty project alone: {median(empty_ms):.0f} ms",
        )
    ]


SCENARIOS = [Scenario("open", run, ("small", "medium", "large"), 5)]
