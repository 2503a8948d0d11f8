"""Editing a project's codebook: labels and their attribute definitions.

Every function is one transaction and returns what the caller needs to undo it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from annotator.core.labels import DEFAULT_LABELS, AttributeDef, AttributeKind, LabelDef
from annotator.core.model import Annotation as AnnotationRecord
from annotator.store.convert import (
    annotation_from_row,
    attribute_to_row,
    label_from_row,
    label_to_row,
)
from annotator.store.models import Annotation, Label, LabelAttribute
from annotator.store.project import Project


class CodebookError(ValueError):
    """An edit the codebook refuses (a duplicate name, a shortcut in use); the message says why."""


@dataclass
class DeletedLabel:
    label: LabelDef
    position: int
    annotations: list[AnnotationRecord] = field(default_factory=list)  # deleted with it
    moved_to: str | None = None  # or moved to this label
    moved_ids: list[str] = field(default_factory=list)


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    extended: list[str] = field(default_factory=list)  # labels that gained attributes/choices
    conflicts: list[str] = field(default_factory=list)
    replaced: bool = False


def _row(s: Session, name: str) -> Label:
    row = s.scalar(select(Label).options(selectinload(Label.attributes)).where(Label.name == name))
    if row is None:
        raise CodebookError(f"there is no label named {name!r}")
    return row


def _check_name(s: Session, name: str, ignore: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise CodebookError("a label needs a name")
    if name != ignore and s.scalar(select(Label.id).where(Label.name == name)) is not None:
        raise CodebookError(f"a label named {name!r} already exists")
    return name


def _check_shortcut(s: Session, shortcut: str | None, ignore: str | None = None) -> str | None:
    if not shortcut:
        return None
    owner = s.scalar(select(Label.name).where(Label.shortcut == shortcut))
    if owner is not None and owner != ignore:
        raise CodebookError(f"the shortcut {shortcut} is already used by {owner!r}")
    return shortcut


def annotation_count(project: Project, name: str) -> int:
    with project._session() as s:
        return s.scalar(select(func.count(Annotation.id)).join(Label).where(Label.name == name))


def add_label(project: Project, label: LabelDef, position: int | None = None) -> None:
    """Add ``label`` at ``position`` (default: last)."""
    with project._session(write=True) as s:
        _check_name(s, label.name)
        _check_shortcut(s, label.shortcut)
        count = s.scalar(select(func.count(Label.id)))
        position = count if position is None else max(0, min(position, count))
        s.execute(update(Label).where(Label.position >= position)
                  .values(position=Label.position + 1))
        s.add(label_to_row(replace(label, name=label.name.strip()), position))


def update_label(project: Project, name: str, /, **changes: Any) -> LabelDef:
    """Change a label's name, color, shortcut or description; returns the label as it was."""
    with project._session(write=True) as s:
        row = _row(s, name)
        before = label_from_row(row)
        if "name" in changes:
            row.name = _check_name(s, changes["name"], ignore=name)
        if "shortcut" in changes:
            row.shortcut = _check_shortcut(s, changes["shortcut"], ignore=name)
        if "color" in changes:
            row.color = changes["color"]
        if "description" in changes:
            row.description = changes["description"]
        return before


def move_label(project: Project, name: str, position: int) -> int:
    """Move ``name`` to ``position`` in the codebook's order; returns its old position."""
    with project._session(write=True) as s:
        rows = list(s.scalars(select(Label).order_by(Label.position)))
        old = next(i for i, r in enumerate(rows) if r.name == name)
        moving = rows.pop(old)
        rows.insert(max(0, min(position, len(rows))), moving)
        for i, r in enumerate(rows):
            r.position = i
        return old


def delete_label(project: Project, name: str, move_to: str | None = None) -> DeletedLabel:
    """Delete a label; its annotations are deleted too, or moved to ``move_to``."""
    with project._session(write=True) as s:
        row = _row(s, name)
        deleted = DeletedLabel(label_from_row(row), row.position, moved_to=move_to)
        spans = s.execute(select(Annotation).where(Annotation.label_id == row.id)).scalars().all()
        if move_to is not None:
            target = _row(s, move_to)
            deleted.moved_ids = [a.id for a in spans]
            s.execute(update(Annotation).where(Annotation.label_id == row.id)
                      .values(label_id=target.id))
        else:
            deleted.annotations = [annotation_from_row(a, name) for a in spans]
            s.execute(delete(Annotation).where(Annotation.label_id == row.id))
        s.delete(row)
        s.flush()
        s.execute(update(Label).where(Label.position > deleted.position)
                  .values(position=Label.position - 1))
        return deleted


def restore_label(project: Project, deleted: DeletedLabel) -> None:
    """Undo :func:`delete_label`: the label, its place, and its annotations come back."""
    add_label(project, deleted.label, deleted.position)
    if deleted.moved_ids:
        with project._session(write=True) as s:
            label_id = _row(s, deleted.label.name).id
            s.execute(update(Annotation).where(Annotation.id.in_(deleted.moved_ids))
                      .values(label_id=label_id))
    if deleted.annotations:
        project.restore_annotations(deleted.annotations)


def set_attributes(project: Project, name: str,
                   attributes: Sequence[AttributeDef]) -> tuple[AttributeDef, ...]:
    """Replace ``name``'s attribute definitions; values already given are kept as they are."""
    names = [a.name.strip() for a in attributes]
    if any(not n for n in names):
        raise CodebookError("every attribute needs a name")
    if len(set(names)) != len(names):
        raise CodebookError("two attributes have the same name")
    for a in attributes:
        if a.kind is AttributeKind.CHOICE and not a.choices:
            raise CodebookError(f"the choice attribute {a.name!r} needs at least one choice")
        if a.default is not None and not a.accepts(a.default):
            raise CodebookError(f"the default of {a.name!r} does not fit its kind")
    with project._session(write=True) as s:
        row = _row(s, name)
        before = label_from_row(row).attributes
        row.attributes.clear()
        s.flush()
        row.attributes.extend(attribute_to_row(a, i) for i, a in enumerate(attributes))
        return before


def rename_attribute(project: Project, label: str, old: str, new: str) -> None:
    """Rename an attribute and carry every annotation's value over to the new name."""
    new = new.strip()
    with project._session(write=True) as s:
        row = _row(s, label)
        attribute = next((a for a in row.attributes if a.name == old), None)
        if attribute is None:
            raise CodebookError(f"{label!r} has no attribute {old!r}")
        if not new or any(a.name == new for a in row.attributes):
            raise CodebookError(f"{label!r} already has an attribute named {new!r}"
                                if new else "an attribute needs a name")
        attribute.name = new
        for annotation in s.scalars(select(Annotation).where(Annotation.label_id == row.id)):
            if old in annotation.attributes:
                values = dict(annotation.attributes)
                values[new] = values.pop(old)
                annotation.attributes = values


def merge_labels(project: Project, labels: Sequence[LabelDef]) -> MergeReport:
    """Bring ``labels`` into the project, merging by name, in one transaction.

    A fresh project (the default codebook, no annotations) takes ``labels`` as they are.
    Otherwise new labels are appended, existing ones gain missing attributes and choices, and
    every difference that is not merged is reported as a conflict. A shortcut already taken (by
    the project or by an earlier label of ``labels``) is dropped and reported. Linear in the
    number of labels: the codebook is read once and written in the same session.
    """
    report = MergeReport()
    with project._session(write=True) as s:
        rows = list(s.scalars(select(Label).options(selectinload(Label.attributes))
                              .order_by(Label.position)))
        fresh = len(rows) == len(DEFAULT_LABELS) and [
            label_from_row(r) for r in rows] == list(DEFAULT_LABELS) and not s.scalar(
            select(func.count(Annotation.id)))
        if fresh:
            for row in rows:
                s.delete(row)
            s.flush()
            rows = []
            report.replaced = True
        by_name = {row.name: row for row in rows}
        shortcuts = {row.shortcut: row.name for row in rows if row.shortcut}
        ids = _IdSource(s)
        for label in labels:
            name = label.name.strip()
            row = by_name.get(name)
            if row is None:
                shortcut = label.shortcut or None
                if shortcut in shortcuts:
                    report.conflicts.append(f"{name!r}: shortcut {shortcut} is used by "
                                            f"{shortcuts[shortcut]!r}; added without a shortcut")
                    shortcut = None
                if shortcut:
                    shortcuts[shortcut] = name
                row = ids.number(label_to_row(replace(label, name=name, shortcut=shortcut),
                                              len(by_name)))
                s.add(row)
                by_name[name] = row
                report.added.append(name)
                continue
            mine = label_from_row(row)
            merged, notes = _merge_attributes(mine, label)
            report.conflicts.extend(notes)
            if merged != mine.attributes:
                _extend_attributes(row, mine.attributes, merged, ids)
                report.extended.append(name)
            if label.color != mine.color or (label.shortcut or None) != (mine.shortcut or None):
                report.conflicts.append(f"{name!r}: colour/shortcut differ; kept the project's")
    return report


def unmerge_labels(project: Project, before: Sequence[LabelDef], report: MergeReport) -> None:
    """Undo :func:`merge_labels` (``before``: the codebook as it was), in one transaction."""
    with project._session(write=True) as s:
        rows = list(s.scalars(select(Label).options(selectinload(Label.attributes))))
        added = set(report.added) if not report.replaced else {row.name for row in rows}
        doomed = [row.id for row in rows if row.name in added]
        for chunk in range(0, len(doomed), 500):  # annotations made with them since, if any
            s.execute(delete(Annotation).where(Annotation.label_id.in_(doomed[chunk:chunk + 500])))
        extended = {label.name: label for label in before if label.name in report.extended}
        for row in rows:
            if row.name in added:
                s.delete(row)
            elif row.name in extended:
                row.attributes.clear()
        s.flush()
        if report.replaced:
            s.add_all(label_to_row(label, i) for i, label in enumerate(before))
            return
        for row in rows:
            if row.name in extended:
                row.attributes.extend(attribute_to_row(a, i)
                                      for i, a in enumerate(extended[row.name].attributes))


class _IdSource:
    """Primary keys handed out in advance, so the session inserts new rows in batches (a row
    whose key the database picks is inserted alone, to read the key back)."""

    def __init__(self, s: Session) -> None:
        self.label = (s.scalar(select(func.max(Label.id))) or 0) + 1
        self.attribute = (s.scalar(select(func.max(LabelAttribute.id))) or 0) + 1

    def number(self, row: Label) -> Label:
        row.id, self.label = self.label, self.label + 1
        for attribute in row.attributes:
            self.attribute_row(attribute)
        return row

    def attribute_row(self, row: LabelAttribute) -> LabelAttribute:
        row.id, self.attribute = self.attribute, self.attribute + 1
        return row


def _extend_attributes(row: Label, mine: tuple[AttributeDef, ...],
                       merged: tuple[AttributeDef, ...], ids: _IdSource) -> None:
    """Make ``row``'s attribute rows say ``merged``, which only adds attributes and choices to
    ``mine`` (so no row is deleted and no unique name is reused)."""
    for attribute_row, attribute in zip(row.attributes, merged, strict=False):
        if list(attribute.choices) != list(attribute_row.choices):
            attribute_row.choices = list(attribute.choices)
    row.attributes.extend(ids.attribute_row(attribute_to_row(a, i))
                          for i, a in enumerate(merged) if i >= len(mine))


def _merge_attributes(mine: LabelDef,
                      theirs: LabelDef) -> tuple[tuple[AttributeDef, ...], list[str]]:
    merged = list(mine.attributes)
    notes: list[str] = []
    for attribute in theirs.attributes:
        index = next((i for i, a in enumerate(merged) if a.name == attribute.name), None)
        if index is None:
            merged.append(attribute)
            continue
        own = merged[index]
        if own.kind != attribute.kind:
            notes.append(f"{mine.name!r}: attribute {attribute.name!r} is {attribute.kind} in "
                         f"the file but {own.kind} here; kept the project's")
        elif own.kind is AttributeKind.CHOICE:
            extra = tuple(c for c in attribute.choices if c not in own.choices)
            if extra:
                merged[index] = replace(own, choices=own.choices + extra)
    return tuple(merged), notes
