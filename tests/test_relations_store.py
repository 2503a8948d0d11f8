"""Relations in the store: the default types, adding, refusing, deleting with an end, undoing,
flagging after a relabel, and the migration that brings them to schema-1 projects."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import RelationError
from annotator.core.labels import DEFAULT_LABELS, DEFAULT_RELATION_TYPES
from annotator.core.model import Annotation
from annotator.core.templates import FACT_CHECK, NEWS_ENTITIES, relation_types_for
from annotator.store.project import Project

from .conftest import FIXTURES

TEXT = "Officials said: 'Cambodia improved.' The ministry agreed. Cambodia improved a lot."


@pytest.fixture
def project(any_project: Project) -> Project:
    """Every test here runs on a file and on a PostgreSQL server."""
    return any_project


@pytest.fixture
def spans(project: Project) -> dict[str, Annotation]:
    from annotator.core.model import ImportedBundle, ImportedDocument

    project.import_bundle(ImportedBundle([ImportedDocument(TEXT, "doc", id="d1")]))
    quote = project.add_annotation("d1", "Quote", 17, 35)
    org = project.add_annotation("d1", "Organisation", 37, 49)
    claim = project.add_annotation("d1", "Claim", 58, 82)
    return {"quote": quote, "org": org, "claim": claim}


def test_a_new_project_has_the_default_relation_types(project: Project) -> None:
    assert project.relation_types() == list(DEFAULT_RELATION_TYPES)
    said_by = project.relation_types()[0]
    assert (said_by.name, said_by.sources, said_by.targets, said_by.directed) == (
        "said by",
        ("Quote",),
        ("Organisation",),
        True,
    )


def test_the_fact_check_template_says_said_by_reaches_a_person(
    store_location: Path | str,
) -> None:
    with Project.open(store_location, labels=FACT_CHECK) as project:
        assert [label.name for label in project.labels()][-1] == "Person"
        said_by = project.relation_types()[0]
        assert said_by.targets == ("Organisation", "Person")
    assert relation_types_for(NEWS_ENTITIES) == ()


def test_add_read_delete_and_restore_a_relation(
    project: Project, spans: dict[str, Annotation]
) -> None:
    relation, source = project.add_relation(
        "d1", "said by", spans["quote"].id, spans["org"].id, annotator="ann"
    )
    assert source is None
    assert project.relations("d1") == [relation]
    assert (relation.type, relation.annotator, relation.flagged) == ("said by", "ann", False)
    assert project.delete_relations([relation.id]) == [relation]
    assert project.relations() == []
    project.restore_relations([relation])
    assert project.relations() == [relation]


def test_a_relation_that_does_not_fit_is_refused(
    project: Project, spans: dict[str, Annotation]
) -> None:
    with pytest.raises(RelationError, match="'said by' does not join Claim to Organisation"):
        project.add_relation("d1", "said by", spans["claim"].id, spans["org"].id)
    with pytest.raises(RelationError, match="no relation type named 'likes'"):
        project.add_relation("d1", "likes", spans["quote"].id, spans["org"].id)
    with pytest.raises(RelationError, match="two different annotations"):
        project.add_relation("d1", "said by", spans["quote"].id, spans["quote"].id)
    with pytest.raises(RelationError, match="no annotation 'nope'"):
        project.add_relation("d1", "said by", spans["quote"].id, "nope")
    assert project.relations() == []


def test_deleting_an_annotation_deletes_its_relations_and_restoring_brings_both(
    project: Project, spans: dict[str, Annotation]
) -> None:
    said, _ = project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    evidence, _ = project.add_relation("d1", "evidence for", spans["quote"].id, spans["claim"].id)
    deleted, relations = project.delete_annotations_and_relations([spans["quote"].id])
    assert deleted == [spans["quote"]]
    assert sorted(relations) == sorted([said, evidence])
    assert project.relations() == []
    project.restore_annotations(deleted, relations)
    assert sorted(project.relations()) == sorted([said, evidence])


def test_relabelling_an_end_flags_the_relation_instead_of_dropping_it(
    project: Project, spans: dict[str, Annotation]
) -> None:
    said, _ = project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    project.update_annotation(spans["org"].id, label="Claim")
    (kept,) = project.relations()
    assert kept.id == said.id and kept.flagged
    project.update_annotation(spans["org"].id, label="Organisation")
    assert not project.relations()[0].flagged


def test_said_by_can_fill_the_quote_speaker_in_the_same_write(
    project: Project, spans: dict[str, Annotation]
) -> None:
    relation, source = project.add_relation(
        "d1",
        "said by",
        spans["quote"].id,
        spans["org"].id,
        source_attributes={"speaker": "The ministry"},
    )
    assert source is not None and source.attributes == {"speaker": "The ministry"}
    assert project.annotations("d1")[0].attributes == {"speaker": "The ministry"}


def test_deleting_a_document_deletes_its_relations(
    project: Project, spans: dict[str, Annotation]
) -> None:
    project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    project.delete_documents(["d1"])
    assert project.relations() == []


# File only: the fixture is a schema-1 project file, upgraded (with a backup) on opening.
def test_the_v1_fixture_upgrades_to_relations(tmp_path: Path) -> None:
    copy = tmp_path / "old.annot"
    shutil.copyfile(FIXTURES / "v1-project.annot", copy)
    with Project.open(copy, create=False) as project:
        assert project.migration_backup is not None
        # the fixture has the default labels (and a Person): the default types fit them
        assert [t.name for t in project.relation_types()] == [
            t.name for t in DEFAULT_RELATION_TYPES
        ]
        assert project.labels()[:4] == list(DEFAULT_LABELS)
        quote = next(a for a in project.annotations() if a.label == "Quote")
        org = next(
            (a for a in project.annotations(quote.document_id) if a.label == "Organisation"), None
        )
        if org is not None:
            relation, _ = project.add_relation(quote.document_id, "said by", quote.id, org.id)
            assert project.relations(quote.document_id) == [relation]
    connection = sqlite3.connect(copy)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert {"relations", "relation_types"} <= tables


def test_an_import_brings_relations_and_their_types(project: Project) -> None:
    from annotator.core.labels import RelationTypeDef
    from annotator.core.model import (
        ImportedAnnotation,
        ImportedBundle,
        ImportedDocument,
        ImportedRelation,
    )

    document = ImportedDocument(
        TEXT,
        "doc",
        annotations=[
            ImportedAnnotation("Quote", 17, 35, id="a1"),
            ImportedAnnotation("Organisation", 37, 49, id="a2"),
        ],
        relations=[
            ImportedRelation("said by", "a1", "a2", id="r1"),
            ImportedRelation("cites", "a2", "a1", id="r2", note="only named"),
        ],
    )
    summary = project.import_bundle(
        ImportedBundle([document], relation_types=[RelationTypeDef("mentions", "#123456")])
    )
    assert summary.relation_types_created == ["mentions", "cites"]
    relations = {r.id: r for r in project.relations()}
    assert set(relations) == {"r1", "r2"}
    assert (relations["r1"].source_id, relations["r1"].target_id) == ("a1", "a2")
    assert relations["r2"].note == "only named"
    # a snapshot (the undo of an import) keeps them, so redo puts them back
    snapshot = project.snapshot_documents([summary.added[0].id])
    assert [r.id for r in snapshot.documents[0].relations] == ["r1", "r2"]
    project.delete_documents([summary.added[0].id])
    project.import_bundle(snapshot)
    assert {r.id for r in project.relations()} == {"r1", "r2"}


def test_an_import_whose_relation_end_is_missing_is_refused_whole(project: Project) -> None:
    from annotator.core.model import (
        ImportedAnnotation,
        ImportedBundle,
        ImportedDocument,
        ImportedRelation,
    )

    document = ImportedDocument(
        TEXT,
        "doc",
        annotations=[ImportedAnnotation("Quote", 17, 35, id="a1")],
        relations=[ImportedRelation("said by", "a1", "gone", id="r1")],
    )
    with pytest.raises(ValueError, match="document 'doc': relation 'r1' joins 'gone'"):
        project.import_bundle(ImportedBundle([document]))
    assert project.documents() == [] and project.relations() == []


def test_merging_a_copy_brings_its_relations_once(
    project: Project, spans: dict[str, Annotation], backend: str, new_location
) -> None:
    from annotator.core.labels import RelationTypeDef
    from annotator.store import codebook
    from annotator.store.merge import merge_project

    codebook.add_relation_type(project, RelationTypeDef("cites", "#123456"))
    said, _ = project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    cites, _ = project.add_relation("d1", "cites", spans["claim"].id, spans["quote"].id)
    with Project.open(new_location(backend, "target", project=True)) as target:
        report = merge_project(target, project)
        assert report.relations_added == 2
        assert sorted(target.relations()) == sorted([said, cites])
        assert "cites" in [t.name for t in target.relation_types()]
        again = merge_project(target, project)
        assert again.relations_added == 0 and not again.changed
        assert len(target.relations()) == 2


def test_renaming_a_label_renames_it_in_relation_types(project: Project) -> None:
    from annotator.store import codebook

    codebook.update_label(project, "Quote", name="Citation")
    said_by = project.relation_types()[0]
    assert said_by.sources == ("Citation",)


def test_deleting_a_label_deletes_the_relations_of_its_spans_and_undo_restores_them(
    project: Project, spans: dict[str, Annotation]
) -> None:
    from annotator.store import codebook

    said, _ = project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    deleted = codebook.delete_label(project, "Organisation")
    assert deleted.relations == [said] and project.relations() == []
    codebook.restore_label(project, deleted)
    assert project.relations() == [said]


def test_a_relation_type_that_names_no_label_or_a_bad_colour_is_refused(project: Project) -> None:
    from annotator.core.labels import RelationTypeDef
    from annotator.store import codebook

    with pytest.raises(codebook.CodebookError, match="there is no label named 'Nobody'"):
        codebook.add_relation_type(project, RelationTypeDef("x", "#123456", ("Nobody",)))
    with pytest.raises(codebook.CodebookError, match="is not a colour"):
        codebook.add_relation_type(project, RelationTypeDef("x", "blue"))
    with pytest.raises(codebook.CodebookError, match="already exists"):
        codebook.add_relation_type(project, RelationTypeDef("said by", "#123456"))


def test_undoing_a_delete_after_another_window_deleted_the_other_end_brings_back_the_rest(
    project: Project, spans: dict[str, Annotation]
) -> None:
    """Another window (or client) deleted the other end of one of the relations meanwhile: the
    annotation and its other relations come back, the lost relation is returned."""
    said, _ = project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    evidence, _ = project.add_relation("d1", "evidence for", spans["quote"].id, spans["claim"].id)
    deleted, relations = project.delete_annotations_and_relations([spans["quote"].id])
    with Project.open(project.path, create=False) as other:
        other.delete_annotations([spans["org"].id])
    lost = project.restore_annotations(deleted, relations)
    assert lost == [said]
    assert spans["quote"].id in {a.id for a in project.annotations()}
    assert project.relations() == [evidence]


def test_undoing_a_delete_after_another_window_deleted_the_relation_type_brings_back_the_rest(
    project: Project, spans: dict[str, Annotation]
) -> None:
    from annotator.store.codebook import delete_relation_type

    said, _ = project.add_relation("d1", "said by", spans["quote"].id, spans["org"].id)
    evidence, _ = project.add_relation("d1", "evidence for", spans["quote"].id, spans["claim"].id)
    deleted, relations = project.delete_annotations_and_relations([spans["quote"].id])
    with Project.open(project.path, create=False) as other:
        delete_relation_type(other, "said by")
    lost = project.restore_annotations(deleted, relations)
    assert lost == [said]
    assert spans["quote"].id in {a.id for a in project.annotations()}
    assert project.relations() == [evidence]
    assert project.restore_relations([said]) == [said]  # its type is still gone
