"""Curation choices as undo commands: each writes copies of the chosen spans into the layer the
curation view names (marking it curated) in one transaction, and records the choice in the
:class:`CurationSession`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.curation import Disagreement
from annotator.core.model import Annotation, timestamp
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.undo import Command
from annotator.service import curated_layers, mark_curated, unmark_curated

TAKE_A, TAKE_B, TAKE_BOTH, NEITHER, EDITED = "A's", "B's", "both", "neither", "edited"


@dataclass
class CurationSession:
    """The disagreements being walked and the choice made for each; views listen to it."""

    items: list[Disagreement]
    layer: str  # where the choices are written: a curated layer, not the curator's own name
    decisions: dict[tuple[str, int, int], str] = field(default_factory=dict)
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def decide(self, item: Disagreement, choice: str | None) -> None:
        if choice is None:
            self.decisions.pop(item.key, None)
        else:
            self.decisions[item.key] = choice
        for listener in list(self.listeners):
            listener()

    def left(self) -> int:
        return sum(1 for item in self.items if item.key not in self.decisions)


def copies_for(item: Disagreement, choice: str, layer: str) -> list[Annotation]:
    """Copies in ``layer`` of A's, B's or both layers' spans in ``item`` (no duplicates)."""
    chosen = {TAKE_A: item.a, TAKE_B: item.b, TAKE_BOTH: item.a + item.b}.get(choice, ())
    seen: set[tuple[str, int, int]] = set()
    now = timestamp()
    copies = []
    for span in chosen:
        if (span.label, span.start, span.end) in seen:
            continue
        seen.add((span.label, span.start, span.end))
        copies.append(
            span._replace(id=str(uuid.uuid4()), annotator=layer, created=now, modified=now)
        )
    return copies


class DecideDisagreement(Command):
    """Take A's spans, B's, both, neither, or one edited span, into the session's layer. The
    first choice written there marks the layer curated; undoing that choice unmarks it."""

    def __init__(
        self,
        ctx: AppContext,
        session: CurationSession,
        item: Disagreement,
        choice: str,
        copies: list[Annotation],
    ) -> None:
        super().__init__(
            ctx, f"Curate: take {choice}" if choice != NEITHER else "Curate: take neither"
        )
        self.session, self.item = session, item
        self.choice, self.copies = choice, copies
        self.marked = False  # this command's do() put the curated mark on the layer

    def do(self) -> Changes:
        project, layer = self.ctx.project, self.session.layer
        if self.copies:
            if layer in curated_layers(project):  # the usual case: an edit like any other
                self.marked = False
                project.restore_annotations(self.copies)
            else:

                def mark_and_write() -> bool:
                    marked = mark_curated(project, layer)
                    project.restore_annotations(self.copies)
                    return marked

                self.marked = project.together(mark_and_write)
        self.session.decide(self.item, self.choice)
        return Changes.of_annotations(self.item.document_id, added=self.copies)

    def revert(self) -> Changes:
        project, layer = self.ctx.project, self.session.layer
        ids = [a.id for a in self.copies]
        if self.marked:  # the layer was not curated before this choice: nor is it after

            def delete_and_unmark() -> None:
                project.delete_annotations(ids)
                unmark_curated(project, layer)

            project.together(delete_and_unmark)
        elif ids:
            project.delete_annotations(ids)
        self.session.decide(self.item, None)
        return Changes.of_annotations(self.item.document_id, removed=self.copies)
