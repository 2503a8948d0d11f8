"""What enters a project from outside is checked where it enters, whatever the path: server URLs
(no password in any message), server notices, label names and colours (imports, merges, rows
read back from a shared database), JSON nested too deeply, and spreadsheet formulas in the CSV
and XLSX files the program writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.io.tabular import FORMULA_STARTS
from annotator.service import import_file
from annotator.store.backend import ServerAddress
from annotator.store.project import Project
from tests.conftest import SAMPLE
from tests.conftest import sql as conftest_sql

# -- server URLs that do not parse -----------------------------------------------------------

BAD_URLS = (
    "postgresql://u:secret@host:99999/db",
    "postgresql://u:secret@[::1/db",
    "postgresql://u:secret@host:abc/db",
    "postgresql+asyncpg://u:secret@h/db",
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
    if args[0] == "import":  # says which file failed; none could be imported: exit 2
        assert code == 2 and err.startswith(f"error: {hostile}: ")
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


# -- label names -----------------------------------------------------------------------------

BAD_NAMES = ("Bad\x07name", "Bad\x85name", "Tab\tname")
HOSTILE_COLORS = ('#ff0000" onmouseover=alert(1)', "red;background:url(http://x/)", "#ff0000\n")


def labels_of(path: Path) -> list[str]:
    with Project.open(path) as project:
        return [label.name for label in project.labels()]


def one_line_error(capsys: pytest.CaptureFixture[str], *where: object) -> str:
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: ") and err.count("\n") == 1, err
    assert "internal error" not in err and all(str(w) in err for w in where), err
    return err


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize("suffix", [".csv", ".qdc", ".json"])
def test_a_codebook_file_with_a_bad_label_name_is_refused_naming_it(
    sample_file: Path, tmp_path: Path, capsys, name: str, suffix: str
) -> None:
    codebook = tmp_path / f"codebook{suffix}"
    if suffix == ".csv":  # Taguette's codebook
        codebook.write_text(f'tag,description\r\n"{name}",d\r\nFine,\r\n', encoding="utf-8")
    elif suffix == ".qdc":
        escaped = "".join(f"&#{ord(c)};" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in name)
        codebook.write_text(
            '<?xml version="1.0" encoding="utf-8"?>'
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            f'<Code guid="a" name="{escaped}" isCodable="true"/>'
            '<Code guid="b" name="Fine" isCodable="true"/></Codes></CodeBook>',
            encoding="utf-8",
        )
    else:  # a label set whose label is fine but whose relation type is not
        codebook.write_text(
            json.dumps(
                {
                    "format": "annotator-labels",
                    "labels": [{"name": "Fine", "color": "#123456"}],
                    "relation_types": [{"name": name, "color": "#123456"}],
                }
            ),
            encoding="utf-8",
        )
    before = labels_of(sample_file)
    assert main(["labels", str(sample_file), "--import", str(codebook)]) == 2
    if suffix == ".qdc" and name == "Bad\x07name":  # XML 1.0 itself cannot hold it
        one_line_error(capsys, codebook, "not valid XML")
    else:
        err = one_line_error(capsys, codebook, "control character", f"U+{ord(name[3]):04X}")
        assert repr(name) in err
    assert labels_of(sample_file) == before


def source_with(path: Path, name: str = "Claim", color: str | None = None) -> Path:
    """A copy of the sample whose label ``Claim`` was renamed or recoloured by another program
    (plain sqlite3), as a merged copy or a shared database may be."""
    import sqlite3

    with Project.open(path) as project:
        import_file(project, SAMPLE)
        document = project.documents()[0]
        start = project.document(document.id).text.index("Cambodia")
        project.add_annotations(document.id, "Claim", [(start, start + 8)])
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE labels SET name = ? WHERE name = 'Claim'", (name,))
        if color is not None:
            connection.execute("UPDATE labels SET color = ? WHERE name = ?", (color, name))
    connection.close()
    return path


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_merge_of_a_source_with_a_bad_label_name_is_refused_and_exports_still_work(
    tmp_path: Path, capsys, name: str
) -> None:
    source = source_with(tmp_path / "source.annot", name)
    target = tmp_path / "target.annot"
    Project.open(target).close()
    before = target.read_bytes()
    assert main(["merge", str(target), str(source)]) == 2  # the only source failed
    err = one_line_error(capsys, source, "control character", "rename it in the source")
    assert repr(name) in err
    assert target.read_bytes() == before
    for suffix in (".qdc", ".xml", ".csv", ".json"):
        assert main(["labels", str(target), "--export", str(tmp_path / f"x{suffix}")]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("name", ["Bad\x07name", "Bad\x85name", " ", ""])
def test_the_codebook_refuses_a_bad_name_however_it_comes(any_project: Project, name: str) -> None:
    from annotator.core.labels import AttributeDef, LabelDef, RelationTypeDef
    from annotator.store import codebook

    before = any_project.labels()
    with pytest.raises(codebook.CodebookError):
        codebook.add_label(any_project, LabelDef(name, "#123456"))
    with pytest.raises(codebook.CodebookError):
        codebook.update_label(any_project, "Claim", name=name)
    with pytest.raises(codebook.CodebookError):
        codebook.set_attributes(any_project, "Claim", [AttributeDef(name)])
    with pytest.raises(codebook.CodebookError):
        codebook.rename_attribute(any_project, "Claim", "verdict", name)
    with pytest.raises(codebook.CodebookError):
        codebook.merge_labels(any_project, [LabelDef(name, "#123456")])
    with pytest.raises(codebook.CodebookError):
        codebook.add_relation_type(any_project, RelationTypeDef(name, "#123456"))
    assert any_project.labels() == before


# -- label colours ---------------------------------------------------------------------------


@pytest.mark.parametrize("color", HOSTILE_COLORS)
def test_a_hostile_colour_from_a_merged_copy_is_never_passed_on(
    tmp_path: Path, capsys, color: str
) -> None:
    from annotator.core.labels import DEFAULT_COLOR

    source = source_with(tmp_path / "source.annot", "Claim", color)
    target = tmp_path / "target.annot"
    assert main(["merge", str(target), str(source)]) == 0
    with Project.open(target) as project:
        (claim,) = [label for label in project.labels() if label.name == "Claim"]
        assert claim.color == DEFAULT_COLOR
        assert len(project.annotations()) == 1
    assert conftest_sql(target, "SELECT color FROM labels WHERE name = 'Claim'") == [
        (DEFAULT_COLOR,)
    ]
    assert main(["labels", str(target), "--export", str(tmp_path / "x.xml")]) == 0
    written = (tmp_path / "x.xml").read_text()
    assert "onmouseover" not in written and "url(" not in written
    capsys.readouterr()


@pytest.mark.parametrize("color", HOSTILE_COLORS)
def test_a_hostile_colour_written_straight_into_the_database_reads_back_as_the_default(
    any_project: Project, color: str
) -> None:
    from sqlalchemy import text

    from annotator.core.labels import DEFAULT_COLOR, DEFAULT_RELATION_TYPES
    from annotator.store import codebook

    with any_project.transaction() as s:  # another program's write, as SQL
        s.execute(text("UPDATE labels SET color = :c WHERE name = 'Claim'"), {"c": color})
        s.execute(text("UPDATE relation_types SET color = :c"), {"c": color})
    claim = next(label for label in any_project.labels() if label.name == "Claim")
    assert claim.color == DEFAULT_COLOR
    assert {t.color for t in any_project.relation_types()} == {DEFAULT_COLOR}
    assert len(any_project.relation_types()) == len(DEFAULT_RELATION_TYPES)
    # what an edit hands back (for its undo) is checked too, and a new bad colour refused
    before = codebook.update_label(any_project, "Claim", description="checked")
    assert before.color == DEFAULT_COLOR
    with pytest.raises(codebook.CodebookError, match="is not a colour"):
        codebook.update_label(any_project, "Claim", color=color)


# -- formulas in the CSV files the program writes --------------------------------------------

FORMULAS = ('=HYPERLINK("http://x/","click")', "@SUM(1)", "+cmd", "-minus", "'=quoted", "=1+1")


def test_the_taguette_codebook_writes_no_formula_and_reads_back_what_it_wrote(
    tmp_path: Path, capsys
) -> None:
    import csv

    from annotator.core.labels import LabelDef
    from annotator.store import codebook

    project_path = tmp_path / "p.annot"
    labels = [
        LabelDef(name, f"#12345{i}", description=FORMULAS[-1 - i])
        for i, name in enumerate(FORMULAS)
    ]
    with Project.open(project_path) as project:
        codebook.merge_labels(project, [*labels, LabelDef("-5", "#654321", description="-2.5")])
    written = tmp_path / "codebook.csv"
    assert main(["labels", str(project_path), "--export", str(written)]) == 0
    rows = list(csv.reader(written.read_text(encoding="utf-8-sig").splitlines()))[1:]
    cells = [cell for row in rows for cell in row]
    assert all(cell[0] not in "=+-@\t\r" for cell in cells if cell not in ("-5", "-2.5"))
    assert rows[0] == ["'" + FORMULAS[0], "'" + FORMULAS[-1]]
    assert rows[-1] == ["-5", "-2.5"]  # a number is no formula
    again = tmp_path / "again.annot"
    assert main(["labels", str(again), "--import", str(written)]) == 0
    with Project.open(again) as project:
        assert [(label.name, label.description) for label in project.labels()] == [
            *((label.name, label.description) for label in labels),
            ("-5", "-2.5"),
        ]
    capsys.readouterr()


@given(st.text(max_size=12))
def test_protecting_a_cell_is_undone_exactly(text: str) -> None:
    from annotator.io.tabular import looks_like_formula, protect, unprotect

    protected, changed = protect(text)
    assert unprotect(protected) == text
    assert changed == (protected != text)
    assert not protected.startswith(FORMULA_STARTS) or not looks_like_formula(text)


# -- names and colours that another program wrote into a project -----------------------------


def test_exports_of_a_project_holding_a_bad_name_succeed_or_say_why_in_one_line(
    tmp_path: Path, capsys
) -> None:
    project = source_with(tmp_path / "p.annot", "Bad\x07name")
    for format in ("json", "qdpx", "qdc", "taguette", "csv", "doccano", "brat", "w3c"):
        assert main(["export", str(project), "--format", format, "-o", str(tmp_path / format)]) == 0
    capsys.readouterr()
    for args in (
        ["export", str(project), "--format", "labelstudio", "-o", str(tmp_path / "ls")],
        ["labels", str(project), "--export", str(tmp_path / "x.xml")],
    ):
        assert main(args) == 2
        one_line_error(capsys, "'Bad\\x07name' holds a control character (U+0007)", "rename it")


def test_a_window_opens_on_a_codebook_another_program_wrote_and_can_rename_the_name(
    qtbot, make_window, any_project: Project
) -> None:
    from sqlalchemy import text

    from annotator.core.labels import DEFAULT_COLOR
    from annotator.gui.codebook_commands import UpdateLabel
    from annotator.gui.undo import push

    with any_project.transaction() as s:  # as a direct write to a shared database leaves it
        s.execute(
            text("UPDATE labels SET name = :n, color = :c WHERE name = 'Claim'"),
            {"n": "Bad\x07name", "c": HOSTILE_COLORS[0]},
        )
    window = make_window(any_project)
    shown = {label.name: label.color for label in window.ctx.labels()}
    assert shown["Bad\x07name"] == DEFAULT_COLOR
    assert push(window.ctx, UpdateLabel(window.ctx, "Bad\x07name", name="Claim"))
    assert "Claim" in {label.name for label in any_project.labels()}


def test_a_project_file_whose_relation_type_name_is_bad_is_refused(
    sample_file: Path, tmp_path: Path, capsys
) -> None:
    exported = tmp_path / "p.json"
    assert main(["export", str(sample_file), "--format", "json", "-o", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["relation_types"][0]["name"] = "said\x85by"
    exported.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    target = tmp_path / "new.annot"
    assert main(["import", str(target), str(exported)]) == 2
    assert not target.exists()
    err = capsys.readouterr().err
    assert err.startswith(f"error: {exported}: relation type 'said\\x85by': its name holds a ")
    assert "(U+0085)" in err and err.count("\n") == 1
