"""The whole program, timed from outside: launch to painted window, ``--version``, open a big
article, import and export it from the command line, and the peak memory of opening it.

Each figure is the median wall time of separate processes, side by side with a bare program
doing the same job, run in turn (app, bare, app, bare…, one untimed warm-up pair first):

- launch / open: ``benchmarks.first_paint app PROJECT`` (Annotator's own ``cli.main``) vs
  ``first_paint bare PROJECT`` (a ``QPlainTextEdit`` showing the same text); both exit right
  after their first paint;
- launch / open to ready: ``first_paint ready PROJECT``, ending when the window is complete
  (documents listed, the panel filled, label keys working), vs the same bare program: a window
  that paints its project's first look is ready some time after that paint;
- ``annotator --version`` vs an interpreter printing a line;
- ``annotator import NEW.annot FILE.json`` vs ``bare_io import`` (``json.load`` + raw
  ``sqlite3.executemany`` into a copy of an empty project);
- ``annotator export PROJECT -o OUT.json`` vs ``bare_io export`` (``json.load`` + ``json.dump``).

Every process is started through a small launcher (``-I -S``, standard library only) that times
it and reads its ``ru_maxrss``: a process forked straight from this (large) benchmark process
would carry this process's peak over into its own. Settings and data folders are the
workspace's (``XDG_CONFIG_HOME``, ``XDG_DATA_HOME``), never the user's.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.rows import Row, Scenario, Target, median

if TYPE_CHECKING:
    from benchmarks.generate import Size
    from benchmarks.harness import Workspace

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_TARGET = Target(max_ratio=1.5)
VERSION_TARGET = Target(max_value=150)
OPEN_TARGET = Target(max_ratio=1.5)
IMPORT_TARGET = Target(max_ratio=3)
EXPORT_TARGET = Target(max_ratio=2)
MEMORY_TARGET = Target(max_ratio=2)
PROCESS_TIMEOUT_S = 120  # a program that never paints (a dialog waiting) fails, never hangs

# The program's output goes nowhere: a child it leaves running (the suggestion pool's spawned
# process, when the probe ends at the first paint) would keep a captured pipe open for ever.
_LAUNCHER = """\
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, done.returncode)
"""


def annotator_command() -> list[str]:
    """The installed ``annotator`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("annotator")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "annotator.cli"]


Run = tuple[float, float, float]  # wall ms, peak MiB, CPU ms (user + system)


class Processes:
    """Runs whole processes in the workspace's environment; each run gives a :data:`Run`."""

    def __init__(self, ws: Workspace) -> None:
        home = ws.fresh_dir("process-home")
        self.env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CACHE_HOME=str(home / "cache"),
        )

    def once(self, command: Sequence[str]) -> Run:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, *command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=PROCESS_TIMEOUT_S,
        )
        fields = done.stdout.split()
        if done.returncode or len(fields) != 4 or fields[3] != "0":
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return float(fields[0]) * 1000, int(fields[1]) / 1024, float(fields[2]) * 1000

    def pair(
        self, app: Sequence[str], bare: Sequence[str], repeat: int, before: object = None
    ) -> tuple[list[Run], list[Run]]:
        """``repeat`` runs of each, in turn, after one untimed warm-up pair; ``before``, if
        given, is called before every run (e.g. to remove what the last one wrote)."""
        apps: list[Run] = []
        bares: list[Run] = []
        for n in range(repeat + 1):
            if callable(before):
                before()
            a = self.once(app)
            if callable(before):
                before()
            b = self.once(bare)
            if n:
                apps.append(a)
                bares.append(b)
        return apps, bares


def probe(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.first_paint", *args]


def bare_io(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bare_io", *args]


def sample_project(ws: Workspace) -> Path:
    """The sample article in a project of its own, as the first run leaves it (made untimed)."""
    from annotator import service
    from annotator.resources_path import SAMPLE_ARTICLE, resource
    from annotator.store.project import Project

    path = ws.fresh_dir("sample") / "Sample project.annot"
    with Project.open(path) as project:
        service.import_file(project, resource(SAMPLE_ARTICLE))
    return path


def exported(ws: Workspace, project_path: Path) -> Path:
    from annotator import service
    from annotator.store.project import Project

    path = ws.fresh_dir("export") / "article.json"
    with Project.open(project_path) as project, path.open("w", encoding="utf-8") as out:
        service.export_project(project, out)
    return path


def empty_project(ws: Workspace) -> Path:
    from annotator.store.project import Project

    path = ws.fresh_dir("empty") / "empty.annot"
    Project.open(path).close()
    return path


def _ms(runs: list[Run]) -> float:
    return median([run[0] for run in runs])


def _mib(runs: list[Run]) -> float:
    return median([run[1] for run in runs])


def cpu_note(apps: list[Run], bares: list[Run]) -> str:
    """CPU time (user + system) of the same runs: steadier than wall time on a busy machine."""
    app, bare = median([run[2] for run in apps]), median([run[2] for run in bares])
    return f"CPU {app:,.0f} vs {bare:,.0f} ms ({app / bare:.2f}×)" if bare > 0 else ""


def ready_row(name: str, size: str, repeat: int, apps: list[Run], bares: list[Run]) -> Row:
    """A window ready for a label key, against the bare program's first paint (it has nothing
    more to do); reported, no target."""
    return Row(
        name,
        size,
        repeat,
        _ms(apps),
        baseline=_ms(bares),
        note="the window complete: documents listed, panel filled, label keys working; "
        f"baseline: the bare program's first paint; {cpu_note(apps, bares)}",
    )


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    # Bytecode compiled first, as an installed program (pip, the bundle) has it: where
    # PYTHONDONTWRITEBYTECODE is set, every start would compile each module again (~40-80 ms).
    compileall.compile_dir(ROOT / "annotator", quiet=1)
    procs = Processes(ws)
    annotator = annotator_command()
    rows: list[Row] = []

    sample = sample_project(ws)
    apps, bares = procs.pair(probe("app", str(sample)), probe("bare", str(sample)), repeat)
    rows.append(
        Row(
            "whole process: launch to painted window",
            "the sample project",
            repeat,
            _ms(apps),
            baseline=_ms(bares),
            target=LAUNCH_TARGET,
            note="baseline: PySide6 + QPlainTextEdit painting the same text; both exit at "
            f"their first paint; {cpu_note(apps, bares)}",
        )
    )

    apps, bares = procs.pair(probe("ready", str(sample)), probe("bare", str(sample)), repeat)
    rows.append(
        ready_row("whole process: launch to ready", "the sample project", repeat, apps, bares)
    )

    version = [sys.executable, "-c", "print('annotator 0.0')"]
    apps, bares = procs.pair([*annotator, "--version"], version, repeat)
    rows.append(
        Row(
            "whole process: annotator --version",
            "—",
            repeat,
            _ms(apps),
            baseline=_ms(bares),
            target=VERSION_TARGET,
            note=f"baseline: the interpreter printing a line; {cpu_note(apps, bares)}",
        )
    )

    project = ws.project(size)
    apps, bares = procs.pair(probe("app", str(project)), probe("bare", str(project)), repeat)
    rows.append(
        Row(
            "whole process: open + paint",
            size.label,
            repeat,
            _ms(apps),
            baseline=_ms(bares),
            target=OPEN_TARGET,
            note="baseline: PySide6 + QPlainTextEdit painting the same text; "
            f"{cpu_note(apps, bares)}",
        )
    )
    rows.append(
        Row(
            "whole process: peak RSS opening",
            size.label,
            repeat,
            _mib(apps),
            unit="MiB",
            baseline=_mib(bares),
            target=MEMORY_TARGET,
            note="ru_maxrss of the same runs",
        )
    )

    apps, bares = procs.pair(probe("ready", str(project)), probe("bare", str(project)), repeat)
    rows.append(ready_row("whole process: open to ready", size.label, repeat, apps, bares))
    rows.append(
        Row(
            "whole process: peak RSS to ready",
            size.label,
            repeat,
            _mib(apps),
            unit="MiB",
            baseline=_mib(bares),
            note="ru_maxrss of the same runs (the window complete, every annotation read)",
        )
    )

    source = exported(ws, project)
    empty = empty_project(ws)
    folder = ws.fresh_dir("imports")
    target, bare_target = folder / "imported.annot", folder / "bare.annot"

    def remove_imports() -> None:
        for path in folder.iterdir():
            path.unlink()

    apps, bares = procs.pair(
        [*annotator, "import", str(target), str(source)],
        bare_io("import", str(source), str(empty), str(bare_target)),
        repeat,
        before=remove_imports,
    )
    rows.append(
        Row(
            "whole process: annotator import (JSON)",
            size.label,
            repeat,
            _ms(apps),
            baseline=_ms(bares),
            target=IMPORT_TARGET,
            note="into a new project; baseline: json.load + sqlite3.executemany into a copy "
            f"of an empty project; {cpu_note(apps, bares)}",
        )
    )

    out, bare_out = folder / "out.json", folder / "bare-out.json"
    apps, bares = procs.pair(
        [*annotator, "export", str(project), "-o", str(out)],
        bare_io("export", str(source), str(bare_out)),
        repeat,
    )
    rows.append(
        Row(
            "whole process: annotator export (JSON)",
            size.label,
            repeat,
            _ms(apps),
            baseline=_ms(bares),
            target=EXPORT_TARGET,
            note="to a file; baseline: json.load + json.dumps of the same export, written; "
            f"{cpu_note(apps, bares)}",
        )
    )
    json.loads(out.read_text(encoding="utf-8"))  # the export is whole and valid
    shutil.rmtree(folder, ignore_errors=True)
    return rows


SCENARIOS = [Scenario("process", run, ("large",), 5)]
