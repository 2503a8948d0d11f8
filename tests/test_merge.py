"""annotator merge: documents by text hash, labels by name, annotations by id, one transaction per
source, idempotent, conflicts reported, refusals leave the target untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import model
from annotator.core.labels import LabelDef
from annotator.service import merge_file, merge_files
from annotator.store.project import Project

TEXT = "Ministers said 🇰🇭 the report\nwas fair. Observers disagreed."
OTHER = "A second article, only in Bob's copy."


def copy_with(
    path: Path, annotator: str, texts: list[str], spans: list[tuple[str, int, int]]
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


def snapshot(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def annotations_by_id(project: Project) -> dict[str, model.Annotation]:
    return {a.id: a for a in project.annotations()}


def test_merge_matches_documents_by_text_and_adds_new_ids(tmp_path: Path) -> None:
    with (
        copy_with(
            tmp_path / "ann.annot", "ann", [TEXT], [("Claim", 0, 9), ("Quote", 29, 38)]
        ) as ann,
        copy_with(tmp_path / "bob.annot", "bob", [OTHER, TEXT][::-1], [("Claim", 0, 14)]) as bob,
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


def test_merging_twice_changes_nothing(tmp_path: Path) -> None:
    with (
        copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(tmp_path / "b.annot", "bob", [TEXT], [("Quote", 10, 20)]) as b,
    ):
        merge_file(a, b.path)
        before = json.dumps(sorted(map(list, a.annotations()))), a.documents(), a.labels()
        again = merge_file(a, b.path).report
        assert again is not None and not again.changed
        assert (again.annotations_added, again.annotations_skipped) == (0, 1)
        assert (json.dumps(sorted(map(list, a.annotations()))), a.documents(), a.labels()) == before


def test_conflicting_content_keeps_the_newer_and_is_reported(tmp_path: Path) -> None:
    with copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9), ("Quote", 10, 20)]) as a:
        a.close()
        b_path = tmp_path / "b.annot"
        b_path.write_bytes((tmp_path / "a.annot").read_bytes())
        with Project.open(b_path) as b:
            older, newer = sorted(b.annotations(), key=lambda x: x.start)
            # in B, one edit older than A's copy of it, one newer
            b.restore_annotations(
                [
                    older._replace(note="B's older note", modified="2000-01-01T00:00:00Z"),
                    newer._replace(note="B's newer note", modified="2999-01-01T00:00:00Z"),
                ]
            )
        with Project.open(tmp_path / "a.annot") as target:
            report = merge_file(target, b_path).report
            assert report is not None
            assert sorted(c.kept for c in report.conflicts) == ["source", "target"]
            notes = {x.start: x.note for x in target.annotations()}
            assert notes == {0: "", 10: "B's newer note"}
            again = merge_file(target, b_path).report
            assert again is not None and [c.kept for c in again.conflicts] == ["target"]
            assert {x.start: x.note for x in target.annotations()} == notes


def test_labels_merge_by_name_and_differences_are_reported(tmp_path: Path) -> None:
    with (
        copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(tmp_path / "b.annot", "bob", [TEXT], []) as b,
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
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9)]):
        pass
    good = tmp_path / "b.annot"
    with copy_with(good, "bob", [TEXT], [("Quote", 10, 20)]):
        pass
    bad = tmp_path / "notes.annot"
    bad.write_text("not a project", encoding="utf-8")
    target = tmp_path / "a.annot"
    before = snapshot(target)
    assert main(["merge", str(target), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {bad}: ") and "Traceback" not in err
    assert snapshot(target) == before
    code = main(["merge", str(target), str(bad), str(good), str(tmp_path / "missing.annot")])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"merged: {good}: 0 documents added, 1 matched; 1 annotations added" in out
    assert err.count("annotator: error: ") == 2
    assert main(["merge", str(target), str(good)]) == 0
    assert "0 annotations added, 1 skipped, 0 in conflict" in capsys.readouterr().out


def test_merge_into_a_new_target_takes_the_codebook_and_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9)]) as a:
        from annotator.store.codebook import add_label

        add_label(a, LabelDef("Rumour", "#123456"))
        labels = a.labels()
    target = tmp_path / "team.annot"
    assert main(["merge", str(target), str(tmp_path / "a.annot")]) == 0
    with Project.open(target, create=False) as merged:
        assert merged.labels() == labels
        assert len(merged.annotations()) == 1
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["merge", str(target)])
    assert exited.value.code == 2
    assert main(["merge", str(tmp_path / "a.annot"), str(tmp_path / "a.annot")]) == 1
    assert "is the target project itself" in capsys.readouterr().err


def test_a_failing_source_merges_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All of a source or nothing: an error halfway through rolls the whole source back."""
    from annotator.store import merge as merge_module

    with (
        copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9)]) as a,
        copy_with(tmp_path / "b.annot", "bob", [OTHER, TEXT], [("Quote", 2, 8)]) as b,
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


def test_documents_match_by_the_hash_of_their_text_not_the_stored_one(tmp_path: Path) -> None:
    import sqlite3

    with copy_with(tmp_path / "a.annot", "ann", [TEXT], [("Claim", 0, 9)]) as a:
        pass
    with copy_with(tmp_path / "b.annot", "bob", [TEXT], [("Quote", 10, 20)]):
        pass
    connection = sqlite3.connect(tmp_path / "b.annot")
    with connection:
        connection.execute("UPDATE documents SET sha256 = 'not the hash'")
    connection.close()
    with Project.open(tmp_path / "a.annot") as a:
        report = merge_file(a, tmp_path / "b.annot").report
        assert report is not None and (report.documents_added, report.documents_matched) == (0, 1)
        assert len(a.documents()) == 1 and len(a.annotations()) == 2
