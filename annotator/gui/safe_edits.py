"""Edits that cannot be saved (read-only project, full disk, busy file) are reported, not lost.

Every undo command writes one transaction in ``redo()``/``undo()``. When that write fails, the
transaction is rolled back, so the project is as before; what must not happen is the command
staying on the undo stack as if it had worked (undoing it would then "undo" nothing), or the
exception escaping into Qt. :func:`guard_undo_stack` wraps each pushed command so that a failed
write marks it obsolete (Qt then drops it from the stack) and calls ``on_failure`` with the
one-line error.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError

FailureHandler = Callable[[AnnotatorError], None]


def guard_undo_stack(stack: QUndoStack, on_failure: FailureHandler) -> None:
    """Make ``stack.push`` (as called from Python) guard every command it is given."""
    push = stack.push

    def guarded_push(command: QUndoCommand) -> None:
        guard_command(command, on_failure)
        push(command)

    stack.push = guarded_push  # type: ignore[method-assign]


def guard_command(command: QUndoCommand, on_failure: FailureHandler) -> None:
    """Route a failing ``redo``/``undo`` of ``command`` to ``on_failure`` and drop the command.

    PySide calls a Python override found on the instance, so wrapping the bound methods is
    enough; the wrappers stay for later undo/redo from the Edit menu.
    """
    for name in ("redo", "undo"):
        original = getattr(command, name)

        def guarded(original: Callable[[], None] = original) -> None:
            try:
                original()
            except AnnotatorError as exc:
                command.setObsolete(True)  # Qt deletes an obsolete command instead of keeping it
                command.id = lambda: -1  # type: ignore[method-assign]  # and never merges it
                on_failure(exc)

        setattr(command, name, guarded)
