"""How long work (export, import, merge, agreement) tells how far it is and hears "stop".

Work takes a ``Progress``: it calls ``progress(done, total)`` now and then (``total`` is None
while unknown); a call that returns False asks it to stop, which it does by raising
``Cancelled`` at a point where nothing is half written. The window's progress dialogs and the
terminal's bar (``annotator/terminal_progress.py``) are both just a ``Progress``.
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike

from .errors import AnnotatorError

Progress = Callable[[int, "int | None"], "bool | None"]


class Cancelled(AnnotatorError):
    """The user stopped the work; what was there before it began is unchanged."""

    def __init__(self, where: str | PathLike[str] | None = None) -> None:
        super().__init__(where, "cancelled; nothing was changed")


def tell(progress: Progress | None, done: int, total: int | None, where: object = None) -> None:
    """Report ``done`` of ``total``; raise ``Cancelled`` if the listener asks to stop."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled(str(where) if where is not None else None)
