"""Automatic backups: made with SQLite's backup API beside the project, rolled (newest 5), listed
with their counts, and restorable (the current state is backed up first)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store import backups
from annotator.store.project import Project

from .conftest import SAMPLE, sql
from .reliability import overwrite_middle_page

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def add_document(project: Project, text: str, spans: int = 1) -> str:
    bundle = ImportedBundle(
        [
            ImportedDocument(
                text,
                text[:20],
                annotations=[ImportedAnnotation("Claim", n, n + 3) for n in range(spans)],
            )
        ]
    )  # distinct: imports
    # skip exact duplicates
    return project.import_bundle(bundle).added[0].id


def test_rolling_policy_interval_change_and_keep_five(project: Project) -> None:
    add_document(project, "First document text.")
    made = backups.rolling_backup(project, now=T0)
    assert made is not None and made.parent == project.path.with_name("test.annot.backups")
    assert made.name == "test-20260301-090000.annot"
    assert backups.rolling_backup(project, now=T0 + timedelta(minutes=59)) is None  # too soon
    assert backups.rolling_backup(project, now=T0 + timedelta(hours=2)) is None  # unchanged
    for hour in range(3, 10):
        add_document(project, f"Document of hour {hour}.")
        assert backups.rolling_backup(project, now=T0 + timedelta(hours=hour)) is not None
    listed = backups.list_backups(project.path)
    assert [b.created.hour for b in listed] == [18, 17, 16, 15, 14]  # newest 5, newest first
    assert [b.documents for b in listed] == [8, 7, 6, 5, 4]
    assert all(b.annotations == b.documents and b.size > 0 and b.usable for b in listed)


def test_a_backup_is_a_consistent_standalone_copy_of_a_live_wal_project(project: Project) -> None:
    add_document(project, "Committed before the backup.")
    # Another program holds the project open: committed pages wait in the WAL (a reader blocks
    # the checkpoint), and a write transaction is in progress, not committed.
    reader = sqlite3.connect(project.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM documents").fetchone()
    add_document(project, "Committed, still only in the WAL.")
    writer = sqlite3.connect(project.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM annotations")
    try:
        assert project.path.with_name("test.annot-wal").stat().st_size > 0
        made = backups.make_backup(project.path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        reader.close()
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # no -wal, no .partial
    assert sql(made, "PRAGMA journal_mode") == [("delete",)]
    assert sql(made, "PRAGMA integrity_check") == [("ok",)]
    assert sql(made, "SELECT count(*) FROM documents") == [(2,)]
    assert sql(made, "SELECT count(*) FROM annotations") == [(2,)]
    with Project.open(made, create=False, read_only=True) as copy:  # opens like any project
        assert [d.title for d in copy.documents()] == [
            "Committed before the",
            "Committed, still onl",
        ]


def test_restore_backs_up_the_current_state_then_replaces_it(project: Project) -> None:
    document_id = add_document(project, "Before the mistake.", spans=2)
    good = backups.make_backup(project.path, now=T0)
    before = project.annotations()
    project.delete_annotations([a.id for a in before])  # the mistake
    add_document(project, "Added after the backup.")
    safety = backups.restore(project.path, good)
    assert project.annotations() == before  # the open project sees the restored content
    assert [d.id for d in project.documents()] == [document_id]
    assert safety.name.endswith("-before-restore.annot")
    assert sql(safety, "SELECT count(*) FROM annotations") == [(1,)]  # the state it replaced
    assert sql(project.path, "PRAGMA integrity_check") == [("ok",)]
    assert sql(project.path, "PRAGMA journal_mode") == [("wal",)]
    notes = [b.note for b in backups.list_backups(project.path)]
    assert notes == [backups.BEFORE_RESTORE, ""]
    # and the restore itself can be undone the same way
    backups.restore(project.path, safety)
    assert [a.text for a in project.annotations()] == ["Add"]


def test_a_damaged_backup_is_listed_but_not_restored(project: Project) -> None:
    add_document(project, "Some text here " * 500, spans=50)
    made = backups.make_backup(project.path, now=T0)
    overwrite_middle_page(made)
    (listed,) = backups.list_backups(project.path, check=True)
    assert not listed.usable and listed.documents is None
    before = project.annotations()
    with pytest.raises(ProjectError, match="this backup cannot be restored"):
        backups.restore(project.path, made)
    assert project.annotations() == before
    # an unreadable newest backup does not count as "unchanged"
    assert backups.rolling_backup(project, now=T0 + timedelta(hours=2)) is not None


def test_restoring_over_a_damaged_project_keeps_the_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        add_document(project, "Worth keeping " * 400, spans=30)
        good = backups.make_backup(path)
        add_document(project, "More text " * 400)
    overwrite_middle_page(path)
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(path)
    aside = backups.restore(path, good)
    assert aside.name.startswith("p.damaged-") and aside.exists()
    with Project.open(path, create=False) as project:
        assert len(project.annotations()) == 30


def test_read_only_projects_get_no_backup(project_path: Path) -> None:
    Project.open(project_path).close()
    with Project.open(project_path, read_only=True) as project:
        assert backups.rolling_backup(project) is None
    assert not backups.folder(project_path).exists()


def test_no_backup_possible_is_a_clear_error(project: Project) -> None:
    backups.folder(project.path).write_text("in the way")
    with pytest.raises(ProjectError, match=r"no backup could be made \("):
        backups.rolling_backup(project)


def test_a_cli_import_backs_up_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.annot"
    assert main(["import", str(path), str(SAMPLE)]) == 0
    assert backups.list_backups(path) == []  # the command made the project: nothing to keep
    other = tmp_path / "other.txt"
    shutil.copyfile(SAMPLE, other)
    other.write_text(other.read_text(encoding="utf-8") + "\nOne more line.", encoding="utf-8")
    assert main(["import", str(path), str(other)]) == 0
    (backup,) = backups.list_backups(path)
    assert backup.documents == 1  # the state before the second import
    backups.folder(path).rename(tmp_path / "moved")
    backups.folder(path).write_text("in the way")
    third = tmp_path / "third.txt"
    third.write_text("A third article, short but real.", encoding="utf-8")
    assert main(["import", str(path), str(third)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(
        f"note: no backup made before the import: {path}: no backup could be made ("
    )
