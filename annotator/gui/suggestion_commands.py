"""Undoable suggestion edits: accept (one, or all of a label), reject, and the patterns list.

Each redo/undo writes one transaction and announces the change, as the commands in
:mod:`annotator.gui.commands` do; suggestion-only changes (rejections, patterns) are announced on
:class:`SuggestionSignals`, which the suggestion controller listens to.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from annotator.core.model import Annotation
from annotator.core.suggest.patterns import Pattern
from annotator.core.suggest.types import Suggestion
from annotator.gui.context import AppContext
from annotator.store import suggestion_store


class SuggestionSignals(QObject):
    """What changed for suggestions beyond annotations: a child of the context's events."""

    rejections_changed = Signal(str)  # document id
    patterns_changed = Signal()


def signals_for(ctx: AppContext) -> SuggestionSignals:
    found = ctx.events.findChild(SuggestionSignals)
    if found is None:
        found = SuggestionSignals(ctx.events)
    return found


def _attributes(ctx: AppContext, s: Suggestion) -> dict[str, Any]:
    """The label's defaults, then what the suggester found, where the codebook accepts it."""
    definition = ctx.label(s.label)
    if definition is None:
        return dict(s.attributes)
    values = {a.name: a.default for a in definition.attributes if a.default is not None}
    for name, value in s.attributes.items():
        attribute = definition.attribute(name)
        if attribute is not None and attribute.accepts(value):
            values[name] = value
    return values


class AcceptSuggestions(QUndoCommand):
    """Turn suggestions of one document into annotations (with the attributes they carry)."""

    def __init__(self, ctx: AppContext, document_id: str, suggestions: list[Suggestion]) -> None:
        count = len(suggestions)
        label = suggestions[0].label
        super().__init__(
            f"Accept {count} {label} suggestions" if count > 1 else f"Accept suggestion as {label}"
        )
        self.ctx, self.document_id, self.suggestions = ctx, document_id, suggestions
        self.added: list[Annotation] = []

    def redo(self) -> None:
        if self.added:  # redo after undo: put back the very same annotations
            self.ctx.project.restore_annotations(self.added)
        else:
            groups: dict[tuple[str, str], tuple[dict[str, Any], list[tuple[int, int]]]] = {}
            for s in self.suggestions:
                values = _attributes(self.ctx, s)
                key = (s.label, json.dumps(values, sort_keys=True, default=str))
                groups.setdefault(key, (values, []))[1].append((s.start, s.end))
            added = []
            for (label, _), (values, ranges) in groups.items():
                added += self.ctx.project.add_annotations(
                    self.document_id,
                    label,
                    ranges,
                    attributes=values,
                    annotator=self.ctx.annotator_name,
                )
            self.added = added
        self.ctx.events.reveal_document.emit(self.document_id)
        self.ctx.announce(self.document_id, [], list(self.added))

    def undo(self) -> None:
        self.ctx.project.delete_annotations([a.id for a in self.added])
        self.ctx.events.reveal_document.emit(self.document_id)
        self.ctx.announce(self.document_id, list(self.added), [])


class RejectSuggestions(QUndoCommand):
    """Never offer these ranges for these labels again in this document (until undone)."""

    def __init__(self, ctx: AppContext, document_id: str, suggestions: list[Suggestion]) -> None:
        super().__init__(
            "Reject suggestion"
            if len(suggestions) == 1
            else f"Reject {len(suggestions)} suggestions"
        )
        self.ctx, self.document_id = ctx, document_id
        self.keys = [s.key for s in suggestions]

    def redo(self) -> None:
        suggestion_store.reject(self.ctx.project, self.document_id, self.keys)
        self.ctx.events.reveal_document.emit(self.document_id)
        signals_for(self.ctx).rejections_changed.emit(self.document_id)

    def undo(self) -> None:
        suggestion_store.unreject(self.ctx.project, self.document_id, self.keys)
        self.ctx.events.reveal_document.emit(self.document_id)
        signals_for(self.ctx).rejections_changed.emit(self.document_id)


class ReplacePatterns(QUndoCommand):
    """Any edit of the patterns list (add, delete, import): the list before and after."""

    def __init__(
        self, ctx: AppContext, before: list[Pattern], after: list[Pattern], text: str
    ) -> None:
        super().__init__(text)
        self.ctx, self.before, self.after = ctx, before, after

    def redo(self) -> None:
        suggestion_store.replace_patterns(self.ctx.project, self.after)
        signals_for(self.ctx).patterns_changed.emit()

    def undo(self) -> None:
        suggestion_store.replace_patterns(self.ctx.project, self.before)
        signals_for(self.ctx).patterns_changed.emit()
