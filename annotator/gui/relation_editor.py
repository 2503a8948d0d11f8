"""The selected relation's note and attributes (those its type defines), each edit one
undoable command; shown under the annotation panel's list of relations."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QWidget,
)

from annotator.core.labels import AttributeDef, AttributeKind
from annotator.core.model import Relation
from annotator.gui.commands import EditRelation
from annotator.gui.context import AppContext
from annotator.gui.undo import push

UNSET = "—"


class RelationEditor(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Selected relation", parent)
        self.ctx = ctx
        self.relation: Relation | None = None
        self.form = QFormLayout(self)
        self.note = QLineEdit(placeholderText="Note")
        self.note.editingFinished.connect(self._note_done)
        self.form.addRow("Note", self.note)  # row 0, always; the attributes' rows follow
        self.fields: dict[str, QWidget] = {}
        self.setVisible(False)

    def show_relation(self, relation: Relation | None) -> None:
        """Edit ``relation`` (None: hide). The same relation again (after one of its own edits)
        only takes the new values: its fields are not rebuilt under the one being used."""
        same = (
            relation is not None
            and self.relation is not None
            and (relation.id, relation.type) == (self.relation.id, self.relation.type)
        )
        self.relation = relation
        if same:
            return
        self.setVisible(relation is not None)
        while self.form.rowCount() > 1:
            self.form.removeRow(1)  # the previous relation's attribute fields (deleted)
        self.fields = {}
        if relation is None:
            return
        self.setTitle(f"Selected relation: {relation.type}")
        self.note.setText(relation.note)
        self.note.setEnabled(not self.ctx.project.read_only)
        definition = next((t for t in self.ctx.relation_types() if t.name == relation.type), None)
        for attribute in definition.attributes if definition else ():
            field = self._field(attribute, relation.attributes.get(attribute.name))
            field.setEnabled(not self.ctx.project.read_only)
            self.fields[attribute.name] = field
            self.form.addRow(attribute.name, field)

    def _field(self, attribute: AttributeDef, value: Any) -> QWidget:
        if attribute.kind is AttributeKind.BOOLEAN:
            box = QCheckBox()
            box.setChecked(value is True)
            box.toggled.connect(lambda on, n=attribute.name: self._set(n, on))
            return box
        if attribute.kind is AttributeKind.CHOICE:
            combo = QComboBox()
            combo.addItem(UNSET, None)
            for choice in attribute.choices:
                combo.addItem(choice, choice)
            combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
            combo.currentIndexChanged.connect(
                lambda _i, c=combo, n=attribute.name: self._set(n, c.currentData())
            )
            return combo
        line = QLineEdit("" if value is None else str(value))
        line.editingFinished.connect(
            lambda ln=line, a=attribute: self._set(a.name, _parsed(ln.text(), a.kind))
        )
        return line

    def _set(self, name: str, value: Any) -> None:
        relation = self.relation
        if relation is None or relation.attributes.get(name) == value:
            return
        attributes = {k: v for k, v in relation.attributes.items() if k != name}
        if value not in (None, ""):
            attributes[name] = value
        command = EditRelation(self.ctx, relation, attributes=attributes)
        if push(self.ctx, command) and command.after is not None:
            self.relation = command.after

    def _note_done(self) -> None:
        relation = self.relation
        if relation is None or self.note.text() == relation.note:
            return
        command = EditRelation(self.ctx, relation, note=self.note.text())
        if push(self.ctx, command) and command.after is not None:
            self.relation = command.after


def _parsed(text: str, kind: AttributeKind) -> Any:
    text = text.strip()
    if kind is AttributeKind.NUMBER and text:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    return text or None
