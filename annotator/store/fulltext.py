"""The full-text index over every document's text: which documents may hold a string.

On a file it is an FTS5 table with the ``trigram`` tokenizer; on a server a GIN ``pg_trgm``
index on ``document_texts.text``. Either one only narrows the documents to read: the matches
themselves are found in the text (``core/find.py``), so the index may answer more documents,
never fewer.

Why trigrams, not words. Chinese, Japanese, Thai, Khmer and Lao are written without spaces:
``unicode61`` (FTS5) and ``to_tsvector`` (PostgreSQL) make a whole run of such text one
"word", so 京都 is not found inside 東京都に住む; Arabic clitics and German compounds fare the
same. A trigram index finds any string of three or more code points in every script, a phrase
(the query's trigrams, spaces included), and the middle of a word, as the find bar does. A query
shorter than three code points reads every text (in list order, so a limit stops it early).

On a file the FTS5 table is contentless (the text is stored once, in ``document_texts``) with
``detail=none`` (no positions: about a third of the size; a phrase is checked in the text
anyway). ``document_texts`` has no integer key, and its implicit rowid may change in a
``VACUUM``, so ``document_search_ids`` gives each document the FTS row id. Triggers on
``document_texts`` keep it right on every write path (import, merge, re-import, delete, undo):
a new or replaced text is marked pending, a deleted one leaves the index at once. Pending texts
are indexed in bulk by :func:`catch_up` (import, merge and re-import call it before they
commit), and until then a find reads them whole: a path that forgets it is slower, never
wrong. On a server, ``pg_trgm`` is a trusted extension
(PostgreSQL 13+): a role that may create tables in the database may create it. Where it cannot,
the project still opens and a find reads every text (``ILIKE``, exact but slower).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, bindparam, text

from annotator.core.find import trigrams

#: every object of the index on a file starts so (``backups.fingerprint`` leaves them out:
#: they follow from the texts)
PREFIX = "document_search"

SQLITE_CREATE = (
    "CREATE TABLE document_search_ids ("
    " id INTEGER PRIMARY KEY,"
    " document_id VARCHAR NOT NULL UNIQUE,"
    " pending INTEGER NOT NULL DEFAULT 1)",
    "CREATE INDEX document_search_pending ON document_search_ids (id) WHERE pending",
    "CREATE VIRTUAL TABLE document_search USING fts5("
    " text, content='', detail=none, tokenize='trigram case_sensitive 0')",
    "CREATE TRIGGER document_search_insert AFTER INSERT ON document_texts BEGIN"
    " INSERT INTO document_search_ids (document_id) VALUES (new.document_id);"
    " END",
    # a contentless table forgets a row only when told its old text
    "CREATE TRIGGER document_search_delete AFTER DELETE ON document_texts BEGIN"
    " INSERT INTO document_search (document_search, rowid, text)"
    " SELECT 'delete', id, old.text FROM document_search_ids"
    " WHERE document_id = old.document_id AND NOT pending;"
    " DELETE FROM document_search_ids WHERE document_id = old.document_id;"
    " END",
    "CREATE TRIGGER document_search_update AFTER UPDATE OF text ON document_texts BEGIN"
    " INSERT INTO document_search (document_search, rowid, text)"
    " SELECT 'delete', id, old.text FROM document_search_ids"
    " WHERE document_id = old.document_id AND NOT pending;"
    " UPDATE document_search_ids SET pending = 1 WHERE document_id = new.document_id;"
    " END",
)
SQLITE_FILL = (
    "INSERT INTO document_search_ids (document_id) SELECT document_id FROM document_texts",
)
SQLITE_DROP = (
    "DROP TRIGGER document_search_update",
    "DROP TRIGGER document_search_delete",
    "DROP TRIGGER document_search_insert",
    "DROP TABLE document_search",
    "DROP TABLE document_search_ids",
)
POSTGRES_INDEX = "ix_document_texts_trigrams"


def install(connection: Connection) -> None:
    """Build the index for the texts there are (the migration's upgrade)."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_CREATE + SQLITE_FILL:
            connection.exec_driver_sql(statement)
        catch_up(connection)
        return
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 (not allowed or not installed: find reads every text)
        return
    connection.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON document_texts"
        " USING gin (text gin_trgm_ops)"
    )


def catch_up(connection: Connection) -> None:
    """Index the texts added or replaced since the last call, in one statement (a write path
    calls it before its commit). An FTS5 row inserted by a trigger cost three times as much:
    FTS5 writes its pending terms out at the end of every statement."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(
        "INSERT INTO document_search (rowid, text) SELECT i.id, t.text"
        " FROM document_search_ids i JOIN document_texts t ON t.document_id = i.document_id"
        " WHERE i.pending"
    )
    connection.exec_driver_sql("UPDATE document_search_ids SET pending = 0 WHERE pending")


def uninstall(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)
    else:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {POSTGRES_INDEX}")


def candidates(connection: Connection, query: str) -> list[str]:
    """The ids of the documents that may hold ``query`` (any case), in list order."""
    pieces = trigrams(query)
    if connection.dialect.name == "sqlite":
        indexed = connection.scalar(
            text("SELECT 1 FROM sqlite_master WHERE name = 'document_search'")
        )  # an older file opened read-only has none: every text is read
        if not pieces or not indexed:  # under three code points the index cannot tell
            return list(connection.scalars(text("SELECT id FROM documents ORDER BY position")))
        match = " AND ".join('"' + piece.replace('"', '""') + '"' for piece in pieces)
        return list(
            connection.scalars(
                text(
                    "SELECT d.id FROM document_search_ids i"
                    " JOIN documents d ON d.id = i.document_id"
                    " WHERE i.id IN (SELECT rowid FROM document_search"
                    " WHERE document_search MATCH :match"
                    " UNION ALL SELECT id FROM document_search_ids WHERE pending)"
                    " ORDER BY d.position"
                ),
                {"match": match},
            )
        )
    pattern = like_pattern(query)
    return list(
        connection.scalars(
            text(
                "SELECT d.id FROM documents d JOIN document_texts t ON t.document_id = d.id"
                " WHERE t.text ILIKE :pattern ORDER BY d.position"
            ),
            {"pattern": pattern},
        )
    )


def like_pattern(needle: str) -> str:
    """A pattern for ``ILIKE`` (or ``lower(…) LIKE`` with ``needle`` lowered) that holds every
    text holding ``needle`` in any case: the database folds ASCII letters surely (others as its
    locale says: none in C), so a letter with another case outside ASCII stands as ``_``, one
    character, as Python's case-blind match maps one to one. Letters with no case (Chinese,
    Khmer, Arabic) stay, so the trigram index still narrows."""
    escaped = "".join(
        "\\" + c if c in "\\%_" else c if c.isascii() or c.lower() == c.upper() == c else "_"
        for c in needle
    )
    return f"%{escaped}%"


def texts(connection: Connection, ids: Sequence[str]) -> Iterator[tuple[str, str, str]]:
    """(id, title, text) of these documents, in the order given."""
    rows = {
        id: (title, body)
        for id, title, body in connection.execute(
            text(
                "SELECT d.id, d.title, t.text FROM documents d"
                " JOIN document_texts t ON t.document_id = d.id WHERE d.id IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": list(ids)},
        )
    }
    for id in ids:
        if id in rows:  # deleted meanwhile: left out
            yield id, *rows[id]
