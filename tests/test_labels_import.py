"""``annotator labels --import``: the import checks, one transaction, linear work (issue 11,
item 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event

from annotator.cli import main
from annotator.core.labels import DEFAULT_LABELS, AttributeDef, AttributeKind, LabelDef
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store import codebook, snap_rules
from annotator.store.project import Project


def label_file(path: Path, labels: list[dict]) -> Path:
    path.write_text(
        json.dumps({"format": "annotator-labels", "version": 1, "labels": labels}), encoding="utf-8"
    )
    return path


@pytest.fixture
def used(backend: str, new_location) -> Path | str:
    """A project (a file, or a database on a PostgreSQL server) that is not fresh (it has an
    annotation), so labels merge into it."""
    path = new_location(backend, "p", project=True)
    with Project.open(path) as project:
        doc = project.import_bundle(ImportedBundle([ImportedDocument("The claim.", "t")]))
        project.add_annotation(doc.added[0].id, "Claim", 0, 9)
    return path


def _names(path: Path | str) -> list[str]:
    with Project.open(path, create=False) as project:
        return [label.name for label in project.labels()]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("\x1b[31mRed", "holds a control character (U+001B)"),
        ("Two\nlines", "holds a control character (U+000A)"),
        ("Tab\there", "holds a control character (U+0009)"),
    ],
)
def test_control_characters_and_newlines_are_refused(
    used: Path | str, tmp_path: Path, name: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = label_file(
        tmp_path / "l.json",
        [{"name": "Fine", "color": "#112233"}, {"name": name, "color": "#112233"}],
    )
    assert main(["labels", str(used), "--import", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"annotator: error: {path}: label ")
    assert shown in captured.err and "\x1b" not in captured.err + captured.out
    assert _names(used) == [label.name for label in DEFAULT_LABELS]


def test_control_characters_in_attributes_and_choices_are_refused(
    used: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for attribute in ({"name": "a\x07"}, {"name": "a", "kind": "choice", "choices": ["x\x1b"]}):
        path = label_file(tmp_path / "l.json", [{"name": "L", "attributes": [attribute]}])
        assert main(["labels", str(used), "--import", str(path)]) == 2
        assert "holds a control character" in capsys.readouterr().err
    assert _names(used) == [label.name for label in DEFAULT_LABELS]


def test_a_lone_surrogate_is_refused_clearly(
    used: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "l.json"
    path.write_text('{"labels": [{"name": "ok"}, {"name": "x\\ud800y"}]}', encoding="utf-8")
    assert main(["labels", str(used), "--import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "holds an unpaired surrogate (U+D800 at 1), which is not valid Unicode" in err
    assert "internal error" not in err
    assert _names(used) == [label.name for label in DEFAULT_LABELS]


def test_descriptions_are_cleaned_like_imports(used: Path | str, tmp_path: Path) -> None:
    path = label_file(tmp_path / "l.json", [{"name": "L", "description": "a\x1b[31mb\r\nc"}])
    assert main(["labels", str(used), "--import", str(path)]) == 0
    with Project.open(used) as project:
        assert project.labels()[-1].description == "a[31mb\nc"


def test_an_error_midway_leaves_nothing_half_imported(
    used: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = codebook._merge_attributes

    def failing(mine: LabelDef, theirs: LabelDef):  # type: ignore[no-untyped-def]
        if mine.name == "Claim":  # after A, B and C were taken in
            raise OSError(28, "No space left on device")
        return real(mine, theirs)

    monkeypatch.setattr(codebook, "_merge_attributes", failing)
    labels = [
        LabelDef("A", "#112233"),
        LabelDef("B", "#112233"),
        LabelDef("C", "#112233"),
        LabelDef("Claim", "#e0a030", attributes=(AttributeDef("extra"),)),
    ]
    with Project.open(used) as project, pytest.raises(OSError):
        codebook.merge_labels(project, labels)
    assert _names(used) == [label.name for label in DEFAULT_LABELS]
    with Project.open(used) as project:
        assert project.labels()[0] == DEFAULT_LABELS[0]


def _statements(project: Project, labels: list[LabelDef]) -> tuple[int, int]:
    """How many SQL statements and write transactions merging ``labels`` takes."""
    counts = [0, 0]

    def count(_conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        counts[0] += 1
        # a write transaction starts with BEGIN IMMEDIATE on a file, with the write lock on a
        # server (store/server.py)
        counts[1] += statement.startswith("BEGIN IMMEDIATE") or statement.startswith(
            "SELECT pg_advisory_xact_lock"
        )

    engine = project._engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        codebook.merge_labels(project, labels)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return counts[0], counts[1]


def test_merging_is_one_transaction_and_does_not_grow_with_the_codebook(used: Path | str) -> None:
    def many(prefix: str, n: int) -> list[LabelDef]:
        return [
            LabelDef(
                f"{prefix}{i}",
                "#112233",
                attributes=(AttributeDef("k", AttributeKind.CHOICE, ("a", f"b{i}")),),
            )
            for i in range(n)
        ]

    with Project.open(used) as project:
        small, small_tx = _statements(project, many("S", 10))
        large, large_tx = _statements(project, many("L", 1000))
        # Extending 1,000 existing labels (new choices) reads the codebook once, too.
        again, again_tx = _statements(
            project,
            [
                LabelDef(
                    f"L{i}",
                    "#112233",
                    attributes=(AttributeDef("k", AttributeKind.CHOICE, ("a", "c")),),
                )
                for i in range(1000)
            ],
        )
        assert len(project.labels()) == len(DEFAULT_LABELS) + 1010
        assert project.labels()[-1].attributes[0].choices == ("a", "b999", "c")
    assert small_tx == large_tx == again_tx == 1
    # Statements may grow with batches of rows (SQLite's bound-parameter limit), never per label.
    assert large < small + 40 and again < small + 40, (small, large, again)


def test_undoing_a_merge_restores_the_codebook_in_one_transaction(used: Path | str) -> None:
    with Project.open(used) as project:
        before = project.labels()
        extended = LabelDef(
            "Claim",
            "#e0a030",
            attributes=(
                AttributeDef("verdict", AttributeKind.CHOICE, ("new verdict",)),
                AttributeDef("x"),
            ),
        )
        report = codebook.merge_labels(project, [LabelDef("New", "#112233", "9"), extended])
        assert report.added == ["New"] and report.extended == ["Claim"]
        codebook.unmerge_labels(project, before, report)
        assert project.labels() == before


def test_the_codebook_reads_as_it_does_through_the_orm(any_project: Project) -> None:
    project = any_project
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from annotator.store.convert import label_from_row
    from annotator.store.models import Label

    kinds = AttributeKind
    labels = [
        LabelDef(
            "N",
            "#112233",
            "7",
            "d",
            (
                AttributeDef("n", kinds.NUMBER, default=3),
                AttributeDef("f", kinds.NUMBER, default=2.5),
                AttributeDef("b", kinds.BOOLEAN, default=True),
                AttributeDef("t", default="1"),
                AttributeDef("c", kinds.CHOICE, ("x", "y"), True, "x"),
                AttributeDef("z"),
            ),
        ),
        LabelDef("Plain", "#aabbcc"),
    ]
    assert codebook.merge_labels(project, labels).replaced
    with project.reading() as s:
        rows = s.scalars(
            select(Label).options(selectinload(Label.attributes)).order_by(Label.position)
        )
        rules = snap_rules.read(s)
        through_orm = [label_from_row(row, rules.get(row.name)) for row in rows]
    assert project.labels() == through_orm == labels


def test_undoing_a_merge_into_a_fresh_project_brings_the_defaults_back(
    any_project: Project,
) -> None:
    project = any_project
    before = project.labels()
    report = codebook.merge_labels(project, [LabelDef("Only", "#112233", "1")])
    assert report.replaced and [label.name for label in project.labels()] == ["Only"]
    codebook.unmerge_labels(project, before, report)
    assert project.labels() == list(DEFAULT_LABELS)


def test_labels_added_one_by_one_after_an_import_get_ids_of_their_own(used: Path | str) -> None:
    """An import hands out label and attribute ids in bulk; a label or attribute added later, one
    at a time, must not be given one of them (on a server: the tables' sequences move on)."""
    imported = [LabelDef(f"L{i}", "#112233", attributes=(AttributeDef("k"),)) for i in range(10)]
    with Project.open(used) as project:
        assert codebook.merge_labels(project, imported).added == [f"L{i}" for i in range(10)]
        codebook.add_label(project, LabelDef("Later", "#445566"))
        codebook.set_attributes(project, "Later", (AttributeDef("a"), AttributeDef("b")))
        assert [label.name for label in project.labels()][-2:] == ["L9", "Later"]
        assert [a.name for a in project.labels()[-1].attributes] == ["a", "b"]
