"""Document → Re-import from Source…: the document's source read again with today's readers
(annotator/reimport_service.py), as one undoable command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.undo import Command, push
from annotator.reimport_service import Reimport, apply_reimport, plan_reimport, undo_reimport

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class ReimportDocument(Command):
    """A new text and every annotation's place in it; undo puts the old text and places back."""

    def __init__(self, ctx: AppContext, plan: Reimport) -> None:
        super().__init__(ctx, f"Re-import {plan.title}")
        self.plan = plan

    def do(self) -> Changes:
        apply_reimport(self.ctx.project, self.plan)
        return self._changes()

    def revert(self) -> Changes:
        undo_reimport(self.ctx.project, self.plan)
        return self._changes()

    def _changes(self) -> Changes:
        id = self.plan.document_id
        return Changes(documents=True, text_of=id, reveal=id)


def reimport_current(w: MainWindow) -> None:
    document_id = w.reader.document_id
    if not document_id:
        return
    try:
        plan = plan_reimport(w.ctx.project, document_id)
    except AnnotatorError as exc:
        QMessageBox.warning(w, "Re-import from Source", str(exc))
        return
    if plan.missing:
        QMessageBox.warning(
            w,
            "Re-import from Source",
            plan.describe()
            + ":\n\n"
            + "\n".join(line.strip() for line in plan.missing_lines())
            + "\n\nDelete or adjust them to re-import, or keep the text as it is.",
        )
        return
    if not plan.changed:
        w.statusBar().showMessage(plan.describe(), 5000)
        return
    if push(w.ctx, ReimportDocument(w.ctx, plan)):
        w.statusBar().showMessage(plan.describe(), 5000)
