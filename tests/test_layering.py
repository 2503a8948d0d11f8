"""Dependencies point down only: gui -> service -> store/io -> core, and core imports no Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"

FORBIDDEN = {
    "core": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "annotator.store",
        "annotator.io",
        "annotator.gui",
        "annotator.service",
        "annotator.cli",
    ),
    "store": ("PySide6", "annotator.io", "annotator.gui", "annotator.service", "annotator.cli"),
    "io": ("PySide6", "sqlalchemy", "annotator.store", "annotator.gui", "annotator.service"),
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer: str) -> None:
    offences = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert not offences, "\n".join(offences)


def test_core_runs_without_qt_loaded() -> None:
    code = (
        "import sys, pkgutil, importlib, annotator.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('annotator.core.' + m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
