"""What enters a project from outside is checked where it enters, whatever the path: server URLs
(no password in any message), server notices, label names and colours (imports, merges, rows
read back from a shared database), JSON nested too deeply, and spreadsheet formulas in the CSV
and XLSX files the program writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.service import import_file
from annotator.store.backend import ServerAddress
from annotator.store.project import Project
from tests.conftest import SAMPLE

# -- server URLs that do not parse -----------------------------------------------------------

BAD_URLS = (
    "postgresql://u:secret@host:99999/db",
    "postgresql://u:secret@[::1/db",
    "postgresql://u:secret@host:abc/db",
    "postgresql+asyncpg://u:secret@h/db",
    "postgresql+psycopg2://u:secret@h/db",
    "postgres://u:secret@h/db",
    "POSTGRES://u:secret@h/db",
    "postgresql://u:secret@h",
    "postgresql://u:se/cr@et@[::1/db",
)


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_url_that_does_not_parse_is_refused_in_one_line_without_its_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ProjectError) as caught:
        ServerAddress(url)
    assert "secret" not in str(caught.value) and "cret" not in str(caught.value)
    assert exit_code(["info", url]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "secret" not in err and "cret" not in err
    # argparse's usage line, then the one line that says why
    assert err.splitlines()[-1].lower().startswith("annotator info: error: argument project: post")


def exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse refuses an argument by exiting
        return int(exc.code or 0)


@pytest.mark.parametrize("url", BAD_URLS[:3])
def test_the_server_dialog_says_why_without_the_password(
    qtbot, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from annotator.gui import app as gui_app
    from annotator.gui.server_dialog import ServerDialog

    answers = iter((QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected))

    def fill(dialog: ServerDialog) -> QDialog.DialogCode:
        dialog.url_edit.setText(url)
        dialog.password_edit.setText("typed-secret")
        return next(answers)

    shown: list[str] = []
    monkeypatch.setattr(ServerDialog, "exec", fill)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append(text))
    application = gui_app.Application(QApplication.instance(), guard=True)
    assert application.choose_server() is None
    (text,) = shown
    assert "is not a valid PostgreSQL URL" in text or "is not a port" in text
    assert "secret" not in text and "\n" not in text


# -- JSON nested too deeply ------------------------------------------------------------------

DEEP = "[" * 100_000


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        import_file(project, SAMPLE)
    return path


@pytest.mark.parametrize(
    "args, name, content",
    [
        (["patterns", "{p}", "--import", "{f}"], "deep.jsonl", DEEP),
        (
            ["patterns", "{p}", "--import", "{f}"],
            "deep.jsonl",
            '{"label": "Quote", "pattern": ' + DEEP,
        ),
        (["import", "{p}", "{f}"], "deep.json", DEEP),
        (["import", "{p}", "{f}"], "deep.jsonl", DEEP),
        (["labels", "{p}", "--import", "{f}"], "deep.json", DEEP),
        (["evaluate", "{p}", "--gold", "{f}"], "deep.json", DEEP),
    ],
)
def test_json_nested_too_deeply_is_one_line_naming_the_file(
    sample_file: Path, tmp_path: Path, capsys, args: list[str], name: str, content: str
) -> None:
    hostile = tmp_path / name
    hostile.write_text(content)
    before = sample_file.read_bytes()
    code = main([a.format(p=sample_file, f=hostile) for a in args])
    err = capsys.readouterr().err
    if args[0] == "import":  # goes on with the other files, says which failed, exits 1
        assert code == 1 and err.startswith(f"error: {hostile}: ")
    else:
        assert code == 2 and err.startswith(f"annotator: error: {hostile}: ")
    assert err.count("\n") == 1
    assert "nested" in err and "Recursion" not in err
    assert sample_file.read_bytes() == before


def test_a_token_pattern_typed_in_too_deeply_nested_says_so(qtbot, window, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.gui.patterns_page import PatternsPage

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    page = PatternsPage(window.ctx)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("tokens"))
    page.pattern.setText(DEEP)
    page.add()
    (text,) = shown
    assert "nested too deeply" in text and page.patterns == []


# -- notices on the server's channel ---------------------------------------------------------

BAD_NOTICES = (
    "not json",
    "",
    "[1, 2, 3]",
    '"labels"',
    "{}",
    '{"kind": "annotations", "client": "x"}',  # no document
    '{"kind": "annotations", "document": ["a"], "client": "x"}',
    '{"kind": "annotations", "document": {"a": 1}, "client": "x"}',
    '{"kind": "status", "document": 12345678901234567890, "client": "x"}',
    '{"kind": "labels", "client": 1e999}',
    '{"kind": "labels", "client": ["x"]}',
    '{"kind": ["labels"], "client": "x"}',
    '{"kind": "everything", "client": "x"}',
    '{"kind": "annotations", "document": "' + "d" * 5000 + '", "client": "x"}',
    "[" * 7000,
    '{"kind": "labels", "client": "x", "n": ' + "9" * 5000 + "}",
)


def test_the_listener_ignores_notices_no_trigger_sends_and_keeps_listening(pg_url: str) -> None:
    import threading

    import psycopg

    from annotator.core.remote import RemoteChange

    heard: list[RemoteChange | None] = []
    good = threading.Event()

    def on_change(change: RemoteChange | None) -> None:
        heard.append(change)
        if change is not None and change.client == "the good one":
            good.set()

    with Project.open(pg_url) as project:
        listener = project.listen(on_change, lambda _reason: None)
        assert listener is not None and listener.listening.wait(30)
        with psycopg.connect(pg_url, autocommit=True) as connection:
            for payload in BAD_NOTICES:
                connection.execute("SELECT pg_notify('annotator_changes', %s)", (payload,))
            connection.execute(
                "SELECT pg_notify('annotator_changes', %s)",
                ('{"kind": "annotations", "document": "doc1", "client": "the good one"}',),
            )
        assert good.wait(30)  # a safety bound: it comes at once
        assert heard == [RemoteChange("annotations", "doc1", "the good one")]
        assert listener._thread.is_alive()
