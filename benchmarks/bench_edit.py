"""One label keystroke (stored and repainted) and its undo, at the largest size."""

from __future__ import annotations

import re
import sqlite3
import uuid
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from annotator.core.offsets import OffsetMap
from annotator.gui.main_window import MainWindow
from benchmarks.generate import Size
from benchmarks.harness import (
    Workspace,
    discard,
    document_text,
    elapsed_ms,
    main_window,
    paint,
    qt_app,
)
from benchmarks.rows import Row, Scenario, Target, median

FRAME = Target(max_value=16)
WARMUP = 2
_PHRASE = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]+){1,2}")


def phrases(text: str, count: int) -> list[tuple[int, int]]:
    """``count`` word phrases spread evenly through ``text`` (code points)."""
    found = []
    for n in range(count):
        match = _PHRASE.search(text, len(text) * n // count) or _PHRASE.search(text)
        assert match is not None
        found.append(match.span())
    return found


def select(edit: QPlainTextEdit, offsets: OffsetMap, start: int, end: int) -> None:
    """Select ``start..end`` through a QTextCursor, scrolled into view and painted (untimed)."""
    cursor = QTextCursor(edit.document())
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.centerCursor()
    edit.viewport().repaint()
    qt_app().processEvents()


def repaint(edit: QPlainTextEdit) -> None:
    edit.viewport().repaint()
    qt_app().processEvents()


def app_edits(window: MainWindow, ranges: list[tuple[int, int]]) -> tuple[list[float], ...]:
    """Label each range as the key does, then undo it; milliseconds of each."""
    reader, stack = window.reader, window.ctx.undo_stack
    label = window.ctx.labels()[0].name
    label_ms: list[float] = []
    undo_ms: list[float] = []
    for start, end in ranges:
        select(reader, reader.offsets, start, end)
        index = stack.index()
        label_ms.append(elapsed_ms(lambda: (window.label_selection(label), repaint(reader))))
        assert stack.index() == index + 1, "the keystroke stored nothing"
        undo_ms.append(elapsed_ms(lambda: (stack.undo(), repaint(reader))))
        assert stack.index() == index
    return label_ms, undo_ms


class BareEditor:
    """The bare cost: one raw sqlite3 transaction (same pragmas as the app) and a plain
    QPlainTextEdit showing the span as an extra selection, repainted."""

    def __init__(self, path: Path, text: str, document_id: str, size: QSize) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.connection.execute(f"PRAGMA {pragma}")
        self.label_id = self.connection.execute("SELECT min(id) FROM labels").fetchone()[0]
        self.text, self.document_id = text, document_id
        self.offsets = OffsetMap(text)
        self.edit = QPlainTextEdit()
        self.edit.resize(size)
        self.edit.setPlainText(text)
        paint(self.edit)

    def label(self, start: int, end: int) -> str:
        span_id = str(uuid.uuid4())
        self._write(
            'INSERT INTO annotations (id, document_id, label_id, start, "end", text, attributes,'
            " note, annotator, created, modified) VALUES (?, ?, ?, ?, ?, ?, '{}', '', '', ?, ?)",
            (
                span_id,
                self.document_id,
                self.label_id,
                start,
                end,
                self.text[start:end],
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
        )
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self.edit.textCursor()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#e0a030"))
        selection.format = fmt
        self.edit.setExtraSelections([selection])
        repaint(self.edit)
        return span_id

    def undo(self, span_id: str) -> None:
        self._write("DELETE FROM annotations WHERE id = ?", (span_id,))
        self.edit.setExtraSelections([])
        repaint(self.edit)

    def _write(self, sql: str, parameters: tuple[object, ...]) -> None:
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute(sql, parameters)
        self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()
        discard(self.edit)


def bare_edits(editor: BareEditor, ranges: list[tuple[int, int]]) -> tuple[list[float], ...]:
    label_ms: list[float] = []
    undo_ms: list[float] = []
    for start, end in ranges:
        select(editor.edit, editor.offsets, start, end)
        ids: list[str] = []
        label_ms.append(elapsed_ms(lambda: ids.append(editor.label(start, end))))  # noqa: B023
        undo_ms.append(elapsed_ms(lambda: editor.undo(ids[0])))  # noqa: B023
    return label_ms, undo_ms


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """``repeat`` keystrokes at different places, each undone; the first WARMUP untimed."""
    path = ws.project(size)
    document_id, text = document_text(path)
    ranges = phrases(text, WARMUP + repeat)
    with main_window(ws, path) as window:
        reader_size = window.reader.size()
        label_ms, undo_ms = app_edits(window, ranges)
    editor = BareEditor(ws.project(size), text, document_id, reader_size)
    try:
        bare_label, bare_undo = bare_edits(editor, ranges)
    finally:
        editor.close()
    return [
        Row(
            "label keystroke → stored + repainted",
            size.label,
            repeat,
            median(label_ms[WARMUP:]),
            baseline=median(bare_label[WARMUP:]),
            target=FRAME,
            note=f"slowest {max(label_ms[WARMUP:]):.1f} ms",
        ),
        Row(
            "undo of that label + repaint",
            size.label,
            repeat,
            median(undo_ms[WARMUP:]),
            baseline=median(bare_undo[WARMUP:]),
            target=FRAME,
            note=f"slowest {max(undo_ms[WARMUP:]):.1f} ms",
        ),
    ]


SCENARIOS = [Scenario("edit", run, ("large",), 25)]
