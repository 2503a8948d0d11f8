"""The first look at a project file: what the window's first screen shows, read with ``sqlite3``
alone, before SQLAlchemy is imported.

The window paints this (a :class:`~annotator.core.model.FirstLook`), then opens the project as
always (:meth:`Project.open`: its checks, lock, leftovers, backups) and reads everything else. So
this read is only ever a preview of what that open will read, and it is taken only where it
cannot differ in kind: a local project file of the
current schema that needs no upgrade, no rollback and no checkpoint, and that can be written
(else the window shows a read-only notice). Anything else, and any failure, gives None: the
normal open then does everything and reports what is wrong, as before.

It never writes: the file is opened read-only (``immutable`` when no ``-wal`` file says someone
may have it open: no locks, no ``-wal``/``-shm`` made) and closed before the function returns.

The SQL and the row mapping are the store's own (:mod:`annotation_records`,
:mod:`codebook_rows`), so the first look and the full read cannot drift apart.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from os import PathLike
from pathlib import Path

from annotator.core import model
from annotator.core.model import FirstLook
from annotator.store import annotation_records, codebook_rows, fileformat
from annotator.store.backend import is_server
from annotator.store.schema import current_version
from annotator.store.sqlite_files import read_only_reason, sqlite_uri

#: Code points of the first document read with their annotations: more than two screens of text
#: at any usual window size and zoom (the reader highlights this screen and the next).
FIRST_SCREEN = 30_000

# The order of the document list (Project.documents): the window shows its first document.
_FIRST_DOCUMENT = (
    "SELECT id, title, source, metadata, sha256, created, status FROM documents "
    "ORDER BY position LIMIT 1"
)
_TEXT = "SELECT text FROM document_texts WHERE document_id = :document_id"


def reading_uri(location: object) -> str | None:
    """How the first look may read the project at ``location`` (a project argument): None
    where it may not (see the module's doc)."""
    if not isinstance(location, str | PathLike) or is_server(location):
        return None
    path = Path(location).expanduser().absolute()
    try:
        state = fileformat.inspect_project_file(path)
    except Exception:  # whatever it is, the normal open says it
        return None
    if not state.exists or state.wal_pending or state.schema_version != current_version():
        return None
    if read_only_reason(path) is not None or _beside(path, "-journal").exists():
        return None  # a read-only notice to show, a rollback to recover: the normal open does
    if not _beside(path, "-wal").exists():
        return sqlite_uri(path, mode="ro", immutable="1")  # no one has it open: no locks needed
    if _beside(path, "-shm").exists():
        # Another program has it open, or one ended without closing it: read through its WAL
        # with the usual locks, as opening.probe does (a reader leaves the WAL as it was).
        return sqlite_uri(path, mode="ro")
    return None


def read(path: str | Path, first_screen: int = FIRST_SCREEN) -> FirstLook | None:
    """The first look at ``path``, or None where only the normal open may read it."""
    path = Path(path).expanduser().absolute()
    uri = reading_uri(path)
    if uri is None:
        return None
    try:
        return _read(path, uri, first_screen)
    except Exception:  # damage, a race with a writer: the normal open says
        return None


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _read(path: Path, uri: str, first_screen: int) -> FirstLook:
    # a writer in the way is no reason to wait: the normal open will
    with closing(sqlite3.connect(uri, uri=True, timeout=0.1)) as connection:
        cursor = connection.cursor()
        rule = cursor.execute(codebook_rows.SNAP_RULES).fetchone()
        labels = [
            label
            for _id, label, _attribute_ids in codebook_rows.read_labels(
                cursor, codebook_rows.snap_rules_from(rule[0] if rule else None)
            )
        ]
        layers = sorted(name for (name,) in cursor.execute(annotation_records.LAYER_NAMES))
        row = cursor.execute(_FIRST_DOCUMENT).fetchone()
        if row is None:
            return FirstLook(path, labels, layers)
        id, title, source, metadata, sha256, created, status = row
        (text,) = cursor.execute(_TEXT, {"document_id": id}).fetchone() or ("",)
        document = model.Document(
            id=id,
            title=title,
            source=source,
            metadata=dict(json.loads(metadata) if isinstance(metadata, str) else metadata),
            text=text,
            sha256=sha256,
            created=created,
            status=model.DocumentStatus(status),
        )
        known_until = min(len(text), first_screen)
        rows = cursor.execute(
            annotation_records.OF_DOCUMENT_BEFORE, {"document_id": id, "before": known_until}
        )
        annotations = annotation_records.records(rows)
    return FirstLook(path, labels, layers, document, annotations, known_until)
