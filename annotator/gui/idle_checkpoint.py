"""At rest a project is one file: a few seconds after the last change, the window moves the
``-wal`` into the project file (``Project.checkpoint``), so a copy of the file alone, taken
while the window is open, lacks at most the last few seconds."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.gui.context import AppContext

IDLE_MS = 3000  # without a change this long, the window counts as idle


class IdleCheckpoint(QObject):
    """Checkpoints ``ctx``'s project once no change has been published for :data:`IDLE_MS`."""

    checkpointed = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_MS)
        self.timer.timeout.connect(self.run)
        ctx.events.changed.connect(lambda _changes: self.timer.start())  # restarts it

    def run(self) -> None:
        if not self.ctx.is_open:
            return
        self.ctx.project.checkpoint()
        self.checkpointed.emit()

    def stop(self) -> None:
        """No checkpoint any more (the window closes; closing the project does the rest)."""
        self.timer.stop()
