"""Each document keeps its annotation count (``documents.annotation_count``, triggers of schema
6), whatever writes: an edit, its undo, an import, a merge, a re-import, curation, a codebook
change, a deleted document; and the document list's reads (filter, order, rank) agree with the
same list worked out in Python from every annotation."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import service
from annotator.core.document_query import (
    DocumentFilter,
    DocumentOrder,
    DocumentQuery,
)
from annotator.core.errors import Deleted
from annotator.core.model import (
    DocumentStatus,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
)
from annotator.store import codebook, merge
from annotator.store.project import Project

from .conftest import FIXTURES

LABELS = ("Claim", "Quote", "Organisation")
LAYERS = ("ana", "ben", "")


def kept_counts(project: Project) -> dict[str, int]:
    return {d.id: d.annotation_count for d in project.documents()}


def fresh_counts(project: Project) -> dict[str, int]:
    counted = Counter(a.document_id for a in project.annotations())
    return {d.id: counted[d.id] for d in project.documents()}


def document(n: int, spans: list[tuple[str, int, int, str]]) -> ImportedDocument:
    text = f"Document {n} says that the ministry denied everything on Tuesday."
    return ImportedDocument(
        text,
        f"Doc {n}",
        annotations=[ImportedAnnotation(label, s, e, annotator=who) for label, s, e, who in spans],
    )


span = st.tuples(
    st.sampled_from(LABELS),
    st.integers(0, 30),
    st.integers(1, 30),
    st.sampled_from(LAYERS),
).map(lambda t: (t[0], t[1], t[1] + t[2], t[3]))
step = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 99), span),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("undo"), st.just(0)),
    st.tuples(st.just("import"), st.lists(span, max_size=4)),
    st.tuples(st.just("merge"), st.integers(0, 99), st.lists(span, max_size=3)),
    st.tuples(st.just("move"), st.integers(0, 99)),
    st.tuples(st.just("curate"), st.just(0)),
    st.tuples(st.just("reimport"), st.integers(0, 99)),
    st.tuples(st.just("delete document"), st.integers(0, 99)),
    st.tuples(st.just("delete label"), st.sampled_from(("Quote", "Organisation"))),
)


def run(project: Project, steps: list[tuple], folder: Path) -> None:
    """Apply ``steps`` to ``project``, checking the kept counts after each."""
    deleted: list = []
    imports = merges = 0
    for kind, *args in steps:
        documents = project.documents()
        annotations = project.annotations()
        labels = {label.name for label in project.labels()}
        if kind == "add" and documents and args[1][0] in labels:
            label, start, end, who = args[1]
            project.add_annotation(
                documents[args[0] % len(documents)].id, label, start, end, annotator=who
            )
        elif kind == "delete" and annotations:
            gone = annotations[args[0] % len(annotations)]
            deleted.append(project.delete_annotations_and_relations([gone.id]))
        elif kind == "undo" and deleted:
            removed = deleted.pop()
            with contextlib.suppress(Deleted):  # its document or label went meanwhile
                project.restore_annotations(*removed)
        elif kind == "import":
            imports += 1
            project.import_bundle(ImportedBundle([document(1000 + imports, args[0])]))
        elif kind == "merge" and documents:
            merges += 1
            with Project.open(folder / f"copy{merges}.annot") as other:  # a colleague's copy
                other.import_bundle(project.snapshot_documents([d.id for d in documents]))
                theirs = other.documents()
                target = theirs[args[0] % len(theirs)].id
                for label, start, end, who in args[1]:
                    other.add_annotation(target, label, start, end, annotator=who or "cat")
                doomed = other.annotations(target)[:1]
                other.delete_annotations([a.id for a in doomed])
                merge.merge_project(project, other)
        elif kind == "move" and annotations:
            moved = annotations[args[0] % len(annotations)]
            project.move_annotation(moved.id, moved.start, moved.end + 1)
        elif kind == "curate" and {"ana", "ben"} <= {a.annotator for a in annotations}:
            service.adjudicate(project, ["ana", "ben"], "curated")
        elif kind == "reimport" and documents:
            target = documents[args[0] % len(documents)].id
            text = project.document(target).text
            spans = {a.id: (a.start, a.end) for a in project.annotations(target)}
            project.replace_text(target, text + " More.", spans)
        elif kind == "delete document" and documents:
            project.delete_documents([documents[args[0] % len(documents)].id])
        elif kind == "delete label" and args[0] in labels:
            codebook.delete_label(project, args[0])
        assert kept_counts(project) == fresh_counts(project), (kind, args)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_kept_counts_equal_a_fresh_count_after_any_writes(
    tmp_path: Path, steps: list[tuple]
) -> None:
    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    folder.mkdir()
    with Project.open(folder / "p.annot") as project:
        project.import_bundle(
            ImportedBundle(
                [
                    document(1, [("Claim", 0, 8, "ana"), ("Claim", 0, 8, "ben")]),
                    document(2, [("Quote", 9, 13, "ana")]),
                    document(3, []),
                ]
            )
        )
        run(project, steps, folder)


def test_kept_counts_follow_every_write_on_a_server(any_project: Project, tmp_path: Path) -> None:
    """The same writes, once on each backend (a file keeps the counts by triggers, a server
    counts those of the rows it reads)."""
    any_project.import_bundle(
        ImportedBundle([document(1, [("Claim", 0, 8, "ana"), ("Claim", 0, 8, "ben")])])
    )
    steps = [
        ("add", 0, ("Quote", 2, 9, "ana")),
        ("import", [("Claim", 1, 4, "ben"), ("Quote", 5, 9, "ana")]),
        ("delete", 1),
        ("undo", 0),
        ("move", 0),
        ("curate", 0),
        ("reimport", 1),
        ("merge", 0, [("Organisation", 3, 7, "cat")]),
        ("delete label", "Quote"),
        ("delete document", 0),
    ]
    run(any_project, steps, tmp_path)
    assert sum(kept_counts(any_project).values()) > 0


def expected_list(project: Project, query: DocumentQuery) -> list[str]:
    """The list worked out in Python from every annotation."""
    annotations = project.annotations()
    labels = {label.name for label in project.labels()}
    f = query.filter
    rows = []
    for position, d in enumerate(project.documents()):
        mine = [a for a in annotations if a.document_id == d.id]
        layers: dict[str, set] = {}
        for a in mine:
            layers.setdefault(a.annotator, set()).add((a.start, a.end, a.label))
        disagree = any(spans - layers[other] for spans in layers.values() for other in layers)
        if (
            f.title.lower() in d.title.lower()
            and (f.status is None or d.status is f.status)
            and (
                (f.label is None and f.annotator is None)
                or any(
                    (f.label is None or a.label == f.label)
                    and (f.annotator is None or a.annotator == f.annotator)
                    for a in mine
                )
            )
            and (not f.disagreements or disagree)
            and (f.label is None or f.label in labels)
        ):
            key = {
                DocumentOrder.LIST: (),
                DocumentOrder.TITLE: (d.title.lower(),),
                DocumentOrder.COUNT: (d.annotation_count,),
                DocumentOrder.STATUS: (list(DocumentStatus).index(d.status),),
            }[query.order]
            rows.append(((*key, position, d.id), d.id))
    rows.sort(reverse=query.descending)
    return [id for _key, id in rows]


queries = st.builds(
    DocumentQuery,
    st.builds(
        DocumentFilter,
        title=st.sampled_from(["", "1", "doc 2", "%", "_"]),
        status=st.none() | st.sampled_from(DocumentStatus),
        label=st.none() | st.sampled_from(LABELS),
        annotator=st.none() | st.sampled_from(LAYERS),
        disagreements=st.booleans(),
    ),
    st.sampled_from(DocumentOrder),
    st.booleans(),
)


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Documents with every mix of layers, agreeing or not, statuses and titles in mixed case."""
    path = tmp_path_factory.mktemp("listed") / "p.annot"
    project = Project.open(path)
    docs = [
        document(1, [("Claim", 0, 8, "ana"), ("Claim", 0, 8, "ben")]),  # agree
        document(2, [("Claim", 0, 8, "ana"), ("Claim", 0, 9, "ben")]),  # a boundary
        document(3, [("Claim", 0, 8, "ana"), ("Quote", 0, 8, "ben")]),  # a label
        document(4, [("Claim", 0, 8, "ana"), ("Quote", 10, 14, "ana")]),  # one layer
        document(5, [("Claim", 0, 8, "ana"), ("Claim", 0, 8, "ben"), ("Quote", 2, 5, "ben")]),
        document(6, []),
        document(7, [("Organisation", 3, 9, "")]),
        document(8, [("Claim", 0, 8, ""), ("Claim", 0, 8, "ana")]),
        document(9, [("Quote", 0, 8, "ana")] * 1 + [("Quote", 1, 8, "ana")]),
    ]
    for i, d in enumerate(docs):
        title = ["Zebra ", "apple ", "Mango ", "doc 2 "][i % 4] + d.title
        docs[i] = ImportedDocument(d.text, title, annotations=d.annotations)
    project.import_bundle(ImportedBundle(docs))
    ids = [d.id for d in project.documents()]
    project.set_document_status(ids[1], DocumentStatus.DONE)
    project.set_document_status(ids[4], DocumentStatus.IN_PROGRESS)
    project.set_document_status(ids[6], DocumentStatus.DONE)
    yield project
    project.close()


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=queries)
def test_the_lists_sql_agrees_with_python(listed: Project, query: DocumentQuery) -> None:
    expected = expected_list(listed, query)
    assert listed.document_count(query) == len(expected)
    assert [d.id for d in listed.document_page(query, 0, 100)] == expected
    assert [d.id for d in listed.document_page(query, 2, 3)] == expected[2:5]
    for row, id in enumerate(expected):
        assert listed.document_rank(query, id) == row
    for id in {d.id for d in listed.documents()} - set(expected):
        assert listed.document_rank(query, id) is None
    unfinished = [
        id
        for id in expected
        if next(d for d in listed.documents() if d.id == id).status is not DocumentStatus.DONE
    ]
    for row, id in enumerate(expected):
        after = [u for u in unfinished if expected.index(u) > row]
        later = [u for u in after + unfinished if u != id]
        assert listed.next_unfinished(query, id) == (later[0] if later else None)


def test_an_older_file_is_upgraded_with_its_counts(tmp_path: Path) -> None:
    """The v1 fixture (schema 1) opens at the newest schema with each document's count filled
    in, and its triggers keep it from then on."""
    copy = tmp_path / "old.annot"
    shutil.copyfile(FIXTURES / "v1-project.annot", copy)
    with sqlite3.connect(copy) as raw:
        old = dict(
            raw.execute(
                "SELECT d.id, count(a.id) FROM documents d "
                "LEFT JOIN annotations a ON a.document_id = d.id GROUP BY d.id"
            ).fetchall()
        )
    raw.close()
    assert sum(old.values()) > 0
    with Project.open(copy) as project:
        assert kept_counts(project) == old
        first = project.documents()[0].id
        project.add_annotation(first, "Claim", 0, 3)
        assert kept_counts(project) == fresh_counts(project)
