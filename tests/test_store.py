"""The project file: creation, pragmas, constraints, transactions, and files that are not ours."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from annotator.core.errors import ProjectError
from annotator.core.labels import DEFAULT_LABELS
from annotator.core.model import (
    DocumentStatus,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
)
from annotator.store import database, fileformat
from annotator.store.project import Project

from .conftest import SAMPLE, sql


def one_doc_bundle(text: str = "Cambodia moved to Tier 2 👍 today.", **doc) -> ImportedBundle:
    return ImportedBundle([ImportedDocument(text, "T", **doc)])


def test_new_project_is_stamped_and_has_the_default_labels(project: Project) -> None:
    path = project.path
    assert sql(path, "PRAGMA application_id") == [(fileformat.APPLICATION_ID,)]
    assert sql(path, "PRAGMA user_version") == [(fileformat.SCHEMA_VERSION,)]
    assert sql(path, "PRAGMA journal_mode") == [("wal",)]
    assert sql(path, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert project.labels() == list(DEFAULT_LABELS)
    assert [label.shortcut for label in project.labels()] == ["1", "2", "3", "4"]
    assert project.meta()["schema_version"] == "2"


def test_schema_version_is_the_newest_migration() -> None:
    revisions = sorted(
        p.stem.split("_")[0] for p in (database.MIGRATIONS_DIR / "versions").glob("[0-9]*.py")
    )
    assert int(revisions[-1]) == fileformat.SCHEMA_VERSION


def test_default_labels_carry_their_typed_attributes() -> None:
    by_name = {label.name: label for label in DEFAULT_LABELS}
    assert by_name["Claim"].attribute("verdict").choices == (
        "unverified",
        "true",
        "mostly true",
        "mixed",
        "misleading",
        "false",
    )
    assert by_name["Claim"].attribute("checkworthy").kind == "boolean"
    assert by_name["Quote"].attribute("speaker").kind == "text"
    assert by_name["Organisation"].attribute("type").choices == (
        "government",
        "NGO",
        "international",
        "company",
        "media",
        "other",
    )
    assert by_name["Tier rating"].attribute("tier").choices == (
        "Tier 1",
        "Tier 2",
        "Tier 2 Watch List",
        "Tier 3",
    )
    assert by_name["Tier rating"].attribute("year").kind == "number"
    assert len({label.color for label in DEFAULT_LABELS}) == 4


def test_foreign_keys_are_enforced_and_cascade(project: Project) -> None:
    summary = project.import_bundle(one_doc_bundle(annotations=[ImportedAnnotation("Claim", 0, 8)]))
    doc_id = summary.added[0].id
    project.delete_documents([doc_id])
    assert sql(project.path, "SELECT count(*) FROM annotations") == [(0,)]
    with project._session(write=True) as s, pytest.raises(IntegrityError):
        s.connection().exec_driver_sql(
            "INSERT INTO annotations VALUES "
            "('x', 'no-such-doc', 1, 0, 1, 'a', '{}', '', '', '', '')"
        )


def test_span_order_is_checked_by_the_database(project: Project) -> None:
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    with project._session(write=True) as s, pytest.raises(IntegrityError):
        s.connection().exec_driver_sql(
            f"INSERT INTO annotations VALUES ('x', '{doc_id}', 1, 5, 5, '', '{{}}', '', '', '', '')"
        )


def test_annotation_edits_round_trip(project: Project) -> None:
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    added = project.add_annotation(
        doc_id, "Tier rating", 18, 24, attributes={"tier": "Tier 2"}, annotator="ana"
    )
    assert added.text == "Tier 2"
    emoji = project.add_annotation(doc_id, "Claim", 25, 26)
    assert emoji.text == "👍"
    changed = project.update_annotation(
        added.id, label="Claim", attributes={"verdict": "true"}, note="checked"
    )
    assert (changed.label, changed.attributes, changed.note) == (
        "Claim",
        {"verdict": "true"},
        "checked",
    )
    deleted = project.delete_annotations([added.id, emoji.id])
    assert project.annotations(doc_id) == []
    project.restore_annotations(deleted)
    assert sorted(project.annotations(doc_id), key=lambda a: a.start) == sorted(
        deleted, key=lambda a: a.start
    )
    with pytest.raises(ValueError):
        project.add_annotation(doc_id, "Claim", 30, 99)
    assert project.set_document_status(doc_id, DocumentStatus.DONE) == DocumentStatus.NEW
    assert project.documents()[0].status == DocumentStatus.DONE


def test_a_failed_import_writes_nothing(project: Project) -> None:
    project.import_bundle(one_doc_bundle("first"))
    before = project.path.read_bytes(), project.documents(), project.labels()
    bad = ImportedBundle(
        [
            ImportedDocument(
                "second text", "ok", annotations=[ImportedAnnotation("New label", 0, 6)]
            ),
            ImportedDocument("third", "bad", annotations=[ImportedAnnotation("Claim", 3, 2)]),
        ]
    )
    with pytest.raises(ValueError, match="'bad': span Claim 3..2 is outside its text"):
        project.import_bundle(bad)
    assert (project.documents(), project.labels()) == before[1:]


def test_same_text_is_skipped(project: Project) -> None:
    assert len(project.import_bundle(one_doc_bundle()).added) == 1
    again = project.import_bundle(one_doc_bundle())
    assert again.added == [] and again.skipped[0].existing_title == "T"
    assert len(project.documents()) == 1


def test_reopening_keeps_everything(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc_id = p.import_bundle(one_doc_bundle()).added[0].id
        p.add_annotation(doc_id, "Quote", 0, 8, attributes={"speaker": "X"})
        before = p.annotations(), p.documents(), p.labels()
    with Project.open(project_path, create=False) as p:
        assert (p.annotations(), p.documents(), p.labels()) == before


# -- files that are not (usable) projects: refused, and left byte for byte as they were ---------


def refused(path: Path, fragment: str) -> None:
    before = path.read_bytes()
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    assert str(caught.value).startswith(str(path)), caught.value
    assert fragment in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.annot"
    path.write_bytes(SAMPLE.read_bytes())
    refused(path, "not a SQLite database")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.annot"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    refused(path, "another program")


def test_newer_schema_is_refused(project_path: Path) -> None:
    Project.open(project_path).close()
    connection = sqlite3.connect(project_path)
    connection.execute(f"PRAGMA user_version={fileformat.SCHEMA_VERSION + 1}")
    connection.close()
    refused(project_path, "newer Annotator")


def test_truncated_project_is_refused(project_path: Path) -> None:
    with Project.open(project_path) as p:
        p.import_bundle(one_doc_bundle(SAMPLE.read_text(encoding="utf-8") * 20))
    data = project_path.read_bytes()
    project_path.write_bytes(data[: len(data) // 3])
    refused(project_path, "damaged")


def test_missing_project_is_refused_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "nothing.annot", create=False)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(tmp_path / "no" / "such" / "p.annot")


def test_empty_file_becomes_a_project(tmp_path: Path) -> None:
    path = tmp_path / "empty.annot"
    path.touch()
    with Project.open(path) as p:
        assert p.labels() == list(DEFAULT_LABELS)


# -- migrations ---------------------------------------------------------------------------------

SECOND_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("language", sa.String(), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("language")
"""


CURRENT = fileformat.SCHEMA_VERSION
NEXT = CURRENT + 1


def pretend_newer_annotator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_revision: str
) -> None:
    """Run as an Annotator whose migrations are ours plus ``second_revision`` (one newer)."""
    scripts = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    revision = second_revision.replace('revision = "0002"', f'revision = "{NEXT:04d}"').replace(
        'down_revision = "0001"', f'down_revision = "{CURRENT:04d}"'
    )
    (scripts / "versions" / f"{NEXT:04d}_next.py").write_text(revision)
    monkeypatch.setattr(database, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(fileformat, "SCHEMA_VERSION", NEXT)


def test_older_schema_is_backed_up_then_migrated(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(project_path) as p:
        doc_id = p.import_bundle(one_doc_bundle()).added[0].id
        p.add_annotation(doc_id, "Claim", 0, 8)
        before = p.annotations()
    pretend_newer_annotator(tmp_path, monkeypatch, SECOND_REVISION)

    with Project.open(project_path) as p:
        backup = p.migration_backup
        assert p.annotations() == before
    assert backup is not None and backup.parent == project_path.parent
    assert f"schema{CURRENT}-backup" in backup.name
    assert sql(backup, "PRAGMA user_version") == [(CURRENT,)]
    assert sql(backup, "SELECT count(*) FROM annotations") == [(1,)]
    assert sql(project_path, "PRAGMA user_version") == [(NEXT,)]
    assert sql(project_path, "SELECT language FROM documents") == [("en",)]
    assert sql(project_path, "SELECT version_num FROM alembic_version") == [(f"{NEXT:04d}",)]


def test_failed_migration_leaves_the_project_as_it_was(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Project.open(project_path).close()
    broken = SECOND_REVISION.replace(
        'batch.add_column(sa.Column("language", sa.String(), nullable=False, server_default="en"))',
        'op.execute("CREATE TABLE labels (x)")',
    )
    pretend_newer_annotator(tmp_path, monkeypatch, broken)
    with pytest.raises(ProjectError, match="could not be upgraded.*unchanged"):
        Project.open(project_path)
    assert sql(project_path, "PRAGMA user_version") == [(CURRENT,)]
    assert sql(project_path, "SELECT version_num FROM alembic_version") == [(f"{CURRENT:04d}",)]


def test_damage_found_while_reading_annotations_is_a_project_error(project: Project) -> None:
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    project.add_annotation(doc_id, "Claim", 0, 8)
    other = sqlite3.connect(project.path)  # another program breaks the file under us
    other.execute("DROP TABLE labels")
    other.commit()
    other.close()
    with pytest.raises(ProjectError, match=r"database error \(no such table: labels\)"):
        project.annotations(doc_id)
