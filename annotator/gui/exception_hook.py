"""The one place a Python exception that escapes into Qt ends up, and undo steps that stay true.

A slot, a timer or an undo command's ``redo``/``undo`` that raises is called by Qt, which cannot
pass the exception on: PySide hands it to :data:`sys.excepthook` and carries on. While the window
runs, :class:`ExceptionHook` is that hook (and :data:`threading.excepthook`, for the import
thread): it logs the traceback on standard error and shows one dialog, saying what happened and
that what was saved is safe. An undo command whose ``do``/``revert`` raises is dropped from the
stack before its exception comes here (:mod:`annotator.gui.undo`), so no step stays on the stack
that never happened.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import AnnotatorError

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class ExceptionHook(QObject):
    """Install with :meth:`install` (or ``with``); ``parent`` gives the window for the dialog."""

    _from_thread = Signal(object, object, object)

    def __init__(self, parent: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self.parent = parent
        self.box: QMessageBox | None = None
        self.caught: list[BaseException] = []  # every exception shown, in order
        self._previous = sys.excepthook
        self._previous_thread = threading.excepthook
        self._from_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> ExceptionHook:
        self._previous, self._previous_thread = sys.excepthook, threading.excepthook
        sys.excepthook = self.hook
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.hook:
            sys.excepthook = self._previous
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous_thread

    def __enter__(self) -> ExceptionHook:
        return self.install()

    def __exit__(self, *_exc: object) -> None:
        self.uninstall()

    def hook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        if not isinstance(exc, AnnotatorError):  # a bug: keep the traceback for the report
            traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        if threading.current_thread() is threading.main_thread():
            self._show(exc_type, exc, tb)
        else:  # widgets only on the GUI thread
            self._from_thread.emit(exc_type, exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        self.caught.append(exc)
        if self.box is not None and self.box.isVisible():  # one dialog at a time
            self.box.setDetailedText(self.box.detailedText() + "\n" + _details(exc_type, exc, tb))
            return
        if isinstance(exc, AnnotatorError):
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Change not saved",
                "The last change could not be saved, so it was not made.",
                parent=self.parent(),
            )
            box.setInformativeText(f"{exc}\n\nEverything saved before it is safe in the project.")
        else:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "Something went wrong",
                f"Annotator hit an error it did not expect: {type(exc).__name__}: "
                f"{_first_line(exc)}",
                parent=self.parent(),
            )
            box.setInformativeText(
                "Everything saved before is safe in the project, and the step that failed was "
                "not kept, so undo and redo stay correct. This is a bug in Annotator: please "
                "report it with the details below."
            )
            box.setDetailedText(_details(exc_type, exc, tb))
        self.box = box
        box.open()


def _first_line(exc: BaseException) -> str:
    return next(iter(str(exc).splitlines()), "")[:200]


def _details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    return "".join(traceback.format_exception(exc_type, exc, tb))
