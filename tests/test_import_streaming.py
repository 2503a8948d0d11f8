"""Imports of many documents (issue 29): JSON Lines read line by line, every file stored a part
at a time in its one transaction, with progress; a stop or a bad line late in the file leaves
the project as it was."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotator.cli import main
from annotator.io import detect
from annotator.service import Outcome, export_to, import_file
from annotator.store.project import Project


def jsonl(path: Path, lines: int, bad_at: int | None = None) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(1, lines + 1):
            if n == bad_at:
                out.write('{"text": "broken\n')
                continue
            text = f"Article {n}: the minister said {n} things."
            spans = [{"start": 0, "end": 7, "label": "Claim", "text": "Article"}]
            out.write(json.dumps({"text": text, "meta": {"title": f"A{n}"}, "spans": spans}))
            out.write("\n")
    return path


def state(project: Project) -> tuple[int, int, list[str]]:
    return (
        len(project.documents()),
        sum(project.annotation_counts().values()),
        [label.name for label in project.labels()],
    )


def test_a_jsonl_file_is_read_line_by_line_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = jsonl(tmp_path / "many.jsonl", 1200)

    for name in ("read_bytes", "read_text"):
        real = getattr(Path, name)

        def whole(self: Path, *args: object, real=real, **kwargs: object) -> object:
            assert self != path, f"{path} was read whole"
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, name, whole)
    parts = list(detect.read_parts(path))
    assert [len(p.documents) for p in parts] == [500, 500, 200]
    with Project.open(tmp_path / "p.annot") as project:
        outcome = import_file(project, path)
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert state(project)[:2] == (1200, 1200)


def test_a_stop_during_a_jsonl_import_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    heard: list[tuple[int, int | None]] = []

    def stop_after_600(done: int, total: int | None) -> bool:
        heard.append((done, total))
        return done < 600

    with Project.open(tmp_path / "p.annot") as project:
        import_file(project, jsonl(tmp_path / "first.jsonl", 3))
        before = state(project)
        outcome = import_file(
            project, jsonl(tmp_path / "many.jsonl", 1200), progress=stop_after_600
        )
        assert outcome.outcome is Outcome.ERROR
        assert outcome.message == f"{tmp_path / 'many.jsonl'}: cancelled; nothing was changed"
        assert heard == [(0, None), (500, None), (1000, None)]  # stopped before the third part
        assert state(project) == before


def test_a_bad_line_late_in_the_file_refuses_all_of_it(tmp_path: Path) -> None:
    with Project.open(tmp_path / "p.annot") as project:
        before = state(project)
        outcome = import_file(project, jsonl(tmp_path / "bad.jsonl", 1200, bad_at=1100))
        assert outcome.outcome is Outcome.ERROR and "line 1100" in outcome.message
        assert outcome.bad_record  # the rest could be imported with skip_bad
        assert state(project) == before
        outcome = import_file(project, tmp_path / "bad.jsonl", skip_bad=True)
        assert outcome.outcome is Outcome.IMPORTED and state(project)[0] == 1199


def test_a_project_json_goes_in_parts_with_progress_and_a_stop(tmp_path: Path) -> None:
    with Project.open(tmp_path / "source.annot") as source:
        import_file(source, jsonl(tmp_path / "many.jsonl", 1200))
        export_to(source, "json", tmp_path / "project.json")
    heard: list[int] = []
    with Project.open(tmp_path / "p.annot") as project:
        before = state(project)
        outcome = import_file(
            project,
            tmp_path / "project.json",
            progress=lambda done, _total: heard.append(done) or done < 1000,
        )
        assert outcome.outcome is Outcome.ERROR and "cancelled" in outcome.message
        assert heard == [0, 500, 1000] and state(project) == before
        outcome = import_file(project, tmp_path / "project.json")
        assert outcome.outcome is Outcome.IMPORTED and state(project)[:2] == (1200, 1200)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_shows_the_documents_read_on_a_terminal_and_clears_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    clock = iter(range(1_000_000))  # a second between any two readings: every call redraws
    monkeypatch.setattr(
        "annotator.terminal_progress.time", SimpleNamespace(monotonic=lambda: next(clock))
    )
    path = jsonl(tmp_path / "many.jsonl", 600)
    assert main(["import", str(tmp_path / "p.annot"), str(path)]) == 0
    drawn = terminal.getvalue()
    assert "Importing: 500" in drawn
    assert drawn.endswith("\r\033[K")
    assert capsys.readouterr().out.startswith(f"imported: {path}: 'A1'")


def test_only_files_read_whole_have_a_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON Lines and Annotator's project JSON are read as they come, so a corpus bigger than
    the limit on files read whole (a 100k-document export is 600-900 MB) still comes in."""
    monkeypatch.setattr(detect, "MAX_FILE_BYTES", 10_000)
    path = jsonl(tmp_path / "big.jsonl", 200)
    assert path.stat().st_size > 10_000
    with Project.open(tmp_path / "p.annot") as project:
        assert import_file(project, path).outcome is Outcome.IMPORTED
        export_to(project, "json", tmp_path / "big.json")  # read as it comes too
        outcome = import_file(project, tmp_path / "big.json")
        assert outcome.outcome is Outcome.SKIPPED, outcome.message  # the same texts: read
        article = tmp_path / "big.txt"
        article.write_text("A long article. " * 1000, encoding="utf-8")
        outcome = import_file(project, article)
        assert outcome.outcome is Outcome.ERROR and "files over 0 MB are refused" in outcome.message
        assert state(project)[0] == 200


def test_cancel_in_the_windows_import_dialog_leaves_the_file_out_whole(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from annotator.store import importing

    # The worker waits after the first part is stored until the test has pressed Cancel.
    stored, pressed = threading.Event(), threading.Event()
    real = importing.add_bundle

    def held(s, bundle):  # type: ignore[no-untyped-def]
        summary = real(s, bundle)
        if not stored.is_set():
            stored.set()
            pressed.wait(60)
        return summary

    monkeypatch.setattr(importing, "add_bundle", held)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: told.append(box.informativeText()))
    project = window.ctx.project
    before, undo = state(project), window.ctx.undo_stack.count()
    path = jsonl(tmp_path / "many.jsonl", 1200)
    window.import_files([path])
    qtbot.waitUntil(stored.is_set)
    runner = window.importer
    assert runner.progress is not None
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        runner.progress.findChild(QPushButton).click()  # the dialog's Cancel
        pressed.set()
    (outcome,) = finished.args[0]
    assert outcome.outcome is Outcome.ERROR and "cancelled" in outcome.message
    assert state(project) == before  # the 500 documents stored before the stop are gone
    assert window.ctx.undo_stack.count() == undo  # nothing to undo
    assert told and f"{path}: cancelled; nothing was changed" in told[0]


def test_an_imports_undo_reads_its_documents_a_batch_at_a_time(tmp_path: Path) -> None:
    """The window's undo of an import snapshots its documents (to put them back on redo)."""
    from annotator.service import documents_with_annotations
    from tests.test_export_batches import batches, corpus, traced

    path = corpus(tmp_path / "p.annot", 1200)
    with Project.open(path) as project:
        before = list(documents_with_annotations(project))
        ids = [item.document.id for item in before]
        statements: list[str] = []
        with traced(project, statements):
            snapshot = project.snapshot_documents(ids)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) <= 3 * batches(1200) + 3, selects[:12]  # + the relation types
        project.delete_documents(ids)
        assert project.documents() == []
        project.import_bundle(snapshot)
        assert list(documents_with_annotations(project)) == before


def test_a_large_project_json_is_read_a_document_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.io import native_json
    from tests.test_export_batches import corpus

    with Project.open(corpus(tmp_path / "source.annot", 1200)) as source:
        export_to(source, "json", tmp_path / "project.json")
    path = tmp_path / "project.json"
    whole = native_json.read(path)
    monkeypatch.setattr(native_json, "STREAM_ABOVE", 0)
    for name in ("read_bytes", "read_text"):
        real = getattr(Path, name)

        def read_whole(self: Path, *args: object, real=real, **kwargs: object) -> object:
            assert self != path, f"{path} was read whole"
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, name, read_whole)
    parts = list(detect.read_parts(path))
    assert [len(p.documents) for p in parts] == [500, 500, 200]
    assert (parts[0].labels, parts[0].relation_types) == (whole.labels, whole.relation_types)
    assert [d for p in parts for d in p.documents] == whole.documents
    with Project.open(tmp_path / "p.annot") as project:
        outcome = import_file(project, path)
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert state(project)[:2] == (1200, 2400)
        assert len(project.relations()) == 1200


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ('"note": "" "annotator"', "Expecting ',' delimiter"),  # a comma missing
        ('"note": NaN, "annotator"', "not a JSON number"),
        ('"note": ' + "[" * 200 + "]" * 200 + ', "annotator"', "nested too deeply"),
    ],
)
def test_a_streamed_project_json_is_refused_as_a_whole_read_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str, expected: str
) -> None:
    from annotator.io import native_json
    from tests.test_export_batches import corpus

    with Project.open(corpus(tmp_path / "source.annot", 800)) as source:
        export_to(source, "json", tmp_path / "project.json")
    path = tmp_path / "project.json"
    text = path.read_text(encoding="utf-8")
    good = '"note": "", "annotator"'
    at = text.index(good, len(text) * 3 // 4)  # in a document of the second part
    path.write_text(text[:at] + broken + text[at + len(good) :], encoding="utf-8")
    with Project.open(tmp_path / "p.annot") as project:
        said = import_file(project, path).message
        monkeypatch.setattr(native_json, "STREAM_ABOVE", 0)
        streamed = import_file(project, path)
        assert streamed.outcome is Outcome.ERROR and expected in streamed.message
        assert streamed.message == said
        assert state(project)[0] == 0  # the first part, stored, was rolled back


def test_the_message_of_a_corpus_import_names_twenty_documents_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    path = jsonl(tmp_path / "many.jsonl", 1200)
    with Project.open(tmp_path / "p.annot") as project:
        message = import_file(project, path).message
        assert message.startswith(f"{path}: 'A1', 1 annotations; 'A2', 1 annotations; ")
        assert "'A20', 1 annotations; and 1,180 more documents, 1,180 annotations" in message
        assert "'A21'" not in message
        again = import_file(project, path).message
        assert "and 1,180 more documents skipped: their texts are already in the project" in again


def test_ctrl_c_during_a_cli_import_leaves_the_project_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.terminal_progress import TerminalProgress

    project = tmp_path / "p.annot"
    assert main(["import", str(project), str(jsonl(tmp_path / "first.jsonl", 3))]) == 0
    with Project.open(project) as opened:
        before = state(opened)

    def interrupted(self: TerminalProgress, done: int, total: int | None) -> bool:
        if done >= 500:  # after the first part was stored
            raise KeyboardInterrupt
        return True

    monkeypatch.setattr(TerminalProgress, "__call__", interrupted)
    capsys.readouterr()
    assert main(["import", str(project), str(jsonl(tmp_path / "many.jsonl", 1200))]) == 130
    assert capsys.readouterr() == ("", "annotator: interrupted\n")
    with Project.open(project) as opened:
        assert state(opened) == before


def test_a_streamed_project_json_refuses_one_huge_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.io import json_stream, native_json

    monkeypatch.setattr(native_json, "STREAM_ABOVE", 0)
    monkeypatch.setattr(json_stream, "LONGEST", 2**20)
    monkeypatch.setattr(json_stream, "_CHUNK", 2**16)
    path = tmp_path / "huge.json"
    path.write_text(
        '{"labels": [], "relation_types": [], "documents": [{"text": "' + "x" * 2**21 + '"}]}',
        encoding="utf-8",
    )
    with Project.open(tmp_path / "p.annot") as project:
        outcome = import_file(project, path)
        assert outcome.message == f"{path}: it holds a value over 1 MB"
        assert state(project)[0] == 0
