"""Peak memory of the REFI-QDA export, which streams documents into the zip (issue 12).

Each figure is the peak RSS of its own subprocess (started through bench_memory's launcher, so
it does not inherit this process's peak): the app exporting the 10-document corpus as ``qdpx``,
against a process that only holds every document with its annotations at once (what the
exporter did before it streamed: ``list(data.documents)``, before building any XML). The target
is to stay below that: the texts are never all in memory together.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.bench_memory import measure_module, peak_rss_mb
from benchmarks.rows import Row, Scenario, Target, median

if TYPE_CHECKING:
    from benchmarks.generate import Size
    from benchmarks.harness import Workspace

DOCUMENTS = 10
TARGET = Target(max_ratio=1)


def probe_export(project_path: str, target: str) -> float:
    from annotator.service import export_to
    from annotator.store.project import Project

    with Project.open(Path(project_path), read_only=True) as project:
        export_to(project, "qdpx", Path(target))
    return peak_rss_mb()


def probe_listed(project_path: str) -> float:
    from annotator.service import documents_with_annotations
    from annotator.store.project import Project

    with Project.open(Path(project_path), read_only=True) as project:
        held = list(documents_with_annotations(project))
        assert held
    return peak_rss_mb()


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    path = ws.project(size.split(DOCUMENTS // 2), DOCUMENTS)
    app_mb: list[float] = []
    bare_mb: list[float] = []
    for _ in range(repeat):
        target = ws.fresh_dir("qdpx") / "project.qdpx"
        app_mb.append(
            measure_module("benchmarks.bench_interchange", "export", str(path), str(target))
        )
        bare_mb.append(measure_module("benchmarks.bench_interchange", "listed", str(path)))
    each = size.split(DOCUMENTS // 2)
    return [
        Row(
            "peak RSS, qdpx export",
            f"{DOCUMENTS} documents, {DOCUMENTS * each.spans:,} annotations",
            repeat,
            median(app_mb),
            unit="MiB",
            baseline=median(bare_mb),
            target=TARGET,
            note="each in its own process; baseline: every document with its annotations "
            "held at once (the exporter before it streamed), no XML built",
        )
    ]


SCENARIOS = [Scenario("qdpx", run, ("large",), 3)]

if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    print(probe_export(*rest) if kind == "export" else probe_listed(*rest))
