"""Making a relation from the keyboard or the mouse: select an annotation, press R, pick the other
end (N/P step through the annotations some relation type allows, Return takes the offered one, a
click takes the clicked one, Escape gives up), then the type: the only one that fits is taken at
once, otherwise a menu offers those that fit, each with its number key. One undoable command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.labels import RelationTypeDef
from annotator.core.model import Annotation
from annotator.gui.commands import AddRelation
from annotator.gui.undo import execute

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


Chooser = Callable[[list[RelationTypeDef], QPoint], str | None]


def fitting_types(
    types: list[RelationTypeDef], source: Annotation, target: Annotation
) -> list[RelationTypeDef]:
    return [t for t in types if t.allows(source.label, target.label)]


def menu_choice(parent: QWidget, types: list[RelationTypeDef], at: QPoint) -> str | None:
    """Ask which type with a menu at ``at`` (global), each entry with its number key."""
    menu = QMenu(parent)
    for n, relation_type in enumerate(types[:9], start=1):
        action = menu.addAction(f"&{n}  {relation_type.name}")
        action.setData(relation_type.name)
    chosen = menu.exec(at)
    return chosen.data() if chosen is not None else None


class Relating(QObject):
    """The state of one relation being made in a main window (none most of the time)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.source: Annotation | None = None
        self.candidates: list[Annotation] = []
        self.position = -1
        #: asks which of several fitting types (the window's menu; tests put their answer here)
        self.choose_type: Chooser = lambda types, at: menu_choice(window, types, at)
        self.actions: list[QAction] = []
        self._yielded: list[QAction] = []  # the window's actions on the same keys, meanwhile off
        for text, keys, slot in (
            ("Next Candidate End", "N", lambda: self.step(1)),
            ("Previous Candidate End", "P", lambda: self.step(-1)),
            ("Relate to the Offered End", "Return", self.take_offered),
            ("Stop Relating", "Escape", self.cancel),
        ):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            action.setEnabled(False)
            window.addAction(action)
            self.actions.append(action)

    @property
    def active(self) -> bool:
        return self.source is not None

    def start(self) -> None:
        """Begin a relation from the current annotation."""
        window = self.window
        if window._refuse_if_read_only():
            return
        source = window.reader.annotation(window.panel.current_id() or "")
        if source is None:
            window.statusBar().showMessage(
                "Select an annotation first, then press R to relate it to another.", 5000
            )
            return
        types = window.ctx.relation_types()
        candidates = [
            a
            for a in window.reader.annotations_in_order()
            if a.id != source.id and fitting_types(types, source, a)
        ]
        if not candidates:
            window.statusBar().showMessage(
                f"No relation type joins a {source.label} to an annotation of this document "
                "(Edit → Codebook defines relation types).",
                6000,
            )
            return
        self.source, self.candidates = source, candidates
        after = [i for i, a in enumerate(candidates) if a.start >= source.end]
        self.position = after[0] if after else len(candidates) - 1
        self._take_keys()
        self._offer()

    def _take_keys(self) -> None:
        """While picking, N/P/Return/Escape are ours: other actions on those keys (Return
        accepts a suggestion) step aside until the relation is made or abandoned, so Qt never
        sees an ambiguous shortcut."""
        mine = {action.shortcut().toString() for action in self.actions}
        self._yielded = [
            action
            for action in self.window.findChildren(QAction)
            if action not in self.actions
            and action.isEnabled()
            and any(key.toString() in mine for key in action.shortcuts())
        ]
        for action in self._yielded:
            action.setEnabled(False)
        for action in self.actions:
            action.setEnabled(True)

    def step(self, delta: int) -> None:
        if not self.active:
            return
        self.position = (self.position + delta) % len(self.candidates)
        self._offer()

    def _offer(self) -> None:
        candidate = self.candidates[self.position]
        self.window.reader.set_candidate(candidate.id)
        self.window.statusBar().showMessage(
            f"Relate {self.source.label if self.source else ''} to {candidate.label} "
            f"“{candidate.text[:40]}” ({self.position + 1} of {len(self.candidates)}): "
            "N/P next/previous, Return or a click takes it, Escape stops."
        )

    def take_offered(self) -> None:
        if self.active:
            self.relate_to(self.candidates[self.position])

    def cancel(self) -> None:
        self.source, self.candidates, self.position = None, [], -1
        for action in self.actions:
            action.setEnabled(False)
        for action in self._yielded:  # e.g. Return accepting a suggestion again
            action.setEnabled(True)
        self._yielded = []
        self.window.reader.set_candidate(None)
        self.window.statusBar().clearMessage()

    def relate_to(self, target: Annotation) -> bool:
        """Finish with ``target`` as the other end; True when a relation was made."""
        source = self.source
        if source is None:
            return False
        types = fitting_types(self.window.ctx.relation_types(), source, target)
        if not types:
            self.window.statusBar().showMessage(
                f"No relation type joins {source.label} to {target.label}.", 5000
            )
            return False
        self.cancel()
        if len(types) == 1:
            name: str | None = types[0].name
        else:
            reader = self.window.reader
            at = reader.viewport().mapToGlobal(reader.cursorRect().bottomLeft())
            name = self.choose_type(types, at)
        if name is None:
            return False
        command = AddRelation(self.window.ctx, name, source, target)
        refusal = execute(self.window.ctx, command)
        if refusal is not None:
            if isinstance(refusal, AnnotatorError) and not command.failed:
                self.window.ctx.write_failed(refusal)  # the window's dialog says why
            elif not command.failed:
                self.window.statusBar().showMessage(str(refusal), 6000)
            return False
        self.window.statusBar().showMessage(f"Related: {name}.", 4000)
        return True
