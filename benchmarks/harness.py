"""What the scenarios share: a Qt application, a temporary workspace (generated projects, isolated
settings), opening and closing the real main window, and timing."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    QSettings,
    QStandardPaths,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from annotator.gui.context import AppContext  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.store.project import Project  # noqa: E402
from benchmarks.generate import Size, build_corpus  # noqa: E402

#: The columns Project.annotations() reads, for the raw-SQLite baselines.
ANNOTATION_SQL = (
    'SELECT a.id, a.document_id, a.start, a."end", a.text, a.attributes, a.note, a.annotator, '
    "a.created, a.modified, l.name FROM annotations a JOIN labels l ON l.id = a.label_id "
    'WHERE a.document_id = ? ORDER BY a.start, a."end", a.created'
)


_NOISE = ("This plugin does not support propagateSizeHints()",)


def _quiet_offscreen(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr, less the offscreen platform's one-per-window notice."""
    if message not in _NOISE:
        print(f"Qt {kind.name}: {message}", file=sys.stderr)


def qt_app() -> QApplication:
    """The one QApplication, made with Qt's test paths so nothing reaches the user's settings."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QStandardPaths.setTestModeEnabled(True)
    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication(["annotator-benchmarks"])
    app.setOrganizationName("Annotator benchmarks")
    app.setApplicationName("annotator-benchmarks")
    return app


def settle() -> None:
    """Run pending events, deferred deletions included."""
    app = qt_app()
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def paint(widget: QWidget) -> None:
    """Show ``widget`` and let it paint once (the "first paint" of the scenarios)."""
    widget.show()
    widget.repaint()
    qt_app().processEvents()


def discard(widget: QWidget) -> None:
    widget.close()
    widget.deleteLater()
    settle()


def elapsed_ms(action: Callable[[], object]) -> float:
    """Wall-clock milliseconds of ``action()``; garbage is collected beforehand, untimed."""
    gc.collect()
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


class Workspace:
    """A temporary folder: generated projects (made once, copied per use) and fresh settings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._generated: dict[tuple[Size, int], Path] = {}
        self._count = 0

    def fresh_dir(self, name: str) -> Path:
        self._count += 1
        path = self.root / f"{self._count:03d}-{name}"
        path.mkdir()
        return path

    def settings(self) -> QSettings:
        """Settings of their own, as on a first run (never the user's)."""
        path = self.fresh_dir("settings") / "settings.ini"
        settings = QSettings(str(path), QSettings.Format.IniFormat)
        # suggestions off: the other scenarios measure the window as before; bench_suggest
        # measures keystrokes with them on (and a model training)
        settings.setValue("suggestions/show", False)
        return settings

    def project(self, each: Size, documents: int = 1) -> Path:
        """A fresh copy of a generated project of ``documents`` documents of size ``each``."""
        key = (each, documents)
        if key not in self._generated:
            source = self.fresh_dir(f"generated-{each.name.replace('/', '-')}") / "p.annot"
            build_corpus(source, each, documents)
            self._generated[key] = source
        target = self.fresh_dir("project") / "project.annot"
        copy_database(self._generated[key], target)
        return target


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite file with the backup API (its WAL included)."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


@contextmanager
def workspace() -> Iterator[Workspace]:
    """A Workspace in a temporary folder, removed afterwards."""
    qt_app()
    root = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    try:
        yield Workspace(root)
    finally:
        settle()
        gc.collect()
        shutil.rmtree(root, ignore_errors=True)


def open_window(project: Project, settings: QSettings) -> MainWindow:
    """The real main window on ``project``, shown and painted once."""
    window = MainWindow(AppContext(project, settings, QUndoStack()))
    paint(window)
    return window


@contextmanager
def main_window(
    ws: Workspace, path: Path, settings: QSettings | None = None
) -> Iterator[MainWindow]:
    """The main window on the project at ``path``; closed with its project afterwards."""
    project = Project.open(path)
    try:
        window = open_window(project, settings or ws.settings())
        try:
            yield window
        finally:
            discard(window)
    finally:
        project.close()


def document_text(path: Path) -> tuple[str, str]:
    """(id, text) of the first document of a project, read with raw sqlite3."""
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(
            "SELECT d.id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id "
            "ORDER BY d.position"
        ).fetchone()
    finally:
        connection.close()
    return row[0], row[1]
