"""Scroll the reader through the whole document, page by page, timing every frame."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QPlainTextEdit

from benchmarks.generate import Size
from benchmarks.harness import (
    Workspace,
    discard,
    document_text,
    main_window,
    paint,
    qt_app,
    settle,
)
from benchmarks.rows import Row, Scenario, Target, median

FRAME = Target(max_value=16)


def scroll_frames(edit: QPlainTextEdit) -> list[float]:
    """Milliseconds of each frame: scroll bar value += pageStep, viewport repaint, events."""
    app = qt_app()
    bar = edit.verticalScrollBar()
    bar.setValue(0)
    settle()
    frames: list[float] = []
    while bar.value() < bar.maximum():
        start = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        edit.viewport().repaint()
        app.processEvents()
        frames.append((time.perf_counter() - start) * 1000)
    return frames


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """``repeat`` passes, each in a freshly opened window (no layout cached from a pass before)."""
    path = ws.project(size)
    _, text = document_text(path)
    app_worst: list[float] = []
    bare_worst: list[float] = []
    app_frames: list[float] = []
    bare_frames: list[float] = []
    pages = 0
    for _ in range(repeat):
        with main_window(ws, path) as window:
            frames = scroll_frames(window.reader)
            reader_size = window.reader.size()
        pages = len(frames)
        app_worst.append(max(frames))
        app_frames.extend(frames)
        edit = QPlainTextEdit()
        edit.resize(reader_size)
        edit.setPlainText(text)
        paint(edit)
        frames = scroll_frames(edit)
        discard(edit)
        bare_worst.append(max(frames))
        bare_frames.extend(frames)
    return [
        Row(
            "scroll page by page: worst frame",
            size.label,
            repeat,
            median(app_worst),
            baseline=median(bare_worst),
            target=FRAME,
            note=f"median over passes of each pass's worst frame; worst of all "
            f"{max(app_worst):.1f} ms; {pages} pages a pass",
        ),
        Row(
            "scroll page by page: median frame",
            size.label,
            repeat,
            median(app_frames),
            baseline=median(bare_frames),
            note="every frame of every pass",
        ),
    ]


SCENARIOS = [Scenario("scroll", run, ("large",), 3)]
