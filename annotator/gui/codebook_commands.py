"""Undoable codebook edits. Each is applied (and may be refused) before it joins the undo stack,
so a refused edit never leaves a command behind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.labels import AttributeDef, LabelDef
from annotator.gui.context import AppContext
from annotator.store import codebook


class CodebookCommand(QUndoCommand):
    #: whether annotations must be re-read (their label names or existence changed)
    touches_annotations = False

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._applied = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._applied:  # pushed right after apply(): nothing more to do this time
            self._applied = False
        else:
            self.apply()
        self.ctx.labels_did_change(self.touches_annotations)

    def undo(self) -> None:
        self.revert()
        self.ctx.labels_did_change(self.touches_annotations)


def execute(ctx: AppContext, command: CodebookCommand) -> str | None:
    """Apply ``command`` and push it; returns the refusal message instead if it is refused."""
    try:
        command.apply()
    except codebook.CodebookError as exc:
        return str(exc)
    command._applied = True
    ctx.undo_stack.push(command)
    return None


class AddLabel(CodebookCommand):
    def __init__(self, ctx: AppContext, label: LabelDef) -> None:
        super().__init__(ctx, f"Add label {label.name}")
        self.label = label

    def apply(self) -> None:
        codebook.add_label(self.ctx.project, self.label)

    def revert(self) -> None:
        codebook.delete_label(self.ctx.project, self.label.name)


class UpdateLabel(CodebookCommand):
    def __init__(self, ctx: AppContext, name: str, /, **changes: Any) -> None:
        what = ", ".join(changes)
        super().__init__(ctx, f"Change {what} of {name}")
        self.name, self.changes = name, changes
        self.touches_annotations = "name" in changes
        self.before: LabelDef | None = None

    def apply(self) -> None:
        self.before = codebook.update_label(self.ctx.project, self.name, **self.changes)

    def revert(self) -> None:
        assert self.before is not None
        current = self.changes.get("name", self.name)
        old = {key: getattr(self.before, key) for key in self.changes}
        codebook.update_label(self.ctx.project, current, **old)


class MoveLabel(CodebookCommand):
    def __init__(self, ctx: AppContext, name: str, position: int) -> None:
        super().__init__(ctx, f"Move label {name}")
        self.name, self.position, self.old = name, position, 0

    def apply(self) -> None:
        self.old = codebook.move_label(self.ctx.project, self.name, self.position)

    def revert(self) -> None:
        codebook.move_label(self.ctx.project, self.name, self.old)


class DeleteLabel(CodebookCommand):
    touches_annotations = True

    def __init__(self, ctx: AppContext, name: str, move_to: str | None) -> None:
        super().__init__(ctx, f"Delete label {name}")
        self.name, self.move_to = name, move_to
        self.deleted: codebook.DeletedLabel | None = None

    def apply(self) -> None:
        self.deleted = codebook.delete_label(self.ctx.project, self.name, self.move_to)

    def revert(self) -> None:
        assert self.deleted is not None
        codebook.restore_label(self.ctx.project, self.deleted)


class SetAttributes(CodebookCommand):
    def __init__(
        self, ctx: AppContext, label: str, attributes: Sequence[AttributeDef], text: str = ""
    ) -> None:
        super().__init__(ctx, text or f"Change attributes of {label}")
        self.label, self.attributes = label, tuple(attributes)
        self.before: tuple[AttributeDef, ...] = ()

    def apply(self) -> None:
        self.before = codebook.set_attributes(self.ctx.project, self.label, self.attributes)

    def revert(self) -> None:
        codebook.set_attributes(self.ctx.project, self.label, self.before)


class RenameAttribute(CodebookCommand):
    touches_annotations = True

    def __init__(self, ctx: AppContext, label: str, old: str, new: str) -> None:
        super().__init__(ctx, f"Rename attribute {old} of {label}")
        self.label, self.old, self.new = label, old, new

    def apply(self) -> None:
        codebook.rename_attribute(self.ctx.project, self.label, self.old, self.new)

    def revert(self) -> None:
        codebook.rename_attribute(self.ctx.project, self.label, self.new.strip(), self.old)


class MergeLabels(CodebookCommand):
    """Import a template or label-set file into the codebook."""

    def __init__(self, ctx: AppContext, labels: Sequence[LabelDef], source: str) -> None:
        super().__init__(ctx, f"Import labels from {source}")
        self.labels = list(labels)
        self.before: list[LabelDef] = []
        self.report: codebook.MergeReport | None = None

    def apply(self) -> None:
        self.before = self.ctx.project.labels()
        self.report = codebook.merge_labels(self.ctx.project, self.labels)

    def revert(self) -> None:
        assert self.report is not None
        project = self.ctx.project
        if self.report.replaced:
            for label in project.labels():
                codebook.delete_label(project, label.name)
            for label in self.before:
                codebook.add_label(project, label)
            return
        for name in self.report.added:
            codebook.delete_label(project, name)
        for label in self.before:
            if label.name in self.report.extended:
                codebook.set_attributes(project, label.name, label.attributes)
