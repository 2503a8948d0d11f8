"""Imports report and skip exact duplicate spans (the same annotator, label, range, attributes
and note); annotators who agree keep a span each."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.service import agreement, export_project, import_file
from annotator.store.project import Project

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


# -- the annotator is part of what makes a span a duplicate ----------------------------------------

TEXT = "Cambodia moved up to Tier 2 in 2024, the minister said."
TEAM = ("A", "B", "C")


def write_project(path: Path, annotations: list[dict]) -> Path:
    document = {"text": TEXT, "title": "Team", "annotations": annotations}
    path.write_text(
        json.dumps({"format": "annotator-project", "version": 1, "documents": [document]}),
        encoding="utf-8",
    )
    return path


def layers(project: Project) -> dict[str, list[tuple[str, int, int]]]:
    found: dict[str, list[tuple[str, int, int]]] = {}
    for a in project.annotations():
        found.setdefault(a.annotator, []).append((a.label, a.start, a.end))
    return {name: sorted(spans) for name, spans in sorted(found.items())}


def test_annotators_who_agree_keep_a_span_each(any_project: Project, tmp_path: Path) -> None:
    path = write_project(
        tmp_path / "team.json", [{**SPAN, "note": "same", "annotator": who} for who in TEAM]
    )
    outcome = import_file(any_project, path)
    assert outcome.summary is not None
    assert outcome.summary.duplicates_skipped == 0
    assert outcome.summary.added[0].annotations == 3
    assert layers(any_project) == {who: [("Claim", 0, 8)] for who in TEAM}


def test_one_annotator_twice_is_still_one_span(any_project: Project, tmp_path: Path) -> None:
    twice = {**SPAN, "note": "same", "annotator": "A"}
    path = write_project(tmp_path / "twice.json", [twice, dict(twice), {**twice, "annotator": "B"}])
    outcome = import_file(any_project, path)
    assert outcome.summary is not None
    assert outcome.summary.duplicates_skipped == 1
    assert layers(any_project) == {"A": [("Claim", 0, 8)], "B": [("Claim", 0, 8)]}


def test_attribute_order_does_not_make_a_new_span(any_project: Project, tmp_path: Path) -> None:
    one = {**SPAN, "attributes": {"verdict": "true", "checkworthy": "yes"}, "annotator": "A"}
    other = {**one, "attributes": {"checkworthy": "yes", "verdict": "true"}}
    outcome = import_file(any_project, write_project(tmp_path / "order.json", [one, other]))
    assert outcome.summary is not None and outcome.summary.duplicates_skipped == 1
    assert layers(any_project) == {"A": [("Claim", 0, 8)]}


def team_project(project: Project) -> None:
    """Three annotators who agree on some spans and not on others."""
    (document,) = project.import_bundle(ImportedBundle([ImportedDocument(TEXT, "Team")])).added
    agreed = [("Claim", 0, 35), ("Organisation", 0, 8), ("Quote", 37, 55)]
    own = {"A": [("Tier rating", 21, 27)], "B": [("Claim", 0, 27)], "C": []}
    for who in TEAM:
        for label, start, end in agreed + own[who]:
            project.add_annotation(document.id, label, start, end, annotator=who, note="n")


def test_our_own_team_export_imports_with_every_span(
    backend: str, new_location, tmp_path: Path
) -> None:
    exported = tmp_path / "team-export.json"
    with Project.open(new_location(backend, "source", project=True)) as source:
        team_project(source)
        with exported.open("w", encoding="utf-8") as out:
            export_project(source, out)
        before, alpha_before = layers(source), agreement(source)
    with Project.open(new_location(backend, "copy", project=True)) as copy:
        outcome = import_file(copy, exported)
        assert outcome.summary is not None and outcome.summary.duplicates_skipped == 0
        assert sum(map(len, layers(copy).values())) == sum(map(len, before.values())) == 11
        assert layers(copy) == before
        assert agreement(copy) == alpha_before


def qde_with_users(sources: str) -> str:
    users = "".join(f'<User guid="{guid(n)}" name="{who}"/>' for n, who in enumerate(TEAM))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="team" origin="QualCoder 3.6">'
        f"<Users>{users}</Users>"
        f'<CodeBook><Codes><Code guid="{CODE}" name="Claim" isCodable="true"/></Codes></CodeBook>'
        f"<Sources>{sources}</Sources></Project>"
    )


CODE = "11111111-1111-1111-1111-111111111111"


def guid(n: int) -> str:
    return f"aaaaaaaa-aaaa-aaaa-aaaa-{n:012d}"


def test_qdpx_owners_coding_one_selection_keep_a_coding_each(
    any_project: Project, tmp_path: Path
) -> None:
    selections = "".join(
        f'<PlainTextSelection guid="{guid(10 + n)}" name="Cambodia" startPosition="0" '
        f'endPosition="8" creatingUser="{guid(n)}">'
        f'<Coding guid="{guid(20 + n)}" creatingUser="{guid(n)}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
        for n in range(len(TEAM))
    )
    sources = (
        f'<TextSource guid="{guid(99)}" name="team">'
        f"<PlainTextContent>{TEXT}</PlainTextContent>{selections}</TextSource>"
    )
    path = tmp_path / "team.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde_with_users(sources))
    outcome = import_file(any_project, path)
    assert outcome.summary is not None
    assert outcome.summary.duplicates_skipped == 0
    assert layers(any_project) == {who: [("Claim", 0, 8)] for who in TEAM}
