"""Undoable codebook edits, on the one command protocol (:mod:`annotator.gui.undo`): each is
done (and may be refused) before it joins the undo stack, so a refused edit never leaves a
command behind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.labels import AttributeDef, LabelDef
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.undo import Command
from annotator.store import codebook


class CodebookCommand(Command):
    """A codebook edit (refused with :class:`~annotator.store.codebook.CodebookError`); every
    view hears that the labels changed."""

    refused_by = (codebook.CodebookError,)
    #: whether annotations must be re-read (their label names or existence changed)
    touches_annotations = False

    def changed(self) -> Changes:
        return Changes(labels=True, relabelled=self.touches_annotations)


class AddLabel(CodebookCommand):
    def __init__(self, ctx: AppContext, label: LabelDef) -> None:
        super().__init__(ctx, f"Add label {label.name}")
        self.label = label

    def do(self) -> Changes:
        codebook.add_label(self.ctx.project, self.label)
        return self.changed()

    def revert(self) -> Changes:
        codebook.delete_label(self.ctx.project, self.label.name)
        return self.changed()


class UpdateLabel(CodebookCommand):
    def __init__(self, ctx: AppContext, name: str, /, **changes: Any) -> None:
        what = ", ".join(changes)
        super().__init__(ctx, f"Change {what} of {name}")
        self.name, self.changes = name, changes
        self.touches_annotations = "name" in changes
        self.before: LabelDef | None = None

    def do(self) -> Changes:
        self.before = codebook.update_label(self.ctx.project, self.name, **self.changes)
        return self.changed()

    def revert(self) -> Changes:
        assert self.before is not None
        current = self.changes.get("name", self.name)
        old = {key: getattr(self.before, key) for key in self.changes}
        codebook.update_label(self.ctx.project, current, **old)
        return self.changed()


class MoveLabel(CodebookCommand):
    def __init__(self, ctx: AppContext, name: str, position: int) -> None:
        super().__init__(ctx, f"Move label {name}")
        self.name, self.position, self.old = name, position, 0

    def do(self) -> Changes:
        self.old = codebook.move_label(self.ctx.project, self.name, self.position)
        return self.changed()

    def revert(self) -> Changes:
        codebook.move_label(self.ctx.project, self.name, self.old)
        return self.changed()


class DeleteLabel(CodebookCommand):
    touches_annotations = True

    def __init__(self, ctx: AppContext, name: str, move_to: str | None) -> None:
        super().__init__(ctx, f"Delete label {name}")
        self.name, self.move_to = name, move_to
        self.deleted: codebook.DeletedLabel | None = None

    def do(self) -> Changes:
        self.deleted = codebook.delete_label(self.ctx.project, self.name, self.move_to)
        return self.changed()

    def revert(self) -> Changes:
        assert self.deleted is not None
        codebook.restore_label(self.ctx.project, self.deleted)
        return self.changed()


class SetAttributes(CodebookCommand):
    def __init__(
        self, ctx: AppContext, label: str, attributes: Sequence[AttributeDef], text: str = ""
    ) -> None:
        super().__init__(ctx, text or f"Change attributes of {label}")
        self.label, self.attributes = label, tuple(attributes)
        self.before: tuple[AttributeDef, ...] = ()

    def do(self) -> Changes:
        self.before = codebook.set_attributes(self.ctx.project, self.label, self.attributes)
        return self.changed()

    def revert(self) -> Changes:
        codebook.set_attributes(self.ctx.project, self.label, self.before)
        return self.changed()


class RenameAttribute(CodebookCommand):
    touches_annotations = True

    def __init__(self, ctx: AppContext, label: str, old: str, new: str) -> None:
        super().__init__(ctx, f"Rename attribute {old} of {label}")
        self.label, self.old, self.new = label, old, new

    def do(self) -> Changes:
        codebook.rename_attribute(self.ctx.project, self.label, self.old, self.new)
        return self.changed()

    def revert(self) -> Changes:
        codebook.rename_attribute(self.ctx.project, self.label, self.new.strip(), self.old)
        return self.changed()


class MergeLabels(CodebookCommand):
    """Import a template or label-set file into the codebook."""

    def __init__(self, ctx: AppContext, labels: Sequence[LabelDef], source: str) -> None:
        super().__init__(ctx, f"Import labels from {source}")
        self.labels = list(labels)
        self.before: list[LabelDef] = []
        self.report: codebook.MergeReport | None = None

    def do(self) -> Changes:
        self.before = self.ctx.project.labels()
        self.report = codebook.merge_labels(self.ctx.project, self.labels)
        return self.changed()

    def revert(self) -> Changes:
        assert self.report is not None
        codebook.unmerge_labels(self.ctx.project, self.before, self.report)
        return self.changed()
