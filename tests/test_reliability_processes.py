"""Several processes on one project file: a window and the command line, or several command
lines, lose nothing any of them acknowledged, also when one is killed (SIGKILL).

What broke it: on POSIX, closing any descriptor of a file drops every fcntl lock the process
holds on it, SQLite's included. The file-identity check opened and closed the project before
each write, so the writer's locks went, and the next Annotator process to close the file (even
``annotator info``) took itself for the last one and deleted the ``-wal`` under the writer.
"""

from __future__ import annotations

import os
import selectors
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store import descriptors
from annotator.store.project import Project

from .conftest import ROOT
from .helpers.program_env import program_env

WORDS = " ".join(f"word{i}" for i in range(400))
WAIT = 180  # seconds: a bound on waiting for a child's line, never reached when all is well
ANNOTATOR = [sys.executable, "-m", "annotator.cli"]


def locks_held_by_me(path: Path) -> list[str]:
    """This process's POSIX locks on ``path`` (from /proc/locks)."""
    inode = os.stat(path).st_ino
    mine = []
    with open("/proc/locks", encoding="ascii") as locks:
        for line in locks:
            fields = line.split()
            if "->" in fields or len(fields) < 8:
                continue  # a waiter's line
            pid, device_inode = fields[4], fields[5]
            if int(pid) == os.getpid() and int(device_inode.rsplit(":", 1)[1]) == inode:
                mine.append(" ".join(fields[1:]))  # not the ordinal: other processes' shift it
    return mine


def one_document(path: Path, text: str = WORDS) -> str:
    with Project.open(path) as project:
        return project.import_bundle(ImportedBundle([ImportedDocument(text, "T")])).added[0].id


def stored(path: Path) -> tuple[int, list[tuple[str]]]:
    """How many annotations the file holds, and SQLite's integrity check of it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count = connection.execute("SELECT count(*) FROM annotations").fetchone()[0]
        return count, connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def numbered_articles(folder: Path, count: int) -> Path:
    """``count`` short articles in ``folder``, titled a000, a001, …"""
    folder.mkdir()
    for n in range(count):
        (folder / f"a{n:03}.txt").write_text(f"a{n:03}\n{WORDS[: 200 + n]}", encoding="utf-8")
    return folder


def titles_in(path: Path) -> set[str]:
    """The documents' titles in the project at ``path``, once SQLite finds it whole."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in connection.execute("SELECT title FROM documents")}
    finally:
        connection.close()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ANNOTATOR, *args], cwd=ROOT, capture_output=True, text=True, timeout=WAIT, check=False
    )


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_writing_keeps_sqlite_s_locks_on_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    document = one_document(path)
    with Project.open(path) as project:
        project.documents()
        held = locks_held_by_me(path)
        assert held, "an open project holds a shared lock on its file"
        project.add_annotation(document, "Claim", 0, 5)
        project.add_annotation(document, "Quote", 6, 11)
        project.check_file()
        assert locks_held_by_me(path) == held
        with Project.open(path) as second:  # a second project of the same file in this process
            second.annotations()
        assert locks_held_by_me(path) == held


def test_reading_a_header_never_opens_a_file_this_process_has_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.annot"
    one_document(path)
    with Project.open(path) as project:
        project.documents()  # a pooled connection keeps SQLite's descriptor open

        def no_open(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("opened a second descriptor of the open project")

        monkeypatch.setattr(Path, "open", no_open)
        assert descriptors.read_head(path, 16) == b"SQLite format 3\x00"
        project.check_file()


# -- a window beside the command line --------------------------------------------------------


class Window:
    """The real program in a child process, labelling on command (tests/helpers/window_driver)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.selector = selectors.DefaultSelector()
        assert process.stdout is not None
        self.selector.register(process.stdout, selectors.EVENT_READ)

    def line(self) -> str:
        """The window's next answer to a command (its idle checkpoints passed over)."""
        while (line := self.any_line()) == "checkpointed":
            pass
        return line

    def any_line(self) -> str:
        assert self.process.stdout is not None
        if not self.selector.select(WAIT):
            raise AssertionError(f"the window said nothing for {WAIT} s")
        line = self.process.stdout.readline()
        assert line, f"the window ended (exit {self.process.poll()})"
        return line.strip()

    def checkpointed(self) -> None:
        """Wait until the window has checkpointed its project, idle after the last command."""
        while self.any_line() != "checkpointed":
            pass

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def label(self, n: int) -> None:
        self.send(f"label {n}")
        assert self.line() == f"saved {n}"


@contextmanager
def window_on(project: Path, home: Path) -> Iterator[Window]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.window_driver", str(project)],
        cwd=ROOT,
        env=program_env(home),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    window = Window(process)
    try:
        assert window.line() == "ready"
        yield window
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(WAIT)
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        process.stdout.close()


def test_a_window_killed_after_the_command_line_ran_beside_it_keeps_every_label(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.annot"
    one_document(path)
    with window_on(path, tmp_path / "home") as window:
        window.label(0)
        assert run_cli("info", str(path)).returncode == 0  # opens and closes the file
        for n in range(1, 11):
            window.label(n)
        export = run_cli("export", str(path), "-o", str(tmp_path / "out.jsonl"))
        assert export.returncode == 0, export.stderr
        for n in range(11, 21):
            window.label(n)
        assert run_cli("info", str(path)).returncode == 0
        os.kill(window.process.pid, signal.SIGKILL)
    assert stored(path) == (21, [("ok",)])


def test_a_window_closed_after_a_command_line_merge_keeps_the_merge(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    one_document(path)
    source = tmp_path / "colleague.annot"
    spans = [ImportedAnnotation("Claim", n, n + 4) for n in range(0, 2000, 2)]
    with Project.open(source) as colleague:
        colleague.import_bundle(ImportedBundle([ImportedDocument(WORDS, "T", annotations=spans)]))
    with window_on(path, tmp_path / "home") as window:
        window.label(0)
        merged = run_cli("merge", str(path), str(source))
        assert merged.returncode == 0, merged.stderr
        window.label(1)
        window.send("close")
        assert window.process.wait(WAIT) == 0
    assert stored(path) == (2 + len(spans), [("ok",)])


# -- command lines beside each other ---------------------------------------------------------


def test_an_import_beside_other_commands_stores_every_file_it_reports(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    one_document(path, "the first document")
    articles = numbered_articles(tmp_path / "articles", 400)
    source = tmp_path / "colleague.annot"
    one_document(source, "a colleague's document")
    importer = subprocess.Popen(
        [*ANNOTATOR, "import", str(path), *sorted(str(p) for p in articles.iterdir())],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    others = 0
    # Other commands open and close the file for as long as the import runs (and at least once).
    while importer.poll() is None or others == 0:
        for args in (
            ("info", str(path)),
            ("export", str(path), "-o", str(tmp_path / f"out{others}.jsonl")),
            ("merge", str(path), str(source)),
        ):
            run_cli(*args)
        others += 1
        assert others < 500, "the import did not end"
    assert importer.stderr is not None
    with importer.stderr:
        assert importer.wait(WAIT) == 0, importer.stderr.read()
    titles = titles_in(path)
    assert {f"a{n:03}" for n in range(400)} <= titles


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_the_open_project_is_refused_as_a_file_to_import_and_keeps_its_locks(
    tmp_path: Path,
) -> None:
    from annotator.service import Outcome, import_file

    path = tmp_path / "p.annot"
    one_document(path)
    with Project.open(path) as project:
        project.documents()
        held = locks_held_by_me(path)
        link = tmp_path / "link.annot"
        link.symlink_to(path)
        for named in (path, link, tmp_path / "p.annot-wal"):
            outcome = import_file(project, named)
            assert outcome.outcome == Outcome.ERROR
            assert "a project cannot be imported into itself" in outcome.message
            assert outcome.message.startswith(f"{named}: is the open project")
        assert locks_held_by_me(path) == held
        assert len(project.documents()) == 1


def test_an_import_killed_beside_other_commands_keeps_every_file_it_acknowledged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.annot"
    one_document(path, "the first document")
    articles = numbered_articles(tmp_path / "articles", 400)
    importer = subprocess.Popen(
        [*ANNOTATOR, "import", str(path), *sorted(str(p) for p in articles.iterdir())],
        cwd=ROOT,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert importer.stdout is not None
    acknowledged = []
    try:
        for line in importer.stdout:  # "imported: …/a007.txt: 'a007'", once it is committed
            assert line.startswith("imported: "), line
            acknowledged.append(line.rsplit(": ", 1)[1].strip().strip("'"))
            if len(acknowledged) % 20 == 0:
                assert run_cli("info", str(path)).returncode == 0
            if len(acknowledged) == 200:
                os.kill(importer.pid, signal.SIGKILL)
                break
    finally:
        importer.kill()
        importer.wait(WAIT)
        importer.stdout.close()
    assert len(acknowledged) == 200
    titles = titles_in(path)
    assert set(acknowledged) <= titles


def test_a_closed_window_leaves_its_project_as_one_file(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    one_document(path)
    with window_on(path, tmp_path / "home") as window:
        for n in range(3):
            window.label(n)
        window.send("close")
        assert window.process.wait(WAIT) == 0
    assert not path.with_name("p.annot-wal").exists()
    mailed = tmp_path / "mailed" / "p.annot"  # the file alone, as a person copies it
    mailed.parent.mkdir()
    mailed.write_bytes(path.read_bytes())
    assert stored(mailed) == (3, [("ok",)])


def test_a_copy_of_the_file_alone_taken_while_the_window_is_open_holds_every_label(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.annot"
    one_document(path)
    mailed = tmp_path / "mailed" / "p.annot"  # the file alone, as a person copies it
    mailed.parent.mkdir()
    with window_on(path, tmp_path / "home") as window:
        for n in range(3):
            window.label(n)
        window.checkpointed()  # a few idle seconds after the last label
        mailed.write_bytes(path.read_bytes())
        os.kill(window.process.pid, signal.SIGKILL)
    assert stored(mailed) == (3, [("ok",)])
    assert stored(path) == (3, [("ok",)])


def test_a_checkpoint_beside_a_reader_moves_what_it_can_and_never_fails(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    document = one_document(path)
    wal = path.with_name("p.annot-wal")
    with Project.open(path) as project:
        project.add_annotation(document, "Claim", 0, 5)
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM annotations").fetchone()  # holds a snapshot
            project.add_annotation(document, "Quote", 6, 11)
            project.checkpoint()  # busy: the reader's snapshot stays in the -wal
            assert wal.stat().st_size > 0
            reader.execute("COMMIT")
        finally:
            reader.close()
        project.checkpoint()
        assert wal.stat().st_size == 0
        assert stored(path) == (2, [("ok",)])
