"""A project in a PostgreSQL database: engine, creation, probing, upgrading, and naming errors.

The same Alembic migrations as for a file build the schema. Every write transaction first takes
one transaction-scoped advisory lock (:data:`WRITE_LOCK`). Edits of annotations, relations,
statuses and rejections take it shared: they run beside each other (their rows are new, by
UUID, or their own). Every other write (codebook, documents, imports, merges, creation and
upgrade) takes it alone, as ``BEGIN IMMEDIATE`` on a file: those read, then write, shared
values (positions, the codebook, the snapping rules), so they take turns with everything and see
everything committed before them. What shared edits can still race on (the same id, a row
deleted meanwhile, a deadlock) rolls back and is run again (``retry.py``). A client of an older
version, which takes the lock alone for every write, still works beside these. Triggers
announce every change with ``NOTIFY`` (:data:`CHANNEL`) naming the document and the client that
made it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from annotator import __version__
from annotator.core import model, remote
from annotator.core.errors import NoPassword, ProjectError
from annotator.core.json_input import loads
from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.core.remote import RemoteChange
from annotator.store import schema, snap_rules
from annotator.store.backend import ServerAddress
from annotator.store.convert import label_to_row, relation_type_to_row
from annotator.store.database import SHARED, WRITE_OPTION, upgrade_schema
from annotator.store.models import ProjectMeta

CHANNEL = "annotator_changes"
WRITE_LOCK = 0x616E6E6F  # "anno": the advisory lock every write transaction takes
CONNECT_TIMEOUT_S = 5
APPLICATION = "annotator"  # application_name is "annotator <client id>"
_TABLES = {"project_meta", "labels", "label_attributes", "documents", "annotations"}

#: The triggers that announce changes. Installed with the schema (creation and upgrade), in the
#: same transaction; ``OR REPLACE`` keeps them current after an upgrade.
_NOTIFY_SQL = (
    f"""
CREATE OR REPLACE FUNCTION annotator_notify() RETURNS trigger AS $$
DECLARE
    row_document text;
    client text := current_setting('application_name', true);
BEGIN
    IF TG_TABLE_NAME IN ('annotations', 'relations') THEN
        IF TG_OP = 'DELETE' THEN
            row_document := OLD.document_id;
        ELSE
            row_document := NEW.document_id;
        END IF;
        PERFORM pg_notify('{CHANNEL}', json_build_object(
            'kind', TG_TABLE_NAME, 'document', row_document, 'client', client)::text);
    ELSIF TG_TABLE_NAME = 'documents' THEN
        IF TG_OP = 'UPDATE' THEN
            PERFORM pg_notify('{CHANNEL}', json_build_object(
                'kind', 'status', 'document', NEW.id, 'client', client)::text);
        ELSE
            PERFORM pg_notify('{CHANNEL}', json_build_object(
                'kind', 'documents', 'client', client)::text);
        END IF;
    ELSE
        PERFORM pg_notify('{CHANNEL}', json_build_object(
            'kind', 'labels', 'client', client)::text);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    *(
        statement
        for table in (
            "annotations",
            "documents",
            "labels",
            "label_attributes",
            "relations",
            "relation_types",
        )
        for statement in (
            f"DROP TRIGGER IF EXISTS annotator_notify ON {table}",
            f"CREATE TRIGGER annotator_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION annotator_notify()",
        )
    ),
)


_log = logging.getLogger(__name__)
# psycopg logs at WARNING what it ignores while failing (a pipeline it cannot end on a lost
# connection: "error ignored terminating <psycopg.Pipeline [BAD]>"); with no handler set up that
# went to stderr before the one line the error is. A program that sets up logging still gets it.
logging.getLogger("psycopg").addHandler(logging.NullHandler())
NO_PASSWORD = (
    "the server wants a password and no password was given: type it in the dialog or at a "
    "command's prompt on a terminal, or put it in PGPASSWORD, ~/.pgpass or a PGSERVICE service"
)
#: the longest document id or client name a notice may hold (ids are 32 hex digits, PostgreSQL
#: cuts application names at 63 bytes)
MAX_NOTICE_FIELD = 200


def parse_notice(payload: str) -> RemoteChange | None:
    """A trigger's payload as a change; None for anything else sent on the channel.

    Any role that may connect can ``NOTIFY`` the channel, so a payload is used only when it has
    the triggers' shape: an object whose ``kind`` is one of :data:`remote.KINDS`, whose
    ``document`` is a short string for the kinds that name one (absent or null for the others)
    and whose ``client`` is a short string (maybe empty) or null. Anything else is ignored
    (logged at debug), so that no window's listener or view ever sees it."""
    try:
        data = loads(payload)
    except ValueError:  # not JSON, nested too deeply, not finite, too many digits
        data = None
    if isinstance(data, dict):
        kind, document, client = data.get("kind"), data.get("document"), data.get("client")
        if (
            isinstance(kind, str)
            and kind in remote.KINDS
            and (
                _short_text(document)
                if kind in remote.OF_A_DOCUMENT
                else document is None or _short_text(document)
            )
            and (client is None or client == "" or _short_text(client))
        ):
            return RemoteChange(kind, document, client or "")
    _log.debug("ignored a notice on %s that no trigger sends: %.200r", CHANNEL, payload)
    return None


def _short_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NOTICE_FIELD


class Listener:
    """Hears the changes every client makes (``LISTEN``) on a thread of its own and hands each
    to ``on_change`` (on that thread); ``on_problem`` hears, in one line, that the connection
    was lost (it is retried every few seconds) and ``on_change`` gets ``None`` once it is back,
    meaning "anything may have changed meanwhile"."""

    RETRY_S = 3.0
    POLL_S = 0.2  # how often the thread looks whether it should stop

    def __init__(
        self,
        address: ServerAddress,
        client_id: str,
        on_change: Callable[[RemoteChange | None], None],
        on_problem: Callable[[str], None],
    ) -> None:
        self._address = address
        self._client_id = client_id
        self._on_change = on_change
        self._on_problem = on_problem
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in effect
        self._thread = threading.Thread(target=self._run, name="annotator-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        url = self._address.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        lost = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    conninfo,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    application_name=f"{application_name(self._client_id)} listening",
                ) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if lost:
                        lost = False
                        self._on_change(None)
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=self.POLL_S):
                            if (change := parse_notice(notice.payload)) is not None:
                                self._on_change(change)
            except psycopg.Error as exc:
                self.listening.clear()
                if self._stop.is_set():
                    return
                if not lost:
                    lost = True
                    self._on_problem(reason(exc, self._address))
                self._stop.wait(self.RETRY_S)


def new_client_id() -> str:
    return uuid.uuid4().hex[:12]


def application_name(client_id: str) -> str:
    return f"{APPLICATION} {client_id}"


def make_engine(address: ServerAddress, client_id: str, read_only: bool = False) -> Engine:
    """A pooled engine (psycopg 3). Credentials come from the URL, else ``PGPASSWORD`` or
    ``~/.pgpass`` (libpq reads those itself)."""
    engine = create_engine(
        address.url,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=6,
        pool_pre_ping=True,  # a connection the server dropped is replaced, not handed out
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": application_name(client_id),
        },
    )
    if read_only:
        engine = engine.execution_options(postgresql_readonly=True)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION)
        if write == SHARED:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})")
        elif write:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def reason(exc: BaseException, address: ServerAddress) -> str:
    """What the server's (or the network's) error means for the user, in one line and without
    the password."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    message = " ".join(str(original).split())
    password = address.url.password
    if password:
        message = message.replace(str(password), "***")
    lowered = message.lower()
    if "no password supplied" in lowered:
        return NO_PASSWORD
    if "password authentication failed" in lowered:
        return "the server refused the login (wrong user or password)"
    if "permission denied" in lowered and "database" in lowered:
        return "the server refused the login (this role may not connect to the database)"
    if "does not exist" in lowered and "database" in lowered:
        return f"the server has no database named {address.name!r}"
    if "not currently accepting connections" in lowered:
        return "the server does not accept connections to the project now; try again later"
    if isinstance(exc, DBAPIError) and exc.connection_invalidated or _closed(lowered):
        return "the connection to the server was lost; the last change was not saved"
    if "connection refused" in lowered or "timeout" in lowered or "could not translate" in lowered:
        return f"cannot reach the server ({_first_clause(message)})"
    if "read-only transaction" in lowered or "permission denied" in lowered:
        return "this role may only read the project; the change was not saved"
    return f"database error ({message[:200]})"


def _closed(lowered: str) -> bool:
    return any(
        phrase in lowered
        for phrase in (
            "server closed the connection",
            "terminating connection",
            "connection is closed",
            "consuming input failed",
            "the connection is lost",
        )
    )


def _first_clause(message: str) -> str:
    return message.split(": ", 1)[-1][:160]


def open_project(
    address: ServerAddress,
    engine: Engine,
    *,
    create: bool,
    labels: Sequence[LabelDef],
    relation_types: Sequence[RelationTypeDef] = (),
    read_only: bool | None,
) -> tuple[str | None, int | None]:
    """Check (create, upgrade) the project in ``address``'s database.

    Returns why it is read-only (None: writable) and the schema version it was upgraded from
    (None: no upgrade). Raises :class:`ProjectError` for a database that is not a project, and
    for one that cannot be reached; a database refused is left untouched.
    """
    try:
        with engine.connect() as connection:
            version = _schema_version(connection, address)
            writable = version is None or _may_write(connection)
            lacking = _may_not_create(connection) if version is None else None
        ro_reason = None if writable else "this role may only read the project"
        if read_only and ro_reason is None:
            ro_reason = "opened read-only"
        if ro_reason and read_only is False:
            raise ProjectError(address, f"cannot be changed: {ro_reason}")
        if version is None:
            if lacking:
                raise ProjectError(
                    address,
                    f"the database holds no Annotator project yet, and this role may not create "
                    f"one ({lacking}); ask the database's owner to create the project or to "
                    "grant that right",
                )
            if not create or read_only:
                raise ProjectError(
                    address,
                    "the database holds no Annotator project yet; create one with "
                    f"`annotator import {address} FILE...` or "
                    f"`annotator merge {address} FILE.annot`",
                )
            _create(engine, address, labels, relation_types)
            return None, None
        current = schema.current_version()
        if version > current:
            raise ProjectError(
                address,
                f"was made by a newer Annotator (schema {version}; this one knows up to "
                f"{current}); update Annotator",
            )
        if version < current:
            if ro_reason:
                raise ProjectError(
                    address,
                    f"was made by an older Annotator and needs an upgrade, which cannot be "
                    f"done: {ro_reason}",
                )
            _upgrade(engine, address)
            return ro_reason, version
        return ro_reason, None
    except SQLAlchemyError as exc:
        why = reason(exc, address)
        raise (NoPassword if why == NO_PASSWORD else ProjectError)(address, why) from exc


def _schema_version(connection: Connection, address: ServerAddress) -> int | None:
    """The project's schema version; None for an empty database; refuses anything else."""
    tables = set(inspect(connection).get_table_names())
    if not tables:
        return None
    if not _TABLES.issubset(tables):
        raise ProjectError(
            address,
            "the database holds other tables and no Annotator project; it was left untouched "
            "(use an empty database)",
        )
    value = connection.scalar(text("SELECT value FROM project_meta WHERE key = 'schema_version'"))
    if value is None or not str(value).isdigit():
        raise ProjectError(address, "the project has no schema version; it is damaged")
    return int(value)


def _may_not_create(connection: Connection) -> str | None:
    """What keeps this role from creating the project's tables here; None if nothing does."""
    schema_name, may = connection.execute(
        text(
            "SELECT current_schema(), "
            "coalesce(has_schema_privilege(current_schema(), 'CREATE'), false)"
        )
    ).one()
    if schema_name is None:
        return "no schema of its search_path exists"
    return None if may else f"it has no CREATE right on schema {schema_name}"


def _may_write(connection: Connection) -> bool:
    return bool(
        connection.scalar(
            text(
                "SELECT bool_and(has_table_privilege(t, 'INSERT,UPDATE,DELETE')) "
                "FROM unnest(ARRAY['annotations', 'documents', 'labels', 'label_attributes', "
                "'project_meta']) AS t"
            )
        )
    )


def _create(
    engine: Engine,
    address: ServerAddress,
    labels: Sequence[LabelDef],
    relation_types: Sequence[RelationTypeDef],
) -> None:
    """Build the schema, codebook and triggers in one transaction; a client that created it
    meanwhile wins and this one uses theirs."""
    with engine.connect() as connection, connection.begin():
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        if inspect(connection).get_table_names():  # another client was first
            _schema_version(connection, address)
            return
        upgrade_schema(connection)
        install_notify(connection)
        with Session(bind=connection) as s:
            now = model.timestamp()
            s.add_all(
                [
                    ProjectMeta(key="created", value=now),
                    ProjectMeta(key="created_by", value=f"Annotator {__version__}"),
                ]
            )
            s.add_all(label_to_row(label, i) for i, label in enumerate(labels))
            s.add_all(relation_type_to_row(t, i) for i, t in enumerate(relation_types))
            snap_rules.set_rules(s, list(labels), replace=True)
            s.flush()


def _upgrade(engine: Engine, address: ServerAddress) -> None:
    """Migrate the schema to the newest revision in one transaction (all or nothing)."""
    with engine.connect() as connection, connection.begin():
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        if _schema_version(connection, address) == schema.current_version():
            return  # another client upgraded it meanwhile
        upgrade_schema(connection)
        install_notify(connection)


def install_notify(connection: Connection) -> None:
    for statement in _NOTIFY_SQL:
        connection.exec_driver_sql(statement)
