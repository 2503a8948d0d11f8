"""Undoable suggestion edits: accept (one, or all of a label), reject, and the patterns list.

Commands of the one protocol (:mod:`annotator.gui.undo`): each ``do``/``revert`` writes one
transaction and returns what changed; suggestion-only changes say so in the change-set's
``rejections`` and ``patterns`` fields, which the suggestion controller and the Patterns page
follow.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.model import Annotation
from annotator.core.suggest.patterns import Pattern
from annotator.core.suggest.types import Suggestion
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.undo import Command
from annotator.suggest_service import suggestion_store


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


class AcceptSuggestions(Command):
    """Turn suggestions of one document into annotations (with the attributes they carry)."""

    def __init__(self, ctx: AppContext, document_id: str, suggestions: list[Suggestion]) -> None:
        count = len(suggestions)
        label = suggestions[0].label
        super().__init__(
            ctx,
            f"Accept {count} {label} suggestions" if count > 1 else f"Accept suggestion as {label}",
        )
        self.document_id, self.suggestions = document_id, suggestions
        self.added: list[Annotation] = []

    def do(self) -> Changes:
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
        return Changes.of_annotations(self.document_id, added=self.added)

    def revert(self) -> Changes:
        self.ctx.project.delete_annotations([a.id for a in self.added])
        return Changes.of_annotations(self.document_id, removed=self.added)


class RejectSuggestions(Command):
    """Never offer these ranges for these labels again in this document (until undone)."""

    def __init__(self, ctx: AppContext, document_id: str, suggestions: list[Suggestion]) -> None:
        super().__init__(
            ctx,
            "Reject suggestion"
            if len(suggestions) == 1
            else f"Reject {len(suggestions)} suggestions",
        )
        self.document_id = document_id
        self.keys = [s.key for s in suggestions]

    def do(self) -> Changes:
        suggestion_store.reject(self.ctx.project, self.document_id, self.keys)
        return Changes(rejections=self.document_id, reveal=self.document_id)

    def revert(self) -> Changes:
        suggestion_store.unreject(self.ctx.project, self.document_id, self.keys)
        return Changes(rejections=self.document_id, reveal=self.document_id)


class ReplacePatterns(Command):
    """Any edit of the patterns list (add, delete, import): the list before and after."""

    def __init__(
        self, ctx: AppContext, before: list[Pattern], after: list[Pattern], text: str
    ) -> None:
        super().__init__(ctx, text)
        self.before, self.after = before, after

    def do(self) -> Changes:
        suggestion_store.replace_patterns(self.ctx.project, self.after)
        return Changes(patterns=True)

    def revert(self) -> Changes:
        suggestion_store.replace_patterns(self.ctx.project, self.before)
        return Changes(patterns=True)
