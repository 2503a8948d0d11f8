"""A corpus, not an article (issue 29): the same figures at 10, 1k, 10k and 100k short
two-annotator articles (``benchmarks/corpus.py``), each against its bare baseline in the same
run, and its growth (the figure over the same figure at the smallest size measured).

``python -m benchmarks --only corpus`` measures the sizes in ``ANNOTATOR_CORPUS_SIZES``
(default ``10,1000,10000``; 100k is opt-in: ``ANNOTATOR_CORPUS_SIZES=10,1000,10000,100000``,
about two minutes to build once, then kept in ``benchmarks/.cache`` or
``ANNOTATOR_BENCH_CACHE``); ``--quick`` (and the smoke test) 10 documents only, one run
each (one switch, one jump). Each run of a figure has ``ANNOTATOR_CORPUS_TIMEOUT`` seconds
(default 300): one that takes longer is ended and reported as "> T s" (its target then
fails).

Every figure runs in a process of its own (``benchmarks/corpus_jobs.py``, or the launch probe
``benchmarks/first_paint.py``), the app's and the bare one in turn, started through
``bench_process``'s launcher, which reads its peak RSS. Up to 1k documents: one untimed warm-up
pair, then the scenario's repeat count; from 10k: one run each.

- switch: the real main window (settings of a first run: suggestions on), ready, its
  suggestion model trained (at most a minute), then eight steps to the next document in the
  list (``DocumentList.step``) and four jumps far down it (``DocumentList.select``), each
  through the reader's repaint, the last document's suggestions computed before (untimed).
  Baseline, in the same process:
  sqlite3 reads of that document's text and spans, a ``QPlainTextEdit`` showing it, repainted.
  Target: growth ≤ 1.5× (10k documents against 10).
- launch → ready: ``first_paint ready PROJECT`` (``annotator PROJECT`` until the window is
  complete, documents listed) vs ``first_paint bare PROJECT``; and its peak RSS. Target:
  growth ≤ 1.5×.
- export jsonl (``service.export_to``) vs sqlite3 reads of the same rows written as the same
  lines; target ≤ 3×, and peak RSS flat from 1k (growth ≤ 1.25× of 1k).
- import of that file into a new project (``service.import_file``) vs ``json.loads`` of each
  line + ``executemany``; target ≤ 3×.
- agreement (``service.agreement``, ana and ben, every label) vs reading the spans; ≤ 4×.
- concordance: the view shown (on the codebook's first label), then the most used other label
  chosen in it, then a character typed into its filter, vs a sqlite3 select of that label's
  spans with their texts and the same context cut; reported.
- merge a colleague's copy (cleo's layer on every tenth document, one of ben's spans deleted
  in every 25th) into a fresh copy of the corpus (``service.merge_file``) vs reading every row
  of the colleague's copy; reported, and its peak RSS flat from 1k (growth ≤ 1.25× of 1k).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import corpus
from benchmarks.bench_process import _LAUNCHER, ROOT, Processes, probe
from benchmarks.corpus_jobs import SETTLE_S
from benchmarks.generate import SMALLEST
from benchmarks.rows import Row, Scenario, Target, median

if TYPE_CHECKING:
    from benchmarks.generate import Size
    from benchmarks.harness import Workspace

SIZES_VARIABLE = "ANNOTATOR_CORPUS_SIZES"
TIMEOUT_VARIABLE = "ANNOTATOR_CORPUS_TIMEOUT"
DEFAULT_SIZES = (10, 1_000, 10_000)
DEFAULT_TIMEOUT_S = 300.0
SWITCHES = 8
WARM_UP_UP_TO = 1_000  # documents: larger corpora are measured once, without a warm-up
MEMORY_FROM = 1_000  # memory targets compare with this size ("flat from 1k")

GROWTH = Target(max_growth=1.5)
IO_TARGET = Target(max_ratio=3)
AGREEMENT_TARGET = Target(max_ratio=4)
FLAT_MEMORY = Target(max_growth=1.25)


def corpus_sizes() -> tuple[int, ...]:
    given = os.environ.get(SIZES_VARIABLE, "").replace("_", "")
    return tuple(int(n) for n in given.split(",") if n.strip()) or DEFAULT_SIZES


def time_limit() -> float:
    return float(os.environ.get(TIMEOUT_VARIABLE) or DEFAULT_TIMEOUT_S)


def size_name(documents: int) -> str:
    if documents >= 1000 and documents % 1000 == 0:
        return f"{documents // 1000}k documents"
    return f"{documents:,} documents"


# -- the colleague's copy ----------------------------------------------------------------------

THIRD = "cleo"


def build_colleague(path: Path) -> None:
    """Turn the corpus at ``path`` into a colleague's copy: cleo's layer on every tenth
    document (ana's spans, as cleo's), and one of ben's spans deleted in every 25th (recorded
    deletions, which a merge carries over)."""
    from annotator.core.model import Annotation
    from annotator.store.project import Project

    connection = sqlite3.connect(path)
    try:
        spans = connection.execute(
            'SELECT a.document_id, l.name, a.start, a."end", a.text FROM annotations a '
            "JOIN labels l ON l.id = a.label_id JOIN documents d ON d.id = a.document_id "
            "WHERE a.annotator = 'ana' AND d.position % 10 = 0"
        ).fetchall()
        gone = [
            row[0]
            for row in connection.execute(
                "SELECT min(a.id) FROM annotations a JOIN documents d ON d.id = a.document_id "
                "WHERE a.annotator = 'ben' AND d.position % 25 = 0 GROUP BY d.id"
            )
        ]
    finally:
        connection.close()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Project.open(path, create=False) as project:
        for first in range(0, len(spans), 10_000):
            project.restore_annotations(
                Annotation(str(uuid.uuid4()), d, label, s, e, text, {}, "", THIRD, now, now)
                for d, label, s, e, text in spans[first : first + 10_000]
            )
        project.delete_annotations(gone)


def colleague_copy(documents: int, into: Path) -> Path:
    """A copy at ``into`` of the colleague's copy of the corpus, built once and cached beside
    the corpora."""
    from annotator.store.schema import current_version

    name = f"colleague-{documents}-schema{current_version()}"
    kept = corpus.CACHE / f"{name}.annot"
    if not kept.exists():
        building = corpus.CACHE / f"{name}.building.annot"
        for leftover in corpus.CACHE.glob(f"{name}.building.annot*"):
            leftover.unlink()
        corpus.cached_corpus(documents, building)
        building.chmod(0o644)
        build_colleague(building)
        connection = sqlite3.connect(building)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        for companion in corpus.CACHE.glob(f"{name}.building.annot-*"):
            companion.unlink()
        building.rename(kept)
        kept.chmod(0o444)
    shutil.copyfile(kept, into)
    into.chmod(0o644)
    return into


def fresh_corpus(documents: int, into: Path) -> Path:
    corpus.cached_corpus(documents, into)
    into.chmod(0o644)  # the cached file is read-only; its copy is the app's to change
    return into


def most_used_label(path: Path) -> str:
    """The label with the most spans, the codebook's first (which the concordance shows first)
    left out."""
    connection = sqlite3.connect(path)
    try:
        (name,) = connection.execute(
            "SELECT l.name FROM annotations a JOIN labels l ON l.id = a.label_id "
            "WHERE l.position > (SELECT min(position) FROM labels) "
            "GROUP BY l.name ORDER BY count(*) DESC, l.name LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    return name


def empty_project(folder: Path) -> Path:
    from annotator.store.project import Project

    path = folder / "empty.annot"
    Project.open(path).close()
    return path


# -- running jobs with a time limit ------------------------------------------------------------


@dataclass
class Runs:
    """What the runs of one program gave: each its result (from the job), wall ms, peak MiB."""

    results: list[dict[str, Any]] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    timed_out: bool = False
    error: str = ""

    def ms(self, key: str = "ms") -> float:
        return median([r[key] for r in self.results if key in r])

    def late(self, key: str = "ms") -> bool:
        """Whether the figure ``key`` was not measured for the time limit."""
        return self.timed_out and not any(key in r for r in self.results)

    def mib(self) -> float:
        return median(self.peak_mib)

    @property
    def failed(self) -> bool:
        return self.timed_out or bool(self.error)


class Jobs:
    """Runs job processes in the workspace's environment, each ended at the time limit."""

    def __init__(self, ws: Workspace, limit: float) -> None:
        self.procs = Processes(ws)
        self.limit = limit
        self.results = ws.fresh_dir("corpus-results")
        self._count = 0

    def once(
        self, command: Sequence[str], into: Runs, result: Path | None = None, figures: int = 1
    ) -> None:
        """One run of ``command``, a job of ``figures`` figures given as many time limits; its
        figures go ``into`` (or the time limit, with the figures finished, or its error)."""
        launcher = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, *command],
            cwd=ROOT,
            env=self.procs.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its group: the program's own children end with it
        )
        try:
            out, err = launcher.communicate(timeout=self.limit * figures)
        except subprocess.TimeoutExpired:
            _end_group(launcher)
            launcher.communicate()
            into.timed_out = True
            if result is not None and result.exists():
                into.results.append(json.loads(result.read_text(encoding="utf-8")))
                result.unlink()
            return
        _end_group(launcher)
        fields = out.split()
        if launcher.returncode or len(fields) != 4 or fields[3] != "0":
            into.error = f"exit {fields[3] if len(fields) == 4 else launcher.returncode} {err}"
            return
        found: dict[str, Any] = {"ms": float(fields[0]) * 1000}
        if result is not None:
            if not result.exists():
                into.error = "no result written"
                return
            found = json.loads(result.read_text(encoding="utf-8"))
            result.unlink()
            if "error" in found:
                into.error = found["error"]
                return
        into.results.append(found)
        into.wall_ms.append(float(fields[0]) * 1000)
        into.peak_mib.append(int(fields[1]) / 1024)

    def job(self, name: str, *args: str | Path) -> tuple[list[str], Path]:
        self._count += 1
        result = self.results / f"{self._count:04d}-{name}.json"
        command = [sys.executable, "-m", "benchmarks.corpus_jobs", name, str(result)]
        return [*command, *map(str, args)], result

    def pair(
        self,
        app: Any,
        bare: Any,
        runs: int,
        warm_up: bool,
        before: Any = None,
        figures: int = 1,
    ) -> tuple[Runs, Runs]:
        """``app()`` and ``bare()`` give (command, result file or None) for one run; run in
        turn ``runs`` times after an untimed warm-up pair (``warm_up``); a program that fails
        or times out is not run again."""
        apps, bares = Runs(), Runs()
        for n in range(runs + warm_up):
            for make, into in ((app, apps), (bare, bares)):
                if into.failed:
                    continue
                if callable(before):
                    before()
                command, result = make()
                kept = Runs()
                self.once(command, kept, result, figures if into is apps else 1)
                into.timed_out, into.error = kept.timed_out, kept.error
                if n >= warm_up:
                    into.results += kept.results
                    into.wall_ms += kept.wall_ms
                    into.peak_mib += kept.peak_mib
        return apps, bares


def _end_group(process: subprocess.Popen[str]) -> None:
    """End what is left of the launcher's process group (a timed-out program, or the children
    a program leaves when it ends at its first paint)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# -- one size ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One figure at one size: the app's runs and the bare ones, how to read them."""

    name: str
    unit: str
    app: float
    bare: float
    runs: int
    timed_out: bool = False
    error: str = ""
    note: str = ""


def _figure(
    name: str,
    apps: Runs,
    bares: Runs,
    limit: float,
    key: str = "ms",
    note: str = "",
    memory: bool = False,
) -> Figure:
    if memory:
        late = "ended at its time limit" if apps.timed_out and not apps.peak_mib else ""
        error = apps.error or late
        return Figure(name, "MiB", apps.mib(), bares.mib(), len(apps.peak_mib), error=error)
    late = apps.late(key)
    value = limit * 1000 if late else apps.ms(key)
    error = apps.error or (f"bare: {bares.error}" if bares.error else "")
    if bares.timed_out:
        error = f"the bare program took more than {limit:g} s"
    runs = len([r for r in apps.results if key in r])
    return Figure(name, "ms", value, bares.ms(), max(runs, 1), late, error[-300:], note)


def measure(ws: Workspace, jobs: Jobs, documents: int, repeat: int) -> list[Figure]:
    folder = ws.fresh_dir(f"corpus-{documents}")
    project = fresh_corpus(documents, folder / "corpus.annot")
    warm_up = documents <= WARM_UP_UP_TO and repeat > 1
    runs = repeat if documents <= WARM_UP_UP_TO else 1
    limit = jobs.limit
    figures: list[Figure] = []

    def log(text: str) -> None:
        print(f"  corpus {size_name(documents)}: {text}", file=sys.stderr, flush=True)

    # switch: one window, its steps and jumps; baseline in the same process
    switch = Runs()
    settings = folder / "switch-settings.ini"
    command, result = jobs.job("switch", project, settings, SWITCHES if repeat > 1 else 1)
    jobs.once(command, switch, result, figures=2)
    got = switch.results[0] if switch.results else {}
    wrong = "; ".join(got.get("wrong", []))[:200]
    for key, what in (("steps", "switch to the next document"), ("jumps", "jump far down")):
        values, bare = got.get(key, []), got.get(f"bare_{key}", [])
        late = switch.timed_out and not values
        figures.append(
            Figure(
                what,
                "ms",
                limit * 1000 if late else median(values),
                median(bare),
                max(len(values), 1),
                late,
                switch.error[-300:] or (f"wrong document shown: {wrong}" if wrong else ""),
                f"{got.get('documents_listed', '?')} rows listed; " + _trained(got),
            )
        )
    log(f"switch {figures[-2].app:,.0f} ms (bare {figures[-2].bare:,.1f} ms)")

    # launch → window ready, a whole process
    apps, bares = jobs.pair(
        lambda: (probe("ready", str(project)), None),
        lambda: (probe("bare", str(project)), None),
        runs,
        warm_up,
    )
    figures.append(_figure("launch → window ready", apps, bares, limit))
    figures.append(_figure("peak RSS to ready", apps, bares, limit, memory=True))
    log(f"ready {figures[-2].app:,.0f} ms (bare {figures[-2].bare:,.0f} ms)")

    # export jsonl; the bare program's file is what both imports read
    out = folder / "export.jsonl"
    bare_out = folder / "bare-export.jsonl"
    apps, bares = jobs.pair(
        lambda: jobs.job("export", project, out),
        lambda: jobs.job("bare-export", project, bare_out),
        runs,
        warm_up,
        before=lambda: out.unlink(missing_ok=True),
    )
    lines = {r.get("lines") for r in apps.results + bares.results}
    note = f"{documents:,} lines" if lines == {documents} else f"LINES DIFFER: {sorted(lines)}"
    figures.append(_figure("export jsonl", apps, bares, limit, note=note))
    figures.append(_figure("peak RSS exporting", apps, bares, limit, memory=True))
    log(f"export {figures[-2].app:,.0f} ms (bare {figures[-2].bare:,.0f} ms)")
    out.unlink(missing_ok=True)

    # import it into a new project
    empty = empty_project(folder)
    imported, bare_imported = folder / "imported.annot", folder / "bare-imported.annot"

    def clear_imports() -> None:
        for path in folder.glob("*imported.annot*"):
            path.unlink()

    apps, bares = jobs.pair(
        lambda: jobs.job("import", bare_out, imported),
        lambda: jobs.job("bare-import", bare_out, empty, bare_imported),
        runs,
        warm_up,
        before=clear_imports,
    )
    counts = {r.get("documents") for r in apps.results + bares.results}
    note = f"{documents:,} documents" if counts == {documents} else f"COUNTS DIFFER: {counts}"
    figures.append(_figure("import jsonl", apps, bares, limit, note=note + _peaks(apps, bares)))
    log(f"import {figures[-1].app:,.0f} ms (bare {figures[-1].bare:,.0f} ms)")
    clear_imports()
    bare_out.unlink(missing_ok=True)

    # agreement
    apps, bares = jobs.pair(
        lambda: jobs.job("agreement", project),
        lambda: jobs.job("bare-agreement", project),
        runs,
        warm_up,
    )
    alpha = next((r.get("alpha") for r in apps.results), None)
    note = (f"α {alpha:.2f}" if isinstance(alpha, float) else "") + _peaks(apps, bares)
    figures.append(_figure("agreement, 2 annotators", apps, bares, limit, note=note))
    log(f"agreement {figures[-1].app:,.0f} ms (bare {figures[-1].bare:,.0f} ms)")

    # concordance of the most used label
    label = most_used_label(project)
    apps, bares = jobs.pair(
        lambda: jobs.job("concordance", project, folder / "concordance.ini", label),
        lambda: jobs.job("bare-concordance", project, label),
        runs,
        warm_up,
        figures=3,
    )
    shown = {r.get("rows") for r in apps.results}
    every = {r.get("rows") for r in bares.results}
    note = f"{label!r}: " + (
        f"{every.pop():,} lines"
        if shown == every and len(every) == 1
        else f"the view lists {'/'.join(map(str, shown))} lines (a page?), the bare select "
        f"{'/'.join(map(str, every))}"
    )
    figures.append(
        _figure("concordance shown", apps, bares, limit, "shown_ms", note="the first label")
    )
    figures.append(
        _figure("concordance of a label", apps, bares, limit, note=note + _peaks(apps, bares))
    )
    figures.append(
        _figure("concordance: a character typed in its filter", apps, bares, limit, "typed_ms")
    )
    log(f"concordance {figures[-2].app:,.0f} ms (bare {figures[-2].bare:,.0f} ms)")

    # merge a colleague's copy into a fresh copy of the corpus
    source = colleague_copy(documents, folder / "colleague.annot")
    target = folder / "target.annot"

    def fresh_target() -> None:
        for path in folder.glob("target.annot*"):
            path.unlink()
        fresh_corpus(documents, target)

    apps, bares = jobs.pair(
        lambda: jobs.job("merge", target, source),
        lambda: jobs.job("bare-merge", source),
        runs,
        warm_up,
        before=fresh_target,
    )
    message = next((r.get("message", "") for r in apps.results), "").rpartition(".annot: ")[2]
    figures.append(_figure("merge a colleague's copy", apps, bares, limit, note=message))
    figures.append(_figure("peak RSS merging", apps, bares, limit, memory=True))
    log(f"merge {figures[-2].app:,.0f} ms (bare {figures[-2].bare:,.0f} ms)")
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def _trained(got: dict[str, Any]) -> str:
    waited = got.get("settled_ms", float("nan")) / 1000
    if waited >= SETTLE_S:
        return f"the suggestion model still training {SETTLE_S:g} s after ready (not waited for)"
    return f"the suggestion model trained {waited:,.1f} s after ready"


def _peaks(apps: Runs, bares: Runs) -> str:
    if not apps.peak_mib or not bares.peak_mib:
        return ""
    return f"; peak RSS {apps.mib():,.0f} MiB (bare {bares.mib():,.0f} MiB)"


# -- rows --------------------------------------------------------------------------------------

TARGETS = {
    "switch to the next document": GROWTH,
    "launch → window ready": GROWTH,
    "export jsonl": IO_TARGET,
    "peak RSS exporting": FLAT_MEMORY,
    "import jsonl": IO_TARGET,
    "agreement, 2 annotators": AGREEMENT_TARGET,
    "peak RSS merging": FLAT_MEMORY,
}
HOW = {
    "switch to the next document": "DocumentList.step(1) → reader repainted; baseline: sqlite3 "
    "text + spans, QPlainTextEdit repainted",
    "jump far down": "DocumentList.select → reader repainted; baseline as the switch",
    "launch → window ready": "whole process, documents listed; baseline: the bare program's "
    "first paint",
    "peak RSS to ready": "ru_maxrss of the same runs; baseline: the bare program's",
    "export jsonl": "service.export_to; baseline: sqlite3 reads + json.dumps of the same lines",
    "peak RSS exporting": "ru_maxrss; baseline: the bare export's",
    "import jsonl": "service.import_file into a new project; baseline: json.loads + executemany",
    "agreement, 2 annotators": "service.agreement; baseline: sqlite3 read of the spans",
    "concordance shown": "View → Concordance; baseline: the bare select of the label below",
    "concordance of a label": "chosen in the shown view; baseline: sqlite3 select of its spans "
    "with their texts, context cut",
    "concordance: a character typed in its filter": "baseline: the same bare select",
    "merge a colleague's copy": "service.merge_file into a fresh copy; baseline: reading every "
    "row of the copy",
    "peak RSS merging": "ru_maxrss; baseline: the bare read's",
}


def rows_of(measured: dict[int, list[Figure]]) -> list[Row]:
    """One row per figure and size, figure by figure; growth against the smallest size (memory
    targets: against 1k documents, where measured)."""
    sizes = sorted(measured)
    rows: list[Row] = []
    for index, first in enumerate(measured[sizes[0]]):
        memory = first.unit == "MiB"
        base_size = MEMORY_FROM if memory and MEMORY_FROM in measured else sizes[0]
        reference = measured[base_size][index]
        target = TARGETS.get(first.name)
        for documents in sizes:
            figure = measured[documents][index]
            has_target = target is not None and (target.max_growth is None or documents > base_size)
            note = "; ".join(part for part in (HOW.get(figure.name, ""), figure.note) if part)
            if figure.error:
                note = f"FAILED: {figure.error}; {note}"
            rows.append(
                Row(
                    f"corpus: {figure.name}",
                    size_name(documents),
                    figure.runs,
                    figure.app if not figure.error else float("nan"),
                    unit=figure.unit,
                    baseline=figure.bare,
                    target=target if has_target else None,
                    note=note,
                    reference=None if documents < base_size else reference.app,
                    reference_size=f"{size_name(base_size).split()[0]}",
                    timed_out=figure.timed_out,
                )
            )
    return rows


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    # --quick (the smallest size): 10 documents; else the sizes asked for
    sizes = (corpus.SIZES[0],) if size is SMALLEST else corpus_sizes()
    jobs = Jobs(ws, time_limit())
    measured: dict[int, list[Figure]] = {}
    for documents in sorted(sizes):
        started, load = time.perf_counter(), os.getloadavg()[0]
        measured[documents] = measure(ws, jobs, documents, repeat)
        print(
            f"  corpus at {size_name(documents)}: {time.perf_counter() - started:.0f} s, "
            f"load average {load:.1f} → {os.getloadavg()[0]:.1f}",
            file=sys.stderr,
            flush=True,
        )
    return rows_of(measured)


# "medium" stands for the sizes of ANNOTATOR_CORPUS_SIZES (one call measures them all, so
# growth is within one run); --quick passes the smallest size, and 10 documents are measured.
SCENARIOS = [Scenario("corpus", run, ("medium",), 3)]
