"""Other people's changes to a shared project, shown as they happen.

The store's listener hears the server announce each change (``LISTEN``/``NOTIFY``) on its own
thread; this object carries them to the GUI thread, gathers those that arrive together, re-reads
only what they name and publishes one :class:`Changes`, as a local edit would: the reader
repaints the lines touched, the lists update their rows. The undo stack is not involved: undo
undoes only one's own edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core import remote
from annotator.core.errors import AnnotatorError
from annotator.core.remote import RemoteChange
from annotator.gui.changes import Changes

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

GATHER_MS = 40  # changes arriving this close together are shown together


class ServerWatch(QObject):
    """Follows the window's project on its server; does nothing for a project file."""

    heard = Signal(object)  # RemoteChange | None, from the listener's thread
    lost = Signal(str)  # one line: why live updates stopped

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self._pending: list[RemoteChange | None] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self.apply)
        self.heard.connect(self._gather)  # queued: emitted on another thread
        self.lost.connect(self._show_lost)
        self.listener = self.ctx.project.listen(self.heard.emit, self.lost.emit)

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _gather(self, change: RemoteChange | None) -> None:
        self._pending.append(change)
        if not self._timer.isActive():
            self._timer.start()

    def _show_lost(self, reason: str) -> None:
        self.window.statusBar().showMessage(
            f"Live updates paused: {reason}. They resume when the server is back.", 15000
        )

    def apply(self) -> None:
        """Show what the gathered changes name, re-reading only that."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            self._publish(pending)
        except AnnotatorError as exc:  # the server went away meanwhile: say so, try later
            self._show_lost(exc.reason)

    def _publish(self, pending: list[RemoteChange | None]) -> None:
        everything = None in pending
        changes = [c for c in pending if c is not None]
        if everything or any(c.kind == remote.LABELS for c in changes):
            self.ctx.publish(Changes(labels=True, relabelled=True))
        if everything or any(c.kind == remote.DOCUMENTS for c in changes):
            self.ctx.publish(Changes(documents=True))
        touched = {c.document for c in changes if c.kind == remote.ANNOTATIONS and c.document}
        statuses = {c.document for c in changes if c.kind == remote.STATUS and c.document}
        related = {c.document for c in changes if c.kind == remote.RELATIONS and c.document}
        shown = self.window.reader.document_id
        if shown is not None and (everything or shown in touched):
            self._refresh_shown(shown)
            touched.discard(shown)
            statuses.discard(shown)
        if shown is not None and (everything or shown in related):
            self.ctx.publish(Changes(shown, relations=True))
        if touched | statuses:
            self.ctx.publish(Changes(status=frozenset(statuses), recount=frozenset(touched)))

    def _refresh_shown(self, document_id: str) -> None:
        """The shown document's annotations as they are now, as one change-set against what
        the reader shows (its counts re-read with it)."""
        fresh = {a.id: a for a in self.ctx.project.annotations(document_id) if self.ctx.shows(a)}
        shown = {a.id: a for a in self.window.reader.annotations()}
        removed = tuple(a for id, a in shown.items() if fresh.get(id) != a)
        added = tuple(a for id, a in fresh.items() if shown.get(id) != a)
        self.ctx.publish(Changes(document_id, removed, added, recount=frozenset({document_id})))
