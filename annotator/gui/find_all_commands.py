"""Label the reviewed matches of Find in All Documents: one transaction, one undo step, across
as many documents as they are in."""

from __future__ import annotations

from annotator.core.model import Annotation
from annotator.gui.changes import Changes
from annotator.gui.commands import _defaults
from annotator.gui.context import AppContext
from annotator.gui.undo import Command


class LabelAcrossDocuments(Command):
    def __init__(
        self,
        ctx: AppContext,
        label: str,
        ranges: dict[str, list[tuple[int, int]]],
        shown: str | None,
    ) -> None:
        count = sum(len(r) for r in ranges.values())
        super().__init__(ctx, f"Label {count} matches in {len(ranges)} documents as {label}")
        self.label, self.ranges = label, ranges
        # the document whose reader hears of the spans; the others' counts are read again
        self.primary = shown if shown in ranges else next(iter(ranges))
        self.added: list[Annotation] = []
        self._done_once = False

    def do(self) -> Changes:
        project = self.ctx.project
        if self.added:  # redo after undo: put back the very same annotations
            project.restore_annotations(self.added)
        else:
            defaults = _defaults(self.ctx, self.label)

            def label_all() -> list[Annotation]:
                return [
                    a
                    for document_id, ranges in self.ranges.items()
                    for a in project.add_annotations(
                        document_id,
                        self.label,
                        ranges,
                        attributes=defaults,
                        annotator=self.ctx.annotator_name,
                    )
                ]

            self.added = project.together(label_all, shared=True)
        return self._changes(added=True)

    def revert(self) -> Changes:
        self.ctx.project.delete_annotations([a.id for a in self.added])
        return self._changes(added=False)

    def _changes(self, *, added: bool) -> Changes:
        mine = tuple(a for a in self.added if a.document_id == self.primary)
        reveal = self.primary if self._done_once else None  # an undo or redo shows it
        self._done_once = True
        return Changes(
            self.primary,
            removed=() if added else mine,
            added=mine if added else (),
            recount=frozenset(self.ranges) - {self.primary},
            reveal=reveal,
        )
