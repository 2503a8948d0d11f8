"""Whether another program (a command-line import, a script) has committed to a project file
since we last looked: a change counter for what a window keeps in memory about the whole
project.

SQLite's ``PRAGMA data_version`` on a connection of our own changes whenever any *other*
connection commits, and costs no read of the data. The project's own write transactions would
change it too, so each tells us when it holds the write lock (no one else can commit then: a
change seen at that moment is someone else's) and when it has committed (its own change, taken
as seen). A checkpoint of the WAL, ours, changes it too and is told the same way. Only a commit by
another program in the instant between our commit (or checkpoint) and that look could be taken
for ours.

On a server, other clients' changes are announced by the server (``gui/server_watch.py``), so
:meth:`OutsideWrites.count` is None there and the window's own notices must be relied on.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from annotator.store.project import Project
from annotator.store.sqlite_files import sqlite_uri


class OutsideWrites:
    """Counts the times other programs were seen to have committed to ``project``'s file."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._outside = 0
        if isinstance(project.path, Path):
            # mode=ro: never writes, so every commit changes its data_version
            self._connection = sqlite3.connect(
                sqlite_uri(project.path, mode="ro"), uri=True, check_same_thread=False
            )
            self._connection.isolation_level = None
            self._seen = self._version()
            project.write_watchers.append(self)

    def _version(self) -> int | None:
        assert self._connection is not None
        try:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:  # the file is gone or unreadable: the project's reads will say so
            return None

    def count(self) -> int | None:
        """How many times an outside commit was seen so far (it grows by one each time one or
        more are seen); None on a server, where this cannot be known here."""
        if self._connection is None:
            return None
        with self._lock:
            self._look()
            return self._outside

    def _look(self) -> None:
        version = self._version()
        if version is None or version != self._seen:
            self._outside += 1
            self._seen = version

    def writing(self) -> None:
        with self._lock:
            self._look()

    def committed(self) -> None:
        with self._lock:
            self._seen = self._version()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                if self in self._project.write_watchers:
                    self._project.write_watchers.remove(self)
                self._connection.close()
                self._connection = None
