"""A project file: open/create/migrate it, read it, and write it one transaction per call."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine, delete, exists, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from annotator.core import leftovers, model
from annotator.core.document_query import DocumentQuery
from annotator.core.errors import Deleted, ProjectError
from annotator.core.find import ConcordanceLine
from annotator.core.labels import (
    DEFAULT_LABELS,
    LabelDef,
    RelationTypeDef,
)
from annotator.core.progress import Progress
from annotator.core.remote import RemoteChange
from annotator.core.templates import relation_types_for
from annotator.core.text import text_sha256
from annotator.store import (
    annotation_rows,
    codebook_rows,
    concordance_rows,
    database,
    deletions,
    document_batches,
    document_query,
    fileformat,
    fulltext,
    identity,
    opening,
    relation_rows,
    retry,
    server,
    snap_rules,
)
from annotator.store.backend import ServerAddress, is_server, location
from annotator.store.convert import document_from_row
from annotator.store.database import make_engine, read_only_reason
from annotator.store.importing import ImportSummary, add_bundle, add_parts
from annotator.store.models import (
    Annotation,
    Document,
    DocumentText,
    Label,
    ProjectMeta,
    Relation,
)
from annotator.store.retry import retrying

T = TypeVar("T")


class WriteWatcher(Protocol):
    def writing(self) -> None:
        """A write transaction of this project holds the write lock (nothing committed yet)."""

    def committed(self) -> None:
        """That transaction committed."""


_log = logging.getLogger(__name__)


def new_id() -> str:
    return str(uuid.uuid4())


class Project:
    """One open project file. Reads return frozen core types; each write is one transaction."""

    def __init__(
        self,
        path: Path | ServerAddress,
        engine: Engine,
        backup: Path | None = None,
        read_only_reason: str | None = None,
        file_identity: identity.FileIdentity | None = None,
        *,
        client_id: str | None = None,
        migrated_from: int | None = None,
    ) -> None:
        #: The project file, or the :class:`ServerAddress` of a project on a server (whose
        #: ``str()`` never holds the password).
        self.path = path
        self._engine = engine
        self.migration_backup = backup
        #: The schema version a server project was upgraded from on opening (None: no upgrade).
        self.migrated_from = migrated_from
        #: Why this project is open read-only (e.g. "the file is not writable"); None if it is not.
        self.read_only_reason = read_only_reason
        #: This client among those writing to a server project (its changes' notices name it).
        self.client_id = client_id or server.new_client_id()
        self._texts: dict[str, str] = {}  # document id -> text, the most recently used last
        #: per thread (an import runs on its own), the session of the transaction under way
        #: and whether it is shared, while one is
        self._open = threading.local()
        self._listeners: list[server.Listener] = []
        #: told when this project's own write transactions hold the write lock and when they
        #: have committed (see :class:`annotator.store.outside_writes.OutsideWrites`)
        self.write_watchers: list[WriteWatcher] = []
        # checked before every write, and before each new connection (see Project.open); file
        # identity only makes sense for a file
        self._identity: identity.FileIdentity | None = None
        if not self.on_server:
            self._identity = file_identity or identity.identity_of(path)

    @property
    def on_server(self) -> bool:
        """Whether the project lives in a PostgreSQL database rather than a file."""
        return is_server(self.path)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        labels: Sequence[LabelDef] = DEFAULT_LABELS,
        read_only: bool | None = False,
        relation_types: Sequence[RelationTypeDef] | None = None,
    ) -> Project:
        """Open ``path``, creating it (with ``labels``, and ``relation_types``: by default those
        of the default relation types that fit ``labels``) if missing and ``create`` is set.

        ``read_only``: False needs a writable project (else :class:`ProjectError`); True opens
        it read-only; None opens it read-only only when it cannot be written. Every write to a
        read-only project raises :class:`ProjectError`.

        Raises :class:`ProjectError` for anything that is not a usable project; such a file is
        left byte-for-byte as it was.
        """
        if is_server(path):
            if relation_types is None:
                relation_types = relation_types_for(labels)
            return cls._open_server(location(path), create, labels, relation_types, read_only)
        path = Path(path).expanduser().absolute()
        opening.check_name(path, creating=False)
        state = fileformat.inspect_project_file(path)
        backup = None
        reason = None
        if not state.exists:
            if not create or read_only:
                raise ProjectError(path, "no such project file")
            opening.check_name(path, creating=True)
            if relation_types is None:
                relation_types = relation_types_for(labels)
            opening.create(path, labels, relation_types)
        else:
            reason = read_only_reason(path)
            if reason and read_only is False:
                raise ProjectError(path, f"cannot be changed: {reason}")
            if read_only and not reason:
                reason = "opened read-only"
            opening.probe(path)  # SQLite itself says whether it can read the file
            if state.wal_pending and not reason:
                opening.checkpoint(path)  # a checkpoint a full disk cut short, completed now
            if not reason:
                sweep_leftovers(path)  # what a killed export, backup or copy left behind
            if state.needs_migration:
                if reason:
                    raise ProjectError(
                        path,
                        f"was made by an older Annotator and needs an "
                        f"upgrade, which cannot be done: {reason}",
                    )
                backup = opening.upgrade(path, state.schema_version)
        expected = identity.identity_of(path)
        engine = make_engine(
            path,
            read_only=reason is not None,
            before_connect=lambda: identity.check(path, expected),
        )
        return cls(path, engine, backup, reason, expected)

    @classmethod
    def _open_server(
        cls,
        address: Path | ServerAddress,
        create: bool,
        labels: Sequence[LabelDef],
        relation_types: Sequence[RelationTypeDef],
        read_only: bool | None,
    ) -> Project:
        assert isinstance(address, ServerAddress)
        client_id = server.new_client_id()
        engine = server.make_engine(address, client_id)
        try:
            reason, migrated_from = server.open_project(
                address,
                engine,
                create=create,
                labels=labels,
                relation_types=relation_types,
                read_only=read_only,
            )
        except BaseException:
            engine.dispose()
            raise
        if reason:
            engine.dispose()
            engine = server.make_engine(address, client_id, read_only=True)
        return cls(address, engine, None, reason, client_id=client_id, migrated_from=migrated_from)

    def close(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self._listeners.clear()
        self._engine.dispose()

    def checkpoint(self) -> None:
        """Move the ``-wal`` into the project file and empty it, so that the file alone, copied
        now, holds every change (SQLite's ``wal_checkpoint(TRUNCATE)``). Never waits for nor
        fails the user: while another program reads, it moves what it can; a failure is only
        logged. Nothing to do on a server or for a project open read-only."""
        if self.on_server or self.read_only_reason:
            return
        for watcher in self.write_watchers:  # a checkpoint is seen by others as a change
            watcher.writing()
        try:
            connection = self._engine.raw_connection()  # pysqlite's, out of any transaction
            try:
                connection.execute("PRAGMA busy_timeout=0")  # busy: do what it can, at once
                try:
                    busy, _frames, _moved = connection.execute(
                        "PRAGMA wal_checkpoint(TRUNCATE)"
                    ).fetchone()
                finally:  # the pooled connection's writes wait for their turn again
                    connection.execute(f"PRAGMA busy_timeout={database.BUSY_TIMEOUT_MS}")
            finally:
                connection.close()  # back to the pool
                for watcher in self.write_watchers:
                    watcher.committed()
        except (DBAPIError, sqlite3.Error, ProjectError) as exc:  # ProjectError: file replaced
            _log.debug("checkpoint of %s failed: %s", self.path, exc)
            return
        if busy:
            _log.debug("checkpoint of %s partial: another program is reading it", self.path)

    def listen(
        self,
        on_change: Callable[[RemoteChange | None], None],
        on_problem: Callable[[str], None],
    ) -> server.Listener | None:
        """Hear the changes other clients make to a project on a server (see
        :class:`server.Listener`; ``on_change`` runs on the listener's thread); None for a file,
        which only this window writes. :meth:`close` stops it."""
        if not isinstance(self.path, ServerAddress):
            return None
        mine = server.application_name(self.client_id)

        def others(change: RemoteChange | None) -> None:
            if change is None or change.client != mine:
                on_change(change)

        listener = server.Listener(self.path, self.client_id, others, on_problem).start()
        self._listeners.append(listener)
        return listener

    def check_file(self) -> None:
        """Raise :class:`identity.FileReplaced`, and save nothing more, when the file at
        :attr:`path` is no longer the one opened (deleted, moved or replaced)."""
        if self._identity is None:
            return  # a project on a server
        assert isinstance(self.path, Path)
        try:
            identity.check(self.path, self._identity)
        except identity.FileReplaced:
            self.read_only_reason = identity.STOPPED
            raise

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads (no transaction is held open beyond them)."""
        with self._errors_named(), Session(self._engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def transaction(self, *, shared: bool = False) -> Iterator[Session]:
        """The one way to write: a session in one ``BEGIN IMMEDIATE`` transaction, committed when
        the block ends, rolled back (the project as before) when it raises. Refused at once on a
        read-only project.

        On a server, ``shared`` marks an edit of annotations, relations, a status or rejections:
        such edits run beside each other and wait only for the other writes (codebook, document
        list, imports, merges), which take turns with everything. There a transaction may lose a
        race and raise :class:`retry.WriteConflict`: the function holding the block is decorated
        :func:`retry.retrying`, which runs it again."""
        if getattr(self._open, "transaction", None):  # inside :meth:`together`: join it
            session, open_shared = self._open.transaction
            if open_shared and not shared:
                raise RuntimeError("a write that takes turns cannot join a shared transaction")
            yield session
            return
        if self.read_only_reason:
            raise ProjectError(
                self.path, f"is open read-only ({self.read_only_reason}); the change was not saved"
            )
        self.check_file()
        engine = database.for_writing(self._engine, shared=shared)
        with (
            self._errors_named(),
            Session(engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            self._open.transaction = (session, shared)
            try:
                if self.write_watchers:
                    session.connection()  # BEGIN IMMEDIATE: no other program commits now
                    for watcher in self.write_watchers:
                        watcher.writing()
                yield session
            finally:
                self._open.transaction = None
        for watcher in self.write_watchers:
            watcher.committed()

    @retrying
    def together(self, unit: Callable[[], T], *, shared: bool = False) -> T:
        """Run ``unit``, which calls several writes of this project, as one transaction: all of
        them or none, and one commit (one sync to disk) instead of one each. ``shared``: every
        write in it is an annotation-level edit (see :meth:`transaction`)."""
        with self.transaction(shared=shared):
            return unit()

    def _gone(self, what: str, id: str) -> Deleted:
        """The error for an edit to something that is not there (any more)."""
        who = " by someone else" if self.on_server else ""
        return Deleted(self.path, f"{what} was deleted meanwhile{who} ({id}); nothing was changed")

    @contextmanager
    def _errors_named(self) -> Iterator[None]:
        """Database and stored-JSON failures become a one-line :class:`ProjectError`."""
        try:
            yield
        except (DBAPIError, sqlite3.Error, StaleDataError) as exc:  # sqlite3's: raw cursor reads
            if isinstance(self.path, ServerAddress):
                if (key := retry.conflict_key(exc)) is not None:
                    raise retry.WriteConflict(
                        self.path, server.reason(exc, self.path), key
                    ) from exc
                raise ProjectError(self.path, server.reason(exc, self.path)) from exc
            if isinstance(exc, StaleDataError):
                raise
            raise ProjectError(self.path, opening.sqlite_reason(exc, self.path)) from exc
        except json.JSONDecodeError as exc:  # a stored JSON value that is not JSON
            raise ProjectError(self.path, f"the project file is damaged ({exc})") from exc

    # -- reading -------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with self.reading() as s:
            return {row.key: row.value for row in s.scalars(select(ProjectMeta))}

    def labels(self) -> list[LabelDef]:
        """The codebook in order (see :func:`read_codebook`)."""
        with self.reading() as s:
            return [label for _id, label, _attribute_ids in read_codebook(s)]

    def label_ids(self) -> dict[str, int]:
        """Each label's row id by name: an identity that a rename keeps."""
        with self.reading() as s:
            return {name: id for name, id in s.execute(select(Label.name, Label.id))}

    def documents(self, document_id: str | None = None) -> list[model.DocumentSummary]:
        """Every document (or just ``document_id``) in list order, with annotation counts."""
        with self.reading() as s:
            if document_id is not None:
                return document_query.summaries(s, [document_id])
            return document_query.page(s, DocumentQuery(), 0, None)

    def document_count(self, query: DocumentQuery | None = None) -> int:
        """How many documents the document list shows with ``query`` (all of them without)."""
        with self.reading() as s:
            return document_query.count(s, query or DocumentQuery())

    def document_page(
        self, query: DocumentQuery, offset: int, limit: int
    ) -> list[model.DocumentSummary]:
        """Rows ``offset`` to ``offset + limit`` of the document list with ``query``."""
        with self.reading() as s:
            return document_query.page(s, query, offset, limit)

    def document_rank(self, query: DocumentQuery, document_id: str) -> int | None:
        """The row of ``document_id`` in the document list with ``query``; None: not in it."""
        with self.reading() as s:
            return document_query.rank(s, query, document_id)

    def next_unfinished(self, query: DocumentQuery, document_id: str | None) -> str | None:
        """The next document not done after ``document_id`` in the list, wrapping round."""
        with self.reading() as s:
            return document_query.next_unfinished(s, query, document_id)

    def document_status(self, document_id: str) -> model.DocumentStatus | None:
        """The document's status; None if there is no such document (any more)."""
        with self.reading() as s:
            status = s.scalar(select(Document.status).where(Document.id == document_id))
        return None if status is None else model.DocumentStatus(status)

    def document(self, document_id: str) -> model.Document:
        with self.reading() as s:
            row = s.get(Document, document_id)
            if row is None:
                raise KeyError(document_id)
            document = document_from_row(row, _text(s, document_id) or "")
        self.remember_text(document.id, document.text)
        return document

    def remember_text(self, document_id: str, text: str) -> None:
        """Texts never change once imported: keep the last few, so a span's snapshot is a slice
        instead of a scan of a 5 MB value in SQLite (and the window's first look, which read it
        already, hands it over instead of reading it twice)."""
        self._texts.pop(document_id, None)
        self._texts[document_id] = text
        while len(self._texts) > 4:
            self._texts.pop(next(iter(self._texts)))

    def annotations(self, document_id: str | None = None) -> list[model.Annotation]:
        """Annotations of one document (or all), in document order, then text order."""
        with self.reading() as s:
            return annotation_rows.read(s.connection(), document_id)

    def search(self, query: str) -> list[str]:
        """Ids of the documents that may hold ``query`` (in any case), in list order: the
        full-text index narrows, the caller finds (``store/fulltext.py``)."""
        with self.reading() as s:
            return fulltext.candidates(s.connection(), query)

    def texts(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, title, text) of these documents in the order given, those still there."""
        with self.reading() as s:
            return list(fulltext.texts(s.connection(), ids))

    def label_spans(
        self,
        label: str,
        needle: str = "",
        after: concordance_rows.Key | None = None,
        limit: int = 500,
    ) -> list[ConcordanceLine]:
        """A page of the concordance: spans of ``label`` across documents in list order, each
        with its context, whose text holds ``needle`` (any case), after ``after``."""
        with self.reading() as s:
            return concordance_rows.page(s.connection(), label, needle, after, limit)

    def relation_types(self) -> list[RelationTypeDef]:
        with self.reading() as s:
            return relation_rows.relation_types(s)

    def relations(self, document_id: str | None = None) -> list[model.Relation]:
        """Relations of one document (or all), flagged where their ends no longer fit."""
        with self.reading() as s:
            return relation_rows.read(s, document_id)

    def documents_in_batches(
        self, size: int = document_batches.SIZE
    ) -> Iterator[list[document_batches.Contents]]:
        """Every document in list order with its annotations and relations, ``size`` documents
        at a time (three statements a batch, one batch in memory; see
        :mod:`annotator.store.document_batches`), in one read session for the whole walk."""
        with self.reading() as s:
            yield from document_batches.read(s, size)

    def relation_count(self) -> int:
        with self.reading() as s:
            return s.scalar(select(func.count()).select_from(Relation)) or 0

    def annotation_counts(self) -> dict[str, int]:
        """Annotations per label name, every label listed (zero included), in label order."""
        query = (
            select(Label.name, func.count(Annotation.id))
            .outerjoin(Annotation, Annotation.label_id == Label.id)
            .group_by(Label.id)
            .order_by(Label.position)
        )
        with self.reading() as s:
            return dict(s.execute(query).all())

    # -- annotation edits ----------------------------------------------------------------------

    def add_annotation(
        self,
        document_id: str,
        label: str,
        start: int,
        end: int,
        *,
        attributes: dict[str, Any] | None = None,
        note: str = "",
        annotator: str = "",
        id: str | None = None,
    ) -> model.Annotation:
        (added,) = self.add_annotations(
            document_id,
            label,
            [(start, end)],
            attributes=attributes,
            note=note,
            annotator=annotator,
            ids=[id] if id else None,
        )
        return added

    @retrying
    def add_annotations(
        self,
        document_id: str,
        label: str,
        ranges: Sequence[tuple[int, int]],
        *,
        attributes: dict[str, Any] | None = None,
        note: str = "",
        annotator: str = "",
        ids: Sequence[str] | None = None,
    ) -> list[model.Annotation]:
        """Label each code-point range of one document, all in one transaction."""
        with self.transaction(shared=True) as s:
            # one round trip: on a server, others may have deleted the document meanwhile
            label_id, present = s.execute(
                select(
                    select(Label.id).where(Label.name == label).scalar_subquery(),
                    exists().where(Document.id == document_id),
                )
            ).one()
            if label_id is None:
                raise KeyError(f"no label named {label!r}")
            if not present:
                raise self._gone("the document", document_id)
            text = self._texts.get(document_id)
            if text is None:
                text = _text(s, document_id)
                if text is None:
                    raise self._gone("the document", document_id)
                self.remember_text(document_id, text)
            for start, end in ranges:
                if not 0 <= start < end <= len(text):
                    raise ValueError(
                        f"span {start}..{end} is outside the text (length {len(text)})"
                    )
            now = model.timestamp()
            added = [
                model.Annotation(
                    ids[n] if ids else new_id(),
                    document_id,
                    label,
                    start,
                    end,
                    text[start:end],
                    dict(attributes or {}),
                    note,
                    annotator,
                    now,
                    now,
                )
                for n, (start, end) in enumerate(ranges)
            ]
            s.add_all(annotation_rows.to_orm(a, label_id) for a in added)
            s.flush()
            return added

    @retrying
    def restore_annotations(
        self,
        annotations: Iterable[model.Annotation],
        relations: Iterable[model.Relation] = (),
    ) -> list[model.Relation]:
        """Put annotations back exactly as they were (ids and timestamps kept), replacing any
        with the same id, then ``relations`` between them: the undo of a delete or an edit.

        Returns the relations that could not come back: their other end or their type was
        deleted meanwhile (by another window or client); the rest is restored all the same.
        A deleted document or label refuses the whole restore (:class:`Deleted`)."""
        annotations = list(annotations)
        with self.transaction(shared=True) as s:
            documents = {a.document_id for a in annotations}
            present = set(s.scalars(select(Document.id).where(Document.id.in_(documents))))
            if missing := documents - present:
                raise self._gone("the document", min(missing))
            label_ids: dict[str, int] = {}
            for a in annotations:
                if a.label not in label_ids:  # undoing a label's deletion may restore thousands
                    label_ids[a.label] = _label_id(s, a.label, self._gone)
                s.merge(annotation_rows.to_orm(a, label_ids[a.label]))
            deletions.forget(s, [a.id for a in annotations])
            s.flush()
            return relation_rows.restore(s, relations)

    # -- relation edits ------------------------------------------------------------------------

    @retrying
    def add_relation(
        self,
        document_id: str,
        type: str,
        source_id: str,
        target_id: str,
        *,
        attributes: dict[str, Any] | None = None,
        note: str = "",
        annotator: str = "",
        id: str | None = None,
        source_attributes: dict[str, Any] | None = None,
    ) -> tuple[model.Relation, model.Annotation | None]:
        """Join two annotations of ``document_id`` by a relation of ``type``, which must allow
        their labels (else :class:`relation_rows.RelationError`). ``source_attributes`` also
        replaces the source annotation's attributes in the same transaction (a ``said by``
        filling a quote's speaker); the source as it then is comes back with the relation."""
        with self.transaction(shared=True) as s:
            relation_rows.check_ends(s, document_id, type, source_id, target_id, fit=True)
            now = model.timestamp()
            relation = model.Relation(
                id or new_id(),
                document_id,
                type,
                source_id,
                target_id,
                dict(attributes or {}),
                note,
                annotator,
                now,
                now,
            )
            s.add(relation_rows.to_orm(relation, relation_rows.type_id(s, type)))
            source = None
            if source_attributes is not None:
                row = s.get(Annotation, source_id)
                assert row is not None  # check_ends found it
                row.attributes = dict(source_attributes)
                row.modified = now
                s.flush()
                name = s.scalar(select(Label.name).where(Label.id == row.label_id))
                source = annotation_rows.from_orm(row, name)
            s.flush()
            return relation, source

    @retrying
    def restore_relations(self, relations: Iterable[model.Relation]) -> list[model.Relation]:
        """Put relations back as they were (the undo of a delete or an edit); returns those
        that could not come back (an end or the type deleted meanwhile)."""
        with self.transaction(shared=True) as s:
            return relation_rows.restore(s, relations)

    @retrying
    def delete_relations(self, ids: Iterable[str]) -> list[model.Relation]:
        """Delete relations by id; returns what was deleted."""
        ids = list(ids)
        with self.transaction(shared=True) as s:
            deleted = relation_rows.read(s, ids=ids)
            relation_rows.remove(s, ids)
            return deleted

    @retrying
    def update_relation(
        self,
        relation_id: str,
        *,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> model.Relation:
        with self.transaction(shared=True) as s:
            row = s.get(Relation, relation_id)
            if row is None:
                raise KeyError(relation_id)
            if attributes is not None:
                row.attributes = dict(attributes)
            if note is not None:
                row.note = note
            row.modified = model.timestamp()
            s.flush()
            (relation,) = relation_rows.read(s, ids=[relation_id])
            return relation

    def delete_annotations(self, ids: Iterable[str]) -> list[model.Annotation]:
        """Delete by id; returns what was deleted, so the caller can restore it."""
        return self.delete_annotations_and_relations(ids)[0]

    @retrying
    def delete_annotations_and_relations(
        self, ids: Iterable[str]
    ) -> tuple[list[model.Annotation], list[model.Relation]]:
        """Delete annotations and the relations they are an end of; returns both, so the
        caller can put them back with :meth:`restore_annotations`. Each deletion leaves a
        tombstone (store/deletions.py), so a merge carries it to other copies."""
        ids = list(ids)
        with self.transaction(shared=True) as s:
            # Locked first on a server: a relation another client is adding to one of them
            # commits before the read below, instead of going by cascade, unreported.
            s.execute(select(Annotation.id).where(Annotation.id.in_(ids)).with_for_update())
            relations = relation_rows.read(s, touching=ids)
            relation_rows.remove(s, [r.id for r in relations])
            rows = s.execute(
                select(Annotation, Label.name)
                .join(Label, Label.id == Annotation.label_id)
                .where(Annotation.id.in_(ids))
            ).all()
            deleted = [annotation_rows.from_orm(row, name) for row, name in rows]
            s.execute(delete(Annotation).where(Annotation.id.in_(ids)))
            deletions.record(s, deletions.of_deleted(deleted, model.timestamp()))
            return deleted, relations

    @retrying
    def update_annotation(
        self,
        annotation_id: str,
        *,
        label: str | None = None,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> model.Annotation:
        with self.transaction(shared=True) as s:
            row = s.get(Annotation, annotation_id)
            if row is None:
                raise self._gone("the annotation", annotation_id)
            if label is not None:
                row.label_id = _label_id(s, label)
            if attributes is not None:
                row.attributes = dict(attributes)
            if note is not None:
                row.note = note
            row.modified = model.timestamp()
            s.flush()
            name = s.scalar(select(Label.name).where(Label.id == row.label_id))
            return annotation_rows.from_orm(row, name)

    @retrying
    def move_annotation(self, annotation_id: str, start: int, end: int) -> model.Annotation:
        """Give an annotation new boundaries (its text follows); returns it as it is now."""
        with self.transaction(shared=True) as s:
            row = s.get(Annotation, annotation_id)
            if row is None:
                raise self._gone("the annotation", annotation_id)
            text = self._texts.get(row.document_id)
            if text is None:
                text = _text(s, row.document_id) or ""
                self.remember_text(row.document_id, text)
            if not 0 <= start < end <= len(text):
                raise ValueError(f"span {start}..{end} is outside the text (length {len(text)})")
            row.start, row.end, row.text = start, end, text[start:end]
            row.modified = model.timestamp()
            s.flush()
            name = s.scalar(select(Label.name).where(Label.id == row.label_id))
            return annotation_rows.from_orm(row, name)

    # -- document edits ------------------------------------------------------------------------

    @retrying
    def start_document(self, document_id: str) -> bool:
        """Mark the document in progress if it is new (its first annotation does); whether it
        was. One conditional UPDATE: no read first, and a status someone else set meanwhile is
        left alone."""
        with self.transaction(shared=True) as s:
            result = s.execute(
                update(Document)
                .where(
                    Document.id == document_id,
                    Document.status == model.DocumentStatus.NEW.value,
                )
                .values(status=model.DocumentStatus.IN_PROGRESS.value)
            )
            return bool(result.rowcount)

    @retrying
    def set_document_status(
        self, document_id: str, status: model.DocumentStatus
    ) -> model.DocumentStatus:
        """Set the status; returns the previous one.

        Reads and writes the status column alone (the text lives apart since schema 4, but the
        row holds the metadata too). A first label uses :meth:`start_document` instead.
        """
        with self.transaction(shared=True) as s:
            previous = s.scalar(select(Document.status).where(Document.id == document_id))
            if previous is None:
                raise self._gone("the document", document_id)
            s.execute(
                update(Document)
                .where(Document.id == document_id)
                .values(status=model.DocumentStatus(status).value)
            )
            return model.DocumentStatus(previous)

    @retrying
    def replace_text(
        self,
        document_id: str,
        text: str,
        spans: dict[str, tuple[int, int]],
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """Give the document a new text (a re-import of its source) and each of its annotations
        its place in that text, in one transaction: ``spans`` must name every annotation of the
        document, or nothing changes (one added meanwhile would point into the wrong text).
        Undone by calling it again with the old text and places."""
        sha = text_sha256(text)
        with self.transaction() as s:
            row = s.get(Document, document_id)
            if row is None:
                raise self._gone("the document", document_id)
            present = set(
                s.scalars(select(Annotation.id).where(Annotation.document_id == document_id))
            )
            if present != set(spans):
                raise ProjectError(
                    self.path,
                    "the document's annotations changed meanwhile; nothing was changed",
                )
            clash = s.scalar(
                select(Document.title).where(Document.sha256 == sha, Document.id != document_id)
            )
            if clash is not None:
                raise ProjectError(
                    self.path, f"the document \u201c{clash}\u201d has that text already"
                )
            for start, end in spans.values():
                if not 0 <= start < end <= len(text):
                    raise ValueError(f"span {start}..{end} is outside the text ({len(text)})")
            row.sha256, row.length = sha, len(text)
            if metadata is not None:
                row.meta = dict(metadata)
            s.execute(
                update(DocumentText)
                .where(DocumentText.document_id == document_id)
                .values(text=text)
            )
            fulltext.catch_up(s.connection())
            if spans:
                s.execute(
                    update(Annotation),
                    [
                        {"id": id, "start": start, "end": end, "text": text[start:end]}
                        for id, (start, end) in spans.items()
                    ],
                )
        self.remember_text(document_id, text)

    def snapshot_documents(self, ids: Sequence[str]) -> model.ImportedBundle:
        """Everything about these documents, ready to be put back with :meth:`import_bundle`
        (read a batch of documents at a time: an import's undo may take 100k)."""
        documents = []
        with self.reading() as s:
            for batch in document_batches.of_ids(s, list(ids)):
                for d, annotations, relations in batch:
                    documents.append(_snapshot(d, annotations, relations))
        return model.ImportedBundle(documents)

    @retrying
    def delete_documents(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        with self.transaction() as s:
            for first in range(0, len(ids), document_batches.SIZE):  # under any bound limit
                chunk = ids[first : first + document_batches.SIZE]
                s.execute(delete(Document).where(Document.id.in_(chunk)))
        for document_id in ids:  # an id may come back later with another text
            self._texts.pop(document_id, None)

    # -- bulk import ---------------------------------------------------------------------------

    @retrying
    def import_bundle(self, bundle: model.ImportedBundle) -> ImportSummary:
        """Add a file's documents, annotations and labels in one transaction."""
        with self.transaction() as s:
            return add_bundle(s, bundle)

    @retrying
    def import_parts(
        self,
        parts: Callable[[], Iterable[model.ImportedBundle]],
        progress: Progress | None = None,
        where: object = None,
    ) -> ImportSummary:
        """Add a file read in parts (``parts()`` reads it; again if a server's transaction
        must be run again) in one transaction: all of it, or nothing when reading fails or
        ``progress`` says stop (see :func:`annotator.store.importing.add_parts`)."""
        with self.transaction() as s:
            return add_parts(s, parts(), progress, where)


def _snapshot(
    d: model.Document, annotations: list[model.Annotation], relations: list[model.Relation]
) -> model.ImportedDocument:
    spans = [
        model.ImportedAnnotation(
            a.label, a.start, a.end, a.attributes, a.note, a.annotator, a.id, a.created, a.modified
        )
        for a in annotations
    ]
    links = [
        model.ImportedRelation(
            r.type,
            r.source_id,
            r.target_id,
            r.attributes,
            r.note,
            r.annotator,
            r.id,
            r.created,
            r.modified,
        )
        for r in relations
    ]
    return model.ImportedDocument(
        d.text, d.title, d.source, d.metadata, spans, d.id, d.created, d.status, links
    )


def sweep_leftovers(path: Path) -> list[Path]:
    """Delete stale temporary files of ours beside the project and in its backups folder."""
    backups = path.with_name(f"{path.name}.backups")
    return leftovers.sweep(path.parent, leftovers.BESIDE) + leftovers.sweep(
        backups, leftovers.IN_BACKUPS
    )


def read_codebook(s: Session) -> list[tuple[int, LabelDef, dict[str, int]]]:
    """Each label in order (with its snapping rule) with its row id and its attributes' row ids
    by name (see :func:`codebook_rows.read_labels`)."""
    cursor = s.connection().connection.driver_connection.cursor()  # the driver's: no row objects
    decoded = s.connection().dialect.name != "sqlite"
    return codebook_rows.read_labels(cursor, snap_rules.read(s), decoded)


def _text(session: Session, document_id: str) -> str | None:
    return session.scalar(select(DocumentText.text).where(DocumentText.document_id == document_id))


def _label_id(
    session: Session, name: str, gone: Callable[[str, str], Deleted] | None = None
) -> int:
    """The label's row id; a missing label raises ``KeyError``, or ``gone("the label", name)``
    where the label was there when the edit began (an undo)."""
    label_id = session.scalar(select(Label.id).where(Label.name == name))
    if label_id is None:
        if gone is not None:
            raise gone("the label", name)
        raise KeyError(f"no label named {name!r}")
    return label_id
