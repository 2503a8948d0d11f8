"""The rolling backup (``store/backups.py``) off the window's thread.

Deciding whether a backup is due reads every row of the project and of its newest backup, and
making one copies the whole file: about half a minute for a project of 100k documents, which on
the window's thread froze it at every open and every hour. The backup uses its own SQLite
connections (never the window's) on a plain Python thread that touches no Qt object, with the
automatic collection paused (``gc_pause``); a timer on the window's thread hands what happened
to ``done(made, error)``. Closing waits for a backup under way, so no copy is left half made.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from annotator.gui import gc_pause


class BackgroundBackup(QObject):
    """``BackgroundBackup(done, parent).start(backup)``: one backup at a time, ``backup()``
    returning the copy it made, or None."""

    def __init__(
        self, done: Callable[[Path | None, BaseException | None], None], parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self._done = done
        self._thread: threading.Thread | None = None
        self._outcome: tuple[Path | None, BaseException | None] = (None, None)
        self._timer = QTimer(self, interval=100, timeout=self._poll)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, backup: Callable[[], Path | None]) -> bool:
        """Begin a backup if none is under way; False if one is."""
        if self._thread is not None:
            return False
        gc_pause.pause()
        self._thread = threading.Thread(
            target=self._run, args=(backup,), name="rolling-backup", daemon=True
        )
        self._thread.start()
        self._timer.start()
        return True

    def _run(self, backup: Callable[[], Path | None]) -> None:
        try:
            self._outcome = (backup(), None)
        except BaseException as exc:  # handed to the window's thread, which reports it
            self._outcome = (None, exc)

    def _poll(self) -> None:
        if self._thread is None:
            return
        if self._thread.is_alive():
            gc.collect(0)  # the youngest generation, here on the window's thread
            return
        self.wait()

    def wait(self) -> None:
        """Let a backup under way finish, and report it."""
        if self._thread is None:
            return
        self._thread.join()
        self._thread = None
        self._timer.stop()
        gc_pause.resume()
        made, error = self._outcome
        self._outcome = (None, None)
        self._done(made, error)
