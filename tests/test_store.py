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
from annotator.store import fileformat, schema
from annotator.store.project import Project

from .conftest import SAMPLE, sql
from .helpers.migrations import NEXT_REVISION, pretend_newer_annotator


def one_doc_bundle(text: str = "Cambodia moved to Tier 2 👍 today.", **doc) -> ImportedBundle:
    return ImportedBundle([ImportedDocument(text, "T", **doc)])


def test_new_project_is_stamped_and_has_the_default_labels(project: Project) -> None:
    path = project.path
    assert sql(path, "PRAGMA application_id") == [(fileformat.APPLICATION_ID,)]
    assert sql(path, "PRAGMA user_version") == [(schema.current_version(),)]
    assert sql(path, "PRAGMA journal_mode") == [("wal",)]
    head = schema.head_revision(schema.MIGRATIONS_DIR)
    assert sql(path, "SELECT version_num FROM alembic_version") == [(head,)]
    assert project.labels() == list(DEFAULT_LABELS)
    assert [label.shortcut for label in project.labels()] == ["1", "2", "3", "4"]
    assert project.meta()["schema_version"] == str(int(head))


def test_schema_version_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(schema.MIGRATIONS_DIR)).get_current_head()
    assert schema.head_revision(schema.MIGRATIONS_DIR) == head
    assert schema.current_version() == int(head)


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """``make migration`` on an unchanged model writes the next revision, and it is empty."""
    from annotator.store import new_migration

    scripts = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    path = new_migration.write_revision("nothing changed", scripts)
    number = schema.current_version() + 1
    assert path.name == f"{number:04d}_nothing_changed.py"
    body = path.read_text()
    assert f"revision = '{number:04d}'" in body
    assert f"down_revision = '{schema.head_revision(schema.MIGRATIONS_DIR)}'" in body
    commands = [
        line.strip()
        for line in body.split("def upgrade()")[1].split("def downgrade()")[0].splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert commands == ["-> None:", "pass"], "models.py differs from the migrations:\n" + body
    assert schema.current_version(scripts) == number


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


def test_foreign_keys_are_enforced_and_cascade(any_project: Project) -> None:
    project = any_project
    summary = project.import_bundle(one_doc_bundle(annotations=[ImportedAnnotation("Claim", 0, 8)]))
    doc_id = summary.added[0].id
    project.delete_documents([doc_id])
    assert project.annotations() == []
    with project.reading() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM document_texts").scalar() == 0
    with project.transaction() as s, pytest.raises(IntegrityError):
        s.connection().exec_driver_sql(
            "INSERT INTO annotations VALUES "
            "('x', 'no-such-doc', 1, 0, 1, 'a', '{}', '', '', '', '')"
        )


def test_span_order_is_checked_by_the_database(any_project: Project) -> None:
    project = any_project
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    with project.transaction() as s, pytest.raises(IntegrityError):
        s.connection().exec_driver_sql(
            f"INSERT INTO annotations VALUES ('x', '{doc_id}', 1, 5, 5, '', '{{}}', '', '', '', '')"
        )


def test_annotation_edits_round_trip(any_project: Project) -> None:
    project = any_project
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


def test_a_status_change_does_not_rewrite_the_text(project: Project) -> None:
    """SQLite writes a whole row again on any update: the text lives apart (schema 4), so the
    first label of a big article (which sets its status) writes a page or two, not megabytes."""
    text = "A claim about Tier 2. " * 100_000  # 2.2 MB
    doc_id = project.import_bundle(one_doc_bundle(text)).added[0].id
    wal = project.path.with_name(project.path.name + "-wal")
    sqlite3.connect(project.path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    before = wal.stat().st_size if wal.exists() else 0
    assert project.set_document_status(doc_id, DocumentStatus.IN_PROGRESS) == DocumentStatus.NEW
    written = wal.stat().st_size - before
    assert 0 < written < 64 * 1024, f"{written} bytes written to change a status"
    assert project.document(doc_id).text == text


def test_a_bulk_read_shares_repeated_values_and_edits_stay_apart(project: Project) -> None:
    """The bulk read keeps one object per repeated value (memory at 50k spans); an edit
    through the store still changes one annotation and no other."""
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    for start, end in ((0, 8), (9, 14), (18, 24)):
        project.add_annotation(doc_id, "Claim", start, end, annotator="ana")
    first, second, third = project.annotations(doc_id)
    assert first.document_id is second.document_id is third.document_id
    assert first.label is second.label and first.annotator is third.annotator
    assert first.attributes == second.attributes == {}
    project.update_annotation(second.id, attributes={"verdict": "true"})
    after = project.annotations(doc_id)
    assert [a.attributes for a in after] == [{}, {"verdict": "true"}, {}]
    assert first.attributes == {}  # what was read before is not changed either


def test_a_failed_import_writes_nothing(any_project: Project) -> None:
    project = any_project
    project.import_bundle(one_doc_bundle("first"))
    before = project.annotations(), project.documents(), project.labels()
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
    assert (project.annotations(), project.documents(), project.labels()) == before


def test_same_text_is_skipped(any_project: Project) -> None:
    project = any_project
    assert len(project.import_bundle(one_doc_bundle()).added) == 1
    again = project.import_bundle(one_doc_bundle())
    assert again.added == [] and again.skipped[0].existing_title == "T"
    assert len(project.documents()) == 1


def test_reopening_keeps_everything(store_location: Path | str) -> None:
    with Project.open(store_location) as p:
        doc_id = p.import_bundle(one_doc_bundle()).added[0].id
        p.add_annotation(doc_id, "Quote", 0, 8, attributes={"speaker": "X"})
        before = p.annotations(), p.documents(), p.labels(), p.meta()
    with Project.open(store_location, create=False) as p:
        assert (p.annotations(), p.documents(), p.labels(), p.meta()) == before


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
    connection.execute(f"PRAGMA user_version={schema.current_version() + 1}")
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


def test_older_schema_is_backed_up_then_migrated(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(project_path) as p:
        doc_id = p.import_bundle(one_doc_bundle()).added[0].id
        p.add_annotation(doc_id, "Claim", 0, 8)
        before = p.annotations()
    old = schema.current_version()
    number = pretend_newer_annotator(tmp_path, monkeypatch)

    with Project.open(project_path) as p:
        backup = p.migration_backup
        assert p.annotations() == before
    assert backup is not None and backup.parent == project_path.parent
    assert f"schema{old}-backup" in backup.name
    assert sql(backup, "PRAGMA user_version") == [(old,)]
    assert sql(backup, "SELECT count(*) FROM annotations") == [(1,)]
    assert sql(project_path, "PRAGMA user_version") == [(number,)]
    assert sql(project_path, "SELECT language FROM documents") == [("en",)]
    assert sql(project_path, "SELECT version_num FROM alembic_version") == [(f"{number:04d}",)]


def test_failed_migration_leaves_the_project_as_it_was(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Project.open(project_path).close()
    old = schema.current_version()
    broken = NEXT_REVISION.replace(
        'batch.add_column(sa.Column("language", sa.String(), nullable=False, server_default="en"))',
        'op.execute("CREATE TABLE labels (x)")',
    )
    pretend_newer_annotator(tmp_path, monkeypatch, broken)
    with pytest.raises(ProjectError, match="could not be upgraded.*unchanged"):
        Project.open(project_path)
    assert sql(project_path, "PRAGMA user_version") == [(old,)]
    assert sql(project_path, "SELECT version_num FROM alembic_version") == [(f"{old:04d}",)]


def test_damage_found_while_reading_annotations_is_a_project_error(project: Project) -> None:
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    project.add_annotation(doc_id, "Claim", 0, 8)
    other = sqlite3.connect(project.path)  # another program breaks the file under us
    other.execute("DROP TABLE labels")
    other.commit()
    other.close()
    with pytest.raises(ProjectError, match=r"database error \(no such table: labels\)"):
        project.annotations(doc_id)


def test_writes_run_together_commit_or_roll_back_as_one(any_project: Project) -> None:
    project = any_project
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id

    def label_then_fail() -> None:
        project.add_annotation(doc_id, "Claim", 0, 8)
        assert project.start_document(doc_id)
        raise ValueError("the second half failed")

    with pytest.raises(ValueError):
        project.together(label_then_fail, shared=True)
    assert project.annotations(doc_id) == []
    assert project.documents()[0].status == DocumentStatus.NEW

    def label_and_start() -> str:
        added = project.add_annotation(doc_id, "Claim", 0, 8)
        project.start_document(doc_id)
        return added.id

    added_id = project.together(label_and_start, shared=True)
    assert [a.id for a in project.annotations(doc_id)] == [added_id]
    assert project.documents()[0].status == DocumentStatus.IN_PROGRESS
    with pytest.raises(RuntimeError, match="cannot join a shared transaction"):
        project.together(lambda: project.delete_documents([doc_id]), shared=True)
    assert project.documents()[0].id == doc_id


def test_starting_a_document_changes_only_a_new_one(any_project: Project) -> None:
    project = any_project
    doc_id = project.import_bundle(one_doc_bundle()).added[0].id
    assert project.start_document(doc_id) is True
    assert project.start_document(doc_id) is False  # already in progress
    project.set_document_status(doc_id, DocumentStatus.DONE)
    assert project.start_document(doc_id) is False
    assert project.documents()[0].status == DocumentStatus.DONE
    assert project.start_document("no-such-document") is False
