"""Shared fixtures. Qt must be told to draw offscreen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.store.project import Project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "resources" / "cambodia-tier2.txt"
SHARED = Path(os.environ.get("ANNOTATOR_SHARED") or ROOT.parent / "shared")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "test.annot"


@pytest.fixture
def project(project_path: Path):
    with Project.open(project_path) as opened:
        yield opened


@pytest.fixture
def sample_project(project: Project) -> Project:
    """A project holding the sample article, as on first run."""
    from annotator.service import import_file

    import_file(project, SAMPLE)
    return project


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not beside the checkout (looked in {SHARED})")
    return SHARED


@pytest.fixture
def make_window(qtbot, tmp_path: Path):
    """Open a real main window on a project, active so that its shortcuts fire."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    def make(project: Project, suggestions: bool = False):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        # off unless a test turns them on: their underlines would show in every format check
        settings.setValue("suggestions/show", suggestions)
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    return make


@pytest.fixture
def window(make_window, sample_project: Project):
    return make_window(sample_project)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything opens a network connection (importers must never fetch)."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an importer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def sql(path: Path, query: str) -> list[tuple]:
    """Rows of ``query`` on the SQLite file at ``path``, read with a separate connection."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()
