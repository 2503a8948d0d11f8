"""PySide6 6.12.0 on CPython 3.11 aborts ("Fatal Python error: none_dealloc") after ~100k calls
of void methods. The dependency pin keeps that build out; this test proves the installed one is
fine by making 200,000 such calls in a child process (an abort would kill pytest itself)."""

from __future__ import annotations

import subprocess
import sys

import PySide6

VOID_CALLS = """
from PySide6.QtCore import QPoint, QRect, QSize
point, rect, size = QPoint(), QRect(), QSize()
for i in range(200_000):
    point.setX(i)          # each returns None through shiboken
    rect.setWidth(i)
    size.setHeight(i)
print("ok", point.x())
"""


def test_two_hundred_thousand_void_calls_do_not_abort() -> None:
    result = subprocess.run(
        [sys.executable, "-c", VOID_CALLS], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"PySide6 {PySide6.__version__}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "ok 199999"


def test_known_crashing_build_is_not_installed() -> None:
    crashing = sys.version_info[:2] == (3, 11) and PySide6.__version__ == "6.12.0"
    assert not crashing, "PySide6 6.12.0 on CPython 3.11 aborts; see pyproject.toml"
