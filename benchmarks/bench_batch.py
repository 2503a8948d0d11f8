"""Batch import of many small text articles, each in its own transaction (as File → Import)."""

from __future__ import annotations

import hashlib
import sqlite3
import time
import uuid
from pathlib import Path

from annotator import service
from annotator.store.project import Project
from benchmarks.generate import LARGEST, Size, write_articles
from benchmarks.harness import Workspace, copy_database
from benchmarks.rows import Row, Scenario, median

FULL_COUNT = 500  # articles at the largest size; scaled down with the size


def article_count(size: Size) -> int:
    return max(5, FULL_COUNT * size.spans // LARGEST.spans)


def app_import(target: Path, paths: list[Path]) -> list[float]:
    """service.import_files with a progress callback; milliseconds per file."""
    stamps: list[float] = []

    def progress(_index: int, outcome: service.ImportOutcome) -> bool:
        stamps.append(time.perf_counter())
        assert outcome.outcome is service.Outcome.IMPORTED, outcome.message
        return True

    with Project.open(target) as project:
        start = time.perf_counter()
        service.import_files(project, paths, progress)
    return [(b - a) * 1000 for a, b in zip([start, *stamps], stamps, strict=False)]


def bare_import(target: Path, paths: list[Path]) -> list[float]:
    """The bare cost per file: read and decode it, hash it, one raw sqlite3 INSERT transaction
    (same pragmas as the app)."""
    connection = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    times = []
    try:
        for position, path in enumerate(paths):
            start = time.perf_counter()
            text = path.read_bytes().decode("utf-8")
            connection.execute("BEGIN IMMEDIATE")
            document_id = str(uuid.uuid4())
            connection.execute(
                "INSERT INTO documents (id, title, source, metadata, length, sha256, "
                "created, status, position) VALUES (?, ?, ?, '{}', ?, ?, ?, 'new', ?)",
                (
                    document_id,
                    path.stem,
                    str(path),
                    len(text),
                    hashlib.sha256(text.encode()).hexdigest(),
                    "2026-01-01T00:00:00Z",
                    position,
                ),
            )
            connection.execute(
                "INSERT INTO document_texts (document_id, text) VALUES (?, ?)",
                (document_id, text),
            )
            connection.execute("COMMIT")
            times.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()
    return times


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """``repeat`` imports of the same articles, each into a new project (plus one warm-up)."""
    paths = write_articles(ws.fresh_dir("articles"), article_count(size))
    empty = ws.fresh_dir("empty") / "empty.annot"
    Project.open(empty).close()
    app_files: list[float] = []
    bare_files: list[float] = []
    app_totals: list[float] = []
    bare_totals: list[float] = []
    for n in range(repeat + 1):
        target = ws.fresh_dir("batch") / "batch.annot"
        copy_database(empty, target)
        app = app_import(target, paths)
        bare_target = ws.fresh_dir("bare-batch") / "bare.annot"
        copy_database(empty, bare_target)
        bare = bare_import(bare_target, paths)
        if n:
            app_files += app
            bare_files += bare
            app_totals.append(sum(app))
            bare_totals.append(sum(bare))
    what = f"{len(paths)} articles, 2–6 KB each"
    return [
        Row(
            "batch import: per article",
            what,
            repeat,
            median(app_files),
            baseline=median(bare_files),
            note="median of the per-file times of all runs",
        ),
        Row("batch import: total", what, repeat, median(app_totals), baseline=median(bare_totals)),
    ]


SCENARIOS = [Scenario("batch", run, ("large",), 3)]
