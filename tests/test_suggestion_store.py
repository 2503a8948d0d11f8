"""The suggestion store beside the codebook: a label's patterns and rejected suggestions go with
it when it is deleted, and come back when the deletion is undone (file and server alike)."""

from __future__ import annotations

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.core.suggest.patterns import Pattern
from annotator.store import codebook, suggestion_store
from annotator.store.project import Project

TEXT = "The Ministry said Cambodia moved to Tier 2. The Ministry agreed."


def _patterns(project: Project) -> list[tuple[str, str, object]]:
    return [(p.label, p.kind, p.pattern) for p in suggestion_store.patterns(project)]


def test_undoing_a_label_deletion_brings_back_its_patterns_and_rejections(
    any_project: Project,
) -> None:
    project = any_project
    (doc,) = project.import_bundle(ImportedBundle([ImportedDocument(TEXT, "T")])).added
    suggestion_store.replace_patterns(
        project,
        [
            Pattern("Organisation", "phrase", "Ministry"),
            Pattern("Tier rating", "regex", r"Tier \d"),
            Pattern("Organisation", "regex", r"[A-Z]{3,}"),
        ],
    )
    suggestion_store.reject(project, doc.id, [("Organisation", 4, 12), ("Tier rating", 36, 42)])
    before = _patterns(project)

    deleted = codebook.delete_label(project, "Organisation")
    assert _patterns(project) == [("Tier rating", "regex", r"Tier \d")]
    assert suggestion_store.rejected(project, doc.id) == {("Tier rating", 36, 42)}

    codebook.restore_label(project, deleted)
    assert _patterns(project) == before  # in their places
    assert suggestion_store.rejected(project, doc.id) == {
        ("Organisation", 4, 12),
        ("Tier rating", 36, 42),
    }
    assert [label.name for label in project.labels()][2] == "Organisation"


def test_a_rejection_in_a_document_deleted_meanwhile_is_not_brought_back(
    any_project: Project,
) -> None:
    project = any_project
    (doc,) = project.import_bundle(ImportedBundle([ImportedDocument(TEXT, "T")])).added
    suggestion_store.reject(project, doc.id, [("Organisation", 4, 12)])
    deleted = codebook.delete_label(project, "Organisation")
    project.delete_documents([doc.id])
    codebook.restore_label(project, deleted)
    assert "Organisation" in [label.name for label in project.labels()]
    assert project.documents() == []
