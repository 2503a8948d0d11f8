"""The full-text index (``store/fulltext.py``) on a file and on a server: it narrows a find to
the documents holding the query, in every script, and stays right through every write path."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.service import find
from annotator.store import backups
from annotator.store.merge import merge_project
from annotator.store.project import Project

from .conftest import FIXTURES

TEXTS = {
    "ja": "私は東京都に住んでいます。京都にも行きました。",
    "km": "ខ្ញុំរស់នៅភ្នំពេញ ហើយចូលចិត្តភាសាខ្មែរ។",
    "ar": "وقالت الوزارة إن الاقتصاد سينمو بالتأكيد هذا العام.",
    "en": "The Ministry of Tourism said the economy would grow.",
    "de": "Die Bundesregierung und das Außenministerium schwiegen.",
    "fr": "L'économie française grandit.",
}


def add(project: Project, texts: dict[str, str]) -> dict[str, str]:
    """Import each text titled by its key; returns title → document id."""
    project.import_bundle(ImportedBundle([ImportedDocument(t, k) for k, t in texts.items()]))
    return {d.title: d.id for d in project.documents()}


def found(project: Project, query: str) -> list[str]:
    """The titles of the documents the index picks for ``query``."""
    titles = {d.id: d.title for d in project.documents()}
    return [titles[id] for id in project.search(query)]


def test_words_of_every_script_are_found_inside_unspaced_text(any_project: Project) -> None:
    add(any_project, TEXTS)
    assert found(any_project, "東京都") == ["ja"]
    assert found(any_project, "京都に") == ["ja"]  # inside a run with no spaces
    assert found(any_project, "ភាសាខ្មែរ") == ["km"]
    assert found(any_project, "الاقتصاد") == ["ar"]
    assert found(any_project, "ministerium") == ["de"]  # the middle of a compound
    assert found(any_project, "ministry OF tourism") == ["en"]  # a phrase, in any case
    assert [m.match for m in find(any_project, "ÉCONOMIE FRANÇAISE")] == ["économie française"]
    # the words, but not that phrase; two code points, read rather than looked up
    assert [m.title for m in find(any_project, "tourism said economy")] == []
    assert [m.title for m in find(any_project, "京都")] == ["ja", "ja"]


def test_the_index_follows_delete_undo_reimport_and_merge(
    any_project: Project, backend: str, new_location
) -> None:
    ids = add(any_project, TEXTS)
    snapshot = any_project.snapshot_documents([ids["ja"]])
    any_project.delete_documents([ids["ja"]])
    assert found(any_project, "東京都") == []
    any_project.import_bundle(snapshot)  # the undo of the delete
    assert found(any_project, "東京都") == ["ja"]

    any_project.replace_text(ids["en"], "The Ministry of Finance spoke.", {})
    assert found(any_project, "tourism") == []
    assert found(any_project, "ministry of finance") == ["en"]

    with Project.open(new_location(backend, "colleague", project=True)) as colleague:
        colleague.import_bundle(ImportedBundle([ImportedDocument("Ein Grenzübergang.", "x")]))
        merge_project(any_project, colleague)
    assert found(any_project, "grenzüber") == ["x"]


def test_matches_are_exact_offsets_in_the_canonical_text(any_project: Project) -> None:
    ids = add(any_project, {**TEXTS, "emoji": "👍 Tokyo: 東京都, again 東京都."})
    matches = list(find(any_project, "東京都"))
    assert [(m.document_id, m.start, m.end) for m in matches] == [
        (ids["ja"], 2, 5),
        (ids["emoji"], 9, 12),  # code points: the emoji is one
        (ids["emoji"], 20, 23),
    ]
    text = TEXTS["ja"]
    assert matches[0].match == text[2:5] and matches[0].left == text[:2]
    assert [m.title for m in find(any_project, "東京都", limit=2)] == ["ja", "emoji"]
    assert [m.title for m in find(any_project, "東京都", order="rank")] == [
        "emoji",
        "emoji",
        "ja",
    ]


def test_an_older_file_gets_its_index_on_upgrade(tmp_path: Path) -> None:
    copy = tmp_path / "old.annot"
    shutil.copyfile(FIXTURES / "v1-project.annot", copy)
    with Project.open(copy) as project:
        document = project.documents()[0]
        word = next(w for w in project.document(document.id).text.split() if len(w) > 6)
        assert document.id in project.search(word)
        assert [m.document_id for m in find(project, word)][:1] == [document.id]


def test_the_backup_fingerprint_leaves_the_index_out(project: Project) -> None:
    add(project, TEXTS)
    project.close()
    with sqlite3.connect(project.path) as connection:
        tables = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
    assert "document_search_idx" in tables  # FTS5's, without a rowid
    assert backups.fingerprint(project.path)  # reads every other table


@pytest.mark.parametrize("query", ["", "   ", "x" * 1001])
def test_a_query_that_cannot_be_searched_is_refused(project: Project, query: str) -> None:
    from annotator.core.find import QueryError

    with pytest.raises(QueryError):
        list(find(project, query))


def test_a_server_project_has_a_trigram_index(any_project: Project, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("a server's index")
    from sqlalchemy import text

    with any_project.reading() as s:
        definition = s.scalar(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_document_texts_trigrams'")
        )
    assert definition is not None and "gin_trgm_ops" in definition


def test_a_text_written_without_catching_up_is_read_whole_until_indexed(
    project: Project,
) -> None:
    from annotator.store import fulltext
    from annotator.store.models import Document, DocumentText

    add(project, TEXTS)
    with project.transaction() as s:  # a write path that does not call fulltext.catch_up
        s.add(Document(id="late", title="late", length=9, sha256="x", created="", position=99))
        s.flush()
        s.add(DocumentText(document_id="late", text="Siem Reap"))
    assert found(project, "siem reap") == ["late"]
    assert found(project, "東京都") == ["ja", "late"]  # pending: read, then found not to hold it
    assert [m.title for m in find(project, "東京都")] == ["ja"]
    with project.transaction() as s:
        fulltext.catch_up(s.connection())
    assert found(project, "東京都") == ["ja"]
    assert found(project, "siem reap") == ["late"]


@pytest.mark.parametrize(("stretch", "steps"), [(200, 4), (1, 4), (1, 1), (2, 0)])
def test_the_concordance_pages_a_labels_spans_and_filters_in_any_case(
    any_project: Project, monkeypatch: pytest.MonkeyPatch, stretch: int, steps: int
) -> None:
    from annotator.store import concordance_rows

    # walking the documents a stretch at a time, then the rest in one statement
    monkeypatch.setattr(concordance_rows, "FIRST_STRETCH", stretch)
    monkeypatch.setattr(concordance_rows, "STEPS", steps)
    texts = {f"d{n}": f"Day {n}: l'Économie grandit, dit le Ministère {n}." for n in range(3)}
    ids = add(any_project, texts)
    for title, text in texts.items():
        for word in ("Économie", "Ministère"):
            at = text.index(word)
            any_project.add_annotation(ids[title], "Organisation", at, at + len(word))
    pages, after = [], None
    while page := any_project.label_spans("Organisation", after=after, limit=2):
        pages.append(page)
        after = page[-1].key
    lines = [line for page in pages for line in page]
    assert [len(p) for p in pages] == [2, 2, 2]
    assert [(line.title, line.span) for line in lines] == [
        (t, w) for t in texts for w in ("Économie", "Ministère")
    ]
    assert lines[0].left == "Day 0: l'" and lines[0].right == "grandit, dit le Ministère 0."
    economy = any_project.label_spans("Organisation", "ÉCONOM", limit=2)
    assert [line.title for line in economy] == ["d0", "d1"]  # non-ASCII case, exactly
    assert [
        line.title for line in any_project.label_spans("Organisation", "ÉCONOM", economy[-1].key)
    ] == ["d2"]


def test_a_server_database_in_the_c_locale_still_finds_any_case(pg_server: str) -> None:
    """ILIKE folds only ASCII in the C locale: a letter like É must not narrow the documents
    away, only the text decides."""
    import uuid

    import psycopg

    from tests.helpers import pg_cluster

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as connection:
        connection.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"
            " LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    url = f"{pg_server}/{name}"
    try:
        with Project.open(url) as project:
            add(project, TEXTS)
            assert [m.match for m in find(project, "ÉCONOMIE")] == ["économie"]
            assert found(project, "東京都") == ["ja"]  # a letter without case still narrows
    finally:
        pg_cluster.drop_database(pg_server, url)
