"""Signing in to a server project (issue 27, items 6 to 9): the URL spellings people paste are
taken, no password ever reaches what is shown or kept, a missing password says how to give one,
a role that may not create the project says so, and a lost connection is one line."""

from __future__ import annotations

import logging
import os
import pty
import select
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core import model
from annotator.core.errors import ProjectError
from annotator.service import import_file
from annotator.store.backend import ServerAddress, is_server
from annotator.store.project import Project
from tests.conftest import ROOT, SAMPLE

WAIT_S = 60  # an upper bound for a loaded machine; the tests wait for the event


def _parts(url: str) -> tuple[str, str]:
    """(``host:port``, database) of a test server's URL."""
    rest = url.split("@", 1)[1]
    host, _, database = rest.partition("/")
    return host, database


# -- 6: the spellings people paste -----------------------------------------------------------


@pytest.mark.parametrize(
    "scheme", ["postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2", "POSTGRES"]
)
def test_the_common_schemes_open_the_project(
    scheme: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.open(pg_url) as project:
        import_file(project, SAMPLE)
    host, database = _parts(pg_url)
    url = f"{scheme}://postgres:pa55-{scheme}@{host}/{database}"
    assert is_server(url)
    address = ServerAddress(url)
    assert address.url.drivername == "postgresql+psycopg"
    assert str(address) == f"postgresql://postgres@{host}/{database}"
    assert main(["info", url]) == 0
    out, err = capsys.readouterr()
    assert "Documents: 1" in out and err == ""
    assert f"pa55-{scheme}" not in out


def test_a_libpq_conninfo_string_opens_the_project(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.open(pg_url) as project:
        import_file(project, SAMPLE)
    host, database = _parts(pg_url)
    address, port = host.split(":")
    conninfo = f"host={address} port={port} dbname={database} user=postgres password='a b\\'c'"
    assert is_server(conninfo)
    assert ServerAddress(conninfo).url.password == "a b'c"
    assert str(ServerAddress(conninfo)) == f"postgresql://postgres@{host}/{database}"
    assert main(["info", conninfo]) == 0
    out, err = capsys.readouterr()
    assert "Documents: 1" in out and err == "" and "a b'c" not in out


def test_a_host_no_resolver_takes_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:  # refused as the argument is read
        main(["info", "postgresql://ann:pw-9@h\U000f88c7st:5432/news"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "is not a host name" in err and "internal error" not in err and "pw-9" not in err


PASSWORD_CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="@:/%?#&= +[]'\\"
)
PASSWORDS = st.text(PASSWORD_CHARS, min_size=6, max_size=24).filter(lambda p: p.strip() == p)
SCHEMES = st.sampled_from(
    ["postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgresql+asyncpg"]
)


def spellings(scheme: str, password: str, host: str, database: str, user: str = "ann") -> list[str]:
    """One password written every way a person may paste it."""
    conninfo_password = password.replace("\\", "\\\\").replace("'", "\\'")
    address, port = host.split(":")
    return [
        f"{scheme}://{user}:{quote(password, safe='')}@{host}/{database}",  # as the spec says
        f"{scheme}://{user}:{password}@{host}/{database}",  # as typed, not encoded
        f"{scheme}://{user}@{host}/{database}?password={quote(password, safe='')}",
        f"{scheme}://{user}:{password}@{host}",  # no database
        f"host={address} port={port} dbname={database} user={user} password='{conninfo_password}'",
    ]


def assert_hidden(password: str, *texts: str) -> None:
    forms = {password, quote(password, safe=""), quote(password), quote_plus(password)}
    for text in texts:
        for form in forms:
            assert form not in text, (form, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheme=SCHEMES, password=PASSWORDS)
def test_no_spelling_of_a_password_reaches_a_parsed_address(scheme: str, password: str) -> None:
    for url in spellings(scheme, password, "db.example:5432", "news"):
        try:
            address = ServerAddress(url)
        except ProjectError as exc:
            assert_hidden(password, str(exc), repr(exc))
            continue
        assert scheme != "postgresql+asyncpg" or url.startswith("host=")  # not a URL
        assert_hidden(password, str(address), repr(address), address.name, str(address.parent))
        assert address.url.password in (password, unquote(password))


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from PySide6.QtCore import QSettings

    from annotator.gui import app as gui_app

    monkeypatch.setattr(gui_app, "data_folder", lambda: tmp_path / "data")
    (tmp_path / "data").mkdir(exist_ok=True)
    monkeypatch.setattr(
        gui_app,
        "settings",
        lambda: QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
    )
    return tmp_path


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scheme=SCHEMES, password=PASSWORDS, spelling=st.sampled_from([0, 1, 2, 4]))
def test_no_password_reaches_a_message_a_title_settings_or_a_log(
    qtbot,
    isolated: Path,
    pg_server: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    scheme: str,
    password: str,
    spelling: int,
) -> None:
    """Every way a password is written, through the command line, the dialog, the window's
    title, the recent projects and the log (trust authentication lets any password in)."""
    from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

    from annotator.gui import app as gui_app
    from annotator.gui.server_dialog import ServerDialog
    from tests.helpers.pg_cluster import free_port

    host = pg_server.rsplit("@", 1)[1]
    unreachable = f"127.0.0.1:{free_port()}"
    recorder = Recorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *a: shown.append(text))
    texts: list[str] = []
    try:
        for url in [
            *spellings(scheme, password, unreachable, "news"),  # cannot reach the server
            *spellings(scheme, password, host, "no_such_database"),
        ]:
            try:
                assert main(["info", url]) == 2
            except SystemExit as exc:  # argparse's refusal of the argument
                assert exc.code == 2
            texts.extend(capsys.readouterr())
        # the dialog: the URL (password in it) refused, then a password in its own field
        application = gui_app.Application(QApplication.instance(), guard=True)
        for url in spellings(scheme, password, host, "no_such_database")[:3]:
            answers = iter([QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])

            def fill(
                dialog: ServerDialog, url: str = url, answers: Iterator = answers
            ) -> QDialog.DialogCode:
                dialog.url_edit.setText(url)
                dialog.password_edit.setText(password)
                texts.append(dialog.windowTitle())
                texts.extend(label.text() for label in dialog.findChildren(QLabel))
                return next(answers)

            monkeypatch.setattr(ServerDialog, "exec", fill)
            assert application.choose_server() is None
        # a project that opens: its window, the recent projects
        if scheme != "postgresql+asyncpg" or spelling == 4:  # 4: not a URL
            from tests.helpers import pg_cluster

            good = pg_cluster.new_database(pg_server)
            try:
                database = good.rsplit("/", 1)[1]
                url = spellings(scheme, password, host, database, "postgres")[spelling]
                project = Project.open(url)
                window = application.open(project)
                assert window is not None
                qtbot.addWidget(window)
                texts.append(window.windowTitle())
                window.close()
                project.close()
                application.settings.sync()
                texts.append((isolated / "settings.ini").read_text(encoding="utf-8"))
                assert database in texts[-1]
            finally:
                pg_cluster.drop_database(pg_server, good)
    finally:
        root.removeHandler(recorder)
        root.setLevel(old_level)
    assert_hidden(password, *texts, *shown, *recorder.lines)
    for path in isolated.rglob("*"):
        if path.is_file():
            assert_hidden(password, path.read_bytes().decode("utf-8", "replace"))


def test_the_dialog_opens_every_common_scheme(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.gui.server_dialog import ServerDialog

    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    open_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
    for url in ("postgres://ann@db/news", "postgresql+psycopg2://ann@db/news", "host=db"):
        dialog.url_edit.setText(url)
        assert open_button.isEnabled(), url
    dialog.url_edit.setText("news.annot")
    assert not open_button.isEnabled()


# -- 7: signing in without a password ---------------------------------------------------------

ROLE, PASSWORD = "alice", "Secr3t-pw"


@pytest.fixture(scope="module")
def password_server():
    """A server of its own on which ``alice`` must give her password (scram-sha-256)."""
    from tests.helpers import pg_cluster

    try:
        with pg_cluster.cluster(hba=[f"host all {ROLE} 127.0.0.1/32 scram-sha-256"]) as server:
            pg_cluster.admin(
                server,
                f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'",
                f"CREATE DATABASE news OWNER {ROLE}",
            )
            yield server.replace("postgres@", f"{ROLE}@") + "/news"
    except pg_cluster.NoServer as exc:
        pytest.skip(str(exc))


@pytest.fixture
def no_stored_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("PGPASSWORD", "PGSERVICE", "PGPASSFILE", "PGSERVICEFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.setenv("HOME", str(tmp_path))


def test_no_password_says_how_to_give_one(
    password_server: str, no_stored_password: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", password_server]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no password was given" in err and "wrong user or password" not in err
    for way in ("PGPASSWORD", "~/.pgpass", "PGSERVICE"):
        assert way in err


def test_a_wrong_password_still_says_so(
    password_server: str, no_stored_password: None, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = password_server.replace(f"{ROLE}@", f"{ROLE}:wrong-one@")
    assert main(["info", wrong]) == 2
    err = capsys.readouterr().err
    assert "wrong user or password" in err and "wrong-one" not in err


def _read_until(fd: int, wanted: bytes) -> bytes:
    seen = b""
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], WAIT_S)
        assert ready, f"waited {WAIT_S} s for {wanted!r}; saw {seen!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        seen += chunk
    return seen


def test_the_command_line_asks_for_the_password_on_a_terminal(
    password_server: str, no_stored_password: None
) -> None:
    Project.open(password_server.replace(f"{ROLE}@", f"{ROLE}:{PASSWORD}@")).close()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command line, its terminal the pty
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "annotator.cli", "info", password_server])
    try:
        prompt = _read_until(fd, b"assword")
        assert b"Password for" in prompt and ROLE.encode() in prompt
        os.write(fd, PASSWORD.encode() + b"\n")
        rest = _read_until(fd, b"Annotations:")
        assert PASSWORD.encode() not in prompt + rest  # not echoed
        assert b"Documents: 0" in rest, rest
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0


def test_the_dialog_keeps_what_was_typed_when_the_server_refuses_it(
    qtbot, isolated: Path, password_server: str, no_stored_password: None, monkeypatch
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from annotator.gui import app as gui_app
    from annotator.gui.server_dialog import ServerDialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    seen: list[tuple[str, str]] = []

    def fill(dialog: ServerDialog) -> QDialog.DialogCode:
        seen.append((dialog.url(), dialog.password()))
        if len(seen) == 1:
            dialog.url_edit.setText(password_server)
            dialog.password_edit.setText("not-it")
            dialog.create_box.setChecked(True)
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ServerDialog, "exec", fill)
    application = gui_app.Application(QApplication.instance(), guard=True)
    assert application.choose_server() is None
    assert len(shown) == 1 and "wrong user or password" in shown[0] and "not-it" not in shown[0]
    assert seen[1] == (password_server, "not-it")  # shown again, as typed


# -- 8: a role that may not create the project ----------------------------------------------


def test_a_role_that_may_not_create_tables_is_told_what_is_missing(
    pg_server: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import pg_cluster

    role = f"nocreate_{pg_url.rsplit('_', 1)[1]}"
    pg_cluster.admin(pg_server, f"CREATE ROLE {role} LOGIN")
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    url = pg_url.replace("postgres@", f"{role}@")
    try:
        assert main(["import", url, str(SAMPLE)]) == 2
        err = capsys.readouterr().err
        assert "may only read the project" not in err
        assert "no Annotator project yet" in err and "may not create" in err
        assert err.count("\n") == 1
        assert main(["info", url]) == 2
        err = capsys.readouterr().err
        assert "no Annotator project yet" in err and "may not create" in err
    finally:
        pg_cluster.admin(pg_server, f"DROP ROLE {role}")


# -- 9: a lost connection ----------------------------------------------------------------------


def test_a_connection_lost_mid_command_is_only_the_one_line(
    pg_server: str, pg_url: str, tmp_path: Path
) -> None:
    """Merging many annotations sends them in a pipeline; the server ends the connection while
    the pipeline waits (a table lock holds its first insert)."""
    import sqlite3

    Project.open(pg_url).close()
    source = tmp_path / "many.annot"
    with Project.open(source) as project:
        added = project.import_bundle(model.ImportedBundle([model.ImportedDocument("x" * 99, "t")]))
        project.add_annotation(added.added[0].id, "Claim", 0, 1, note="n" * 2000)
    # enough rows to fill the socket's buffers while the server does not read them
    connection = sqlite3.connect(source)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(annotations)")]
    (row,) = connection.execute("SELECT * FROM annotations").fetchall()
    at = columns.index("id")
    connection.executemany(
        f"INSERT INTO annotations VALUES ({', '.join('?' * len(columns))})",
        [tuple(f"a{i:06d}" if j == at else v for j, v in enumerate(row)) for i in range(20_000)],
    )
    connection.commit()
    connection.close()
    database = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_url) as lock, psycopg.connect(f"{pg_server}/postgres") as watch:
        lock.execute("LOCK TABLE annotations IN SHARE MODE")  # reads go on, inserts wait
        command = subprocess.Popen(
            [sys.executable, "-m", "annotator.cli", "merge", pg_url, str(source)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            watch.autocommit = True
            pid = None
            while pid is None and command.poll() is None:
                pid = watch.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND "
                    "wait_event_type = 'Lock' AND query LIKE 'INSERT INTO annotations%%'",
                    (database,),
                ).fetchone()
                if pid is None:
                    threading.Event().wait(0.05)  # as qtbot.waitUntil: look again shortly
            assert pid is not None, command.communicate()
            watch.execute("SELECT pg_terminate_backend(%s)", pid)
            out, err = command.communicate(timeout=WAIT_S)
        finally:
            if command.poll() is None:
                command.kill()
                command.wait()
    assert command.returncode == 1 or command.returncode == 2
    assert err.count("\n") == 1, err
    assert err.startswith(f"annotator: error: {pg_url}: the connection to the server was lost")
    assert "Pipeline" not in err and "error ignored" not in err


def test_the_window_started_on_a_server_asks_for_the_password_it_wants(
    qtbot, isolated: Path, password_server: str, no_stored_password: None, monkeypatch
) -> None:
    # issue 27.7: `annotator URL` without a password said so and then opened the sample project
    import argparse

    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from annotator.gui import app as gui_app
    from annotator.gui.server_dialog import ServerDialog
    from annotator.store.backend import location

    told: list[str] = []
    for kind in ("information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a: told.append(text))
    asked: list[str] = []

    def type_password(dialog: ServerDialog) -> QDialog.DialogCode:
        asked.append(dialog.url())
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        dialog.create_box.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ServerDialog, "exec", type_password)
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))  # no event loop to run
    gui_app.settings().setValue("annotator/name", ROLE)  # no first-launch question
    arguments = argparse.Namespace(project=location(password_server), files=[], screenshot=None)

    assert gui_app.run(arguments) == 0

    assert len(told) == 1 and "no password was given" in told[0]
    assert asked == [password_server]  # the dialog, filled in, asked for the password only
    windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "main-window"]
    titles = [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in windows:
        widget.close()
    assert any("news" in title for title in titles), titles
    assert not (isolated / "data" / "Sample project.annot").exists()
