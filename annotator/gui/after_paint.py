"""Run something right after a widget's first paint: the window's first look is on screen
before the project is opened in full (``gui/app.py``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: If no paint comes (a window opened minimised, on another desktop), go on after this anyway.
AT_THE_LATEST_MS = 500


class AfterFirstPaint(QObject):
    """Calls ``then`` once, from the event loop, after ``widget``'s first paint (or after
    :data:`AT_THE_LATEST_MS` without one); a zero timer, so the painted frame reaches the screen
    first."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        self._widget = widget
        widget.installEventFilter(self)
        QTimer.singleShot(AT_THE_LATEST_MS, self, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._go)
        return False

    def _go(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            then()
