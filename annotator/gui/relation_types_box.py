"""The codebook dialog's relation types: add, rename, recolour, choose the labels each end
allows, directed or not, describe, give typed attributes, delete; every edit one undoable
codebook command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.labels import AttributeDef, AttributeKind, RelationTypeDef, next_color
from annotator.gui import codebook_commands as cmd
from annotator.gui.context import AppContext
from annotator.gui.formatting import FocusOutWatcher, swatch


def describe_ends(relation_type: RelationTypeDef) -> str:
    sources = ", ".join(relation_type.sources) or "any label"
    targets = ", ".join(relation_type.targets) or "any label"
    return f"{sources} {'→' if relation_type.directed else '—'} {targets}"


class RelationTypesBox(QWidget):
    """Lists the project's relation types and edits the selected one."""

    def __init__(
        self,
        ctx: AppContext,
        run: Callable[[cmd.CodebookCommand], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self._run = ctx, run
        self.types = QListWidget()
        self.types.currentRowChanged.connect(lambda _row: self._show())
        self.name = QLineEdit()
        self.name.editingFinished.connect(self._rename)
        self.color = QPushButton()
        self.color.clicked.connect(self._pick_color)
        self.sources = QListWidget()
        self.targets = QListWidget()
        for ends in (self.sources, self.targets):
            ends.itemChanged.connect(lambda _item: self._ends_changed())
            ends.setToolTip("None ticked: any label")
        self.directed = QCheckBox("Directed (drawn with an arrowhead)")
        self.directed.toggled.connect(self._directed_changed)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(60)
        self.description.installEventFilter(FocusOutWatcher(self._describe, self))
        self.attributes = QListWidget()
        self.attributes.setMaximumHeight(90)
        self.attributes.currentRowChanged.connect(lambda _row: self._show_attribute())
        self.attr_name = QLineEdit()
        self.attr_kind = QComboBox()
        for kind in AttributeKind:
            self.attr_kind.addItem(kind.value, kind.value)
        self.attr_choices = QLineEdit(placeholderText="choices, separated by |")
        self.attr_apply = QPushButton("Apply")
        self.attr_apply.clicked.connect(self._apply_attribute)
        self.attr_add = QPushButton("Add attribute")
        self.attr_add.clicked.connect(self._add_attribute)
        self.attr_delete = QPushButton("Delete attribute")
        self.attr_delete.clicked.connect(self._delete_attribute)
        add = QPushButton("Add relation type")
        add.clicked.connect(self._add)
        self.delete = QPushButton("Delete")
        self.delete.clicked.connect(self._delete)

        left = QVBoxLayout()
        left.addWidget(self.types)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.delete)
        left.addLayout(buttons)
        box = QGroupBox("Relation type")
        form = QFormLayout(box)
        form.addRow("Name", self.name)
        form.addRow("Colour", self.color)
        ends = QHBoxLayout()
        ends.addWidget(self.sources)
        ends.addWidget(self.targets)
        form.addRow("From / to labels", ends)
        form.addRow("", self.directed)
        form.addRow("Description", self.description)
        form.addRow("Attributes", self.attributes)
        attribute_row = QHBoxLayout()
        for widget in (self.attr_name, self.attr_kind, self.attr_choices, self.attr_apply):
            attribute_row.addWidget(widget)
        form.addRow("", attribute_row)
        attribute_buttons = QHBoxLayout()
        attribute_buttons.addWidget(self.attr_add)
        attribute_buttons.addWidget(self.attr_delete)
        attribute_buttons.addStretch(1)
        form.addRow("", attribute_buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(box, 5)
        self.refresh()

    # -- showing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current()
        self.types.blockSignals(True)
        self.types.clear()
        for relation_type in self.ctx.relation_types():
            item = QListWidgetItem(
                swatch(relation_type.color),
                f"{relation_type.name}  · {describe_ends(relation_type)}",
            )
            item.setData(Qt.ItemDataRole.UserRole, relation_type.name)
            self.types.addItem(item)
        names = [t.name for t in self.ctx.relation_types()]
        row = names.index(current.name) if current and current.name in names else 0
        self.types.setCurrentRow(row if names else -1)
        self.types.blockSignals(False)
        self._show()

    def current(self) -> RelationTypeDef | None:
        item = self.types.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((t for t in self.ctx.relation_types() if t.name == name), None)

    def select(self, name: str) -> None:
        for row in range(self.types.count()):
            if self.types.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.types.setCurrentRow(row)

    def _show(self) -> None:
        relation_type = self.current()
        for widget in (
            self.name,
            self.color,
            self.sources,
            self.targets,
            self.directed,
            self.description,
            self.delete,
            self.attributes,
            self.attr_add,
        ):
            widget.setEnabled(relation_type is not None)
        labels = [label.name for label in self.ctx.labels()]
        for ends, chosen in (
            (self.sources, relation_type.sources if relation_type else ()),
            (self.targets, relation_type.targets if relation_type else ()),
        ):
            ends.blockSignals(True)
            ends.clear()
            for name in labels:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked
                )
                ends.addItem(item)
            ends.blockSignals(False)
        selected = self.attributes.currentRow()
        self.attributes.blockSignals(True)
        self.attributes.clear()
        for attribute in relation_type.attributes if relation_type else ():
            choices = f": {' | '.join(attribute.choices)}" if attribute.choices else ""
            self.attributes.addItem(f"{attribute.name} ({attribute.kind}{choices})")
        count = self.attributes.count()
        self.attributes.setCurrentRow(min(max(selected, 0), count - 1) if count else -1)
        self.attributes.blockSignals(False)
        self._show_attribute()
        if relation_type is None:
            self.name.clear()
            self.description.clear()
            return
        self.name.setText(relation_type.name)
        self.color.setIcon(swatch(relation_type.color))
        self.color.setText(relation_type.color)
        self.directed.blockSignals(True)
        self.directed.setChecked(relation_type.directed)
        self.directed.blockSignals(False)
        self.description.setPlainText(relation_type.description)

    # -- edits ---------------------------------------------------------------------------------

    def _update(self, what: str, **changes: object) -> None:
        relation_type = self.current()
        if relation_type is None:
            return
        after = replace(relation_type, **changes)  # type: ignore[arg-type]
        if after != relation_type and self._run(
            cmd.UpdateRelationType(self.ctx, relation_type.name, after, what)
        ):
            self.select(after.name)

    def _add(self) -> None:
        names = {t.name for t in self.ctx.relation_types()}
        name = next(f"related {n}" for n in range(1, 1000) if f"related {n}" not in names)
        color = next_color({t.color for t in self.ctx.relation_types()})
        if self._run(cmd.AddRelationType(self.ctx, RelationTypeDef(name, color))):
            self.select(name)
            self.name.setFocus()
            self.name.selectAll()

    def _delete(self) -> None:
        relation_type = self.current()
        if relation_type is not None:
            self._run(cmd.DeleteRelationType(self.ctx, relation_type.name))

    def _rename(self) -> None:
        relation_type = self.current()
        if relation_type and self.name.text().strip() != relation_type.name:
            self._update("name", name=self.name.text().strip())

    def _pick_color(self) -> None:
        relation_type = self.current()
        if relation_type is None:
            return
        color = QColorDialog.getColor(
            QColor(relation_type.color), self, f"Colour of {relation_type.name}"
        )
        if color.isValid():
            self._update("colour", color=color.name())

    def _ends_changed(self) -> None:
        def ticked(ends: QListWidget) -> tuple[str, ...]:
            return tuple(
                ends.item(row).text()
                for row in range(ends.count())
                if ends.item(row).checkState() == Qt.CheckState.Checked
            )

        self._update("labels", sources=ticked(self.sources), targets=ticked(self.targets))

    def _directed_changed(self, directed: bool) -> None:
        self._update("direction", directed=directed)

    # -- attributes ----------------------------------------------------------------------------

    def current_attribute(self) -> AttributeDef | None:
        relation_type, row = self.current(), self.attributes.currentRow()
        if relation_type is None or not 0 <= row < len(relation_type.attributes):
            return None
        return relation_type.attributes[row]

    def _show_attribute(self) -> None:
        attribute = self.current_attribute()
        for widget in (
            self.attr_name,
            self.attr_kind,
            self.attr_choices,
            self.attr_apply,
            self.attr_delete,
        ):
            widget.setEnabled(attribute is not None)
        if attribute is None:
            self.attr_name.clear()
            self.attr_choices.clear()
            return
        self.attr_name.setText(attribute.name)
        self.attr_kind.setCurrentIndex(self.attr_kind.findData(attribute.kind.value))
        self.attr_choices.setText(" | ".join(attribute.choices))

    def _set_attributes(self, attributes: tuple[AttributeDef, ...], row: int) -> None:
        self._update("attributes", attributes=attributes)
        self.attributes.setCurrentRow(row)

    def _add_attribute(self) -> None:
        relation_type = self.current()
        if relation_type is None:
            return
        names = {a.name for a in relation_type.attributes}
        name = next(f"attribute {n}" for n in range(1, 1000) if f"attribute {n}" not in names)
        self._set_attributes(
            (*relation_type.attributes, AttributeDef(name)), len(relation_type.attributes)
        )
        self.attr_name.setFocus()
        self.attr_name.selectAll()

    def _delete_attribute(self) -> None:
        relation_type, row = self.current(), self.attributes.currentRow()
        if relation_type is None or self.current_attribute() is None:
            return
        kept = relation_type.attributes[:row] + relation_type.attributes[row + 1 :]
        self._set_attributes(kept, max(0, row - 1))

    def _apply_attribute(self) -> None:
        relation_type, row = self.current(), self.attributes.currentRow()
        if relation_type is None or self.current_attribute() is None:
            return
        kind = AttributeKind(self.attr_kind.currentData())
        choices = tuple(c.strip() for c in self.attr_choices.text().split("|") if c.strip())
        edited = AttributeDef(
            self.attr_name.text().strip(),
            kind,
            choices if kind is AttributeKind.CHOICE else (),
        )
        attributes = list(relation_type.attributes)
        attributes[row] = edited
        self._set_attributes(tuple(attributes), row)

    def _describe(self) -> None:
        relation_type = self.current()
        if relation_type and self.description.toPlainText() != relation_type.description:
            self._update("description", description=self.description.toPlainText())
