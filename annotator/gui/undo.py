"""The one undo-command protocol (git-cola's do/undo command objects are the model).

A :class:`Command` is a ``QUndoCommand`` whose ``do()`` and ``revert()`` each run one store
transaction and return the :class:`Changes` they made. :func:`execute` runs ``do()`` *before*
the command reaches the undo stack: when the store refuses (a read-only project, a full disk,
a duplicate label name), nothing is pushed and the refusal comes back to the caller. Once pushed,
Qt's ``redo()``/``undo()`` run ``do()``/``revert()`` again; a failure then drops the command from
the stack (its step was not done, so there is nothing to undo) and is reported through
``AppContext.write_failed``. Every change-set is published once through ``AppContext.publish``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.errors import AnnotatorError
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext


class Command(QUndoCommand):
    #: exceptions that mean "the store refused this edit" besides a failed write
    refused_by: tuple[type[Exception], ...] = ()

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._done: Changes | None = None  # set by execute(): the first redo() only publishes
        self.failed = False  # its last redo/undo raised, and it was dropped from the stack

    def do(self) -> Changes:
        """Make the change in one transaction; raise to refuse it."""
        raise NotImplementedError(f"{type(self).__name__} must define do()")

    def revert(self) -> Changes:
        """Undo what :meth:`do` did, in one transaction."""
        raise NotImplementedError(f"{type(self).__name__} must define revert()")

    # -- Qt's side -----------------------------------------------------------------------------

    def redo(self) -> None:
        changes, self._done = self._done, None
        if changes is None:
            changes = self._attempt(self.do)
        if changes is not None:
            self.ctx.publish(changes)

    def undo(self) -> None:
        changes = self._attempt(self.revert)
        if changes is not None:
            self.ctx.publish(changes)

    def id(self) -> int:
        return -1  # no merging unless a command says otherwise (and is not obsolete)

    def _attempt(self, step: Callable[[], Changes]) -> Changes | None:
        try:
            return step()
        except AnnotatorError as exc:  # the transaction rolled back: the project is as before
            self._drop()
            self.ctx.write_failed(exc)
            return None
        except Exception:  # a bug: drop the step, then the exception hook shows it
            self._drop()
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
            return None

    def _drop(self) -> None:
        """Qt deletes an obsolete command instead of keeping a step that did not happen;
        ``failed`` stays readable on the Python side after that."""
        self.failed = True
        self.setObsolete(True)


def execute(ctx: AppContext, command: Command) -> Exception | None:
    """Do ``command`` and push it onto the undo stack; or return why the store refused it (then
    nothing was changed and nothing was pushed). A bug in ``do()`` goes to the exception hook,
    which shows it; it is returned too, with ``command.failed`` set so callers say nothing more."""
    try:
        changes = command.do()
    except (AnnotatorError, *command.refused_by) as exc:
        return exc
    except Exception as exc:
        command.failed = True
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        return exc
    command._done = changes
    ctx.undo_stack.push(command)  # Qt calls redo(), which publishes the changes
    return None


def push(ctx: AppContext, command: Command) -> bool:
    """:func:`execute`, reporting a failed write through ``ctx.write_failed``; True when done.

    Commands with refusals of their own (``refused_by``, e.g. codebook edits) are run with
    :func:`execute` by dialogs that show the reason; here such a refusal propagates."""
    refusal = execute(ctx, command)
    if refusal is None:
        return True
    if command.failed:  # a bug, already shown by the exception hook
        return False
    if isinstance(refusal, AnnotatorError):
        ctx.write_failed(refusal)
        return False
    raise refusal
