"""The environment of the real program started in a child process by a test: offscreen, this
checkout first on the path, settings and data in ``home`` with a name set (so no first-launch
question comes up)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def program_env(home: Path) -> dict[str, str]:
    config = home / "config" / "Annotator"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Annotator.conf").write_text("[annotator]\nname=Tester\n", encoding="utf-8")
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        PYTHONPATH=str(ROOT),
    )
