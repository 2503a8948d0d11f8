"""Starting the app: first run makes the sample project; the screenshot mode renders and exits."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from annotator.gui import app as gui_app
from annotator.store.project import Project

from .conftest import SAMPLE


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and the data folder in tmp_path, never the user's own."""
    monkeypatch.setattr(gui_app, "data_folder", lambda: tmp_path / "data")
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(
        gui_app,
        "settings",
        lambda: QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
    )
    return tmp_path


def args(**kwargs: object) -> argparse.Namespace:
    return argparse.Namespace(**{"project": None, "files": [], "screenshot": None, **kwargs})


def test_first_run_opens_a_sample_project(qtbot, isolated: Path, monkeypatch) -> None:
    shot = isolated / "first.png"
    assert gui_app.run(args(screenshot=shot)) == 0
    sample = isolated / "data" / "Sample project.annot"
    with Project.open(sample, create=False) as project:
        (document,) = project.documents()
        assert document.title == "Cambodia Moves Up on US Trafficking List"
    assert QImage(str(shot)).width() > 800
    recent = gui_app.settings().value("recent/projects")
    assert str(sample) in (recent if isinstance(recent, list) else [recent])


def test_no_argument_reopens_the_last_project(qtbot, isolated: Path) -> None:
    other = isolated / "other.annot"
    Project.open(other).close()
    gui_app.remember(gui_app.settings(), other)
    assert gui_app.last_project(gui_app.settings()) == other
    other.unlink()
    assert gui_app.last_project(gui_app.settings()) is None  # gone: fall back to the sample


def test_screenshot_command_renders_a_project(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    script = Path(sys.executable).with_name("annotator")
    subprocess.run(
        [str(script), "import", str(project), str(SAMPLE)], check=True, capture_output=True
    )
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [str(script), "--screenshot", str(out), str(project)],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "share"),
        },
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() >= 1200 and image.height() >= 700


def test_screenshot_of_a_bad_project_is_a_one_line_error(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("annotator")
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [str(script), "--screenshot", str(out), str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"annotator: error: {SAMPLE}: not an Annotator project")
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_the_data_folder_is_named_once_and_takes_over_the_old_one(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    old = tmp_path / "Annotator" / "Annotator"
    old.mkdir(parents=True)
    (old / "Sample project.annot").write_bytes(b"kept")

    folder = gui_app.data_folder()

    assert folder == tmp_path / "Annotator"
    assert (folder / "Sample project.annot").read_bytes() == b"kept"
    assert not old.exists()
    assert gui_app.sample_project_path() == tmp_path / "Annotator" / "Sample project.annot"
