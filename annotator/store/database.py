"""Engines, connections and migrations for one project file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, delete, event, insert
from sqlalchemy.pool import NullPool, QueuePool

from annotator.store import fileformat, schema
from annotator.store.models import ProjectMeta
from annotator.store.sqlite_files import read_only_reason, read_only_uri, sqlite_uri

BUSY_TIMEOUT_MS = 5000
__all__ = ["read_only_reason", "read_only_uri", "sqlite_uri"]  # also at home here
#: Execution option: this transaction will write; its value is :data:`SHARED` or :data:`ALONE`.
WRITE_OPTION = "annotator_write"
SHARED = "shared"  # beside other shared writes (on a server; a file has one writer at a time)
ALONE = "alone"


def for_writing(engine: Engine, *, shared: bool = False) -> Engine:
    """``engine``, starting each transaction with ``BEGIN IMMEDIATE`` (on a server: taking the
    write lock, ``shared`` or alone)."""
    return engine.execution_options(**{WRITE_OPTION: SHARED if shared else ALONE})


def make_engine(
    path: Path, read_only: bool = False, before_connect: Callable[[], None] | None = None
) -> Engine:
    """``before_connect`` runs before each new connection and may refuse it by raising (the
    project's file-identity check: SQLite would otherwise create an empty database where a
    deleted project was)."""
    # Every engine connects through a quoted ``file:`` URI (never ``sqlite:///path``, where a
    # ``?`` or ``#`` in the name would cut it short and open another file).
    uri = read_only_uri(path) if read_only else sqlite_uri(path, mode="rwc")

    def connect() -> sqlite3.Connection:
        if before_connect is not None:
            before_connect()
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    if read_only:
        engine = create_engine("sqlite://", poolclass=NullPool, creator=connect)
    else:
        # Pooled: a label keystroke must not pay for opening a connection, running the pragmas
        # and checkpointing the WAL on close; Project.close() disposes of the pool.
        engine = create_engine(
            "sqlite://", poolclass=QueuePool, pool_size=2, max_overflow=4, creator=connect
        )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transactions out of pysqlite's hands so that BEGIN covers reads and writes alike
        # (SQLAlchemy's documented recipe); every public write is then one real transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit the user saw acknowledged survives a power cut, not only a crash.
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A write takes the write lock first (waiting up to the busy timeout): a deferred BEGIN
        # that reads, then writes, fails at once with "database is locked" when another
        # instance committed in between (its snapshot is stale; waiting cannot help).
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision in one transaction, and say so everywhere the
    version is reported: the file header (``user_version``) and ``project_meta``."""
    version = schema.current_version()
    with engine.begin() as connection:
        upgrade_schema(connection)
        connection.exec_driver_sql(f"PRAGMA application_id={fileformat.APPLICATION_ID}")
        connection.exec_driver_sql(f"PRAGMA user_version={version}")


def upgrade_schema(connection: Connection) -> None:
    """Run the Alembic migrations to the head on ``connection`` (in its transaction) and record
    the version in ``project_meta``: the part of an upgrade every dialect shares."""
    # Imported here: Alembic (with Mako) costs ~17 MB and is needed only to create or upgrade.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    meta = ProjectMeta.__table__
    connection.execute(delete(meta).where(meta.c.key == "schema_version"))
    connection.execute(
        insert(meta).values(key="schema_version", value=str(schema.current_version()))
    )


def backup_copy(path: Path, schema_version: int) -> Path:
    """Copy a project with SQLite's backup API (safe on a live WAL database) beside it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.schema{schema_version}-backup-{stamp}{path.suffix}")
    source = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    try:
        destination = sqlite3.connect(sqlite_uri(target, mode="rwc"), uri=True)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
