"""A project made with schema version 1 (tests/fixtures/v1-project.annot) opens with today's code
with every annotation as it was; an upgrade first makes a backup, then migrates."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.labels import DEFAULT_LABELS
from annotator.store import backups, schema
from annotator.store.project import Project

from .conftest import FIXTURES, sql
from .helpers.migrations import pretend_newer_annotator

sys.path.insert(0, str(FIXTURES))
import make_v1_project as made  # noqa: E402

FIXTURE = FIXTURES / "v1-project.annot"


def header_version(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[60:64], "big")


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    """Never open the fixture itself: opening may migrate it."""
    assert header_version(FIXTURE) == made.SCHEMA_VERSION == 1
    copy = tmp_path / "old.annot"
    shutil.copyfile(FIXTURE, copy)
    return copy


def check_everything(project: Project) -> None:
    stored = sorted((a._asdict() for a in project.annotations()), key=lambda a: a["id"])
    assert stored == made.expected_annotations()  # label, offsets, text, attributes, notes, …
    documents = {d.id: d for d in (project.document(s.id) for s in project.documents())}
    assert [s.id for s in project.documents()] == [d["id"] for d in made.DOCUMENTS]
    for expected in made.DOCUMENTS:
        document = documents[expected["id"]]
        assert (
            document.title,
            document.text,
            document.source,
            document.metadata,
            document.status.value,
            document.created,
        ) == (
            expected["title"],
            expected["text"],
            expected["source"],
            expected["metadata"],
            expected["status"],
            expected["created"],
        )
    labels = project.labels()
    assert labels[:4] == list(DEFAULT_LABELS)
    person = labels[4]
    assert (person.name, person.color, person.shortcut, person.description) == (
        "Person",
        "#3a86c8",
        "5",
        "Someone named.",
    )
    assert [
        (a.name, a.kind.value, a.choices, a.required, a.default) for a in person.attributes
    ] == [
        ("role", "choice", ("official", "witness", "other"), True, "other"),
        ("age", "number", (), False, None),
        ("quoted", "boolean", (), False, False),
        ("aka", "text", (), False, None),
    ]


def test_the_v1_fixture_opens_with_every_annotation_intact(v1_copy: Path) -> None:
    with Project.open(v1_copy, create=False) as project:
        check_everything(project)
        backup = project.migration_backup
    if schema.current_version() > 1:  # a later Annotator migrated it, after a backup
        assert backup is not None and header_version(backup) == 1
    else:
        assert backup is None


def test_the_v1_fixture_is_backed_up_then_migrated(
    v1_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a later Annotator will: one more revision on top of today's migrations."""
    number = pretend_newer_annotator(tmp_path, monkeypatch)
    with Project.open(v1_copy, create=False) as project:
        check_everything(project)
        backup = project.migration_backup
    assert backup is not None and header_version(backup) == 1
    assert backups.fingerprint(backup) == backups.fingerprint(FIXTURE)  # the same content
    connection = sqlite3.connect(v1_copy)
    assert connection.execute("PRAGMA user_version").fetchone() == (number,)
    assert connection.execute("SELECT DISTINCT language FROM documents").fetchall() == [("en",)]
    connection.close()


def test_an_upgraded_project_reports_the_new_version_everywhere(
    v1_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    number = pretend_newer_annotator(tmp_path, monkeypatch)
    assert schema.current_version() == number
    with Project.open(v1_copy, create=False) as project:
        assert project.meta()["schema_version"] == str(number)
    assert header_version(v1_copy) == number
    assert sql(v1_copy, "SELECT version_num FROM alembic_version") == [(f"{number:04d}",)]
    assert sql(v1_copy, "SELECT value FROM project_meta WHERE key = 'schema_version'") == [
        (str(number),)
    ]
    assert main(["info", str(v1_copy)]) == 0
    assert f"Schema version: {number}," in capsys.readouterr().out


def test_an_upgraded_v1_project_records_deletions_and_merges_them(
    v1_copy: Path, tmp_path: Path
) -> None:
    """Schema 5 adds the tombstones of deleted annotations: an upgraded project has none (its
    earlier deletions went unrecorded), records the next one, and a merge carries it."""
    copy = tmp_path / "copy.annot"
    with Project.open(v1_copy) as project:
        check_everything(project)
        shutil.copyfile(v1_copy, copy)
        assert sql(v1_copy, "SELECT count(*) FROM annotation_deletions") == [(0,)]
        gone = project.annotations()[0]
        project.delete_annotations([gone.id])
        assert sql(v1_copy, "SELECT annotation_id, document_id FROM annotation_deletions") == [
            (gone.id, gone.document_id)
        ]
    with Project.open(copy) as other:
        from annotator.service import merge_file

        report = merge_file(other, v1_copy).report
        assert report is not None and report.deletions_applied == 1
        assert gone.id not in {a.id for a in other.annotations()}
