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


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session (``.ci/run``'s, or a throw-away cluster)."""
    from tests.helpers import pg_cluster

    if os.environ.get(pg_cluster.URL_VARIABLE):
        yield os.environ[pg_cluster.URL_VARIABLE].rstrip("/")
        return
    try:
        with pg_cluster.cluster() as server:
            yield server
    except pg_cluster.NoServer as exc:
        if os.environ.get(pg_cluster.REQUIRE_VARIABLE):
            pytest.fail(f"PostgreSQL is required here ({pg_cluster.REQUIRE_VARIABLE}): {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def pg_url(pg_server: str):
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    from tests.helpers import pg_cluster

    url = pg_cluster.new_database(pg_server)
    yield url
    pg_cluster.drop_database(pg_server, url)


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_template(pg_server: str):
    """A database holding a new project with the default codebook, as ``Project.open`` makes
    it, sealed: the server projects of ``new_location(..., project=True)`` are copies of it
    (``CREATE DATABASE … TEMPLATE``, a quarter of the time of creating and migrating one)."""
    from tests.helpers import pg_cluster

    url = pg_cluster.new_database(pg_server)
    try:
        Project.open(url).close()
        pg_cluster.seal(pg_server, url)
        yield url
    finally:
        pg_cluster.drop_database(pg_server, url)


@pytest.fixture
def new_location(request: pytest.FixtureRequest, tmp_path: Path):
    """Make a fresh place for a project: ``new_location(backend, name)`` is a file
    ``tmp_path/name.annot`` for ``"sqlite"``, else the URL of a new empty PostgreSQL database
    (dropped after the test). With ``project=True`` the place already holds a new project with
    the default codebook (on a server, a copy of ``pg_template``)."""
    from tests.helpers import pg_cluster

    made: list[tuple[str, str]] = []

    def make(backend: str, name: str = "test", *, project: bool = False) -> Path | str:
        if backend == "sqlite":
            path = tmp_path / f"{name}.annot"
            if project:
                Project.open(path).close()
            return path
        server = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("pg_template") if project else None
        url = pg_cluster.new_database(server, template)
        made.append((server, url))
        return url

    yield make
    for server, url in made:
        pg_cluster.drop_database(server, url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The one parametrized fixture behind the store tests: each runs once on a file and once
    on a PostgreSQL server."""
    return request.param


@pytest.fixture
def store_location(backend: str, new_location) -> Path | str:
    """Where a project lives, once as a file and once on a PostgreSQL server: the store tests
    that take it (or ``any_project``) run against both backends."""
    return new_location(backend)


@pytest.fixture
def any_project(backend: str, new_location):
    """A new project with the default codebook, once in a file and once on a PostgreSQL
    server."""
    with Project.open(new_location(backend, project=True)) as opened:
        yield opened


@pytest.fixture
def any_sample_project(any_project: Project) -> Project:
    """``sample_project`` on either backend: the sample article, as on first run."""
    from annotator.service import import_file

    outcome = import_file(any_project, SAMPLE)
    assert outcome.summary is not None and outcome.summary.added, outcome.message
    return any_project
