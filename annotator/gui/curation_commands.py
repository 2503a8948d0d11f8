"""Curation choices as undo commands: each writes copies of the chosen spans into the curator's
layer in one transaction, and records the choice in the :class:`CurationSession`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.curation import Disagreement
from annotator.core.model import Annotation, timestamp
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.undo import Command
from annotator.service import mark_curated

TAKE_A, TAKE_B, TAKE_BOTH, NEITHER, EDITED = "A's", "B's", "both", "neither", "edited"


@dataclass
class CurationSession:
    """The disagreements being walked and the choice made for each; views listen to it."""

    items: list[Disagreement]
    curator: str
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


def copies_for(item: Disagreement, choice: str, curator: str) -> list[Annotation]:
    """The curator's copies of A's, B's or both layers' spans in ``item`` (no duplicates)."""
    chosen = {TAKE_A: item.a, TAKE_B: item.b, TAKE_BOTH: item.a + item.b}.get(choice, ())
    seen: set[tuple[str, int, int]] = set()
    now = timestamp()
    copies = []
    for span in chosen:
        if (span.label, span.start, span.end) in seen:
            continue
        seen.add((span.label, span.start, span.end))
        copies.append(
            span._replace(id=str(uuid.uuid4()), annotator=curator, created=now, modified=now)
        )
    return copies


class DecideDisagreement(Command):
    """Take A's spans, B's, both, neither, or one edited span, into the curator's layer."""

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

    def do(self) -> Changes:
        if self.copies:
            mark_curated(self.ctx.project, self.session.curator)
            self.ctx.project.restore_annotations(self.copies)
        self.session.decide(self.item, self.choice)
        return Changes.of_annotations(self.item.document_id, added=self.copies)

    def revert(self) -> Changes:
        if self.copies:
            self.ctx.project.delete_annotations([a.id for a in self.copies])
        self.session.decide(self.item, None)
        return Changes.of_annotations(self.item.document_id, removed=self.copies)
