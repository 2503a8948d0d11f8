"""A project on a PostgreSQL server (loopback): a label keystroke stored and repainted, an export,
and eight writers at once. The server is ``ANNOTATOR_TEST_PG``'s (``.ci/run`` starts one) or a
throw-away cluster started here (``tests/helpers/pg_cluster.py``) and stopped at exit.

- keystroke: the large document (50k spans) in the real window on the server project; each
  keystroke's median against the same keystroke on the SQLite project file (baseline);
- export: ``service.export_to`` JSON of 100k annotations (two large documents) from the server
  against the same export from the file;
- writers: eight processes adding one annotation per transaction for a few seconds; the value is
  their summed throughput, the baseline one writer's alone (reported, no target).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import textwrap
import time
from contextlib import ExitStack
from pathlib import Path

from annotator import service
from annotator.store.merge import merge_project
from annotator.store.project import Project
from benchmarks.bench_edit import FRAME, WARMUP, app_edits, phrases
from benchmarks.generate import Size
from benchmarks.harness import Workspace, discard, elapsed_ms, open_window
from benchmarks.rows import Row, Scenario, Target, median
from tests.helpers import pg_cluster

EXPORT_TARGET = Target(max_ratio=2)
WRITERS = 8
WRITE_SECONDS = 4.0

_servers = ExitStack()
atexit.register(_servers.close)
_server: list[str] = []


def server() -> str:
    """The loopback server's URL (no database), started on first use."""
    if not _server:
        given = os.environ.get(pg_cluster.URL_VARIABLE)
        _server.append(given.rstrip("/") if given else _servers.enter_context(pg_cluster.cluster()))
    return _server[0]


def server_copy(path: Path) -> str:
    """A new database holding the project file at ``path`` (merged in, as `annotator merge`)."""
    url = pg_cluster.new_database(server())
    with Project.open(path, create=False) as source, Project.open(url) as target:
        merge_project(target, source)
    return url


def run_keystroke(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    path = ws.project(size)
    url = server_copy(path)
    results = {}
    try:
        for kind, where in (("file", path), ("server", url)):
            with Project.open(where, create=False) as project:
                window = open_window(project, ws.settings())
                try:
                    document = project.documents()[0].id
                    window.show_document(document)
                    ranges = phrases(window.reader.text, repeat + WARMUP)
                    label_ms, undo_ms = app_edits(window, ranges)
                    results[kind] = (label_ms[WARMUP:], undo_ms[WARMUP:])
                finally:
                    discard(window)
    finally:
        pg_cluster.drop_database(server(), url)
    return [
        Row(
            "server: label keystroke, stored and repainted",
            size.label,
            repeat,
            median(results["server"][0]),
            baseline=median(results["file"][0]),
            target=FRAME,
            note="loopback PostgreSQL; baseline: the same keystroke on the project file",
        ),
        Row(
            "server: undo of the keystroke",
            size.label,
            repeat,
            median(results["server"][1]),
            baseline=median(results["file"][1]),
            target=FRAME,
            note="baseline: the same undo on the project file",
        ),
    ]


def run_export(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    path = ws.project(size, documents=2)
    url = server_copy(path)
    out = ws.fresh_dir("server-export")
    timings: dict[str, list[float]] = {"file": [], "server": []}
    try:
        with Project.open(path, create=False) as file, Project.open(url, create=False) as shared:
            count = len(file.annotations())
            for n in range(repeat + 1):
                for kind, project in (("file", file), ("server", shared)):
                    target = out / f"{kind}-{n}.json"
                    took = elapsed_ms(lambda p=project, t=target: service.export_to(p, "json", t))
                    if n:  # the first is a warm-up
                        timings[kind].append(took)
            same = (out / "file-1.json").read_bytes() == (out / "server-1.json").read_bytes()
    finally:
        pg_cluster.drop_database(server(), url)
    return [
        Row(
            "server: export JSON",
            f"{count // 1000}k annotations ({size.name} ×2)",
            repeat,
            median(timings["server"]),
            baseline=median(timings["file"]),
            target=EXPORT_TARGET,
            note="baseline: the same export from the project file; "
            + ("identical output" if same else "OUTPUT DIFFERS"),
        )
    ]


WRITER = textwrap.dedent(
    """
    import sys, time
    from annotator.store.project import Project

    url, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with Project.open(url, create=False) as project:
        document = project.documents()[0]
        label = project.labels()[0].name
        n = 0
        sys.stdin.readline()  # start together
        stop = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < stop:
            start = n % (document.length - 2)
            project.add_annotation(document.id, label, start, start + 2, annotator=name)
            n += 1
        print(n, time.perf_counter() - started)
    """
)


def _writers(ws: Workspace, url: str, count: int) -> tuple[float, int]:
    """``count`` writer processes at once: (writes per second summed, writes stored)."""
    script = ws.fresh_dir("writers") / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), url, f"w{n}", str(WRITE_SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]
    time.sleep(3.0)  # let every process import the app and connect before they all start
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    total, rate = 0, 0.0
    for process in processes:
        out, _ = process.communicate(timeout=120)
        writes, seconds = out.split()
        total += int(writes)
        rate += int(writes) / float(seconds)
    return rate, total


def run_writers(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    path = ws.project(size)
    url = server_copy(path)
    try:
        alone, _ = _writers(ws, url, 1)
        before = _count(url)
        together, acknowledged = _writers(ws, url, WRITERS)
        stored = _count(url) - before
    finally:
        pg_cluster.drop_database(server(), url)
    return [
        Row(
            f"server: {WRITERS} concurrent writers, one annotation per transaction",
            size.label,
            1,
            together,
            unit="writes/s",
            baseline=alone,
            note=f"summed over {WRITERS} processes for {WRITE_SECONDS:g} s; baseline: one "
            f"writer alone; {acknowledged} acknowledged, {stored} stored",
        )
    ]


def _count(url: str) -> int:
    with Project.open(url, create=False) as project:
        return len(project.annotations())


SCENARIOS = [
    Scenario("server-edit", run_keystroke, ("large",), 20, needs_server=True),
    Scenario("server-export", run_export, ("large",), 3, needs_server=True),
    Scenario("server-writers", run_writers, ("small",), 1, needs_server=True),
]
