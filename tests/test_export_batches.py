"""Exports of many documents (issue 29): read a batch of documents at a time, tell their
progress, stop when asked and leave the target as it was, byte for byte."""

from __future__ import annotations

import io
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.labels import RelationTypeDef
from annotator.core.model import (
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
)
from annotator.core.progress import Cancelled
from annotator.service import documents_with_annotations, export_to
from annotator.store import document_batches
from annotator.store.project import Project
from annotator.terminal_progress import TerminalProgress


def corpus(path: Path, documents: int) -> Path:
    """``documents`` short articles, two annotators' spans each and a relation between them."""
    bundle = ImportedBundle(
        [
            ImportedDocument(
                f"Article {n} says the minister met {n} people.",
                f"Article {n}",
                annotations=[
                    ImportedAnnotation("Claim", 0, 9, annotator="ana", id=f"a{n}"),
                    ImportedAnnotation(
                        "Person", 20, 28, {"role": "x"}, annotator="ben", id=f"b{n}"
                    ),
                ],
                relations=[ImportedRelation("about", f"a{n}", f"b{n}")],
            )
            for n in range(documents)
        ],
        relation_types=[RelationTypeDef("about", "#aa3355")],
    )
    with Project.open(path) as project:
        project.import_bundle(bundle)
    return path


@contextmanager
def traced(project: Project, statements: list[str]):
    """The SQL statements ``project``'s connections run meanwhile (the driver's cursors' too)."""
    engine = project._engine
    engine.dispose()  # new connections from here on, each traced

    from sqlalchemy import event

    def on_connect(connection, _record) -> None:
        connection.set_trace_callback(statements.append)

    event.listen(engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(engine, "connect", on_connect)


def batches(documents: int) -> int:
    return -(-documents // document_batches.SIZE)


def export_statements(path: Path, tmp_path: Path, fmt: str) -> list[str]:
    statements: list[str] = []
    with Project.open(path) as project, traced(project, statements):
        export_to(project, fmt, tmp_path / f"{path.stem}.{fmt}")
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_statements_grow_with_batches_not_documents(tmp_path: Path, fmt: str) -> None:
    few = export_statements(corpus(tmp_path / "few.annot", 10), tmp_path, fmt)
    many = export_statements(corpus(tmp_path / "many.annot", 1200), tmp_path, fmt)
    assert batches(1200) == 3
    # documents, annotations and relations: three statements a batch, whatever it holds
    assert len(many) - len(few) <= 3 * (batches(1200) - batches(10)), many[:12]


def test_batches_read_what_the_document_reads_read(tmp_path: Path) -> None:
    path = corpus(tmp_path / "p.annot", document_batches.SIZE + 3)
    with Project.open(path) as project:
        items = list(documents_with_annotations(project))
        assert [item.document.id for item in items] == [d.id for d in project.documents()]
        for item in items[::97] + items[-3:]:
            assert item.document == project.document(item.document.id)
            assert item.annotations == project.annotations(item.document.id)
            assert item.relations == project.relations(item.document.id)
        only_ana = list(documents_with_annotations(project, ["ana"]))
        assert {a.annotator for item in only_ana for a in item.annotations} == {"ana"}
        assert all(item.relations == [] for item in only_ana)  # an end is ben's


def stop_at(where: int, heard: list[tuple[int, int | None]]):
    def progress(done: int, total: int | None) -> bool:
        heard.append((done, total))
        return done < where

    return progress


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "qdpx", "doccano"])
def test_cancel_leaves_the_old_target_byte_for_byte(tmp_path: Path, fmt: str) -> None:
    path = corpus(tmp_path / "p.annot", 1200)
    target = tmp_path / "out" / f"export.{fmt}"
    target.parent.mkdir()
    old = b"the previous export\r\n\x00\xff"
    target.write_bytes(old)
    heard: list[tuple[int, int | None]] = []
    with Project.open(path) as project, pytest.raises(Cancelled) as raised:
        export_to(project, fmt, target, progress=stop_at(700, heard))
    assert heard[0] == (0, 1200)
    assert heard[-1] == (700, 1200)  # stopped when told, not at the end
    assert target.read_bytes() == old
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no half file beside it
    assert str(target) in str(raised.value) and "cancelled" in str(raised.value)


def test_cancel_of_a_folder_export_leaves_no_folder(tmp_path: Path) -> None:
    path = corpus(tmp_path / "p.annot", 30)
    target = tmp_path / "out" / "brat"
    target.parent.mkdir()
    with Project.open(path) as project, pytest.raises(Cancelled):
        export_to(project, "brat", target, progress=stop_at(10, []))
    assert list(target.parent.iterdir()) == []


def test_progress_hears_every_document(tmp_path: Path) -> None:
    path = corpus(tmp_path / "p.annot", 7)
    heard: list[tuple[int, int | None]] = []
    with Project.open(path) as project:
        export_to(project, "jsonl", tmp_path / "out.jsonl", progress=stop_at(99, heard))
    assert heard == [(n, 7) for n in range(8)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_draws_a_bar_on_a_terminal_and_clears_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = corpus(tmp_path / "p.annot", 3)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["export", str(path), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl")]) == 0
    drawn = terminal.getvalue()
    assert "Exporting" in drawn and "3/3" in drawn
    assert drawn.endswith("\r\033[K")  # cleared: the shell's prompt starts on a clean line


def test_the_cli_prints_nothing_more_off_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus(tmp_path / "p.annot", 3)
    out = tmp_path / "o.jsonl"
    assert main(["export", str(path), "--format", "jsonl", "-o", str(out)]) == 0
    assert capsys.readouterr() == ("", "")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert main(["export", str(path), "--format", "json"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    assert len(json.loads(printed.out)["documents"]) == 3


def test_ctrl_c_in_the_cli_leaves_the_old_target_and_says_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus(tmp_path / "p.annot", 40)
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"kept\n")

    def interrupted(self: TerminalProgress, done: int, total: int | None) -> bool:
        if done == 20:
            raise KeyboardInterrupt
        return True

    monkeypatch.setattr(TerminalProgress, "__call__", interrupted)
    assert main(["export", str(path), "--format", "jsonl", "-o", str(target)]) == 130
    assert capsys.readouterr().err == "annotator: interrupted\n"
    assert target.read_bytes() == b"kept\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_cancel_in_the_windows_export_progress_dialog(
    make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from annotator.gui.export_dialog import ExportDialog
    from annotator.gui.export_runner import ExportRunner

    said: list[object] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a))
    # The worker waits at document 30 until the test has pressed Cancel: no timing.
    pressed = threading.Event()
    original = ExportRunner.progress

    def held(self: ExportRunner, done: int, total: int | None) -> bool:
        go_on = original(self, done, total)
        if done == 30:
            pressed.wait(60)
            return original(self, done, total)
        return go_on

    monkeypatch.setattr(ExportRunner, "progress", held)
    shown: list[str] = []
    made = ExportRunner.__init__

    def watched(self: ExportRunner, *args: object) -> None:
        made(self, *args)

        def heard(done: int, _total: int) -> None:
            if done == 30 and not pressed.is_set():
                shown.append(self.dialog.labelText())
                self.dialog.findChild(QPushButton).click()  # the dialog's Cancel
                pressed.set()

        self.progressed.connect(heard)

    monkeypatch.setattr(ExportRunner, "__init__", watched)
    path = corpus(tmp_path / "p.annot", 60)
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"the previous export\n")
    with Project.open(path) as project:
        window = make_window(project)
        dialog = ExportDialog(window.ctx, window)
        dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
        dialog.target.setText(str(target))
        dialog.show()
        dialog.export()
        assert shown == ["Exporting… 30 of 60 documents"]
        assert dialog.runner is not None and dialog.runner.cancelled
        assert target.read_bytes() == b"the previous export\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
        assert said == [] and dialog.isVisible()  # no error; the dialog stays for another try
        dialog.reject()
