"""Open a window on a document whose spans are related in pairs (100k relations on the
10 MB / 200k-span document), against the same project with no relation: open-to-ready time,
peak RSS (issue 25: it took 54 s and 770 MB) and making and undoing one relation there.

Open-to-ready is ``Project.open`` to the window built, its document shown with every annotation
and relation and painted once (the one-step open of :func:`harness.open_window`). Peak RSS is
measured in a process of its own per open (:mod:`bench_memory`'s probe).
"""

from __future__ import annotations

import time
from pathlib import Path

from annotator.store.project import Project
from benchmarks import bench_memory
from benchmarks.generate import Size, build_related
from benchmarks.harness import Workspace, discard, elapsed_ms, main_window, open_window, qt_app
from benchmarks.rows import Row, Scenario, Target, median

TARGET = Target(max_ratio=2)


def related_projects(ws: Workspace, size: Size) -> tuple[Path, Path, int]:
    """(with relations, without, how many relations): the same document and codebook."""
    related = ws.fresh_dir("related") / "related.annot"
    count = build_related(related, size, related=True)
    unrelated = ws.fresh_dir("unrelated") / "unrelated.annot"
    build_related(unrelated, size, related=False)
    return related, unrelated, count


def open_to_ready(ws: Workspace, path: Path, relations: int) -> tuple[float, float]:
    """Milliseconds from Project.open to the window painted with its document's relations:
    wall-clock, and this process's CPU time (steadier when other work shares the machine)."""
    opened: list[tuple[Project, object]] = []
    settings = ws.settings()

    def action() -> None:
        project = Project.open(path)
        opened.append((project, open_window(project, settings)))

    cpu = time.process_time()
    ms = elapsed_ms(action)
    cpu_ms = (time.process_time() - cpu) * 1000
    project, window = opened[0]
    assert len(window.reader.relations) == relations  # all of them known, none skipped
    discard(window)
    project.close()
    return ms, cpu_ms


def relate_and_undo(ws: Workspace, path: Path, repeat: int) -> list[float]:
    """Milliseconds of making one relation (R's command, pushed) and undoing it, each with the
    reader repainted, ``repeat`` times after one untimed warm-up."""
    from annotator.gui.commands import AddRelation
    from annotator.gui.undo import push

    app = qt_app()
    times: list[float] = []
    with main_window(ws, path) as window:
        ctx, spans = window.ctx, window.reader.annotations_in_order()
        source, target = spans[1], spans[4]  # not related yet: relations join 0-1, 2-3, ...

        def relate() -> None:
            assert push(ctx, AddRelation(ctx, "related", source, target))
            window.reader.viewport().repaint()
            app.processEvents()

        def undo() -> None:
            ctx.undo_stack.undo()
            window.reader.viewport().repaint()
            app.processEvents()

        relate()
        undo()
        for _ in range(repeat):
            times.append(elapsed_ms(relate) + elapsed_ms(undo))
    return times


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """``repeat`` interleaved opens of each, after one untimed warm-up of each; then the peak
    RSS of each, ``repeat`` processes apiece."""
    related, unrelated, count = related_projects(ws, size)
    open_to_ready(ws, related, count)
    open_to_ready(ws, unrelated, 0)
    related_ms: list[tuple[float, float]] = []
    unrelated_ms: list[tuple[float, float]] = []
    related_mb: list[float] = []
    unrelated_mb: list[float] = []
    for _ in range(repeat):
        related_ms.append(open_to_ready(ws, related, count))
        unrelated_ms.append(open_to_ready(ws, unrelated, 0))
    for _ in range(repeat):
        for path, peaks in ((related, related_mb), (unrelated, unrelated_mb)):
            settings = ws.settings()  # suggestions off: no child process computing them
            settings.sync()
            peaks.append(bench_memory.measure("app", str(path), settings.fileName()))
    related_edit = relate_and_undo(ws, related, repeat)
    unrelated_edit = relate_and_undo(ws, unrelated, repeat)
    label = f"{size.label}, {count:,} relations"
    return [
        Row(
            "open to ready with relations",
            label,
            repeat,
            median([wall for wall, _ in related_ms]),
            baseline=median([wall for wall, _ in unrelated_ms]),
            target=TARGET,
            note="baseline: the same project with no relation; CPU time "
            f"{median([cpu for _, cpu in related_ms]):,.0f} ms against "
            f"{median([cpu for _, cpu in unrelated_ms]):,.0f} ms",
        ),
        Row(
            "make a relation and undo it, among relations",
            label,
            repeat,
            median(related_edit),
            baseline=median(unrelated_edit),
            target=TARGET,
            note="each step repainted; baseline: the same in the project with no relation",
        ),
        Row(
            "peak RSS, open with relations",
            label,
            repeat,
            median(related_mb),
            unit="MiB",
            baseline=median(unrelated_mb),
            target=TARGET,
            note="each in its own process; baseline: the same project with no relation",
        ),
    ]


SCENARIOS = [Scenario("open-relations", run, ("huge",), 3)]
