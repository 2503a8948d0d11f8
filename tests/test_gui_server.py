"""Two windows on one server project: what one adds, deletes or marks shows in the other without
reopening; undo undoes only one's own edits; editing what the other deleted meanwhile says so
and changes nothing."""

from __future__ import annotations

import pytest

from annotator.core.model import DocumentStatus
from annotator.gui.commands import AddAnnotations
from annotator.gui.undo import push
from annotator.service import import_file
from annotator.store.project import Project
from tests.conftest import SAMPLE

WAIT_MS = 10_000  # an upper bound for a loaded CI machine; the tests wait for the event


@pytest.fixture
def two_windows(make_window, pg_url: str, tmp_path):
    with Project.open(pg_url) as first:
        import_file(first, SAMPLE)
    projects = [Project.open(pg_url, create=False) for _ in range(2)]
    windows = [make_window(project) for project in projects]
    for window in windows:
        assert window.server_watch is not None
        window.server_watch.listener.listening.wait(WAIT_MS / 1000)
        window.ctx.settings.setValue("annotator/name", "")
    yield windows
    for window, project in zip(windows, projects, strict=True):
        window.close()
        project.close()


def label(window, start: int, end: int, name: str = "Claim") -> None:
    window.reader.select_range(start, end)
    window.label_selection(name)


def test_an_annotation_added_in_one_window_appears_in_the_other(qtbot, two_windows) -> None:
    ann, bob = two_windows
    document = ann.reader.document_id
    assert bob.reader.document_id == document
    label(ann, 0, 8)
    (added,) = [a for a in ann.reader.annotations()]
    qtbot.waitUntil(lambda: bob.reader.annotation(added.id) is not None, timeout=WAIT_MS)
    assert bob.reader.annotation(added.id) == added
    assert bob.panel.model.row_of(added.id) is not None
    row = bob.documents.model.row_of(document)
    qtbot.waitUntil(lambda: bob.documents.model.rows[row].annotation_count == 1, timeout=WAIT_MS)
    # bob's undo stack holds none of ann's edits
    assert bob.ctx.undo_stack.count() == 0 and ann.ctx.undo_stack.count() == 1

    ann.ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: bob.reader.annotation(added.id) is None, timeout=WAIT_MS)
    assert list(bob.reader.annotations()) == []


def test_a_status_change_shows_in_the_other_window(qtbot, two_windows) -> None:
    ann, bob = two_windows
    document = ann.reader.document_id
    ann.ctx.project.set_document_status(document, DocumentStatus.DONE)
    row = bob.documents.model.row_of(document)
    qtbot.waitUntil(
        lambda: bob.documents.model.rows[row].status is DocumentStatus.DONE, timeout=WAIT_MS
    )


def test_editing_what_the_other_deleted_says_so_and_changes_nothing(
    qtbot, two_windows, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = two_windows
    label(ann, 0, 8)
    (added,) = list(ann.reader.annotations())
    qtbot.waitUntil(lambda: bob.reader.annotation(added.id) is not None, timeout=WAIT_MS)
    shown: list[str] = []
    monkeypatch.setattr(
        "annotator.gui.main_window.show_write_failure", lambda _w, error: shown.append(str(error))
    )
    bob.server_watch.stop()  # bob does not hear of the deletion before editing
    ann.ctx.project.delete_annotations([added.id])
    bob.panel.select(added.id)
    bob.label_selection("Quote")  # relabel the selected annotation
    assert shown and "was deleted meanwhile by someone else" in shown[0]
    assert "nothing was changed" in shown[0]
    assert bob.ctx.project.annotations() == []
    assert bob.ctx.undo_stack.count() == 0


def test_a_push_into_a_deleted_document_is_refused(qtbot, two_windows, monkeypatch) -> None:
    ann, bob = two_windows
    document = ann.reader.document_id
    shown: list[str] = []
    monkeypatch.setattr(
        "annotator.gui.main_window.show_write_failure", lambda _w, error: shown.append(str(error))
    )
    bob.server_watch.stop()
    ann.ctx.project.delete_documents([document])
    pushed = push(bob.ctx, AddAnnotations(bob.ctx, document, "Claim", [(0, 8)]))
    assert not pushed and bob.ctx.undo_stack.count() == 0
    assert shown and "the document was deleted meanwhile by someone else" in shown[0]
    assert bob.ctx.project.annotations() == []


# -- opening: the dialog, recent projects, `annotator URL` -------------------------------------


@pytest.fixture
def isolated(tmp_path, monkeypatch: pytest.MonkeyPatch):
    from PySide6.QtCore import QSettings

    from annotator.gui import app as gui_app

    monkeypatch.setattr(gui_app, "data_folder", lambda: tmp_path / "data")
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(
        gui_app,
        "settings",
        lambda: QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
    )
    return tmp_path


def test_open_server_project_creates_it_and_remembers_no_password(
    qtbot, isolated, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog

    from annotator.gui import app as gui_app
    from annotator.gui.server_dialog import ServerDialog

    secret = "d1alog-secret"
    filled: list[ServerDialog] = []

    def fill(dialog: ServerDialog) -> QDialog.DialogCode:
        filled.append(dialog)
        dialog.url_edit.setText(pg_url)
        dialog.password_edit.setText(secret)  # trust authentication lets it through
        dialog.create_box.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ServerDialog, "exec", fill)
    application = gui_app.Application(QApplication.instance(), guard=True)
    window = application.choose_server()
    assert window is not None and filled
    qtbot.addWidget(window)
    assert window.ctx.project.on_server and window.server_watch is not None
    assert window.windowTitle() == f"{pg_url.rsplit('/', 1)[1]} — Annotator"
    assert not window.actions_by_name["restore_backup"].isEnabled()
    application.settings.sync()
    settings_text = (isolated / "settings.ini").read_text()
    assert pg_url in settings_text and secret not in settings_text
    assert gui_app.last_project(application.settings) is not None
    assert str(gui_app.last_project(application.settings)) == pg_url
    window.close()
    window.ctx.project.close()


def test_the_dialog_opens_only_a_postgresql_url(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.gui.server_dialog import ServerDialog

    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    open_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
    assert not open_button.isEnabled()
    dialog.url_edit.setText("https://example.org/project")
    assert not open_button.isEnabled()
    dialog.url_edit.setText("postgresql://ann@db/news")
    assert open_button.isEnabled()


def test_annotator_url_opens_the_server_project(qtbot, isolated, pg_url: str) -> None:
    from PySide6.QtGui import QImage

    from annotator.cli import gui_parser
    from annotator.gui import app as gui_app

    with Project.open(pg_url) as project:
        import_file(project, SAMPLE)
    shot = isolated / "server.png"
    parsed = gui_parser().parse_args([pg_url, "--screenshot", str(shot)])
    assert gui_app.run(parsed) == 0
    assert QImage(str(shot)).width() > 800


def test_a_lost_server_refuses_the_edit_in_one_line_and_comes_back(
    qtbot, two_windows, pg_server: str, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import pg_cluster

    ann, bob = two_windows
    database = pg_url.rsplit("/", 1)[1]
    shown: list[str] = []
    monkeypatch.setattr(
        "annotator.gui.main_window.show_write_failure", lambda _w, error: shown.append(str(error))
    )
    pg_cluster.admin(
        pg_server,
        f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false',
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()",
    )
    try:
        label(bob, 0, 8)
        assert len(shown) == 1 and "\n" not in shown[0] and "Traceback" not in shown[0]
        assert shown[0].startswith(f"{pg_url}: ")
        assert "does not accept connections" in shown[0]
        assert bob.ctx.undo_stack.count() == 0 and list(bob.reader.annotations()) == []
        qtbot.waitUntil(
            lambda: "Live updates paused" in bob.statusBar().currentMessage(), timeout=WAIT_MS
        )
    finally:
        pg_cluster.admin(pg_server, f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    label(bob, 0, 8)
    assert bob.ctx.undo_stack.count() == 1
    (added,) = list(bob.reader.annotations())
    # ann's window hears again once its listener is back (it re-reads what it shows)
    qtbot.waitUntil(lambda: ann.reader.annotation(added.id) is not None, timeout=WAIT_MS)


def test_an_upgraded_server_project_says_so_in_the_window(make_window, pg_url: str) -> None:
    import psycopg

    from annotator.store import schema

    Project.open(pg_url).close()
    older = str(schema.current_version() - 1)
    with psycopg.connect(pg_url) as connection:
        connection.execute(
            "UPDATE project_meta SET value = %s WHERE key = 'schema_version'", (older,)
        )
    with Project.open(pg_url, create=False) as project:
        window = make_window(project)
        assert f"upgraded from schema {older}" in window.statusBar().currentMessage()
        window.close()


def test_a_relation_added_in_one_window_appears_in_the_other(qtbot, two_windows) -> None:
    ann, bob = two_windows
    document = ann.reader.document_id
    project = ann.ctx.project
    quote = project.add_annotation(document, "Quote", 0, 8)
    claim = project.add_annotation(document, "Claim", 20, 30)
    qtbot.waitUntil(lambda: bob.reader.annotation(claim.id) is not None, timeout=WAIT_MS)
    relation, _source = project.add_relation(document, "evidence for", quote.id, claim.id)
    qtbot.waitUntil(lambda: relation.id in bob.reader.relations.relations, timeout=WAIT_MS)
