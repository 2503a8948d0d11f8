"""Large codebooks: the window opening on a project of 10k / 100k labels, and ``annotator labels
--import`` (``codebook.merge_labels``) of 1k / 5k labels into a project in use.

Both were quadratic once (10k labels took 11 s to open, 100k over 300 s; importing 1,000 labels
took 41 s). Baselines: the same window on the same project with its 4 default labels, and raw
sqlite3 ``executemany`` of the same label rows.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.labels import PALETTE, AttributeDef, AttributeKind, LabelDef
from annotator.store import codebook
from annotator.store.project import Project
from benchmarks.bench_open import open_app
from benchmarks.generate import Size
from benchmarks.harness import Workspace, copy_database, elapsed_ms
from benchmarks.rows import Row, Scenario, Target, median

#: Labels per benchmark size (the smoke test runs "small").
OPEN_LABELS = {"small": 1_000, "medium": 10_000, "large": 100_000}
IMPORT_LABELS = {"small": 1_000, "medium": 5_000, "large": 20_000}
OPEN_TARGET = Target(max_value=10_000)  # "opens in seconds", on a busy machine too
IMPORT_TARGET = Target(max_ratio=10, max_value=5_000)


def codebook_of(count: int, prefix: str = "Topic") -> list[LabelDef]:
    """``count`` labels, each with a choice attribute, in the palette's colours."""
    return [
        LabelDef(
            f"{prefix} {n:06d}",
            PALETTE[n % len(PALETTE)],
            description=f"A topic of the coding scheme, number {n}.",
            attributes=(
                AttributeDef("strength", AttributeKind.CHOICE, ("weak", "moderate", "strong")),
            ),
        )
        for n in range(count)
    ]


def _used_project(ws: Workspace, size: Size) -> Path:
    """The generated project of ``size`` (it has annotations: labels merge, not replace)."""
    return ws.project(size)


def run_open(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    count = OPEN_LABELS[size.name]
    small = ws.project(Size("labels", 20_000, 50))
    many = ws.fresh_dir("many-labels") / "many.annot"
    copy_database(small, many)
    with Project.open(many) as project:
        codebook.merge_labels(project, codebook_of(count))
    open_app(ws, many)  # warm-up, untimed
    open_app(ws, small)
    app_ms: list[float] = []
    bare_ms: list[float] = []
    for _ in range(repeat):
        app_ms.append(open_app(ws, many)[0])
        bare_ms.append(open_app(ws, small)[0])
    return [
        Row(
            f"open the window with {count:,} labels",
            "a 20 KB article",
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=OPEN_TARGET,
            note="baseline: the same project with its 4 default labels",
        )
    ]


def _bare_insert(target: Path, labels: list[LabelDef]) -> float:
    """Raw sqlite3: the label rows and their attribute rows, executemany, one transaction."""
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        first = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM labels").fetchone()[0]
        position = connection.execute("SELECT count(*) FROM labels").fetchone()[0]
        rows = [
            (first + n, label.name, label.color, None, label.description, position + n)
            for n, label in enumerate(labels)
        ]
        attributes = [
            (first + n, "strength", "choice", '["weak", "moderate", "strong"]', 0, None, 0)
            for n in range(len(labels))
        ]

        def insert() -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                "INSERT INTO labels (id, name, color, shortcut, description, "
                "position) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            connection.executemany(
                "INSERT INTO label_attributes (label_id, name, kind, choices, required, "
                '"default", position) VALUES (?, ?, ?, ?, ?, ?, ?)',
                attributes,
            )
            connection.execute("COMMIT")

        return elapsed_ms(insert)
    finally:
        connection.close()


def run_import(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    count = IMPORT_LABELS[size.name]
    labels = codebook_of(count, "Imported")
    source = _used_project(ws, Size("labels", 20_000, 50))
    app_ms: list[float] = []
    bare_ms: list[float] = []
    for n in range(repeat + 1):
        target = ws.fresh_dir("labels-import") / "p.annot"
        copy_database(source, target)
        with Project.open(target) as project:
            app = elapsed_ms(lambda: codebook.merge_labels(project, labels))  # noqa: B023
            assert len(project.labels()) == count + 4
        bare_target = ws.fresh_dir("labels-bare") / "p.annot"
        copy_database(source, bare_target)
        bare = _bare_insert(bare_target, labels)
        if n:  # the first of each is a warm-up
            app_ms.append(app)
            bare_ms.append(bare)
    return [
        Row(
            f"labels --import of {count:,} labels (merge_labels)",
            "into a project in use",
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=IMPORT_TARGET,
            note="baseline: sqlite3 executemany of the same label and attribute rows",
        )
    ]


SCENARIOS = [
    Scenario("labels-open", run_open, ("medium", "large"), 3),
    Scenario("labels-import", run_import, ("small", "medium"), 3),
]
