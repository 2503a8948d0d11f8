"""Scroll the reader through the whole document, page by page, timing every frame; once more with
a relation for every ten spans drawn as arcs (5k on the 5 MB / 50k-span document)."""

from __future__ import annotations

import random
import time
from pathlib import Path

from PySide6.QtWidgets import QPlainTextEdit

from annotator.core import model
from annotator.core.labels import RelationTypeDef
from annotator.store import codebook, relation_rows
from annotator.store.project import Project, new_id
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


RELATED = RelationTypeDef("related", "#e05a5a", description="Any two spans (benchmark)")


def add_relations(path: Path, count: int, seed: int = 3) -> int:
    """Relate ``count`` pairs of nearby spans (a few lines apart at most, as in real articles,
    some spanning pages); returns how many were added."""
    rng = random.Random(seed)
    with Project.open(path) as project:
        codebook.add_relation_type(project, RELATED)
        spans = project.annotations()
        step = max(1, len(spans) // count)
        relations = []
        now = model.timestamp()
        for n in range(min(count, len(spans) - 1)):
            source = spans[min(len(spans) - 2, n * step)]
            reach = rng.choice((1, 2, 3, 5, 8, 30))  # mostly neighbours, sometimes far
            target = spans[min(len(spans) - 1, n * step + reach)]
            relations.append(
                model.Relation(
                    new_id(),
                    source.document_id,
                    RELATED.name,
                    source.id,
                    target.id,
                    {},
                    "",
                    "",
                    now,
                    now,
                )
            )
        with project.transaction() as s:
            relation_rows.restore(s, relations)
        return len(relations)


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """``repeat`` passes, each in a freshly opened window (no layout cached from a pass before)."""
    return _run(ws, size, repeat, relations=False)


def run_with_relations(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """As :func:`run`, with a relation per ten spans drawn over the text."""
    return _run(ws, size, repeat, relations=True)


def _run(ws: Workspace, size: Size, repeat: int, relations: bool) -> list[Row]:
    path = ws.project(size)
    related = add_relations(path, size.spans // 10) if relations else 0
    suffix = f" with {related:,} relations" if relations else ""
    _, text = document_text(path)
    app_worst: list[float] = []
    bare_worst: list[float] = []
    app_frames: list[float] = []
    bare_frames: list[float] = []
    pages = 0
    for _ in range(repeat):
        with main_window(ws, path) as window:
            assert len(window.reader.relations) == related  # drawn, not silently skipped
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
            f"scroll page by page{suffix}: worst frame",
            size.label,
            repeat,
            median(app_worst),
            baseline=median(bare_worst),
            target=FRAME,
            note=f"median over passes of each pass's worst frame; worst of all "
            f"{max(app_worst):.1f} ms; {pages} pages a pass",
        ),
        Row(
            f"scroll page by page{suffix}: median frame",
            size.label,
            repeat,
            median(app_frames),
            baseline=median(bare_frames),
            note="every frame of every pass",
        ),
    ]


SCENARIOS = [
    Scenario("scroll", run, ("large",), 3),
    Scenario("scroll-relations", run_with_relations, ("large",), 3),
]
