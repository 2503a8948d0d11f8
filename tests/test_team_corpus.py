"""Merge and agreement at corpus scale (issue 29): a batch of documents at a time, memory flat in
the number of documents, the same results as all at once, progress, and cancel leaving the
project as it was."""

from __future__ import annotations

import random
import sqlite3
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event

from annotator import service
from annotator.cli import main
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.core.progress import Cancelled
from annotator.store import merge as merge_module
from annotator.store import span_batches
from annotator.store.project import Project

LABELS = ("Claim", "Quote", "Organisation")
WORDS = [
    "the",
    "minister",
    "said",
    "report",
    "was",
    "fair",
    "observers",
    "disagreed",
    "council",
    "budget",
]


def article(seed: int, words: int = 30) -> str:
    rng = random.Random(seed)
    return f"Article {seed}. " + " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def corpus_document(seed: int, annotators: tuple[str, ...] = ("ana", "ben")) -> ImportedDocument:
    text = article(seed)
    rng = random.Random(seed)
    annotations = []
    for name in annotators:
        for _ in range(2):
            start = rng.randrange(0, len(text) - 10)
            end = start + rng.randint(1, 9)
            annotations.append(ImportedAnnotation(rng.choice(LABELS), start, end, annotator=name))
    return ImportedDocument(text, f"Article {seed}", annotations=annotations)


def build(path: Path, documents: int, first: int = 0) -> Path:
    with Project.open(path) as project:
        project.import_bundle(
            ImportedBundle([corpus_document(seed) for seed in range(first, first + documents)])
        )
    return path


def dump(path: Path) -> list[str]:
    """The project's whole content as SQL, to compare byte for byte."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@contextmanager
def statements(*projects: Project) -> Iterator[list[str]]:
    """Every statement but inserts run meanwhile by ``projects`` and by those opened meanwhile
    (a merge's source), on the driver's cursor or through SQLAlchemy. (SQLite traces each row
    of an ``executemany`` insert as a statement of its own: rows written, not reads.)"""
    seen: list[str] = []
    connections: list[sqlite3.Connection] = []

    def heard(statement: str) -> None:
        if not statement.lstrip().upper().startswith("INSERT"):
            seen.append(statement)

    def traced(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(heard)
        connections.append(dbapi_connection)

    for project in projects:
        project._engine.dispose()  # new connections, each traced
    event.listen(Engine, "connect", traced)
    try:
        yield seen
    finally:
        event.remove(Engine, "connect", traced)
        for connection in connections:
            with suppress(sqlite3.ProgrammingError):  # closed already
                connection.set_trace_callback(None)


def peak_memory(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- merge ---------------------------------------------------------------------------------------


def test_a_merge_reads_the_source_in_batches_and_its_memory_stays_flat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statements a merge runs grow with its batches, not its documents, and what it holds
    at a time is one batch (tracemalloc's peak, which has nothing to do with time)."""
    monkeypatch.setattr(merge_module, "BATCH", 100, raising=False)
    small = build(tmp_path / "small.annot", 10)
    large = build(tmp_path / "large.annot", 1200, first=10_000)
    middle = build(tmp_path / "middle.annot", 300, first=20_000)

    def counted(source: Path, name: str) -> int:
        with Project.open(tmp_path / f"into-{name}.annot") as target, statements(target) as seen:
            assert service.merge_file(target, source).report is not None
        return len(seen)

    def memory(source: Path, name: str) -> int:
        with Project.open(tmp_path / f"into-{name}.annot") as target:
            merged = []
            peak = peak_memory(lambda: merged.append(service.merge_file(target, source)))
        assert merged[0].report is not None, merged[0].message
        return peak

    memory(small, "warm-up")  # caches filled once, not counted
    few, many = counted(small, "counted-small"), counted(large, "counted-large")
    assert many - few <= 12 * (1200 // 100 - 1), (few, many)
    middle_peak, large_peak = memory(middle, "middle"), memory(large, "large")
    assert large_peak < 1.4 * middle_peak, (middle_peak, large_peak)


@contextmanager
def copies(tmp_path: Path, seed: int) -> Iterator[tuple[Path, Path]]:
    """Two copies of one project edited apart: shared documents, some only in one copy,
    duplicates of text, added, deleted and changed annotations, relations."""
    rng = random.Random(seed)
    base = tmp_path / f"base-{seed}.annot"
    shared = rng.randint(1, 7)
    build(base, shared, first=seed * 100)
    paths = []
    for who in ("target", "source"):
        path = tmp_path / f"{who}-{seed}.annot"
        path.write_bytes(base.read_bytes())
        with Project.open(path) as project:
            extra = [
                corpus_document(rng.randint(0, 3) + (seed * 100 if rng.random() < 0.3 else 50))
                for _ in range(rng.randint(0, 4))
            ]
            project.import_bundle(ImportedBundle(extra))
            annotations = project.annotations()
            rng.shuffle(annotations)
            doomed = [a.id for a in annotations[: rng.randint(0, len(annotations) // 3)]]
            project.delete_annotations_and_relations(doomed)
            for a in annotations[len(doomed) : len(doomed) + rng.randint(0, 3)]:
                project.update_annotation(a.id, note=f"seen by {who}")
            for document in project.documents()[: rng.randint(0, 3)]:
                (quote,) = project.add_annotations(document.id, "Quote", [(0, 7)], annotator=who)
                if rng.random() < 0.7:
                    (organisation,) = project.add_annotations(
                        document.id, "Organisation", [(8, 12)], annotator=who
                    )
                    project.add_relation(document.id, "said by", quote.id, organisation.id)
        paths.append(path)
    yield paths[0], paths[1]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), batch=st.integers(1, 4))
def test_a_merge_in_batches_merges_as_one_batch_does(
    tmp_path_factory: pytest.TempPathFactory, seed: int, batch: int
) -> None:
    """Random pairs of copies: batches of one to four documents give the report and the
    project that one batch of every document gives (the merge before it read in batches)."""
    tmp_path = tmp_path_factory.mktemp("merge")
    with copies(tmp_path, seed) as (target, source):
        results = []
        for size in (batch, 1_000_000):
            into = tmp_path / f"into-{size}.annot"
            into.write_bytes(target.read_bytes())
            merge_module.BATCH = size
            try:
                with Project.open(into) as project:
                    report = service.merge_file(project, source).report
                    again = service.merge_file(project, source).report
            finally:
                merge_module.BATCH = 500
            results.append((report, again, sorted(dump(into))))  # rows in any physical order
        assert results[0] == results[1]
        assert results[0][1] is not None and not results[0][1].changed  # again: nothing new


def test_a_cancelled_merge_leaves_the_target_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_module, "BATCH", 2, raising=False)
    source = build(tmp_path / "source.annot", 7)
    target = build(tmp_path / "target.annot", 3, first=500)
    before = dump(target)
    heard: list[tuple[int, int | None]] = []

    def progress(done: int, total: int | None) -> bool:
        heard.append((done, total))
        return len(heard) < 3  # stop after the second batch has been merged

    with Project.open(target) as project, pytest.raises(Cancelled):
        service.merge_file(project, source, progress)
    assert heard == [(0, 7), (2, 7), (4, 7)]
    assert dump(target) == before


# -- agreement -----------------------------------------------------------------------------------


def test_agreement_reads_in_batches_and_its_memory_stays_flat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(span_batches, "BATCH", 100, raising=False)

    def measured(path: Path) -> tuple[int, int, dict]:
        with Project.open(path) as project:
            figures = service.agreement(project, ["ana", "ben"])  # caches filled first
            memory = peak_memory(lambda: service.agreement(project, ["ana", "ben"]))
            with statements(project) as seen:
                service.agreement(project, ["ana", "ben"])
        return len(seen), memory, figures

    few, _, small_figures = measured(build(tmp_path / "small.annot", 10))
    many, large_peak, large_figures = measured(build(tmp_path / "large.annot", 1200, 10_000))
    _, middle_peak, _ = measured(build(tmp_path / "middle.annot", 300, 20_000))
    assert (small_figures["documents"], large_figures["documents"]) == (10, 1200)
    assert many - few <= 3 * (1200 // 100 - 1), (few, many)
    assert large_peak < 1.4 * middle_peak, (middle_peak, large_peak)


def test_agreement_in_batches_gives_the_figures_of_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build(tmp_path / "team.annot", 25)
    with Project.open(path) as project:
        document_ids = [d.id for d in project.documents()][::-3]
        asked = [
            dict(measure=measure, exclude_incomplete=exclude, document_ids=ids)
            for measure in service.MEASURES
            for exclude in (False, True)
            for ids in (None, document_ids)
        ]
        whole = [service.agreement(project, **kwargs) for kwargs in asked]
        monkeypatch.setattr(span_batches, "BATCH", 2)
        assert [service.agreement(project, **kwargs) for kwargs in asked] == whole


def test_agreement_tells_its_progress_and_stops_when_asked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(span_batches, "BATCH", 4, raising=False)
    path = build(tmp_path / "team.annot", 10)
    heard: list[tuple[int, int | None]] = []
    with Project.open(path) as project:
        service.agreement(project, progress=lambda done, total: heard.append((done, total)))
        assert heard == [(0, 10), (4, 10), (8, 10), (10, 10)]
        with pytest.raises(Cancelled):
            service.agreement(project, progress=lambda done, total: done == 0)


# -- the command line ----------------------------------------------------------------------------


def test_the_command_line_draws_a_bar_on_a_terminal_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator import terminal_progress

    source = build(tmp_path / "source.annot", 3)
    target = build(tmp_path / "target.annot", 2, first=100)
    assert main(["merge", str(target), str(source)]) == 0
    assert main(["agreement", str(target)]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: nothing more than before
    monkeypatch.setattr(terminal_progress, "_is_terminal", lambda _stream: True)
    assert main(["merge", str(target), str(source)]) == 0
    assert main(["agreement", str(target)]) == 0
    err = capsys.readouterr().err
    assert "Merging source.annot" in err and "Agreement" in err and "100%" in err


# -- on a server ---------------------------------------------------------------------------------


def test_batches_read_a_server_project_as_they_read_a_file(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch statements are the store's own SQL on PostgreSQL too: up to a server and back
    in batches of two documents, and the same figures from both."""
    monkeypatch.setattr(merge_module, "BATCH", 2)
    monkeypatch.setattr(span_batches, "BATCH", 2)
    local = build(tmp_path / "local.annot", 5)
    with Project.open(pg_url) as server:
        assert service.merge_file(server, local).report.documents_added == 5
        again = service.merge_file(server, local).report
        assert again is not None and not again.changed
        down = tmp_path / "down.annot"
        with Project.open(down) as copy:
            assert service.merge_file(copy, pg_url).report.documents_added == 5
        for measure in service.MEASURES:
            with Project.open(local) as file:
                assert service.agreement(server, measure=measure) == service.agreement(
                    file, measure=measure
                )
