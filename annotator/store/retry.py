"""Running a write unit again when it lost a race with another client of a server project.

A write unit is one function around one ``Project.transaction()``. On a server, its transaction
can fail because of a concurrent writer: a serialization failure (SQLSTATE 40001), a deadlock
(40P01), a unique key (23505) or foreign key (23503) another client's commit took or removed, or
a row deleted under an update (SQLAlchemy's ``StaleDataError``). The transaction was rolled
back, so :func:`retrying` runs the whole function again from the start, with fresh reads, a
bounded number of times. Conflicts only arise on a server: on a file ``BEGIN IMMEDIATE`` makes
writers take turns, and a unit runs exactly once.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from os import PathLike
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import ProjectError

ATTEMPTS = 5
BACKOFF_S = 0.01  # the first retry waits up to this long, each next one up to twice as long
#: SQLSTATEs a concurrent writer causes, and what they are called in a message.
RACES = {
    "40001": "serialization failure",
    "40P01": "deadlock",
    "23505": "unique key taken",
    "23503": "foreign key gone",
}

log = logging.getLogger(__name__)
_running: contextvars.ContextVar[bool] = contextvars.ContextVar("annotator_retrying", default=False)

P = ParamSpec("P")
R = TypeVar("R")


class WriteConflict(ProjectError):
    """A write transaction lost a race with another client and was rolled back."""

    def __init__(self, where: str | PathLike[str], reason: str, key: tuple[str, ...]) -> None:
        super().__init__(where, reason)
        #: What conflicted: the SQLSTATE, then the constraint and the key where the server says.
        self.key = key


def conflict_key(exc: BaseException) -> tuple[str, ...] | None:
    """What a concurrent writer made ``exc`` conflict on; None when it is no such conflict."""
    if isinstance(exc, StaleDataError):
        return ("stale",)
    original = exc.orig if isinstance(exc, DBAPIError) else None
    state = getattr(original, "sqlstate", None)  # psycopg's; SQLite's errors have none
    if state not in RACES:
        return None
    diag = getattr(original, "diag", None)
    return (
        str(state),
        str(getattr(diag, "constraint_name", None) or ""),
        str(getattr(diag, "message_detail", None) or ""),
    )


def retrying(write: Callable[P, R]) -> Callable[P, R]:
    """Run the write unit ``write`` again (up to :data:`ATTEMPTS` times in all, after a short
    random pause) while it raises :class:`WriteConflict`; then raise a plain
    :class:`ProjectError` saying so.

    A unique or foreign key conflict that comes back on the same key is not a race: the second
    attempt saw the other client's commit and still conflicted, so it is raised at once (a
    duplicate id the caller gave, say). A one-shot iterator argument is read into a list first,
    so every attempt gets the same values. A unit called from inside another runs once: the
    outer one repeats it.
    """

    @functools.wraps(write)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if _running.get():
            return write(*args, **kwargs)
        again: Any = [_reusable(a) for a in args]
        again_kw: Any = {k: _reusable(v) for k, v in kwargs.items()}
        token = _running.set(True)
        try:
            previous: tuple[str, ...] | None = None
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    return write(*again, **again_kw)
                except WriteConflict as exc:
                    if exc.key == previous and exc.key[0].startswith("23"):
                        raise ProjectError(exc.where, exc.reason) from exc
                    if attempt == ATTEMPTS:
                        raise ProjectError(
                            exc.where,
                            f"{exc.reason}; other clients kept changing the same data "
                            f"({ATTEMPTS} attempts), so the change was not saved; try again",
                        ) from exc
                    previous = exc.key
                    log.info(
                        "%s: %s lost a race (%s); attempt %d of %d",
                        exc.where,
                        write.__qualname__,
                        _name(exc.key),
                        attempt + 1,
                        ATTEMPTS,
                    )
                    time.sleep(random.uniform(0, BACKOFF_S * 2 ** (attempt - 1)))
            raise AssertionError("unreachable")
        finally:
            _running.reset(token)

    return run


def _reusable(value: Any) -> Any:
    return list(value) if isinstance(value, Iterator) else value


def _name(key: tuple[str, ...]) -> str:
    return RACES.get(key[0], "row changed meanwhile")
