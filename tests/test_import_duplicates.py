"""Imports report and skip exact duplicate spans (the same label, range, attributes and note)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.service import import_file

from .test_cli import run

SPAN = {"label": "Claim", "start": 0, "end": 8, "attributes": {"verdict": "true"}}


def write_file(tmp_path: Path) -> Path:
    path = tmp_path / "twice.json"
    document = {
        "text": "Cambodia moved up.",
        "title": "Twice",
        "annotations": [SPAN, dict(SPAN), {**SPAN, "attributes": {"verdict": "false"}}],
    }
    path.write_text(
        json.dumps({"format": "annotator-project", "version": 1, "documents": [document]}),
        encoding="utf-8",
    )
    return path


def test_the_command_line_reports_and_skips_exact_duplicates(
    store_location: Path | str, tmp_path: Path
) -> None:
    result = run("import", store_location, write_file(tmp_path))
    assert result.returncode == 0
    assert "1 exact duplicate span skipped" in result.stdout
    assert "2 annotations" in result.stdout  # the one with another verdict is not a duplicate


def test_the_window_reports_skipped_duplicates(qtbot, make_window, any_project, tmp_path) -> None:
    project = any_project
    window = make_window(project)
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([write_file(tmp_path)])
    assert len(project.annotations()) == 2
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "1 exact duplicate span skipped" in box.informativeText()


def test_store_counts_what_it_kept(any_project, tmp_path: Path) -> None:
    outcome = import_file(any_project, write_file(tmp_path))
    assert outcome.summary is not None
    assert outcome.summary.duplicates_skipped == 1
    assert outcome.summary.added[0].annotations == 2
