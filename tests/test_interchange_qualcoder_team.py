"""A team project through QualCoder (issue 26): three annotators, A, B and C, label the same
documents (tests/helpers/team.py); our qdpx of it was imported by QualCoder 4.0 Beta, which made
them the owners of their codings, and exported again with QualCoder's own REFI-QDA code
(fixtures/interchange/qualcoder/make_fixtures.py, steps 3 and 4). Importing QualCoder's file
brings back every layer with every span, and the same agreement."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.service import Outcome, agreement, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE
from tests.helpers.team import TEAM, build_team, layers, team_spans

from .test_cli import run

HERE = INTERCHANGE / "qualcoder"
QUALCODER_TEAM = HERE / "qualcoder-3-owners.qdpx"
OURS = HERE / "annotator-3-owners.qdpx"  # the file QualCoder read
_USED = {span[2] for span in team_spans()}  # the labels the team used


@pytest.fixture
def original(tmp_path: Path) -> Iterator[Project]:
    with Project.open(tmp_path / "team.annot") as project:
        yield build_team(project)


def test_qualcoder_kept_a_coding_per_owner() -> None:
    """What QualCoder's database held after its import: each owner's codings, as many as the
    team made (its code_text table allows one coding per code, range and owner)."""
    held = json.loads((HERE / "qualcoder-3-owners-db.json").read_text(encoding="utf-8"))
    assert held["codings per owner"] == dict(Counter(span[0] for span in team_spans()))


def test_qualcoder_team_export_brings_back_every_layer(
    original: Project, any_project: Project
) -> None:
    put_in = layers(original)
    assert sorted(put_in) == list(TEAM)
    assert sum(map(len, put_in.values())) == len(team_spans()) == 214
    outcome = import_file(any_project, QUALCODER_TEAM)
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert outcome.summary is not None and outcome.summary.duplicates_skipped == 0
    back = layers(any_project)
    assert {name: len(spans) for name, spans in back.items()} == {
        name: len(spans) for name, spans in put_in.items()
    }
    for name in TEAM:
        assert back[name] == put_in[name], name
    assert agreement(any_project) == agreement(original)


def records(project: Project) -> list[tuple]:
    titles = {d.id: d.title for d in project.documents()}
    return sorted(
        (
            a.annotator,
            titles[a.document_id],
            a.label,
            a.start,
            a.end,
            a.text,
            json.dumps(a.attributes, sort_keys=True),
            a.note,
            a.created,
        )
        for a in project.annotations()
    )


def test_qualcoder_keeps_notes_attributes_and_creation_dates(
    original: Project, tmp_path: Path
) -> None:
    """Against the file QualCoder read (so the dates are the ones it was given): every span's
    note, attributes and creation date come back; so do the labels' descriptions. QualCoder
    writes no modification date: a span's comes back as its creation date; nor does it keep
    ids: documents and spans come back with QualCoder's new GUIDs."""
    with (
        Project.open(tmp_path / "ours.annot") as ours,
        Project.open(tmp_path / "theirs.annot") as theirs,
    ):
        assert import_file(ours, OURS).outcome is Outcome.IMPORTED
        assert import_file(theirs, QUALCODER_TEAM).outcome is Outcome.IMPORTED
        assert records(theirs) == records(ours)
        assert len(records(theirs)) == 214
        assert all(a.modified == a.created for a in theirs.annotations())
        assert not {a.id for a in theirs.annotations()} & {a.id for a in ours.annotations()}
        assert not {d.id for d in theirs.documents()} & {d.id for d in ours.documents()}
        assert [(x.name, x.description) for x in theirs.labels()] == [
            (x.name, x.description) for x in original.labels() if x.name in _USED
        ]
        assert created(theirs) == created(ours)


def created(project: Project) -> list[tuple[str, str]]:
    return sorted((d.title, project.document(d.id).created) for d in project.documents())


def test_cli_import_of_the_qualcoder_team_export(original: Project, tmp_path: Path) -> None:
    target = tmp_path / "from-qualcoder.annot"
    done = run("import", target, QUALCODER_TEAM)
    assert done.returncode == 0, done.stderr
    # the test's terminal takes ASCII only: the title is shown as well as it can be
    assert "'Caf? owners', 71 annotations" in done.stdout, done.stdout
    assert "duplicate" not in done.stdout, done.stdout
    figures = run("agreement", target, "--json")
    assert figures.returncode == 0, figures.stderr
    with Project.open(target) as back:
        assert layers(back) == layers(original)
    assert json.loads(figures.stdout) == json.loads(json.dumps(agreement(original)))
