"""Dependencies point down only: gui -> service -> store/io -> core, and core imports no Qt.

What each layer may use (ARCHITECTURE.md draws the same picture):

- core: the standard library only (no Qt, no SQLAlchemy, nothing else of Annotator's);
- store: core, SQLAlchemy, Alembic (no io, gui, service);
- io: core and file-format libraries (no store, gui, service; no Qt, no SQLAlchemy);
- gui: core, gui, service, and the io registries' metadata (which formats exist); the store only
  through the application context, i.e. only in the few modules that open a project and build
  that context (GUI_STORE_GATES).
"""

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


#: What any gui module may import from Annotator itself.
GUI_ALLOWED = (
    "annotator.core",
    "annotator.gui",
    "annotator.service",
    "annotator.suggest_service",  # the service's suggestion actions (and their store)
    "annotator.reimport_service",  # the service's re-import of a document (issue 28)
    "annotator.resources_path",
    "annotator.__version__",
    "annotator.io.registry",  # export formats: names, suffixes, options
    "annotator.io.detect",  # readable file types, for the import dialog's filter
    "annotator.io.report_html",  # the report's HTML, which the preview and the PDF lay out
    "annotator.io.files",  # atomic writes and output-path checks, for the PDF report
    "annotator.io.report_pdf",  # the PDF printer (WeasyPrint), given the paper the locale picks
)
#: The gui modules that may import the store, and why.
GUI_STORE_GATES = {
    "context.py": "holds the open Project that every view reaches the store through",
    "app.py": "opens projects and builds the context",
    "project_guard.py": "reopens a project in use elsewhere, or restores a damaged one",
    "restore_backup_dialog.py": "lists a project's backup files",
    "codebook_commands.py": "its undo commands make the codebook edits of store.codebook",
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)  # and each name, so `from annotator import store` counts
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
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


def test_gui_reaches_the_store_only_through_the_context() -> None:
    offences = []
    for path in sorted((PACKAGE / "gui").rglob("*.py")):
        allowed = GUI_ALLOWED + (("annotator.store",) if path.name in GUI_STORE_GATES else ())
        for name in sorted(imported_modules(path)):
            if name == "annotator" or not name.startswith("annotator"):
                continue  # the package itself (its version), Qt, the standard library
            if not name.startswith(allowed):
                offences.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not offences, "\n".join(offences)


def test_the_store_gates_exist() -> None:
    """A gate that no longer exists must leave the list (or the rule would widen unseen)."""
    assert all((PACKAGE / "gui" / name).is_file() for name in GUI_STORE_GATES)


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
