"""The file check before every write (``Project.check_file``): the path's ``stat`` against the
inode opened, and the header's application id read through SQLite's own descriptor.

It used to open the file, read 72 bytes and close it, which dropped SQLite's locks (issue 25);
that old way is measured beside it, as is the bare ``os.stat`` any check of the path needs.
Microseconds, the median of 2,000 checks a run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store.project import Project
from benchmarks.generate import Size
from benchmarks.harness import Workspace
from benchmarks.rows import Row, Scenario, Target, median

CHECKS = 2_000
TARGET = Target(max_value=100)  # µs: nothing a keystroke (16 ms) would feel


def _per_call_us(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(CHECKS):
        call()
    return (time.perf_counter() - started) / CHECKS * 1e6


def run_check(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    path = ws.fresh_dir("file-check") / "p.annot"
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([ImportedDocument("Some text.", "T")]))
        project.documents()  # a pooled connection keeps SQLite's descriptor open

        def old_way() -> bytes:
            with path.open("rb") as handle:
                os.fstat(handle.fileno())
                return handle.read(72)

        check, bare, old = [], [], []
        for n in range(repeat + 1):
            measured = (
                _per_call_us(project.check_file),
                _per_call_us(lambda: os.stat(path)),
                _per_call_us(old_way),
            )
            if n:  # the first of each is a warm-up
                check.append(measured[0])
                bare.append(measured[1])
                old.append(measured[2])
    return [
        Row(
            "file check before a write (stat + header through SQLite's descriptor)",
            "any",
            repeat,
            median(check),
            unit="µs",
            baseline=median(bare),
            target=TARGET,
            note=f"baseline: os.stat alone; the old open-read-close: {median(old):.1f} µs",
        )
    ]


SCENARIOS = [Scenario("file-check", run_check, ("small",), 5)]
