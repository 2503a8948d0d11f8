"""What starting Annotator imports: ``--version`` needs neither Qt nor the store, and the window's
modules leave what the first paint does not need (dialogs, Alembic, format libraries) for later.

Each check runs in a fresh interpreter, so the modules this test session has loaded do not count.
Timing is measured in ``benchmarks/bench_process.py``, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

_LOADED = "import json, sys; print(json.dumps(sorted(sys.modules)))"


def loaded_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{_LOADED}"],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_version_loads_neither_qt_nor_the_store() -> None:
    loaded = loaded_after(
        "from annotator import cli\ntry:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert "annotator.cli" in loaded
    heavy = {m for m in loaded if m.split(".")[0] in ("PySide6", "sqlalchemy", "alembic")}
    assert not heavy and "importlib.metadata" not in loaded, sorted(heavy)


def test_the_window_leaves_dialogs_and_format_libraries_for_later() -> None:
    loaded = loaded_after("import annotator.gui.app")
    assert "annotator.gui.main_window" in loaded
    later = {
        "alembic",
        "charset_normalizer",
        "docx",
        "openpyxl",
        "pypdf",
        "spacy",
        "trafilatura",
        "annotator.gui.codebook_dialog",
        "annotator.gui.export_dialog",
        "annotator.gui.restore_backup_dialog",
        "annotator.gui.shortcuts_dialog",
        # a first look paints before the store proper (tests/test_first_look.py)
        "sqlalchemy",
        "annotator.service",
        "annotator.store.project",
        "annotator.gui.annotation_panel",
    }
    assert not later & loaded, sorted(later & loaded)
