"""Helpers shared by the test_reliability_* modules: bad project files, a full disk, another
user."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from annotator.core.errors import ProjectError
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store import fileformat
from annotator.store.project import Project

NOBODY = 65534


def filled_project(path: Path, documents: int = 20, seed: int = 1) -> Path:
    """A closed project of a few hundred pages: documents with spans, notes and attributes."""
    rng = random.Random(seed)
    bundle = []
    for d in range(documents):
        text = f"Document {d}: " + " ".join(f"w{rng.randrange(10**6)}" for _ in range(300))
        spans = [
            ImportedAnnotation("Claim", s, s + 5, {"verdict": "true"}, note=f"note {s}")
            for s in range(0, 1000, 9)
        ]
        bundle.append(ImportedDocument(text, f"Doc {d}", annotations=spans))
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle(bundle))
    return path


def overwrite_middle_page(path: Path, seed: int = 3) -> int:
    """Overwrite one page in the middle of the file with random bytes; returns its number."""
    data = bytearray(path.read_bytes())
    (page_size,) = struct.unpack(">H", data[16:18])
    number = len(data) // page_size // 2
    data[(number - 1) * page_size : number * page_size] = random.Random(seed).randbytes(page_size)
    path.write_bytes(bytes(data))
    return number


def make_text_file(path: Path) -> Path:
    path.write_text("Just some notes, not a project.\n" * 20, encoding="utf-8")
    return path


def make_foreign_sqlite(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.commit()
    connection.close()
    return path


def make_truncated(path: Path) -> Path:
    filled_project(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def make_garbage_page(path: Path) -> Path:
    filled_project(path)
    overwrite_middle_page(path)
    return path


def make_newer_schema(path: Path) -> Path:
    Project.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version={fileformat.SCHEMA_VERSION + 1}")
    connection.close()
    return path


BAD_PROJECTS = {
    "text file": (make_text_file, "not a SQLite database"),
    "foreign SQLite": (make_foreign_sqlite, "another program"),
    "truncated": (make_truncated, "damaged"),
    "garbage page": (make_garbage_page, "damaged"),
    "newer schema": (make_newer_schema, "newer Annotator"),
}


def disk_full(project: Project) -> None:
    """Let SQLite refuse to grow the file past its current size, as a full disk does: every
    write needing a new page fails with SQLite's own "database or disk is full"."""

    @event.listens_for(project._engine, "connect")
    def _limit(connection: sqlite3.Connection, _record: object) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    project._disk_full_hook = _limit  # type: ignore[attr-defined]
    project._engine.dispose()  # pooled connections were made before the limit: start afresh


def fill_disk(project: Project, document_id: str) -> int:
    """Make the disk full (:func:`disk_full`) and use up every free byte in the file's pages,
    so that any further annotation fails; returns how many were added."""
    disk_full(project)
    added = 0
    for size in (3000, 300, 30, 0):
        try:
            while True:
                project.add_annotation(document_id, "Quote", 0, 3, note="x" * size)
                added += 1
        except ProjectError as exc:
            assert "disk is full" in str(exc)
    return added


def disk_freed(project: Project) -> None:
    event.remove(project._engine, "connect", project._disk_full_hook)  # type: ignore[attr-defined]
    project._engine.dispose()  # the pooled connections still carry the limit


@contextmanager
def reachable_tmp() -> Iterator[Path]:
    """A temporary folder another user can reach (pytest's tmp_path is private to its owner)."""
    base = Path(tempfile.mkdtemp(prefix="annotator-test-"))
    os.chmod(base, 0o755)
    try:
        yield base
    finally:
        for folder in [base, *base.rglob("*")]:
            if folder.is_dir():
                os.chmod(folder, 0o755)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def as_ordinary_user() -> Iterator[None]:
    """Run the block so that the kernel enforces file modes, as for any user.

    Root ignores them, and tests run as root here: then the effective uid becomes "nobody" for
    the block (seteuid; the saved uid lets us come back). Modules must already be imported."""
    if os.name != "posix" or os.geteuid() != 0:
        yield
        return
    try:
        os.seteuid(NOBODY)
    except PermissionError:  # pragma: no cover (root without CAP_SETUID)
        pytest.skip("running as root and cannot drop to another user to test file modes")
    try:
        yield
    finally:
        os.seteuid(0)
