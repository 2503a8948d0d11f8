"""A start on a project file paints the project's first look before the store (SQLAlchemy) is
imported, then opens the project in full in the same window; every other start takes the old
path. The first look reads what the full read reads, restricted to the first screen.

The launches run in a child process (``tests/helpers/launch_probe.py``), so that what this test
session has imported does not count. No timings here: ``benchmarks/bench_process.py`` has them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.gui import app as gui_app
from annotator.gui import project_guard
from annotator.service import import_file
from annotator.store import first_look
from annotator.store.backend import ServerAddress
from annotator.store.project import Project

from .conftest import FIXTURES, ROOT, SAMPLE
from .helpers.launch_probe import FIRST, SECOND
from .helpers.program_env import program_env
from .reliability import overwrite_middle_page

#: a phrase of the sample's first line: a Claim on it shows at the first paint
HEADLINE = "Cambodia Moves Up"


def utf16(text: str, position: int) -> int:
    return len(text[:position].encode("utf-16-le")) // 2


def sample_with_a_claim(path: Path) -> tuple[int, int]:
    """The sample project at ``path``, with a Claim on :data:`HEADLINE`; returns its range."""
    with Project.open(path) as project:
        import_file(project, SAMPLE)
        document = project.documents()[0]
        start = project.document(document.id).text.index(HEADLINE)
        project.add_annotation(document.id, "Claim", start, start + len(HEADLINE))
    return start, start + len(HEADLINE)


def launch(project: Path, home: Path) -> dict:
    """Run the program on ``project`` to its first paint and on until complete (see the
    probe); settings in ``home``, with a name set so no first-launch question comes up."""
    env = program_env(home)
    out, log = home / "report.json", home / "probe.log"
    with log.open("w", encoding="utf-8") as output:
        done = subprocess.run(
            [sys.executable, "-m", "tests.helpers.launch_probe", str(project), str(out)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=180,
            check=False,
        )
    assert done.returncode == 0 and out.is_file(), log.read_text(encoding="utf-8")[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


# -- the launch -----------------------------------------------------------------------------------


def test_the_first_paint_shows_the_document_and_its_highlights_before_sqlalchemy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.annot"
    claim = sample_with_a_claim(path)
    report = launch(path, tmp_path / "home")

    first = report["first_paint"]
    assert first["sqlalchemy_loaded"] is False
    assert first["ready"] is False  # the project itself is opened after this paint
    text = SAMPLE.read_text(encoding="utf-8").strip()
    assert first["text"].startswith(text[:200])
    assert [utf16(first["text"], claim[0]), utf16(first["text"], claim[1])] in first["highlighted"]
    assert report["status_before_ready"].startswith("The project is still opening")

    ready = report["ready"]
    assert ready["documents"] == 1
    assert ready["labels"] == ["Claim", "Quote", "Organisation", "Tier rating"]
    assert ready["reader_geometry"] == first["reader_geometry"]  # nothing moved
    assert ready["scroll"] == 0
    # the label key pressed before the window was complete was applied once it was, and one
    # pressed after is stored at once
    tier = first["text"].index(FIRST[0])
    name = first["text"].index(SECOND[0])
    assert report["stored"] == sorted(
        [
            ["Claim", HEADLINE, *claim],
            ["Tier rating", FIRST[0], tier, tier + len(FIRST[0])],
            ["Organisation", SECOND[0], name, name + len(SECOND[0])],
        ]
    )
    assert ready["panel"] == 2  # before the last key: the Claim and the Tier rating
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".p")]  # lock let go


def test_a_project_of_an_older_schema_opens_the_old_way(tmp_path: Path) -> None:
    path = tmp_path / "v1.annot"
    shutil.copy(FIXTURES / "v1-project.annot", path)
    assert first_look.reading_uri(path) is None
    report = launch(path, tmp_path / "home")
    first = report["first_paint"]
    assert first["sqlalchemy_loaded"] is True and first["ready"] is True  # upgraded, then shown
    assert report["ready"]["documents"] >= 1
    assert list(tmp_path.glob("v1.schema1-backup-*.annot"))  # the upgrade's backup, as ever


# -- which starts take the first look --------------------------------------------------------------


@pytest.fixture
def application(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> gui_app.Application:
    monkeypatch.setattr(
        gui_app,
        "settings",
        lambda: QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
    )
    application = gui_app.Application(QApplication.instance())  # type: ignore[arg-type]
    application.settings.setValue("annotator/name", "Tester")  # no first-launch question
    yield application
    if application.lock is not None:
        application.lock.unlock()


def start(project: object = None, files: list[Path] | None = None, screenshot: Path | None = None):
    return Namespace(project=project, files=files or [], screenshot=screenshot)


def test_a_current_project_file_gets_a_first_look_and_its_lock(
    application: gui_app.Application, tmp_path: Path
) -> None:
    path = tmp_path / "p.annot"
    sample_with_a_claim(path)
    look = gui_app.first_look_at(start(path), application)
    assert look is not None and look.path == path
    assert application.lock is not None and application.lock_for == path
    assert project_guard.lock_path(path).exists()


def test_the_last_project_gets_a_first_look_but_not_the_first_run(
    application: gui_app.Application, tmp_path: Path
) -> None:
    assert gui_app.first_look_at(start(), application) is None  # the sample is made the old way
    path = tmp_path / "p.annot"
    sample_with_a_claim(path)
    gui_app.remember(application.settings, path)
    look = gui_app.first_look_at(start(), application)
    assert look is not None and look.path == path


def damaged(path: Path) -> Path:
    sample_with_a_claim(path)
    with path.open("r+b") as handle:  # a header that says nothing SQLite can read
        handle.seek(16)
        handle.write(b"\xff" * 8)
    return path


def older(path: Path) -> Path:
    shutil.copy(FIXTURES / "v1-project.annot", path)
    return path


def journal_beside(path: Path) -> Path:
    sample_with_a_claim(path)
    path.with_name(path.name + "-journal").write_bytes(b"")
    return path


@pytest.mark.parametrize("make", [damaged, older, journal_beside], ids=lambda f: f.__name__)
def test_files_the_first_look_leaves_to_the_normal_open(
    application: gui_app.Application, tmp_path: Path, make
) -> None:
    path = make(tmp_path / "p.annot")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert gui_app.first_look_at(start(path), application) is None
    assert application.lock is None
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing made, nothing left


def test_a_project_that_cannot_be_written_opens_the_old_way(
    application: gui_app.Application, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its read-only notice sits above the reader: the window shows it from the start."""
    path = tmp_path / "p.annot"
    sample_with_a_claim(path)
    monkeypatch.setattr(first_look, "read_only_reason", lambda _path: "the file is not writable")
    assert gui_app.first_look_at(start(path), application) is None
    assert application.lock is None


def test_starts_the_first_look_leaves_to_the_normal_open(
    application: gui_app.Application, tmp_path: Path
) -> None:
    path = tmp_path / "p.annot"
    sample_with_a_claim(path)
    server = ServerAddress("postgresql://someone@localhost:1/nowhere")
    assert gui_app.first_look_at(start(server), application) is None  # never connects
    assert gui_app.first_look_at(start(path, screenshot=tmp_path / "s.png"), application) is None
    assert gui_app.first_look_at(start(path, files=[SAMPLE]), application) is None
    assert gui_app.first_look_at(start(tmp_path / "new.annot"), application) is None
    assert not (tmp_path / "new.annot").exists()
    held, _holder = project_guard.acquire(path)  # another window has it
    assert held is not None
    other = gui_app.Application(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert gui_app.first_look_at(start(path), other) is None and other.lock is None
    finally:
        held.unlock()
    assert application.lock is None


def test_a_project_that_fails_to_open_after_its_first_look_is_reported_as_before(
    application: gui_app.Application,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot,
) -> None:
    """The first look reads the first screen only; the full open's check finds a damaged page
    elsewhere: the message and the sample project, as a start on that file always gave."""
    monkeypatch.setattr(gui_app, "data_folder", lambda: tmp_path / "data")
    (tmp_path / "data").mkdir()
    path = tmp_path / "p.annot"
    sample_with_a_claim(path)
    look = gui_app.first_look_at(start(path), application)
    assert look is not None
    overwrite_middle_page(path)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(
        gui_app.QMessageBox, "critical", lambda _p, title, text, *a: errors.append((title, text))
    )
    shown = application.show_first_look(look)
    qtbot.addWidget(shown)
    application.complete_first_look(shown, look)
    assert len(errors) == 1 and errors[0][0] == "Cannot open project" and "damaged" in errors[0][1]
    assert not shown.isVisible()
    window = application.window
    assert window is not None and window is not shown and window.ready
    qtbot.addWidget(window)
    assert window.ctx.project.path == tmp_path / "data" / "Sample project.annot"
    assert not project_guard.lock_path(path).exists()  # the damaged project's lock is let go
    window.close()
    window.ctx.project.close()


def test_a_screenshot_still_renders_the_complete_window(
    application: gui_app.Application,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot,
) -> None:
    path = tmp_path / "p.annot"
    sample_with_a_claim(path)
    shot = tmp_path / "shot.png"
    rendered: list[gui_app.MainWindow] = []

    def screenshot(window: gui_app.MainWindow, out: Path) -> int:
        rendered.append(window)
        qtbot.addWidget(window)
        return real(window, out)

    real = gui_app.screenshot
    monkeypatch.setattr(gui_app, "screenshot", screenshot)
    assert gui_app.run(start(path, screenshot=shot)) == 0
    assert shot.stat().st_size > 0
    assert len(rendered) == 1 and rendered[0].ready  # complete when rendered, as ever
    assert rendered[0].panel.model.rows  # the Claim is listed


def highlights(window: gui_app.MainWindow) -> list[tuple[int, int, str]]:
    """(start, end, colour) in UTF-16 of every highlighted range laid out."""
    found = []
    block = window.reader.document().begin()
    while block.isValid():
        for piece in block.layout().formats():
            first = block.position() + piece.start
            colour = piece.format.background().color().name()
            found.append((first, first + piece.length, colour))
        block = block.next()
    return found


def test_a_first_look_highlights_what_it_knows_and_the_rest_when_complete(
    application: gui_app.Application, tmp_path: Path, make_window, qtbot
) -> None:
    """Lines past the first look's reach wait for the complete index; lines within it are
    highlighted at once, exactly as the complete window highlights them (astral characters
    counted as Qt counts them)."""
    line = "😀 The minister said 𝔸 that the report is late.\n"
    text = line * 40
    spans = [
        ImportedAnnotation("Quote", n * len(line) + 2, n * len(line) + 20) for n in range(0, 40, 3)
    ]
    spans.append(ImportedAnnotation("Claim", 5, 3 * len(line) + 10))  # across three lines
    spans.append(ImportedAnnotation("Claim", 6 * len(line) + 30, 6 * len(line) + 40))
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([ImportedDocument(text, "T", "s", {}, spans)]))
    # the first look ends inside line 6: it has the Quote there, not the Claim after it
    look = first_look.read(path, first_screen=6 * len(line) + 10)
    assert look is not None and 0 < len(look.annotations) < len(spans)
    window = application.show_first_look(look)
    qtbot.addWidget(window)
    window.resize(1200, 900)
    qtbot.waitExposed(window)
    early = highlights(window)
    assert not window.ready and early
    # line 6, only partly known, waits: no line is highlighted with half its spans
    assert all(end <= utf16(text, 6 * len(line)) for _start, end, _colour in early)
    application.complete_first_look(window, look)
    assert window.ready
    complete = highlights(window)
    assert set(early) < set(complete)  # what showed stays; the rest in view joins it

    normal = make_window(Project.open(path))
    normal.resize(1200, 900)
    normal.reader.highlight_lines(range(len(normal.reader.lines)))
    window.reader.highlight_lines(range(len(window.reader.lines)))
    assert highlights(window) == highlights(normal)
    window.close()
    window.ctx.project.close()
    normal.ctx.project.close()


# -- the first look reads what the full read reads -------------------------------------------------

_CHARS = st.sampled_from(["a", "b", " ", "\n", "é", "\u2029", "😀", "𝔸"])


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = "".join(draw(st.lists(_CHARS, min_size=1, max_size=120)))
    spans = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(text) - 1),
                st.integers(1, 40),
                st.sampled_from(["Claim", "Quote", "Organisation"]),
            ),
            max_size=25,
        )
    )
    return text, [(s, min(len(text), s + n), label) for s, n, label in spans]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents(), first_screen=st.integers(0, 130))
def test_the_first_look_is_the_full_read_restricted_to_the_first_screen(
    tmp_path_factory: pytest.TempPathFactory,
    document: tuple[str, list[tuple[int, int, str]]],
    first_screen: int,
) -> None:
    text, spans = document
    path = tmp_path_factory.mktemp("look") / "p.annot"
    spans_in = [ImportedAnnotation(label, s, e, annotator="A") for s, e, label in spans]
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([ImportedDocument(text, "T", "s", {}, spans_in)]))
        (summary,) = project.documents()
        full = project.annotations(summary.id)
        stored = project.document(summary.id)
        labels = project.labels()
    look = first_look.read(path, first_screen)
    assert look is not None
    assert look.document == stored and look.labels == labels
    assert look.known_until == min(len(stored.text), first_screen)
    assert look.annotations == [a for a in full if a.start < look.known_until]
    assert look.layers == (["A"] if spans else [])
    assert sorted(p.name for p in path.parent.iterdir()) == ["p.annot"]  # nothing left beside
