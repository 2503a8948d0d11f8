"""The results table, the machine it ran on, and benchmarks/results.md."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.rows import Row

METHOD = """\
- **open**: from `Project.open` to the main window's first paint (`show`, `repaint`,
  `processEvents`), fresh settings each run, one untimed warm-up, app and baseline interleaved.
  Baseline: raw `sqlite3` reads the document text and the same annotation rows, and a plain
  `QPlainTextEdit` of the reader's size shows the text and paints once.
- **keystroke / undo**: phrases spread through the document; each is selected through a
  `QTextCursor` and scrolled into view (untimed), then `MainWindow.label_selection` + reader
  viewport repaint + `processEvents` is timed, then `undo_stack.undo()` + repaint; two untimed
  warm-ups. Baseline: one raw `sqlite3` INSERT (DELETE) transaction with the app's pragmas (WAL,
  `synchronous=FULL`) + an extra selection on a plain `QPlainTextEdit`, repainted.
- **scroll**: each pass in a freshly opened window; a frame is scroll bar `+= pageStep`,
  viewport `repaint()`, `processEvents()`. Baseline: the same on a plain `QPlainTextEdit`.
- **export / import**: a project of 10 documents; `service.export_project` to a `StringIO` vs
  `json.dumps` of the same plain dicts; `service.import_file` of that export into a new project
  (created untimed) vs raw `executemany` of the same rows into an empty project's tables (same
  schema and pragmas). One untimed warm-up each.
- **batch**: `service.import_files` with a progress callback into a new project; per-file times
  are the gaps between callbacks. Baseline: read, hash and one raw INSERT transaction per file.
- **labelling**: the sample article's 43 spans labelled through the real widgets (QTest mouse
  drags on the reader's viewport, label keys), default settings; actions counted until each
  span is stored exactly (quotes with their marks); sentence-long claims from the keyboard
  (Alt+S or Alt+. then the key), the caret put at the claim first. Baseline: one gesture and
  one key.
- **peak RSS**: `ru_maxrss` of a subprocess (started through a small launcher, so it does not
  inherit this process's peak) with the window open and painted, vs a bare `QApplication` +
  `QPlainTextEdit` holding the same text.
- **agreement**: `service.agreement` (every label; α, κ, both F1s, three pairs) on one document
  coded by three annotators, each with the size's spans (about six in ten shared exactly, two
  in ten with a moved edge, two in ten elsewhere). Baseline: `Project.annotations()` alone.
  One untimed warm-up.
- **merge**: `service.merge_file` of a 10-document copy (every annotation by one colleague) into
  a new project vs `service.import_file` of the same project exported as Annotator JSON into a
  new project; then the same copy merged again (everything skipped). One untimed warm-up.
- **whole process** (`bench_process.py`): separate processes, each timed from outside through a
  small launcher that also reads its `ru_maxrss`, the app and its bare program in turn after one
  untimed warm-up pair. Launch / open: Annotator's own `cli.main` on the project vs a bare PySide6
  program showing the same text in a `QPlainTextEdit`; both exit right after the first paint of
  that text's viewport (`benchmarks/first_paint.py`). `annotator --version` vs the interpreter
  printing a line. `annotator import` of the article's JSON into a new project vs `json.load` +
  `sqlite3.executemany` into a copy of an empty project; `annotator export -o` vs `json.load` +
  `json.dumps` of the same export (`benchmarks/bare_io.py`).
- **corpus** (`bench_corpus.py`, issue 29): corpora of 10 to 100k short two-annotator articles
  (`benchmarks/corpus.py`); every figure in a process of its own, app and bare in turn, its
  peak RSS read by a launcher that ends it at the figure's time limit ("> T s"). Growth is the
  figure over the same figure at the smallest size of the run (memory: at 1k documents).
  Details in the module's docstring and `benchmarks/corpus_jobs.py`.
"""

HEADER = ("scenario", "size", "runs", "median", "baseline", "ratio", "target", "holds", "notes")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def temp_filesystem() -> str:
    """The file system the temporary projects live on (fsync cost depends on it)."""
    folder = os.path.realpath(tempfile.gettempdir())
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
            _, mount, fstype, *_ = line.split()
            if (folder == mount or folder.startswith(mount.rstrip("/") + "/")) and len(mount) > len(
                best
            ):
                best, kind = mount, fstype
    except OSError:
        pass
    return f"{folder} ({kind})"


def machine() -> list[tuple[str, str]]:
    import PySide6
    import sqlalchemy
    from PySide6.QtCore import qVersion

    return [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Commit measured", commit()),
        ("CPU", cpu_model()),
        ("Cores", str(os.cpu_count())),
        ("RAM", ram()),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        ("PySide6 / Qt", f"{PySide6.__version__} / {qVersion()}"),
        ("SQLite", sqlite3.sqlite_version),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("Temporary projects on", temp_filesystem()),
        ("Qt platform", os.environ.get("QT_QPA_PLATFORM", "default")),
        ("Load average at the end (1/5/15 min)", load()),
    ]


def commit() -> str:
    """The checkout's commit, and whether it has changes not committed."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with changes not committed)" if dirty else "")


def load() -> str:
    """Other work on the machine skews timings; this shows how busy it was."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def amount(value: float | None, unit: str, at_least: bool = False) -> str:
    if value is None or math.isnan(value):
        return "—"
    if at_least:
        return f"> {value / 1000:g} s" if unit == "ms" else f"> {amount(value, unit)}"
    if unit == "ms" and value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:.1f} {unit}"


def cells(row: Row, growth: bool = False) -> tuple[str, ...]:
    ratio = row.ratio
    holds = {None: "—", True: "yes", False: "**NO**"}[row.holds]
    grown = row.growth
    return (
        row.scenario,
        row.size,
        str(row.runs),
        amount(row.value, row.unit, row.timed_out),
        amount(row.baseline, row.unit),
        ("≥ " if row.timed_out and ratio is not None else "")
        + ("—" if ratio is None else f"{ratio:.2f}×"),
        *(
            [
                "—"
                if grown is None
                else f"{'≥ ' if row.timed_out else ''}{grown:.2f}× of {row.reference_size}"
            ]
            if growth
            else []
        ),
        row.target.describe(row.unit) if row.target else "— (reported)",
        holds,
        row.note,
    )


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table; a growth column when some row has a reference size."""
    growth = any(row.reference is not None for row in rows)
    header = HEADER[:6] + ("growth",) + HEADER[6:] if growth else HEADER
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| " + " | ".join(c.replace("|", "/") for c in cells(row, growth)) + " |" for row in rows
    ]
    return "\n".join(lines)


def markdown(rows: Sequence[Row], seconds: float, command: str) -> str:
    info = "\n".join(f"- {key}: {value}" for key, value in machine())
    failing = [row.scenario + f" ({row.size})" for row in rows if row.holds is False]
    verdict = (
        "Every target holds."
        if not failing
        else "Targets that do not hold: " + "; ".join(failing) + "."
    )
    return f"""# Benchmark results

`{command}` — the whole suite took {seconds:.0f} s.

Each number is the median of *runs* timed runs (after one untimed warm-up where the scenario
says so); *baseline* is the bare cost of the same job with Qt and SQLite alone, measured in the
same run, and *ratio* = median / baseline. Scenarios are in `benchmarks/bench_*.py`.

{table(rows)}

{verdict}

## How each scenario is measured

{METHOD}
## Machine

{info}
"""


KEPT = "\n## Before ("


def write(path: Path, rows: Sequence[Row], seconds: float, command: str) -> None:
    """Write the results; a "## Before (…)" section of the file there already (earlier figures
    kept for comparison) stays at its end."""
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if KEPT in old:
            kept = old[old.index(KEPT) :]
    path.write_text(markdown(rows, seconds, command) + kept, encoding="utf-8")
