"""Several clients writing to one server project at once: a write that loses a race is rolled
back and run again from the start, a bounded number of times, and labellers do not wait for
each other. Each race is made to happen: one client holds its transaction open until the other
is seen waiting on it in ``pg_stat_activity`` (no sleeps decide anything)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core import model
from annotator.core.errors import Deleted, ProjectError
from annotator.store import annotation_rows, retry, server
from annotator.store.importing import add_bundle
from annotator.store.models import Annotation, Label
from annotator.store.project import Project

TEXT = "Ministers said the report was fair. Observers disagreed."
WAIT_S = 30.0  # the upper bound of every wait for an event; never reached when all is well


@pytest.fixture
def retries(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Captures the retry records (one per attempt after the first), from every thread."""
    caplog.set_level(logging.INFO, logger=retry.log.name)
    return caplog


def _retried(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.name == retry.log.name and "lost a race" in r.msg)


def _wait_until_waiting(url: str, project: Project, future: Future[Any]) -> None:
    """Return once ``project``'s client waits for a lock held by another transaction."""
    name = server.application_name(project.client_id)
    deadline = time.monotonic() + WAIT_S
    with psycopg.connect(url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            if future.done():
                future.result()  # it failed, or did not wait at all
                raise AssertionError("the write finished without waiting for the other client")
            waiting = connection.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE application_name = %s AND wait_event_type = 'Lock'",
                (name,),
            ).fetchone()
            if waiting and waiting[0]:
                return
            time.sleep(0.01)  # a poll interval: the outcome does not depend on it
    raise AssertionError(f"{name} never waited for the other client's lock")


def _race(url: str, writer: Project, write: Callable[[], Any], commit: Callable[[], None]) -> Any:
    """Run ``write`` on a thread until it waits for the other client, then ``commit`` that
    client's open transaction; return what ``write`` returned (or raise what it raised)."""
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(write)
        try:
            _wait_until_waiting(url, writer, future)
        finally:
            commit()
        return future.result(timeout=WAIT_S)


def _project_with_a_document(url: str) -> tuple[Project, str]:
    project = Project.open(url)
    summary = project.import_bundle(model.ImportedBundle([model.ImportedDocument(TEXT, "t")]))
    return project, summary.added[0].id


def test_an_import_racing_another_insert_of_the_same_text_ends_with_one_document(
    pg_url: str, retries: pytest.LogCaptureFixture
) -> None:
    """The other client's insert is in flight, outside the write lock, when this import reads:
    this import then takes the same unique ``sha256``, is rolled back, and run again skips it."""
    bundle = model.ImportedBundle([model.ImportedDocument(TEXT, "mine")])
    with Project.open(pg_url) as importer, Project.open(pg_url) as other:
        connection = other._engine.connect()
        transaction = connection.begin()
        theirs = add_bundle(
            Session(bind=connection),
            model.ImportedBundle([model.ImportedDocument(TEXT, "theirs")]),
        )

        def commit() -> None:
            transaction.commit()
            connection.close()

        summary = _race(pg_url, importer, lambda: importer.import_bundle(bundle), commit)
        assert len(theirs.added) == 1
        assert summary.added == [] and [s.existing_title for s in summary.skipped] == ["theirs"]
        assert [d.title for d in importer.documents()] == ["theirs"]
    assert _retried(retries) == 1


def test_two_labellers_restoring_the_same_annotation_end_with_one(
    pg_url: str, retries: pytest.LogCaptureFixture
) -> None:
    """Two shared writers at once: the second's insert of the same id waits for the first,
    conflicts on the key when it commits, and is run again as an update."""
    project, document = _project_with_a_document(pg_url)
    with project, Project.open(pg_url, create=False) as other:
        now = model.timestamp()
        mine = model.Annotation(
            "same-id", document, "Claim", 0, 9, TEXT[0:9], {}, "mine", "ann", now, now
        )
        theirs = model.Annotation(
            "same-id", document, "Claim", 0, 9, TEXT[0:9], {}, "theirs", "ann", now, now
        )
        block = other.transaction(shared=True)
        s = block.__enter__()
        s.add(annotation_rows.to_orm(theirs, _claim(s)))
        s.flush()

        def restore() -> None:
            project.restore_annotations([mine])

        _race(pg_url, project, restore, lambda: block.__exit__(None, None, None))
        assert [(a.id, a.note) for a in project.annotations(document)] == [("same-id", "mine")]
    assert _retried(retries) == 1


def test_an_edit_of_an_annotation_deleted_meanwhile_is_run_again_and_says_so(
    pg_url: str, retries: pytest.LogCaptureFixture
) -> None:
    project, document = _project_with_a_document(pg_url)
    with project, Project.open(pg_url, create=False) as other:
        added = project.add_annotation(document, "Claim", 0, 9)
        block = other.transaction(shared=True)
        s = block.__enter__()
        s.execute(delete(Annotation))
        with pytest.raises(Deleted, match="deleted meanwhile by someone else"):
            _race(
                pg_url,
                project,
                lambda: project.update_annotation(added.id, note="too late"),
                lambda: block.__exit__(None, None, None),
            )
        assert project.annotations(document) == []
    assert _retried(retries) == 1


def _fail_inserts(url: str, times: int | None) -> None:
    """Make the server refuse inserts of annotations with a serialization failure (the first
    ``times`` ones; None: all)."""
    condition = "true" if times is None else f"nextval('refusals') <= {times}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE SEQUENCE refusals")
        connection.execute(
            f"""CREATE FUNCTION refuse() RETURNS trigger AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION 'could not serialize access (injected)'
                        USING ERRCODE = 'serialization_failure';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql"""
        )
        connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON annotations "
            "FOR EACH ROW EXECUTE FUNCTION refuse()"
        )


def test_a_serialization_failure_is_retried_until_the_write_goes_through(
    pg_url: str, retries: pytest.LogCaptureFixture
) -> None:
    project, document = _project_with_a_document(pg_url)
    with project:
        _fail_inserts(pg_url, times=2)
        added = project.add_annotations(document, "Claim", [(0, 9), (15, 21)])
        assert project.annotations(document) == added
    assert _retried(retries) == 2


def test_a_conflict_that_persists_is_one_line_after_the_last_attempt_and_writes_nothing(
    pg_url: str, retries: pytest.LogCaptureFixture
) -> None:
    project, document = _project_with_a_document(pg_url)
    with project:
        _fail_inserts(pg_url, times=None)
        with pytest.raises(ProjectError) as caught:
            project.add_annotations(document, "Claim", [(0, 9), (15, 21)])
        message = str(caught.value)
        assert "\n" not in message and message.startswith(str(project.path))
        assert f"({retry.ATTEMPTS} attempts)" in message and "not saved" in message
        assert not isinstance(caught.value, retry.WriteConflict)  # no outer loop retries it
        assert project.annotations(document) == []
    assert _retried(retries) == retry.ATTEMPTS - 1


def test_a_duplicate_id_is_not_a_race_and_is_refused_after_one_retry(
    pg_url: str, retries: pytest.LogCaptureFixture
) -> None:
    project, document = _project_with_a_document(pg_url)
    with project:
        project.add_annotation(document, "Claim", 0, 9, id="taken")
        with pytest.raises(ProjectError, match="duplicate key") as caught:
            project.add_annotations(document, "Quote", [(15, 21), (22, 28)], ids=["new", "taken"])
        assert "attempts" not in str(caught.value)
        assert [a.id for a in project.annotations(document)] == ["taken"]
    assert _retried(retries) == 1


def test_labellers_do_not_wait_for_each_other(pg_url: str) -> None:
    """A labeller's transaction is open (say, a slow network); another labeller's write goes
    through meanwhile. An import (the document list) still waits for both."""
    project, document = _project_with_a_document(pg_url)
    with project, Project.open(pg_url, create=False) as other:
        block = other.transaction(shared=True)
        s = block.__enter__()
        s.add(annotation_rows.to_orm(other_annotation(document), _claim(s)))
        s.flush()
        with ThreadPoolExecutor(1) as pool:
            labelled = pool.submit(project.add_annotation, document, "Claim", 0, 9)
            try:
                labelled.result(timeout=WAIT_S)
            except BaseException:
                block.__exit__(None, None, None)
                raise
        bundle = model.ImportedBundle([model.ImportedDocument("Another text.", "two")])
        summary = _race(
            pg_url,
            project,
            lambda: project.import_bundle(bundle),
            lambda: block.__exit__(None, None, None),
        )
        assert len(summary.added) == 1
        assert len(project.annotations(document)) == 2


def other_annotation(document: str) -> model.Annotation:
    now = model.timestamp()
    return model.Annotation("other", document, "Claim", 15, 21, TEXT[15:21], {}, "", "", now, now)


def _claim(s: Session) -> int:
    label_id = s.scalar(select(Label.id).where(Label.name == "Claim"))
    assert label_id is not None
    return label_id
