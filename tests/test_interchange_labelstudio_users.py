"""Label Studio users are layers (issue 26, item 3): each annotation's ``completed_by`` names
the layer its spans and relations go into, so two people who agree on a span are two votes, not a
duplicate. two-users.json and two-users-ids.json were written by Label Studio 1.23.2 for two real
users (step 5 of fixtures/interchange/labelstudio-1.23/make_fixtures.py); ui-line-break.json
holds regions drawn in Label Studio's own editor (step 6)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.io.detect import read_file
from annotator.service import agreement, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE

REAL = INTERCHANGE / "labelstudio-1.23"
ALICE, BOB = "alice@example.org", "bob@example.org"


def counted_in_the_export(path: Path) -> Counter[str]:
    """Labelled regions per person (and per prediction model) as the file itself holds them."""
    counts: Counter[str] = Counter()
    for task in json.loads(path.read_text(encoding="utf-8")):
        for annotation in task["annotations"]:
            person = annotation["completed_by"]
            key = person["email"] if isinstance(person, dict) else f"Label Studio user {person}"
            counts[key] += sum(1 for r in annotation["result"] if r["type"] == "labels")
        if not task["annotations"]:
            for prediction in task["predictions"]:
                counts[prediction["model_version"]] += sum(
                    1 for r in prediction["result"] if r["type"] == "labels"
                )
    return counts


def imported_per_layer(bundle) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(a.annotator for d in bundle.documents for a in d.annotations)


def test_each_user_of_the_export_is_a_layer_named_by_email() -> None:
    path = REAL / "two-users.json"
    bundle = read_file(path)
    assert imported_per_layer(bundle) == counted_in_the_export(path)
    assert imported_per_layer(bundle) == {ALICE: 6, BOB: 7, "ner-2026": 2}
    first = bundle.documents[0]
    assert [(a.annotator, first.text[a.start : a.end]) for a in first.annotations][:2] == [
        (ALICE, "Hun Sen"),
        (ALICE, "the border is closed"),
    ]


def test_the_plain_export_names_each_user_by_id() -> None:
    """Label Studio's plain JSON export holds only the user's id (no email anywhere)."""
    path = REAL / "two-users-ids.json"
    assert "@" not in path.read_text(encoding="utf-8")
    bundle = read_file(path)
    assert imported_per_layer(bundle) == counted_in_the_export(path)
    assert set(imported_per_layer(bundle)) == {"Label Studio user 1", "Label Studio user 2"}


def test_relations_go_into_the_layer_of_the_user_who_drew_them() -> None:
    bundle = read_file(REAL / "two-users.json")
    for document in bundle.documents:
        owner = {a.id: a.annotator for a in document.annotations}
        for relation in document.relations:
            assert relation.annotator in (ALICE, BOB)
            assert owner[relation.source] == owner[relation.target] == relation.annotator


def test_agreeing_users_keep_every_span_and_agreement_is_computable(project: Project) -> None:
    path = REAL / "two-users.json"
    outcome = import_file(project, path)
    assert outcome.summary is not None, outcome.message
    assert outcome.summary.duplicates_skipped == 0
    stored = Counter(a.annotator for a in project.annotations())
    assert stored == counted_in_the_export(path)
    figures = agreement(project, [ALICE, BOB])
    assert figures["annotators"] == [ALICE, BOB]
    assert figures["documents"] == 2
    # 5 spans agree exactly of Alice's 6 and Bob's 7
    assert figures["overall"]["f1_exact"] == pytest.approx(2 * 5 / (6 + 7))


def test_cli_import_makes_a_layer_per_user(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "team.annot"
    assert main(["import", str(target), str(REAL / "two-users.json")]) == 0
    assert "duplicate" not in capsys.readouterr().out
    assert main(["agreement", str(target), "--annotators", f"{ALICE},{BOB}", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["annotators"] == [ALICE, BOB]
    with Project.open(target) as project:
        assert Counter(a.annotator for a in project.annotations()) == {
            ALICE: 6,
            BOB: 7,
            "ner-2026": 2,
        }


def _one_task(tmp_path: Path, **annotation: object) -> Path:
    text = "Hun Sen said no."
    path = tmp_path / "tasks.json"
    region = {
        "id": "r1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 0, "end": 7, "text": "Hun Sen", "labels": ["Person"]},
    }
    path.write_text(
        json.dumps(
            [{"id": 1, "data": {"text": text}, "annotations": [{**annotation, "result": [region]}]}]
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("annotation", "layer"),
    [
        # created_username as Label Studio's tasks API writes it (GET /api/tasks/1, step 5)
        ({"completed_by": 2, "created_username": "Bob Bauer bob@example.org, 2"}, BOB),
        ({"completed_by": 1, "created_username": " alice@example.org, 1"}, ALICE),
        ({"completed_by": 3, "created_username": "Chea"}, "Chea"),
        ({"completed_by": {"id": 4, "email": "", "first_name": ""}}, "Label Studio user 4"),
        ({"completed_by": "sok@example.org"}, "sok@example.org"),
    ],
)
def test_the_most_human_name_the_file_holds_names_the_layer(
    tmp_path: Path, annotation: dict, layer: str
) -> None:
    (document,) = read_file(_one_task(tmp_path, **annotation)).documents
    assert [a.annotator for a in document.annotations] == [layer]


# -- a "bi" relation in a type whose other relations are one-way -------------------------------


def _pairs(document, relations) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    text = {a.id: document.text[a.start : a.end] for a in document.annotations}
    return {(r.annotator, text[r.source], text[r.target]) for r in relations}


def test_a_bi_relation_among_one_way_ones_is_read_both_ways_and_said() -> None:
    """Bob toggled one ``said by`` arrow to ``bi``; every other ``said by`` is ``right``. The type
    stays directed and his relation comes back as two, one each way, with a note saying so."""
    bundle = read_file(REAL / "two-users.json")
    assert bundle.relation_types == []  # "said by" is not made undirected
    first = bundle.documents[0]
    assert _pairs(first, first.relations) == {
        (ALICE, "the border is closed", "Hun Sen"),
        (ALICE, "trade fell 🇰🇭 by half", "The Ministry"),
        (BOB, "the border is closed", "Hun Sen"),
        (BOB, "trade fell", "The Ministry"),
        (BOB, "The Ministry", "trade fell"),  # Bob's "bi", the other way
    }
    assert len(first.relations) == 5
    assert bundle.notes == [
        "1 'bi' relation of 'said by', a type whose other relations are one-way, "
        "imported as two relations, one each way"
    ]


def test_the_import_says_which_bi_relations_were_doubled(project: Project) -> None:
    outcome = import_file(project, REAL / "two-users.json")
    assert outcome.summary is not None, outcome.message
    assert "1 'bi' relation of 'said by'" in outcome.message
    assert "\n" not in outcome.message
    (first, *_) = project.documents()
    bobs = {(r.source_id, r.target_id) for r in project.relations(first.id) if r.annotator == BOB}
    assert len(bobs) == 3 and any((t, s) in bobs for s, t in bobs)


@pytest.mark.parametrize("other", ["right", "left"])
def test_a_bi_relation_beside_a_one_way_one_in_another_task_is_doubled(
    tmp_path: Path, other: str
) -> None:
    """The types' directions are worked out over the whole file: the ``bi`` relation is in the
    first task, the one-way one in the second."""

    def task(number: int, direction: str) -> dict:
        regions = [
            {
                "id": f"r{n}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": start, "end": end, "labels": [label]},
            }
            for n, (start, end, label) in enumerate([(0, 3, "Person"), (9, 13, "Claim")], 1)
        ]
        relation = {"from_id": "r2", "to_id": "r1", "type": "relation", "direction": direction}
        text = f"Ann said fact {number}."
        result = [*regions, {**relation, "labels": ["cites"]}]
        return {"id": number, "data": {"text": text}, "annotations": [{"result": result}]}

    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task(1, "bi"), task(2, other)]), encoding="utf-8")
    bundle = read_file(path)
    assert bundle.relation_types == []
    first, second = bundle.documents
    assert _pairs(first, first.relations) == {("", "fact", "Ann"), ("", "Ann", "fact")}
    assert len(second.relations) == 1
    assert bundle.notes and "1 'bi' relation of 'cites'" in bundle.notes[0]


# -- regions drawn in Label Studio's editor (step 6) -------------------------------------------


def test_regions_drawn_in_the_editor_across_a_line_break_all_come_back(project: Project) -> None:
    """Label Studio's editor, driven in headless Chromium, quoted the line break inside the Quote
    as a backslash and an ``n``; its offsets are right."""
    path = REAL / "ui-line-break.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    (result,) = [a["result"] for t in raw for a in t["annotations"]]
    assert [r["value"]["text"] for r in result] == ["moved to Tier 2", "Ministry.\\nHun Sen"]
    outcome = import_file(project, path)
    assert outcome.summary is not None, outcome.message
    assert sorted((a.label, a.text, a.annotator) for a in project.annotations()) == [
        ("Claim", "moved to Tier 2", "Label Studio user 1"),
        ("Quote", "Ministry.\nHun Sen", "Label Studio user 1"),
    ]
    assert len(project.annotations()) == len(result)


def test_the_import_window_shows_the_doubled_relations_note(
    qtbot, make_window, project: Project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    window = make_window(project)
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([REAL / "two-users.json"])
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text() == "3 documents imported."
    assert "1 'bi' relation of 'said by'" in box.informativeText()
    assert "duplicate" not in box.informativeText()
