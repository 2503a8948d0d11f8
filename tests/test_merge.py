"""annotator merge: documents by text hash, labels by name, annotations by id, one transaction per
source, idempotent, conflicts reported, refusals leave the target untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import model
from annotator.core.labels import LabelDef
from annotator.service import (
    agreement_annotators,
    curated_layers,
    mark_curated,
    merge_file,
    merge_files,
)
from annotator.store.project import Project

TEXT = "Ministers said 🇰🇭 the report\nwas fair. Observers disagreed."
OTHER = "A second article, only in Bob's copy."

#: Where the target and the source of a merge live: ``annotator merge URL local.annot`` uploads a
#: file's work into a server project, ``annotator merge local.annot URL`` downloads it.
PLACES = {
    "file-into-file": ("sqlite", "sqlite"),
    "file-into-server": ("postgresql", "sqlite"),
    "server-into-file": ("sqlite", "postgresql"),
}
Place = Callable[..., "Path | str"]


@pytest.fixture(params=list(PLACES))
def places(request: pytest.FixtureRequest, new_location) -> tuple[Place, Place]:
    """``(target, source)``: each makes a place for a project of that role, by name, holding a
    new project (``empty=True``: nothing yet)."""
    target, source = PLACES[request.param]

    def place(backend: str) -> Place:
        return lambda name, empty=False: new_location(backend, name, project=not empty)

    return place(target), place(source)


@pytest.fixture
def target(places: tuple[Place, Place]) -> Place:
    return places[0]


@pytest.fixture
def source(places: tuple[Place, Place]) -> Place:
    return places[1]


def copy_with(
    path: Path | str, annotator: str, texts: list[str], spans: list[tuple[str, int, int]]
) -> Project:
    project = Project.open(path)
    project.import_bundle(
        model.ImportedBundle(
            [model.ImportedDocument(text, f"doc {i}") for i, text in enumerate(texts)]
        )
    )
    first = project.documents()[0].id
    for label, start, end in spans:
        project.add_annotation(first, label, start, end, annotator=annotator)
    return project


def snapshot(where: Path | str) -> object:
    """Everything stored at ``where``: a file's bytes, or every row of a server project."""
    if isinstance(where, Path):
        return hashlib.sha256(where.read_bytes()).digest()
    import psycopg

    with psycopg.connect(where) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        return {
            table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"')))
            for (table,) in tables
        }


def execute(where: Path | str, statement: str) -> None:
    """Change the project at ``where`` behind Annotator's back."""
    if isinstance(where, Path):
        import sqlite3

        connection = sqlite3.connect(where)
        with connection:
            connection.execute(statement)
        connection.close()
        return
    import psycopg

    with psycopg.connect(where) as connection:
        connection.execute(statement)


def copy_project(original: Path | str, where: Path | str) -> None:
    """Make ``where`` a copy of the project at ``original`` (the same ids and timestamps): the
    file's bytes between files, else a merge into the new, empty project."""
    if isinstance(original, Path) and isinstance(where, Path):
        shutil.copyfile(original, where)
        return
    with Project.open(where) as copy:
        report = merge_file(copy, original).report
        assert report is not None and report.documents_added == len(copy.documents())


def annotations_by_id(project: Project) -> dict[str, model.Annotation]:
    return {a.id: a for a in project.annotations()}


def test_merge_matches_documents_by_text_and_adds_new_ids(target: Place, source: Place) -> None:
    with (
        copy_with(target("ann"), "ann", [TEXT], [("Claim", 0, 9), ("Quote", 29, 38)]) as ann,
        copy_with(source("bob"), "bob", [OTHER, TEXT][::-1], [("Claim", 0, 14)]) as bob,
    ):
        outcomes = merge_files(ann, [bob.path])
        assert outcomes[0].report is not None
        report = outcomes[0].report
        assert (report.documents_added, report.documents_matched) == (1, 1)
        assert (report.annotations_added, report.annotations_skipped) == (1, 0)
        assert not report.conflicts
        merged = ann.annotations()
        assert sorted((a.annotator, a.label, a.start, a.end) for a in merged) == [
            ("ann", "Claim", 0, 9),
            ("ann", "Quote", 29, 38),
            ("bob", "Claim", 0, 14),
        ]
        assert len({a.document_id for a in merged}) == 1  # same text: the same document
        assert len(ann.documents()) == 2
        bob_ids = {a.id for a in bob.annotations()}
        assert bob_ids <= set(annotations_by_id(ann))  # ids kept


def test_curated_marks_travel_with_the_merge(target: Place, source: Place) -> None:
    # issue 26: the curated mark stayed behind, so the merged "curation" layer counted as an
    # annotator; uploaded to a server or downloaded from one, the marks are the union
    with (
        copy_with(target("ann"), "ann", [TEXT], [("Claim", 0, 9)]) as ann,
        copy_with(source("bob"), "bob", [TEXT], [("Claim", 0, 9), ("Quote", 29, 38)]) as bob,
    ):
        mark_curated(ann, "gold")
        first = bob.documents()[0].id
        bob.add_annotation(first, "Claim", 0, 9, annotator="curation")
        mark_curated(bob, "curation")
        (outcome,) = merge_files(ann, [bob.path])
        assert curated_layers(ann) == ["curation", "gold"]
        assert outcome.report is not None and outcome.report.curated_added == ["curation"]
        assert agreement_annotators(ann) == ["ann", "bob"]
        (again,) = merge_files(ann, [bob.path])
        assert again.report is not None and not again.report.changed
        assert curated_layers(bob) == ["curation"]  # the source is read, never written


def test_merging_twice_changes_nothing(target: Place, source: Place) -> None:
    with (
        copy_with(target("a"), "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(source("b"), "bob", [TEXT], [("Quote", 10, 20)]) as b,
    ):
        merge_file(a, b.path)
        before = json.dumps(sorted(map(list, a.annotations()))), a.documents(), a.labels()
        again = merge_file(a, b.path).report
        assert again is not None and not again.changed
        assert (again.annotations_added, again.annotations_skipped) == (0, 1)
        assert (json.dumps(sorted(map(list, a.annotations()))), a.documents(), a.labels()) == before


def test_conflicting_content_keeps_the_newer_and_is_reported(target: Place, source: Place) -> None:
    a_path = target("a")
    with copy_with(a_path, "ann", [TEXT], [("Claim", 0, 9), ("Quote", 10, 20)]) as a:
        a.close()
        b_path = source("b", empty=True)
        copy_project(a_path, b_path)
        with Project.open(b_path) as b:
            older, newer = sorted(b.annotations(), key=lambda x: x.start)
            # in B, one edit older than A's copy of it, one newer
            b.restore_annotations(
                [
                    older._replace(note="B's older note", modified="2000-01-01T00:00:00Z"),
                    newer._replace(note="B's newer note", modified="2999-01-01T00:00:00Z"),
                ]
            )
        with Project.open(a_path) as merged:
            report = merge_file(merged, b_path).report
            assert report is not None
            assert sorted(c.kept for c in report.conflicts) == ["source", "target"]
            notes = {x.start: x.note for x in merged.annotations()}
            assert notes == {0: "", 10: "B's newer note"}
            again = merge_file(merged, b_path).report
            assert again is not None and [c.kept for c in again.conflicts] == ["target"]
            assert {x.start: x.note for x in merged.annotations()} == notes


def test_labels_merge_by_name_and_differences_are_reported(target: Place, source: Place) -> None:
    with (
        copy_with(target("a"), "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(source("b"), "bob", [TEXT], []) as b,
    ):
        from annotator.store.codebook import add_label, update_label

        add_label(b, LabelDef("Rumour", "#123456"))
        update_label(b, "Claim", color="#000000")
        b.add_annotation(b.documents()[0].id, "Rumour", 0, 9, annotator="bob")
        report = merge_file(a, b.path).report
        assert report is not None
        assert report.labels_added == ["Rumour"]
        assert any("'Claim'" in c for c in report.label_conflicts)
        assert next(x for x in a.labels() if x.name == "Claim").color != "#000000"
        assert any(x.label == "Rumour" for x in a.annotations())


def test_refused_source_leaves_the_target_untouched_and_exits_1(
    target: Place, source: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged = target("a")
    with copy_with(merged, "ann", [TEXT], [("Claim", 0, 9)]):
        pass
    good = source("b")
    with copy_with(good, "bob", [TEXT], [("Quote", 10, 20)]):
        pass
    bad = tmp_path / "notes.annot"
    bad.write_text("not a project", encoding="utf-8")
    before = snapshot(merged)
    assert main(["merge", str(merged), str(bad)]) == 2  # the only source was refused
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {bad}: ") and "Traceback" not in err
    assert snapshot(merged) == before
    code = main(["merge", str(merged), str(bad), str(good), str(tmp_path / "missing.annot")])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"merged: {good}: 0 documents added, 1 matched; 1 annotations added" in out
    assert err.count("annotator: error: ") == 2
    assert main(["merge", str(merged), str(good)]) == 0
    assert "0 annotations added, 1 skipped, 0 in conflict" in capsys.readouterr().out


def test_merge_into_a_new_target_takes_the_codebook_and_usage_errors_exit_2(
    target: Place, source: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    a_path = source("a")
    with copy_with(a_path, "ann", [TEXT], [("Claim", 0, 9)]) as a:
        from annotator.store.codebook import add_label

        add_label(a, LabelDef("Rumour", "#123456"))
        labels = a.labels()
    team = target("team", empty=True)
    assert main(["merge", str(team), str(a_path)]) == 0
    with Project.open(team, create=False) as merged:
        assert merged.labels() == labels
        assert len(merged.annotations()) == 1
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["merge", str(team)])
    assert exited.value.code == 2
    assert main(["merge", str(a_path), str(a_path)]) == 2
    assert "is the target project itself" in capsys.readouterr().err


def test_a_failing_source_merges_nothing(
    target: Place, source: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All of a source or nothing: an error halfway through rolls the whole source back."""
    from annotator.store import merge as merge_module

    with (
        copy_with(target("a"), "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(source("b"), "bob", [OTHER, TEXT], [("Quote", 2, 8)]) as b,
    ):
        before = (a.documents(), a.annotations(), a.labels())

        def broken(*args: object) -> None:
            raise merge_module.ProjectError(
                b.path, "the disk is full; the last change was not saved"
            )

        monkeypatch.setattr(merge_module, "_merge_annotations", broken)
        outcome = merge_file(a, b.path)
        assert outcome.report is None and "disk is full" in outcome.message
        assert (a.documents(), a.annotations(), a.labels()) == before


def test_documents_match_by_the_hash_of_their_text_not_the_stored_one(
    target: Place, source: Place
) -> None:
    a_path, b_path = target("a"), source("b")
    with copy_with(a_path, "ann", [TEXT], [("Claim", 0, 9)]) as a:
        pass
    with copy_with(b_path, "bob", [TEXT], [("Quote", 10, 20)]):
        pass
    execute(b_path, "UPDATE documents SET sha256 = 'not the hash'")
    with Project.open(a_path) as a:
        report = merge_file(a, b_path).report
        assert report is not None and (report.documents_added, report.documents_matched) == (0, 1)
        assert len(a.documents()) == 1 and len(a.annotations()) == 2


# -- the target's own codebook, snapping rules ---------------------------------------------------


def test_a_target_without_documents_keeps_its_own_codebook_and_patterns(
    target: Place, source: Place
) -> None:
    """A codebook (and suggestion patterns) made before the first document is the user's work:
    labels merge by name as for any target, nothing of the target's is replaced or deleted."""
    from annotator.core.suggest.patterns import Pattern
    from annotator.service import describe_merge
    from annotator.store import suggestion_store
    from annotator.store.codebook import add_label

    team_path = target("team")
    with Project.open(team_path) as team:
        add_label(team, LabelDef("Rumour", "#123456", "r"))
        suggestion_store.add_patterns(team, [Pattern("Rumour", "phrase", "they say")])
        labels_before = team.labels()
        patterns_before = suggestion_store.patterns(team)
        types_before = team.relation_types()
    b_path = source("b")
    with copy_with(b_path, "bob", [TEXT], [("Quote", 10, 20)]) as b:
        add_label(b, LabelDef("Person", "#654321"))
        person = next(x for x in b.labels() if x.name == "Person")
    with Project.open(team_path) as team:
        outcome = merge_file(team, b_path)
        report = outcome.report
        assert report is not None and not report.codebook_replaced
        assert report.labels_added == ["Person"]
        assert team.labels() == [*labels_before, person]
        assert suggestion_store.patterns(team) == patterns_before
        assert team.relation_types() == types_before
        assert "labels taken from the source" not in outcome.message
        assert "new labels: Person" in outcome.message
        assert len(team.annotations()) == 1
    assert "codebook" not in describe_merge(b_path, report)


def test_an_untouched_new_target_takes_the_codebook_and_says_so(
    target: Place, source: Place
) -> None:
    from annotator.core.snapping import SnapMode
    from annotator.store.codebook import add_label

    a_path = source("a")
    with copy_with(a_path, "ann", [TEXT], [("Claim", 0, 9)]) as a:
        add_label(a, LabelDef("Rumour", "#123456", snap=SnapMode.EXACT))
        labels = a.labels()
    with Project.open(target("team", empty=True)) as team:
        outcome = merge_file(team, a_path)
        assert outcome.report is not None and outcome.report.codebook_replaced
        assert not outcome.report.label_conflicts
        assert team.labels() == labels  # snapping rules included
        assert "unused default codebook was replaced by the source's" in outcome.message


def test_labels_added_by_a_merge_keep_their_snapping_rule(target: Place, source: Place) -> None:
    from annotator.core.snapping import SnapMode
    from annotator.store.codebook import add_label

    with (
        copy_with(target("a"), "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(source("b"), "bob", [TEXT], []) as b,
    ):
        add_label(b, LabelDef("Rumour", "#123456", snap=SnapMode.EXACT))
        add_label(b, LabelDef("Aside", "#654321", snap=SnapMode.PUNCTUATION))
        report = merge_file(a, b.path).report
        assert report is not None and report.labels_added == ["Rumour", "Aside"]
        assert not report.label_conflicts
        snaps = {x.name: x.snap for x in a.labels()}
        assert (snaps["Rumour"], snaps["Aside"]) == (SnapMode.EXACT, SnapMode.PUNCTUATION)
        again = merge_file(a, b.path).report
        assert again is not None and not again.label_conflicts and not again.changed


# -- deletions travel as edits do -----------------------------------------------------------------


def a_claim_and_a_quote_and_a_copy(target: Place, source: Place) -> tuple[Path | str, Path | str]:
    """Project "a" (a Claim and a Quote on :data:`TEXT`) and "b", a copy of it."""
    a_path = target("a")
    with copy_with(a_path, "ann", [TEXT], [("Claim", 0, 9), ("Quote", 10, 20)]):
        pass
    b_path = source("b", empty=True)
    copy_project(a_path, b_path)
    return a_path, b_path


def test_merging_back_a_copy_does_not_bring_deleted_annotations_back(
    target: Place, source: Place
) -> None:
    a_path, b_path = a_claim_and_a_quote_and_a_copy(target, source)
    with Project.open(a_path) as a:
        gone = next(x for x in a.annotations() if x.label == "Claim")
        a.delete_annotations([gone.id])
        kept = [x.id for x in a.annotations()]
        report = merge_file(a, b_path).report
        assert report is not None and not report.changed
        assert (report.annotations_added, report.kept_deleted) == (0, 1)
        assert [x.id for x in a.annotations()] == kept
    with Project.open(b_path) as b:  # and the deletion reaches the copy
        outcome = merge_file(b, a_path)
        assert outcome.report is not None and outcome.report.deletions_applied == 1
        assert "1 deleted (deleted in the source)" in outcome.message
        assert [x.id for x in b.annotations()] == kept
        again = merge_file(b, a_path).report
        assert again is not None and not again.changed and again.deletions_applied == 0


def test_an_edit_newer_than_the_deletion_wins_and_an_undone_deletion_travels_not(
    target: Place, source: Place
) -> None:
    a_path, b_path = a_claim_and_a_quote_and_a_copy(target, source)
    with Project.open(a_path) as a:
        claim, quote = sorted(a.annotations(), key=lambda x: x.start)
        a.delete_annotations([claim.id])
        deleted, relations = a.delete_annotations_and_relations([quote.id])
        a.restore_annotations(deleted, relations)  # undone: no deletion to carry
    with Project.open(b_path) as b:
        later = claim._replace(note="edited later", modified="2999-01-01T00:00:00Z")
        b.restore_annotations([later])
        report = merge_file(b, a_path).report
        assert report is not None and report.deletions_applied == 0
        assert {x.id: x.note for x in b.annotations()} == {claim.id: "edited later", quote.id: ""}
    with Project.open(a_path) as a:  # the newer edit comes back into the copy that deleted it
        report = merge_file(a, b_path).report
        assert report is not None and (report.annotations_added, report.kept_deleted) == (1, 0)
        assert {x.id: x.note for x in a.annotations()} == {claim.id: "edited later", quote.id: ""}


def test_a_deletion_takes_its_relations_with_it_in_the_copy_too(
    target: Place, source: Place
) -> None:
    a_path = target("a")
    with copy_with(a_path, "ann", [TEXT], [("Quote", 0, 9), ("Organisation", 29, 38)]) as a:
        quote, org = sorted(a.annotations(), key=lambda x: x.start)
        a.add_relation(quote.document_id, "said by", quote.id, org.id)
    b_path = source("b", empty=True)
    copy_project(a_path, b_path)
    with Project.open(a_path) as a:
        a.delete_annotations([org.id])
        report = merge_file(a, b_path).report  # the copy's relation does not come back either
        assert report is not None and not report.changed and report.relations_of_deleted == 1
        assert a.relations() == [] and [x.id for x in a.annotations()] == [quote.id]
    with Project.open(b_path) as b:
        report = merge_file(b, a_path).report
        assert report is not None
        assert (report.deletions_applied, report.relations_deleted) == (1, 1)
        assert b.relations() == [] and [x.id for x in b.annotations()] == [quote.id]


# -- a source another program is writing to ------------------------------------------------------

HOLDER = """
import sys
from annotator.core import model
from annotator.store.project import Project

project = Project.open(sys.argv[1])
project.import_bundle(model.ImportedBundle([model.ImportedDocument(sys.argv[2], "wal only")]))
document = next(d.id for d in project.documents() if d.title == "wal only")
project.add_annotation(document, "Claim", 0, 7, annotator="wal")
print("written", flush=True)
for line in sys.stdin:  # one write per line asked for, until stdin closes
    project.import_bundle(
        model.ImportedBundle([model.ImportedDocument(line.strip(), line.strip())])
    )
    document = next(d.id for d in project.documents() if d.title == line.strip())
    project.add_annotation(document, "Claim", 0, 7, annotator="wal")
    print("written", flush=True)
"""


@pytest.fixture
def holder(tmp_path: Path):
    """A second process holding a project file open, with what it wrote only in the file's WAL
    (never checkpointed while it runs); it writes again for each line it is sent."""
    import subprocess
    import sys

    started: list[subprocess.Popen[str]] = []

    def start(path: Path, text: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), text],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        assert child.stdout is not None and child.stdout.readline() == "written\n"
        return child

    yield start
    for child in started:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=60)


def test_a_source_open_in_another_program_is_merged_whole_and_left_as_it_was(
    tmp_path: Path, holder
) -> None:
    source_path = tmp_path / "bob.annot"
    with copy_with(source_path, "bob", [TEXT], [("Quote", 10, 20)]):
        pass
    holder(source_path, OTHER)
    wal = source_path.with_name(source_path.name + "-wal")
    assert wal.stat().st_size > 0
    before = {p: p.read_bytes() for p in (source_path, wal)}
    with Project.open(tmp_path / "team.annot") as team:
        outcome = merge_file(team, source_path)
        assert outcome.report is not None, outcome.message
        assert outcome.report.documents_added == 2
        assert sorted(a.annotator for a in team.annotations()) == ["bob", "wal"]
    assert {p: p.read_bytes() for p in before} == before  # not changed, not checkpointed


def test_a_source_written_to_during_the_merge_is_read_as_one_snapshot(
    tmp_path: Path, holder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other program commits a new document and its annotation between the merge's reads
    of the source: the merge sees the source as it was when it began, never half of a write
    (which it took for a damaged project)."""
    from annotator.store import annotation_rows

    source_path = tmp_path / "bob.annot"
    with copy_with(source_path, "bob", [TEXT], [("Quote", 10, 20)]):
        pass
    child = holder(source_path, OTHER)
    read = annotation_rows.read_of_documents

    def read_after_a_write(*args: object, **kwargs: object):
        child.stdin.write("Written during the merge.\n")
        child.stdin.flush()
        assert child.stdout.readline() == "written\n"
        return read(*args, **kwargs)

    monkeypatch.setattr(annotation_rows, "read_of_documents", read_after_a_write)
    with Project.open(tmp_path / "team.annot") as team:
        outcome = merge_file(team, source_path)
        assert outcome.report is not None, outcome.message
        assert outcome.report.documents_added == 2
        assert sorted(a.annotator for a in team.annotations()) == ["bob", "wal"]


# -- a hostile source ------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000

HOSTILE = {
    "deeply nested JSON": (
        f"UPDATE annotations SET attributes = '{DEEP}'",
        "nested too deeply",
    ),
    "an attribute of an unknown kind": (
        "UPDATE label_attributes SET kind = 'weird'",
        "'weird'",
    ),
    "a document of an unknown status": (
        "UPDATE documents SET status = 'lost'",
        "'lost'",
    ),
    "a relation to a missing document": (
        "UPDATE relations SET document_id = 'nowhere'",
        "relation",
    ),
    "a deletion in a missing document": (
        "INSERT INTO annotation_deletions VALUES ('gone', 'nowhere', '', '2020-01-01T00:00:00Z')",
        "deletion of annotation gone",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_source_is_refused_in_one_line_and_the_target_is_unchanged(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    statement, said = HOSTILE[case]
    source_path = tmp_path / "bob.annot"
    with copy_with(source_path, "bob", [TEXT], [("Quote", 0, 9), ("Organisation", 29, 38)]) as b:
        quote, org = sorted(b.annotations(), key=lambda x: x.start)
        b.add_relation(quote.document_id, "said by", quote.id, org.id)
    connection = sqlite3.connect(source_path)  # foreign keys off, as plain sqlite3 has them
    with connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(statement)
    connection.close()
    target_path = tmp_path / "team.annot"
    with copy_with(target_path, "ann", [TEXT], [("Claim", 0, 9)]):
        pass
    before = snapshot(target_path)
    with Project.open(target_path) as team:
        outcome = merge_file(team, source_path)
    assert outcome.report is None
    assert outcome.message.startswith(f"{source_path}: the project is damaged")
    assert said in outcome.message and "\n" not in outcome.message and len(outcome.message) < 400
    assert snapshot(target_path) == before
    assert main(["merge", str(target_path), str(source_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {source_path}: ") and "Traceback" not in err
    assert snapshot(target_path) == before


def test_a_label_conflict_names_what_differs(target: Place, source: Place) -> None:
    from annotator.core.snapping import SnapMode
    from annotator.store.codebook import add_label, update_label

    with (
        copy_with(target("a"), "ann", [TEXT], []) as a,
        copy_with(source("b"), "bob", [TEXT], []) as b,
    ):
        for copy in (a, b):
            add_label(copy, LabelDef("Rumour", "#aa0000", snap=SnapMode.EXACT))
        assert merge_file(a, b.path).report.label_conflicts == []  # identical: nothing to say
        update_label(b, "Rumour", color="#0000aa")
        report = merge_file(a, b.path).report
        assert report is not None
        assert report.label_conflicts == [
            "label 'Rumour' is defined differently (colour #aa0000 here, #0000aa in the source);"
            " this project's definition was kept"
        ]
