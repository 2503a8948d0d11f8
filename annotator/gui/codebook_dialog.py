"""Edit -> Codebook: labels (name, colour, key, description, order) and their attributes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequenceEdit,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator import service
from annotator.core.errors import AnnotatorError
from annotator.core.labels import (
    AttributeDef,
    AttributeKind,
    LabelDef,
    RelationTypeDef,
    next_color,
)
from annotator.core.snapping import SnapMode
from annotator.core.templates import TEMPLATES, relation_types_for
from annotator.gui import codebook_commands as cmd
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.delete_label_dialog import DeleteLabelDialog
from annotator.gui.formatting import FocusOutWatcher, swatch
from annotator.gui.icons import icon_button
from annotator.gui.label_model import LabelList, LabelListModel
from annotator.gui.patterns_page import PatternsPage
from annotator.gui.relation_types_box import RelationTypesBox
from annotator.gui.undo import execute

_CODEBOOKS = "Label sets (*.json);;REFI-QDA codebooks (*.qdc);;Taguette codebooks (*.csv);;"
LABEL_FILTER = f"Codebooks (*.json *.qdc *.csv);;{_CODEBOOKS}All files (*)"
EXPORT_FILTER = (
    f"Codebooks (*.json *.qdc *.csv *.xml);;{_CODEBOOKS}"
    "Label Studio labelling config (*.xml);;All files (*)"
)


class CodebookDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Codebook")
        self.label_model = LabelListModel(
            self, text=_row_text, tip=lambda _label, n: f"{n} annotations"
        )
        self.labels = LabelList(self.label_model)
        # the selection is kept by the label's row id, not its name: a rename keeps it
        self._ids: dict[str, int] = {}
        self._selected: int | None = None
        self.labels.currentRowChanged.connect(lambda _row: self._selection_changed())
        self.name = QLineEdit()
        self.name.editingFinished.connect(self._rename)
        self.color = QPushButton()
        self.color.clicked.connect(self._pick_color)
        self.shortcut = QKeySequenceEdit()
        self.shortcut.setMaximumSequenceLength(1)
        self.shortcut.editingFinished.connect(self._set_shortcut)
        clear_key = QToolButton(text="Clear", toolTip="Remove the shortcut")
        clear_key.clicked.connect(self._clear_shortcut)
        key_row = _row(self.shortcut, clear_key)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(70)
        self.description.installEventFilter(FocusOutWatcher(self._describe, self))
        self.snap = QComboBox(toolTip="How a selection snaps before it gets this label")
        for mode in SnapMode:
            self.snap.addItem(mode.title, mode.value)
        self.snap.activated.connect(self._set_snap)
        self.attributes = QListWidget()
        self.attributes.currentRowChanged.connect(lambda _row: self._show_attribute())
        self.attr_name = QLineEdit()
        self.attr_name.returnPressed.connect(self._apply_attribute)
        self.attr_kind = QComboBox()
        for kind in AttributeKind:
            self.attr_kind.addItem(kind.value, kind.value)
        self.attr_kind.currentIndexChanged.connect(self._kind_changed)
        self.attr_choices = QPlainTextEdit(placeholderText="One choice per line")
        self.attr_choices.setMaximumHeight(90)
        self.attr_required = QCheckBox("Required")
        self.attr_default = QLineEdit(placeholderText="(none)")
        self.attr_default.returnPressed.connect(self._apply_attribute)
        apply_attr = QPushButton("Apply")
        apply_attr.clicked.connect(self._apply_attribute)
        add_attr = QPushButton("Add attribute")
        add_attr.clicked.connect(self._add_attribute)
        self.delete_attr = QPushButton("Delete attribute")
        self.delete_attr.clicked.connect(self._delete_attribute)
        self._build(key_row, apply_attr, add_attr)
        # Enter in a field commits that field; no button may take it as the dialog's default
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        ctx.events.changed.connect(self._changed)
        self.refresh()
        self.resize(820, 560)

    # -- layout --------------------------------------------------------------------------------

    def _build(self, key_row: QWidget, apply_attr: QPushButton, add_attr: QPushButton) -> None:
        add = QPushButton("Add label")
        add.clicked.connect(self._add_label)
        delete = QPushButton("Delete")
        delete.clicked.connect(self._delete_label)
        up = icon_button("up", "Move up", "Move the label up")
        up.clicked.connect(lambda: self._move(-1))
        down = icon_button("down", "Move down", "Move the label down")
        down.clicked.connect(lambda: self._move(1))
        left = QVBoxLayout()
        left.addWidget(self.labels)
        left.addWidget(_row(add, delete, up, down))

        label_box = QGroupBox("Label")
        form = QFormLayout(label_box)
        form.addRow("Name", self.name)
        form.addRow("Colour", self.color)
        form.addRow("Key", key_row)
        form.addRow("Description", self.description)
        form.addRow("Snapping", self.snap)

        attribute_box = QGroupBox("Attributes")
        attribute_form = QFormLayout()
        attribute_form.addRow("Name", self.attr_name)
        attribute_form.addRow("Kind", self.attr_kind)
        attribute_form.addRow("Choices", self.attr_choices)
        attribute_form.addRow("Default", self.attr_default)
        attribute_form.addRow("", self.attr_required)
        attribute_form.addRow("", apply_attr)
        attribute_layout = QHBoxLayout(attribute_box)
        attribute_list = QVBoxLayout()
        attribute_list.addWidget(self.attributes)
        attribute_list.addWidget(_row(add_attr, self.delete_attr))
        attribute_layout.addLayout(attribute_list, 1)
        attribute_layout.addLayout(attribute_form, 2)

        right = QVBoxLayout()
        right.addWidget(label_box)
        right.addWidget(attribute_box, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)

        templates = QPushButton("Import template")
        menu = QMenu(templates)
        for key, (title, labels) in TEMPLATES.items():
            action = menu.addAction(title)
            action.triggered.connect(
                lambda _=False, ls=labels, k=key: self._merge(ls, k, relation_types_for(ls))
            )
        templates.setMenu(menu)
        import_file = QPushButton("Import labels…")
        import_file.clicked.connect(self._import_file)
        export_file = QPushButton("Export labels…")
        export_file.clicked.connect(self._export_file)
        undo = QPushButton("Undo")
        undo.clicked.connect(self.ctx.undo_stack.undo)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = QPushButton("Redo")
        redo.clicked.connect(self.ctx.undo_stack.redo)
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        footer = QHBoxLayout()
        for widget in (templates, import_file, export_file):
            footer.addWidget(widget)
        footer.addStretch(1)
        for widget in (undo, redo, close):
            footer.addWidget(widget)
        labels_page = QWidget()
        labels_page.setLayout(body)
        self.relation_types = RelationTypesBox(self.ctx, self._run)
        self.patterns_page = PatternsPage(self.ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(labels_page, "Labels")
        self.tabs.addTab(self.relation_types, "Relation types")
        self.tabs.addTab(self.patterns_page, "Patterns")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)

    # -- showing -------------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.labels:
            self.refresh()
            self.relation_types.refresh()

    def refresh(self) -> None:
        """Re-read the codebook (after any edit, including undo), keeping the selection."""
        self.labels.blockSignals(True)
        # One model reset, not an item per label: a codebook of 100,000 labels stays quick.
        self.label_model.set_labels(self.ctx.labels())
        self.label_model.set_counts(self.ctx.project.annotation_counts(), 0)
        self._ids = self.ctx.project.label_ids()
        name = next((n for n, i in self._ids.items() if i == self._selected), None)
        row = self.label_model.row_of(name) if name is not None else -1
        self.labels.setCurrentRow(max(row, 0) if self.label_model.rowCount() else -1)
        self.labels.blockSignals(False)
        self._selection_changed()

    def _selection_changed(self) -> None:
        name = self.labels.current_name()
        self._selected = self._ids.get(name) if name is not None else None
        self._show_label()

    def current_label(self) -> LabelDef | None:
        name = self.labels.current_name()
        return self.ctx.label(name) if name is not None else None

    def _show_label(self) -> None:
        label = self.current_label()
        for widget in (
            self.name,
            self.color,
            self.shortcut,
            self.description,
            self.attributes,
            self.snap,
        ):
            widget.setEnabled(label is not None)
        if label is None:
            return
        self.name.setText(label.name)
        self.color.setIcon(swatch(label.color))
        self.color.setText(label.color)
        self.shortcut.setKeySequence(QKeySequence(label.shortcut or ""))
        self.description.setPlainText(label.description)
        self.snap.setCurrentIndex(self.snap.findData(SnapMode(label.snap).value))
        selected = self.attributes.currentRow()
        self.attributes.blockSignals(True)
        self.attributes.clear()
        for attribute in label.attributes:
            self.attributes.addItem(f"{attribute.name} ({attribute.kind})")
        count = len(label.attributes)
        self.attributes.setCurrentRow(min(max(selected, 0), count - 1) if count else -1)
        self.attributes.blockSignals(False)
        self._show_attribute()

    def current_attribute(self) -> AttributeDef | None:
        label, row = self.current_label(), self.attributes.currentRow()
        return label.attributes[row] if label and 0 <= row < len(label.attributes) else None

    def _show_attribute(self) -> None:
        attribute = self.current_attribute()
        for widget in (
            self.attr_name,
            self.attr_kind,
            self.attr_choices,
            self.attr_required,
            self.attr_default,
            self.delete_attr,
        ):
            widget.setEnabled(attribute is not None)
        if attribute is None:
            for line in (self.attr_name, self.attr_default):
                line.clear()
            self.attr_choices.clear()
            return
        self.attr_name.setText(attribute.name)
        self.attr_kind.setCurrentIndex(self.attr_kind.findText(attribute.kind.value))
        self.attr_choices.setPlainText("\n".join(attribute.choices))
        self.attr_required.setChecked(attribute.required)
        self.attr_default.setText(
            ""
            if attribute.default is None
            else json.dumps(attribute.default)
            if not isinstance(attribute.default, str)
            else attribute.default
        )
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.attr_choices.setEnabled(
            self._kind() is AttributeKind.CHOICE and self.current_attribute() is not None
        )

    def _kind(self) -> AttributeKind:
        return AttributeKind(self.attr_kind.currentData())

    # -- label edits ---------------------------------------------------------------------------

    def _run(self, command: cmd.CodebookCommand) -> bool:
        refusal = execute(self.ctx, command)
        if command.failed:  # a bug: the exception hook has shown it
            pass
        elif isinstance(refusal, AnnotatorError):  # not saved (read-only, full disk, file gone)
            QMessageBox.warning(self, "Codebook", f"Not saved: {refusal}")
        elif refusal is not None:
            message = str(refusal)
            QMessageBox.warning(self, "Codebook", message[0].upper() + message[1:] + ".")
            self._show_label()
        return refusal is None

    def _add_label(self) -> None:
        names = {label.name for label in self.ctx.labels()}
        name = next(f"New label {n}" for n in range(1, 1000) if f"New label {n}" not in names)
        color = next_color({label.color for label in self.ctx.labels()})
        if self._run(cmd.AddLabel(self.ctx, LabelDef(name, color))):
            self.labels.setCurrentRow(self.labels.count() - 1)
            self.name.setFocus()
            self.name.selectAll()

    def _rename(self) -> None:
        label = self.current_label()
        if label and self.name.text().strip() != label.name:
            self._run(cmd.UpdateLabel(self.ctx, label.name, name=self.name.text().strip()))

    def _set_snap(self) -> None:
        label, mode = self.current_label(), SnapMode(self.snap.currentData())
        if label and mode is not label.snap:
            self._run(cmd.UpdateLabel(self.ctx, label.name, snap=mode))

    def _pick_color(self) -> None:
        label = self.current_label()
        if label is None:
            return
        color = QColorDialog.getColor(QColor(label.color), self, f"Colour of {label.name}")
        if color.isValid() and color.name() != label.color:
            self._run(cmd.UpdateLabel(self.ctx, label.name, color=color.name()))

    def _set_shortcut(self) -> None:
        label = self.current_label()
        key = self.shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        if label and (key or None) != label.shortcut:
            self._run(cmd.UpdateLabel(self.ctx, label.name, shortcut=key or None))

    def _clear_shortcut(self) -> None:
        self.shortcut.clear()
        self._set_shortcut()

    def _describe(self) -> None:
        label = self.current_label()
        if label and self.description.toPlainText() != label.description:
            self._run(
                cmd.UpdateLabel(self.ctx, label.name, description=self.description.toPlainText())
            )

    def _move(self, delta: int) -> None:
        label, row = self.current_label(), self.labels.currentRow()
        if label and 0 <= row + delta < self.labels.count():
            self._run(cmd.MoveLabel(self.ctx, label.name, row + delta))

    def _delete_label(self) -> None:
        label = self.current_label()
        if label is None:
            return
        count = self.ctx.project.annotation_counts().get(label.name, 0)
        move_to = None
        if count:
            others = [x.name for x in self.ctx.labels() if x.name != label.name]
            ask = DeleteLabelDialog(label.name, count, others, self)
            if ask.exec() != QDialog.DialogCode.Accepted:
                return
            move_to = ask.move_to()
        self._run(cmd.DeleteLabel(self.ctx, label.name, move_to))

    # -- attribute edits -----------------------------------------------------------------------

    def _add_attribute(self) -> None:
        label = self.current_label()
        if label is None:
            return
        names = {a.name for a in label.attributes}
        name = next(f"attribute {n}" for n in range(1, 1000) if f"attribute {n}" not in names)
        if self._run(
            cmd.SetAttributes(
                self.ctx,
                label.name,
                (*label.attributes, AttributeDef(name)),
                f"Add attribute to {label.name}",
            )
        ):
            self.attributes.setCurrentRow(self.attributes.count() - 1)
            self.attr_name.setFocus()
            self.attr_name.selectAll()

    def _delete_attribute(self) -> None:
        label, attribute = self.current_label(), self.current_attribute()
        if label and attribute:
            kept = tuple(a for a in label.attributes if a.name != attribute.name)
            self._run(
                cmd.SetAttributes(
                    self.ctx, label.name, kept, f"Delete attribute {attribute.name} of {label.name}"
                )
            )

    def _apply_attribute(self) -> None:
        label, attribute = self.current_label(), self.current_attribute()
        if label is None or attribute is None:
            return
        kind = self._kind()
        choices = (
            tuple(c.strip() for c in self.attr_choices.toPlainText().splitlines() if c.strip())
            if kind is AttributeKind.CHOICE
            else ()
        )
        edited = AttributeDef(
            attribute.name,
            kind,
            choices,
            self.attr_required.isChecked(),
            _parse_default(self.attr_default.text(), kind),
        )
        new_name = self.attr_name.text().strip()
        # a rename carries annotation values over, so it is its own (undoable) step
        if new_name != attribute.name and not self._run(
            cmd.RenameAttribute(self.ctx, label.name, attribute.name, new_name)
        ):
            return
        edited = replace(edited, name=new_name)
        current = self.ctx.label(label.name)
        if current is None:
            return
        attributes = tuple(edited if a.name == new_name else a for a in current.attributes)
        if attributes != current.attributes:
            self._run(cmd.SetAttributes(self.ctx, label.name, attributes))

    # -- label sets ----------------------------------------------------------------------------

    def _merge(
        self,
        labels: tuple[LabelDef, ...] | list[LabelDef],
        source: str,
        relation_types: Sequence[RelationTypeDef] = (),
    ) -> None:
        command = cmd.MergeLabels(self.ctx, labels, source, relation_types)
        if self._run(command) and command.report is not None:
            report = command.report
            lines = [f"Added: {', '.join(report.added) or 'nothing'}"]
            if report.extended:
                lines.append(f"Extended: {', '.join(report.extended)}")
            lines += report.conflicts
            QMessageBox.information(self, "Labels imported", "\n".join(lines))

    def _import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import labels", "", LABEL_FILTER)
        if path:
            try:
                labels, relation_types = service.read_codebook(Path(path))
            except AnnotatorError as exc:
                QMessageBox.warning(self, "Import labels", str(exc))
                return
            self._merge(labels, Path(path).name, relation_types)

    def _export_file(self) -> None:
        default = str(self.ctx.project.path.with_name(f"{self.ctx.project.path.stem}-labels.json"))
        path, _ = QFileDialog.getSaveFileName(self, "Export labels", default, EXPORT_FILTER)
        if path:
            try:
                service.export_labels(self.ctx.project, Path(path))
            except AnnotatorError as exc:
                QMessageBox.warning(self, "Export labels", str(exc))


def _row_text(label: LabelDef, count: int) -> str:
    key = f"  [{label.shortcut}]" if label.shortcut else ""
    return f"{label.name}{key}  · {count}"


def _row(*widgets: QWidget) -> QWidget:
    host = QWidget()
    layout = QHBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return host


def _parse_default(text: str, kind: AttributeKind) -> object:
    text = text.strip()
    if not text:
        return None
    if kind is AttributeKind.NUMBER:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text  # refused by the codebook with a message
        return int(number) if number.is_integer() else number
    if kind is AttributeKind.BOOLEAN:
        return text.lower() in ("true", "yes", "1", "on")
    return text
