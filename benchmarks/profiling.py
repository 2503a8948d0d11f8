"""Where the time goes: ``python -m benchmarks.profiling ACTION [SIZE]``.

Times the app's side of a scenario without the profiler, then once under cProfile, and prints
the profile's own time split by layer (Qt in C++, SQLite, SQLAlchemy, the app's modules,
json, ...) and the top entries. ``memory`` prints tracemalloc's largest Python allocations of an
open, painted window instead.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from annotator import service
from annotator.io import native_json
from annotator.store.project import Project
from benchmarks import bench_batch, bench_edit, bench_json, harness
from benchmarks.generate import SIZES, Size, write_articles
from benchmarks.harness import (
    Workspace,
    copy_database,
    discard,
    document_text,
    main_window,
    open_window,
    workspace,
)

Action = Callable[[], object]

_LAYERS = (  # (substring of the profile entry's file or name, layer), first match wins
    ("PySide6", "Qt (C++, PySide6 calls)"),
    ("shiboken", "Qt (C++, PySide6 calls)"),
    ("sqlite3", "SQLite (sqlite3 module)"),
    ("sqlalchemy", "SQLAlchemy"),
    ("alembic", "Alembic"),
    ("annotator/store", "app: store"),
    ("annotator/gui", "app: gui"),
    ("annotator/core", "app: core"),
    ("annotator/io", "app: io"),
    ("annotator/service", "app: service"),
    ("/json/", "json (stdlib)"),
    ("_json", "json (stdlib)"),
    ("benchmarks/", "benchmark harness"),
    ("charset_normalizer", "charset-normalizer"),
)


def layer(key: tuple[str, int, str]) -> str:
    filename, _, name = key
    where = filename if filename != "~" else name
    return next(
        (label for part, label in _LAYERS if part in where),
        "Python built-ins" if filename == "~" else "other Python",
    )


def report(profiler: cProfile.Profile, top: int = 18) -> None:
    raw = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    split: defaultdict[str, float] = defaultdict(float)
    for key, entry in raw.items():
        split[layer(key)] += entry[2]
    print(f"\nprofiled time by layer (own time; total {total * 1000:.0f} ms under cProfile):")
    for name, seconds in sorted(split.items(), key=lambda item: -item[1]):
        print(f"  {name:<28} {seconds * 1000:8.1f} ms  {seconds / total:6.1%}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        body = out.getvalue()
        print(f"\ntop {top} by {order}:\n" + body[body.find("   ncalls") :].rstrip())


class PhaseTimer:
    """Inclusive wall-clock time of chosen functions, patched in for a while (no profiler)."""

    def __init__(self, targets: list[tuple[object, str, str]]) -> None:
        self.targets = targets
        self.ms: defaultdict[str, float] = defaultdict(float)
        self.calls: defaultdict[str, int] = defaultdict(int)
        self._saved: list[tuple[object, str, object]] = []

    def __enter__(self) -> PhaseTimer:
        for owner, attribute, name in self.targets:
            original = getattr(owner, attribute)
            self._saved.append((owner, attribute, owner.__dict__.get(attribute, original)))
            setattr(owner, attribute, self._wrap(original, name))
        return self

    def __exit__(self, *_exc: object) -> None:
        for owner, attribute, original in reversed(self._saved):
            setattr(owner, attribute, original)

    def _wrap(self, function: Callable[..., object], name: str) -> Callable[..., object]:
        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.ms[name] += (time.perf_counter() - start) * 1000
                self.calls[name] += 1

        return timed

    def reset(self) -> None:
        self.ms.clear()
        self.calls.clear()

    def print(self, runs: int) -> None:
        print(f"wall-clock split (inclusive, mean of {runs} runs, profiler off):")
        for _, _, name in self.targets:
            if name in self.ms:
                print(
                    f"  {name:<58} {self.ms[name] / runs:8.1f} ms  "
                    f"({self.calls[name] / runs:g} calls)"
                )


def profile(action: Action, runs: int = 3, setup: Callable[[], None] | None = None) -> None:
    """Wall-clock median of ``runs`` (profiler off), then one profiled run."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"wall clock without the profiler: median {statistics.median(times):.1f} ms "
        f"of {runs} ({', '.join(f'{t:.1f}' for t in times)})"
    )
    if setup:
        setup()
    profiler = cProfile.Profile()
    profiler.runcall(action)
    report(profiler)


def open_phases() -> list[tuple[object, str, str]]:
    from annotator.core.offsets import OffsetMap
    from annotator.core.spans import LineIndex, SpanIndex
    from annotator.gui.annotation_panel import AnnotationPanel
    from annotator.gui.find_bar import FindBar
    from annotator.gui.main_window import MainWindow
    from annotator.gui.reader import ReaderView, SpanHighlighter

    return [
        (Project, "open", "store: Project.open"),
        (MainWindow, "__init__", "gui: MainWindow(...) (everything up to paint)"),
        (MainWindow, "show_document", "  gui: MainWindow.show_document"),
        (Project, "document", "    store: Project.document (text)"),
        (Project, "annotations", "    store: Project.annotations (SQL + model objects)"),
        (ReaderView, "show_document", "    gui: ReaderView.show_document"),
        (OffsetMap, "__init__", "      core: OffsetMap"),
        (LineIndex, "__init__", "      core: LineIndex"),
        (SpanIndex, "__init__", "      core: SpanIndex"),
        (ReaderView, "setPlainText", "      Qt: setPlainText"),
        (SpanHighlighter, "rehighlightBlock", "      gui: highlight a line in view"),
        (AnnotationPanel, "show_document", "    gui: AnnotationPanel.show_document"),
        (FindBar, "set_text", "    gui: FindBar.set_text"),
        (harness, "paint", "Qt: show + repaint + processEvents (first paint)"),
    ]


def edit_phases() -> list[tuple[object, str, str]]:
    from annotator.gui.annotation_panel import AnnotationPanel
    from annotator.gui.commands import AddAnnotations
    from annotator.gui.document_list import DocumentList
    from annotator.gui.main_window import MainWindow
    from annotator.gui.reader import ReaderView

    return [
        (MainWindow, "label_selection", "gui: MainWindow.label_selection"),
        (AddAnnotations, "redo", "  gui: AddAnnotations.redo"),
        (AddAnnotations, "undo", "  gui: AddAnnotations.undo"),
        (Project, "add_annotations", "    store: Project.add_annotations"),
        (Project, "delete_annotations", "    store: Project.delete_annotations"),
        (ReaderView, "apply_change", "    gui: ReaderView.apply_change"),
        (AnnotationPanel, "_apply_change", "    gui: AnnotationPanel._apply_change"),
        (DocumentList, "_count_changed", "    gui: DocumentList._count_changed"),
        (AnnotationPanel, "select", "  gui: AnnotationPanel.select"),
        (MainWindow, "_annotation_selected", "    gui: MainWindow._annotation_selected"),
        (bench_edit, "repaint", "Qt: reader viewport repaint + processEvents"),
    ]


def import_phases() -> list[tuple[object, str, str]]:
    from sqlalchemy.orm import Session

    from annotator.io import detect, sanitize
    from annotator.store import importing
    from annotator.store import project as project_module

    return [
        (service, "import_file", "service.import_file"),
        (service, "read_file", "  io: read_file (parse + validate + sanitize)"),
        (native_json, "load_json", "    io: json.loads of the file"),
        (native_json, "parse_project", "    io: native_json.parse_project (validation)"),
        (detect, "check_bundle", "    io: sanitize.check_bundle"),
        (Project, "import_bundle", "  store: Project.import_bundle (one transaction)"),
        (project_module, "add_bundle", "    store: importing.add_bundle"),
        (importing, "_merge_labels", "      store: _merge_labels"),
        (importing, "_existing_ids", "      store: _existing_ids (id lookups)"),
        (importing, "text_sha256", "      core: text_sha256"),
        (Session, "execute", "      SQLAlchemy Session.execute (bulk INSERTs etc.)"),
        (sanitize, "clean_text", "  (sanitize.clean_text)"),
    ]


def present(targets: list[tuple[object, str, str]]) -> list[tuple[object, str, str]]:
    """The targets that exist in this version of the app."""
    return [t for t in targets if hasattr(t[0], t[1])]


def profile_open(ws: Workspace, size: Size, runs: int = 3) -> None:
    path = ws.project(size)

    def action() -> None:
        with Project.open(path) as project:
            discard(open_window(project, ws.settings()))

    with PhaseTimer(present(open_phases())) as timer:
        action()  # warm-up
        timer.reset()
        for _ in range(runs):
            action()
        timer.print(runs)
    profile(action)


def profile_edit(ws: Workspace, size: Size, undo: bool) -> None:
    path = ws.project(size)
    _, text = document_text(path)
    ranges = iter(bench_edit.phrases(text, 40))
    with PhaseTimer(present(edit_phases())) as timer, main_window(ws, path) as window:
        reader, stack = window.reader, window.ctx.undo_stack
        label = window.ctx.labels()[0].name

        def select() -> None:
            start, end = next(ranges)
            bench_edit.select(reader, reader.offsets, start, end)
            if undo:
                window.label_selection(label)
                bench_edit.repaint(reader)

        def action() -> None:
            if undo:
                stack.undo()
            else:
                window.label_selection(label)
            bench_edit.repaint(reader)

        select()
        action()  # warm-up
        timer.reset()
        for _ in range(5):
            select()
            if not undo:
                timer.reset()  # count the labelling action only
            action()
        timer.print(1 if not undo else 5)
        profile(action, runs=5, setup=select)


def profile_export(ws: Workspace, size: Size) -> None:
    with Project.open(bench_json.corpus(ws, size)) as project:
        service.export_project(project, io.StringIO())  # warm-up
        profile(lambda: service.export_project(project, io.StringIO()))
        start = time.perf_counter()
        data = bench_json.plain_dicts(project)
        print(
            f"\n(untimed in the benchmark: building the plain dicts from the project took "
            f"{(time.perf_counter() - start) * 1000:.0f} ms)"
        )
    start = time.perf_counter()
    json.dumps(data, ensure_ascii=False)
    print(f"json.dumps of them: {(time.perf_counter() - start) * 1000:.0f} ms")


def profile_import(ws: Workspace, size: Size) -> None:
    source = bench_json.exported_file(ws, size)
    empty = ws.fresh_dir("empty") / "empty.annot"
    Project.open(empty).close()
    targets: list[Path] = []

    def setup() -> None:
        target = ws.fresh_dir("import") / "imported.annot"
        copy_database(empty, target)
        targets.append(target)

    def action() -> None:
        with Project.open(targets[-1]) as project:
            outcome = service.import_file(project, source)
        assert outcome.outcome is service.Outcome.IMPORTED, outcome.message

    with PhaseTimer(present(import_phases())) as timer:
        setup()
        action()
        timer.print(1)
    profile(action, runs=2, setup=setup)


def profile_batch(ws: Workspace, size: Size) -> None:
    paths = write_articles(ws.fresh_dir("articles"), bench_batch.article_count(size))
    empty = ws.fresh_dir("empty") / "empty.annot"
    Project.open(empty).close()
    targets: list[Path] = []

    def setup() -> None:
        targets.append(ws.fresh_dir("batch") / "batch.annot")
        copy_database(empty, targets[-1])

    profile(lambda: bench_batch.app_import(targets[-1], paths), runs=2, setup=setup)


def profile_memory(ws: Workspace, size: Size, top: int = 15) -> None:
    path = ws.project(size)
    tracemalloc.start(8)
    with Project.open(path) as project:
        window = open_window(project, ws.settings())
        snapshot = tracemalloc.take_snapshot()
        current, peak = tracemalloc.get_traced_memory()
        print(
            f"Python heap (tracemalloc): now {current / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB"
        )
        for stat in snapshot.statistics("lineno")[:top]:
            print(f"  {stat.size / 2**20:7.1f} MiB  {stat.count:8d} blocks  {stat.traceback[0]}")
        discard(window)
    tracemalloc.stop()


ACTIONS: dict[str, Callable[[Workspace, Size], None]] = {
    "open": profile_open,
    "keystroke": lambda ws, size: profile_edit(ws, size, undo=False),
    "undo": lambda ws, size: profile_edit(ws, size, undo=True),
    "export": profile_export,
    "import": profile_import,
    "batch": profile_batch,
    "memory": profile_memory,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ACTIONS or (len(argv) > 1 and argv[1] not in SIZES):
        print(
            f"usage: python -m benchmarks.profiling {{{','.join(ACTIONS)}}} [{'|'.join(SIZES)}]",
            file=sys.stderr,
        )
        return 2
    size = SIZES[argv[1] if len(argv) > 1 else "large"]
    with workspace() as ws:
        print(f"{argv[0]} at {size.label}")
        ACTIONS[argv[0]](ws, size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
