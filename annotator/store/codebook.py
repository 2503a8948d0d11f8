"""Editing a project's codebook: labels, their attribute definitions, and relation types.

Every function is one transaction and returns what the caller needs to undo it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from annotator.core.labels import (
    DEFAULT_LABELS,
    AttributeDef,
    AttributeKind,
    LabelDef,
    RelationTypeDef,
    is_valid_color,
    name_problem,
)
from annotator.core.model import Annotation as AnnotationRecord
from annotator.core.model import Relation as RelationRecord
from annotator.store import annotation_rows, relation_rows, snap_rules
from annotator.store.convert import (
    attribute_to_json,
    attribute_to_row,
    label_from_row,
    label_to_row,
    relation_type_from_row,
    relation_type_to_row,
)
from annotator.store.models import (
    Annotation,
    Document,
    Label,
    LabelAttribute,
    RejectedSuggestion,
    Relation,
    RelationType,
    SuggestionPattern,
)
from annotator.store.project import Project, read_codebook
from annotator.store.retry import retrying


class CodebookError(ValueError):
    """An edit the codebook refuses (a duplicate name, a shortcut in use); the message says why."""


@dataclass
class DeletedLabel:
    label: LabelDef
    position: int
    annotations: list[AnnotationRecord] = field(default_factory=list)  # deleted with it
    moved_to: str | None = None  # or moved to this label
    moved_ids: list[str] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)  # deleted with its spans
    #: its suggestion patterns and rejected suggestions (the database deletes them with it): each
    #: row's columns by name, but for the label (see :func:`_rows_of_label`)
    patterns: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DeletedRelationType:
    relation_type: RelationTypeDef
    position: int
    relations: list[RelationRecord] = field(default_factory=list)  # deleted with it


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


def _valid_name(name: str, kind: str, empty: str = "") -> str:
    """``name`` stripped, if it may name a ``kind`` (the rule of :func:`name_problem`);
    ``empty``: what to say when it is empty."""
    problem = name_problem(name)
    if problem == "is empty":
        raise CodebookError(empty or f"a {kind} needs a name")
    if problem is not None:
        raise CodebookError(f"the {kind} name {name!r} {problem}")
    return name.strip()


def _valid_color(color: str, what: str) -> str:
    if not is_valid_color(color):
        raise CodebookError(f"the colour of {what} {color!r} is not a colour like #4a90e2")
    return color


def _check_name(s: Session, name: str, ignore: str | None = None) -> str:
    name = _valid_name(name, "label")
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


@retrying
def add_label(project: Project, label: LabelDef, position: int | None = None) -> None:
    """Add ``label`` at ``position`` (default: last)."""
    _valid_color(label.color, f"label {label.name!r}")
    _attribute_names(label.attributes)
    with project.transaction() as s:
        _check_name(s, label.name)
        _check_shortcut(s, label.shortcut)
        count = s.scalar(select(func.count(Label.id)))
        position = count if position is None else max(0, min(position, count))
        s.execute(
            update(Label).where(Label.position >= position).values(position=Label.position + 1)
        )
        s.add(label_to_row(replace(label, name=label.name.strip()), position))
        snap_rules.set_rule(s, label.name.strip(), label.snap)


@retrying
def update_label(project: Project, name: str, /, **changes: Any) -> LabelDef:
    """Change a label's name, color, shortcut, description or snapping rule; returns the label
    as it was."""
    with project.transaction() as s:
        row = _row(s, name)
        before = label_from_row(row, snap_rules.read(s).get(name))
        if "name" in changes:
            row.name = _check_name(s, changes["name"], ignore=name)
            if row.name != name:  # relation types name the labels they join
                for relation_type in s.scalars(select(RelationType)):
                    relation_type.sources = [
                        row.name if n == name else n for n in relation_type.sources
                    ]
                    relation_type.targets = [
                        row.name if n == name else n for n in relation_type.targets
                    ]
            snap_rules.rename(s, name, row.name)
        if "snap" in changes:
            snap_rules.set_rule(s, row.name, changes["snap"])
        if "shortcut" in changes:
            row.shortcut = _check_shortcut(s, changes["shortcut"], ignore=name)
        if "color" in changes:
            row.color = _valid_color(changes["color"], f"label {name!r}")
        if "description" in changes:
            row.description = changes["description"]
        return before


@retrying
def move_label(project: Project, name: str, position: int) -> int:
    """Move ``name`` to ``position`` in the codebook's order; returns its old position."""
    with project.transaction() as s:
        rows = list(s.scalars(select(Label).order_by(Label.position)))
        old = next(i for i, r in enumerate(rows) if r.name == name)
        moving = rows.pop(old)
        rows.insert(max(0, min(position, len(rows))), moving)
        for i, r in enumerate(rows):
            r.position = i
        return old


@retrying
def delete_label(project: Project, name: str, move_to: str | None = None) -> DeletedLabel:
    """Delete a label; its annotations are deleted too, or moved to ``move_to``."""
    with project.transaction() as s:
        row = _row(s, name)
        deleted = DeletedLabel(
            label_from_row(row, snap_rules.read(s).get(name)), row.position, moved_to=move_to
        )
        snap_rules.drop(s, name)
        deleted.patterns = _rows_of_label(s, SuggestionPattern, row.id)
        deleted.rejections = _rows_of_label(s, RejectedSuggestion, row.id)
        spans = s.execute(select(Annotation).where(Annotation.label_id == row.id)).scalars().all()
        if move_to is not None:
            target = _row(s, move_to)
            deleted.moved_ids = [a.id for a in spans]
            s.execute(
                update(Annotation).where(Annotation.label_id == row.id).values(label_id=target.id)
            )
        else:
            deleted.annotations = [annotation_rows.from_orm(a, name) for a in spans]
            deleted.relations = relation_rows.read(s, touching=[a.id for a in spans])
            relation_rows.remove(s, [r.id for r in deleted.relations])
            s.execute(delete(Annotation).where(Annotation.label_id == row.id))
        s.delete(row)
        s.flush()
        s.execute(
            update(Label)
            .where(Label.position > deleted.position)
            .values(position=Label.position - 1)
        )
        return deleted


def restore_label(project: Project, deleted: DeletedLabel) -> None:
    """Undo :func:`delete_label`, in one transaction: the label, its place, its annotations (or
    those moved away), its suggestion patterns and rejected suggestions come back."""

    def restore() -> None:
        add_label(project, deleted.label, deleted.position)
        _put_back(project, deleted)
        if deleted.annotations:
            project.restore_annotations(deleted.annotations, deleted.relations)

    project.together(restore)


@retrying
def _put_back(project: Project, deleted: DeletedLabel) -> None:
    with project.transaction() as s:
        label_id = _row(s, deleted.label.name).id
        if deleted.moved_ids:
            s.execute(
                update(Annotation)
                .where(Annotation.id.in_(deleted.moved_ids))
                .values(label_id=label_id)
            )
        if deleted.patterns:
            s.execute(
                insert(SuggestionPattern), [dict(r, label_id=label_id) for r in deleted.patterns]
            )
        documents = {r["document_id"] for r in deleted.rejections}
        present = set(s.scalars(select(Document.id).where(Document.id.in_(documents))))
        kept = [r for r in deleted.rejections if r["document_id"] in present]  # none gone since
        if kept:
            s.execute(insert(RejectedSuggestion), [dict(r, label_id=label_id) for r in kept])


def _rows_of_label(
    s: Session, model: type[SuggestionPattern] | type[RejectedSuggestion], label_id: int
) -> list[dict[str, Any]]:
    """The rows of ``model`` that belong to the label, in row order, each as its columns by
    name but for the label and the row id (put back, they get the label's new id and new ids)."""
    columns = [c for c in model.__table__.columns if c.name not in ("id", "label_id")]
    query = select(*columns).where(model.label_id == label_id).order_by(model.id)
    return [dict(row._mapping) for row in s.execute(query)]


@retrying
def set_attributes(
    project: Project, name: str, attributes: Sequence[AttributeDef]
) -> tuple[AttributeDef, ...]:
    """Replace ``name``'s attribute definitions; values already given are kept as they are."""
    _attribute_names(attributes)
    for a in attributes:
        if a.kind is AttributeKind.CHOICE and not a.choices:
            raise CodebookError(f"the choice attribute {a.name!r} needs at least one choice")
        if a.default is not None and not a.accepts(a.default):
            raise CodebookError(f"the default of {a.name!r} does not fit its kind")
    with project.transaction() as s:
        row = _row(s, name)
        before = label_from_row(row).attributes
        row.attributes.clear()
        s.flush()
        row.attributes.extend(attribute_to_row(a, i) for i, a in enumerate(attributes))
        return before


def _attribute_names(attributes: Sequence[AttributeDef]) -> None:
    names = [_valid_name(a.name, "attribute", "every attribute needs a name") for a in attributes]
    if len(set(names)) != len(names):
        raise CodebookError("two attributes have the same name")


@retrying
def rename_attribute(project: Project, label: str, old: str, new: str) -> None:
    """Rename an attribute and carry every annotation's value over to the new name."""
    if name_problem(new) not in (None, "is empty"):  # an empty one is refused below
        _valid_name(new, "attribute")
    new = new.strip()
    with project.transaction() as s:
        row = _row(s, label)
        attribute = next((a for a in row.attributes if a.name == old), None)
        if attribute is None:
            raise CodebookError(f"{label!r} has no attribute {old!r}")
        if not new or any(a.name == new for a in row.attributes):
            raise CodebookError(
                f"{label!r} already has an attribute named {new!r}"
                if new
                else "an attribute needs a name"
            )
        attribute.name = new
        for annotation in s.scalars(select(Annotation).where(Annotation.label_id == row.id)):
            if old in annotation.attributes:
                values = dict(annotation.attributes)
                values[new] = values.pop(old)
                annotation.attributes = values


@retrying
def merge_labels(project: Project, labels: Sequence[LabelDef]) -> MergeReport:
    """Bring ``labels`` into the project, merging by name, in one transaction.

    A fresh project (the default codebook, no annotations) takes ``labels`` as they are, and
    drops its relation types (they joined the labels it had; :func:`merge_relation_types`
    brings the file's).
    Otherwise new labels are appended, existing ones gain missing attributes and choices, and
    every difference that is not merged is reported as a conflict. A shortcut already taken (by
    the project or by an earlier label of ``labels``) is dropped and reported.

    Linear in the number of labels: the codebook is read once (:func:`read_codebook`) and the
    changes are written as a few bulk statements.
    """
    report = MergeReport()
    with project.transaction() as s:
        current = read_codebook(s)
        if [label for _, label, _ in current] == list(DEFAULT_LABELS) and not s.scalar(
            select(func.count(Annotation.id))
        ):
            s.execute(delete(RelationType))  # they joined the labels being replaced
            s.execute(delete(Label))  # their attributes go with them (ON DELETE CASCADE)
            current = []
            report.replaced = True
        by_name = {label.name: (label_id, label, ids) for label_id, label, ids in current}
        shortcuts = {label.shortcut: label.name for _, label, _ in current if label.shortcut}
        rows = _NewRows(s, len(current))
        choices: list[dict[str, Any]] = []
        for label in labels:
            name = _valid_name(label.name, "label")
            _valid_color(label.color, f"label {name!r}")
            _attribute_names(label.attributes)
            found = by_name.get(name)
            if found is None:
                shortcut = label.shortcut or None
                if shortcut in shortcuts:
                    report.conflicts.append(
                        f"{name!r}: shortcut {shortcut} is used by "
                        f"{shortcuts[shortcut]!r}; added without a shortcut"
                    )
                    shortcut = None
                if shortcut:
                    shortcuts[shortcut] = name
                added = replace(label, name=name, shortcut=shortcut)
                by_name[name] = (rows.label(added), added, {})
                report.added.append(name)
                continue
            label_id, mine, attribute_ids = found
            merged, notes = _merge_attributes(mine, label)
            report.conflicts.extend(notes)
            if merged != mine.attributes:
                for position, attribute in enumerate(merged):
                    if position >= len(mine.attributes):
                        rows.attribute(label_id, attribute, position)
                    elif attribute.choices != mine.attributes[position].choices:
                        choices.append(
                            {
                                "attribute": attribute_ids[attribute.name],
                                "new_choices": list(attribute.choices),
                            }
                        )
                report.extended.append(name)
            if label.color != mine.color or (label.shortcut or None) != (mine.shortcut or None):
                report.conflicts.append(f"{name!r}: colour/shortcut differ; kept the project's")
        rows.write()
        added_labels = [by_name[name][1] for name in report.added]
        snap_rules.set_rules(s, added_labels, replace=report.replaced)
        if choices:
            table = LabelAttribute.__table__
            s.execute(
                update(table)
                .where(table.c.id == bindparam("attribute"))
                .values(choices=bindparam("new_choices")),
                choices,
            )
    return report


@retrying
def unmerge_labels(project: Project, before: Sequence[LabelDef], report: MergeReport) -> None:
    """Undo :func:`merge_labels` (``before``: the codebook as it was), in one transaction."""
    with project.transaction() as s:
        current = read_codebook(s)
        earlier = {label.name: label for label in before}
        if report.replaced:
            removed, stripped = [label_id for label_id, _, _ in current], []
        else:
            added, extended = set(report.added), set(report.extended)
            removed = [label_id for label_id, label, _ in current if label.name in added]
            stripped = [
                (label_id, earlier[label.name])
                for label_id, label, _ in current
                if label.name in extended and label.name in earlier
            ]
        for chunk in _chunks(removed):
            # annotations made with an added label since, if any, go with it (as on delete)
            s.execute(delete(Annotation).where(Annotation.label_id.in_(chunk)))
            s.execute(delete(Label).where(Label.id.in_(chunk)))
        for chunk in _chunks([label_id for label_id, _ in stripped]):
            s.execute(delete(LabelAttribute).where(LabelAttribute.label_id.in_(chunk)))
        rows = _NewRows(s, 0)
        if report.replaced:
            for label in before:
                rows.label(label)
        for label_id, label in stripped:
            for position, attribute in enumerate(label.attributes):
                rows.attribute(label_id, attribute, position)
        rows.write()
        snap_rules.set_rules(s, list(before), replace=True)  # the rules as they were


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """``ids`` in pieces small enough for one statement's bound parameters."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


class _NewRows:
    """Label and attribute rows to insert, with their keys handed out in advance, so that each
    table gets one bulk INSERT (executemany) however many labels there are (on a server the
    keys :meth:`label` returns stand in until :meth:`write`)."""

    def __init__(self, s: Session, position: int) -> None:
        self.s = s
        self.position = position
        self.next_label = (s.scalar(select(func.max(Label.id))) or 0) + 1
        self.next_attribute = (s.scalar(select(func.max(LabelAttribute.id))) or 0) + 1
        self.labels: list[dict[str, Any]] = []
        self.attributes: list[dict[str, Any]] = []

    def label(self, label: LabelDef) -> int:
        label_id, self.next_label = self.next_label, self.next_label + 1
        self.labels.append(
            {
                "id": label_id,
                "name": label.name,
                "color": label.color,
                "shortcut": label.shortcut or None,
                "description": label.description,
                "position": self.position,
            }
        )
        self.position += 1
        for position, attribute in enumerate(label.attributes):
            self.attribute(label_id, attribute, position)
        return label_id

    def attribute(self, label_id: int, attribute: AttributeDef, position: int) -> None:
        self.attributes.append(
            {
                "id": self.next_attribute,
                "label_id": label_id,
                "name": attribute.name,
                "kind": attribute.kind.value,
                "choices": list(attribute.choices),
                "required": attribute.required,
                "default": attribute.default,
                "position": position,
            }
        )
        self.next_attribute += 1

    def write(self) -> None:
        if self.s.connection().dialect.name == "postgresql":
            self._keys_from_sequences()
        # Core statements on the tables: executemany, without the ORM's per-row bookkeeping.
        if self.labels:
            self.s.execute(insert(Label.__table__), self.labels)
        if self.attributes:
            self.s.execute(insert(LabelAttribute.__table__), self.attributes)

    def _keys_from_sequences(self) -> None:
        """On a server, the keys handed out so far (max + 1 on) only stand in: the real ones come
        from the tables' sequences, one statement per table, which the next label or attribute
        added one at a time takes its key from too (SQLite takes max(id) + 1 itself). nextval
        needs only the USAGE a colleague is granted (README); setval would need UPDATE."""
        stand_ins = [row["id"] for row in self.labels]
        keys = dict(zip(stand_ins, self._next("labels", self.labels), strict=True))
        for row in self.labels:
            row["id"] = keys[row["id"]]
        attribute_keys = self._next("label_attributes", self.attributes)
        for row, key in zip(self.attributes, attribute_keys, strict=True):
            row["id"] = key
            # a stand-in is above every stored key: an existing label's key is never remapped
            row["label_id"] = keys.get(row["label_id"], row["label_id"])

    def _next(self, table: str, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        return sorted(
            self.s.scalars(
                text(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": len(rows)},
            )
        )


def _merge_attributes(
    mine: LabelDef, theirs: LabelDef
) -> tuple[tuple[AttributeDef, ...], list[str]]:
    merged = list(mine.attributes)
    notes: list[str] = []
    for attribute in theirs.attributes:
        index = next((i for i, a in enumerate(merged) if a.name == attribute.name), None)
        if index is None:
            merged.append(attribute)
            continue
        own = merged[index]
        if own.kind != attribute.kind:
            notes.append(
                f"{mine.name!r}: attribute {attribute.name!r} is {attribute.kind} in "
                f"the file but {own.kind} here; kept the project's"
            )
        elif own.kind is AttributeKind.CHOICE:
            extra = tuple(c for c in attribute.choices if c not in own.choices)
            if extra:
                merged[index] = replace(own, choices=own.choices + extra)
    return tuple(merged), notes


# -- relation types ------------------------------------------------------------------------------


def _type_row(s: Session, name: str) -> RelationType:
    row = s.scalar(select(RelationType).where(RelationType.name == name))
    if row is None:
        raise CodebookError(f"there is no relation type named {name!r}")
    return row


def _check_type(s: Session, relation_type: RelationTypeDef, ignore: str | None = None) -> str:
    name = _valid_name(relation_type.name, "relation type")
    if name != ignore and s.scalar(select(RelationType.id).where(RelationType.name == name)):
        raise CodebookError(f"a relation type named {name!r} already exists")
    if not is_valid_color(relation_type.color):
        raise CodebookError(f"{relation_type.color!r} is not a colour like #4a90e2")
    labels = set(s.scalars(select(Label.name)))
    for end in (*relation_type.sources, *relation_type.targets):
        if end not in labels:
            raise CodebookError(f"relation type {name!r}: there is no label named {end!r}")
    names = [a.name.strip() for a in relation_type.attributes]
    for attribute in relation_type.attributes:
        if name_problem(attribute.name) not in (None, "is empty"):
            _valid_name(attribute.name, f"relation type {name!r}: attribute")
    if any(not n for n in names) or len(set(names)) != len(names):
        raise CodebookError(f"relation type {name!r}: every attribute needs its own name")
    for attribute in relation_type.attributes:
        if attribute.kind is AttributeKind.CHOICE and not attribute.choices:
            raise CodebookError(
                f"relation type {name!r}: the choice attribute {attribute.name!r} needs at "
                "least one choice"
            )
    return name


@retrying
def add_relation_type(
    project: Project, relation_type: RelationTypeDef, position: int | None = None
) -> None:
    """Add ``relation_type`` at ``position`` (default: last)."""
    with project.transaction() as s:
        name = _check_type(s, relation_type)
        count = s.scalar(select(func.count(RelationType.id))) or 0
        position = count if position is None else max(0, min(position, count))
        s.execute(
            update(RelationType)
            .where(RelationType.position >= position)
            .values(position=RelationType.position + 1)
        )
        s.add(relation_type_to_row(replace(relation_type, name=name), position))


@retrying
def update_relation_type(project: Project, name: str, after: RelationTypeDef) -> RelationTypeDef:
    """Replace a relation type's definition (a rename keeps its relations); returns it as it
    was. Relations that no longer fit are kept and read as flagged."""
    with project.transaction() as s:
        row = _type_row(s, name)
        before = relation_type_from_row(row)
        row.name = _check_type(s, after, ignore=name)
        row.color = after.color
        row.sources = list(after.sources)
        row.targets = list(after.targets)
        row.directed = after.directed
        row.description = after.description
        row.attributes = [attribute_to_json(a) for a in after.attributes]
        return before


@retrying
def delete_relation_type(project: Project, name: str) -> DeletedRelationType:
    """Delete a relation type and its relations."""
    with project.transaction() as s:
        row = _type_row(s, name)
        deleted = DeletedRelationType(relation_type_from_row(row), row.position)
        ids = list(s.scalars(select(Relation.id).where(Relation.type_id == row.id)))
        deleted.relations = relation_rows.read(s, ids=ids)
        relation_rows.remove(s, ids)
        s.delete(row)
        s.flush()
        s.execute(
            update(RelationType)
            .where(RelationType.position > deleted.position)
            .values(position=RelationType.position - 1)
        )
        return deleted


def restore_relation_type(project: Project, deleted: DeletedRelationType) -> None:
    """Undo :func:`delete_relation_type`: the type, its place and its relations come back."""
    add_relation_type(project, deleted.relation_type, deleted.position)
    if deleted.relations:
        project.restore_relations(deleted.relations)


def merge_relation_types(
    project: Project, relation_types: Sequence[RelationTypeDef], report: MergeReport
) -> None:
    """Add the relation types the project lacks (by name) to ``report.added``; existing types
    keep the project's definition, and a type naming a label the project lacks is a conflict."""
    have = {t.name: t for t in project.relation_types()}
    labels = {label.name for label in project.labels()}
    for relation_type in relation_types:
        mine = have.get(relation_type.name)
        if mine is not None:
            if mine != relation_type:
                report.conflicts.append(
                    f"relation type {relation_type.name!r} differs; kept the project's"
                )
            continue
        missing = [n for n in (*relation_type.sources, *relation_type.targets) if n not in labels]
        if missing:
            report.conflicts.append(
                f"relation type {relation_type.name!r} joins {missing[0]!r}, which is not a "
                "label here; not added"
            )
            continue
        add_relation_type(project, relation_type)
        report.added.append(relation_type.name)
