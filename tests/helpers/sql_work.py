"""How much database work a piece of window code does, counted rather than timed: the statements
sent through SQLAlchemy and the SQLite virtual-machine steps they take (``set_progress_handler``
calls back every :data:`STEPS` steps, so the figure grows with the rows a statement scans).

Counts every engine and pooled connection of the process while a :func:`counted` block runs,
including raw cursors taken from a pooled connection. The counter sits on a connection from the
moment it is checked out of its pool."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

STEPS = 100  # VM steps between two calls of the progress handler


@dataclass
class Work:
    statements: int = 0
    steps: int = 0  # in units of STEPS

    def __str__(self) -> str:
        return f"{self.statements} statements, about {self.steps * STEPS} SQLite steps"


@contextmanager
def counted() -> Iterator[Work]:
    work = Work()

    def statement(*_args: object) -> None:
        work.statements += 1

    def step() -> int:
        work.steps += 1
        return 0  # go on

    def checkout(dbapi_connection: object, *_args: object) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_progress_handler(step, STEPS)

    def checkin(dbapi_connection: object, *_args: object) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_progress_handler(None, STEPS)

    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(Pool, "checkout", checkout)
    event.listen(Pool, "checkin", checkin)
    try:
        yield work
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(Pool, "checkout", checkout)
        event.remove(Pool, "checkin", checkin)
