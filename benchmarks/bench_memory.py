"""Peak RSS of the app with a project open and painted, against bare Qt showing the same text.

Each measurement runs in its own subprocess (``python -m benchmarks.bench_memory app|bare``), which
prints its ``ru_maxrss``. The probe is started through a small launcher process: Linux carries a
parent's peak RSS over fork/vfork + exec into the child's ``ru_maxrss``, so a probe spawned
straight from this (large) benchmark process would report at least this process's peak.

Only the standard library is imported at the top: the bare probe must not load the app,
SQLAlchemy or anything else the baseline does not need.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.rows import Row, Scenario, Target, median

if TYPE_CHECKING:
    from benchmarks.generate import Size
    from benchmarks.harness import Workspace

TARGET = Target(max_ratio=2)
ROOT = Path(__file__).resolve().parent.parent
_LAUNCHER = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def probe_app(project_path: str, settings_path: str) -> float:
    from PySide6.QtCore import QSettings

    from annotator.store.project import Project
    from benchmarks.harness import open_window, qt_app

    qt_app()
    project = Project.open(project_path)
    window = open_window(project, QSettings(settings_path, QSettings.Format.IniFormat))
    assert window.reader.document_id is not None, "no document shown"
    return peak_rss_mb()


def probe_bare(text_path: str) -> float:
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication(["bare"])
    edit = QPlainTextEdit()
    edit.resize(618, 720)  # the reader's size in the default window layout
    edit.setPlainText(Path(text_path).read_text(encoding="utf-8"))
    edit.show()
    edit.repaint()
    app.processEvents()
    return peak_rss_mb()


def measure(*args: str) -> float:
    """Peak RSS in MiB of one probe subprocess."""
    return measure_module("benchmarks.bench_memory", *args)


def probe_output(module: str, *args: str) -> str:
    """What ``python -m module args`` prints, run through the launcher (offscreen)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    probe = [sys.executable, "-m", module, *args]
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _LAUNCHER, *probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"probe {module} {args[0]} failed:\n{done.stderr}")
    return done.stdout


def measure_module(module: str, *args: str) -> float:
    """Peak RSS in MiB of ``python -m module args`` (which prints it last)."""
    return float(probe_output(module, *args).strip().splitlines()[-1])


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    from benchmarks.harness import document_text

    path = ws.project(size)
    text_path = ws.fresh_dir("text") / "text.txt"
    text_path.write_text(document_text(path)[1], encoding="utf-8")
    app_mb: list[float] = []
    bare_mb: list[float] = []
    for _ in range(repeat):
        settings = ws.fresh_dir("settings") / "settings.ini"
        app_mb.append(measure("app", str(path), str(settings)))
        bare_mb.append(measure("bare", str(text_path)))
    return [
        Row(
            "peak RSS, project open and painted",
            size.label,
            repeat,
            median(app_mb),
            unit="MiB",
            baseline=median(bare_mb),
            target=TARGET,
            note="each in its own process; baseline: QApplication + QPlainTextEdit",
        )
    ]


SCENARIOS = [Scenario("memory", run, ("large",), 3)]


def main(argv: list[str]) -> None:
    if argv[:1] == ["app"] and len(argv) == 3:
        print(f"{probe_app(argv[1], argv[2]):.1f}")
    elif argv[:1] == ["bare"] and len(argv) == 2:
        print(f"{probe_bare(argv[1]):.1f}")
    else:
        sys.exit("usage: python -m benchmarks.bench_memory app PROJECT SETTINGS | bare TEXT")


if __name__ == "__main__":
    main(sys.argv[1:])
