"""Edits the selected annotation: its label, a form built from the label's attributes, a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.labels import AttributeDef, AttributeKind
from annotator.core.model import Annotation
from annotator.gui.changes import Changes
from annotator.gui.commands import EditAnnotation
from annotator.gui.context import AppContext
from annotator.gui.formatting import FocusOutWatcher, escape_html, excerpt, show_value
from annotator.gui.undo import push

UNSET = ""


class AttributeEditor(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        selection_text: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selection_text = selection_text
        self.annotation: Annotation | None = None
        self._editors: dict[str, QWidget] = {}
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.label_box = QComboBox()
        self.label_box.activated.connect(self._label_chosen)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.note = QPlainTextEdit(placeholderText="Note")
        self.note.setMaximumHeight(90)
        self.note.installEventFilter(FocusOutWatcher(self._note_done, self))
        # a note also saves itself when typing pauses, so nothing waits on a focus change
        self._note_timer = QTimer(self, singleShot=True, interval=700, timeout=self._note_done)
        self.note.textChanged.connect(self._note_timer.start)
        self.read_only_note = QLabel()  # someone else's annotation: why it cannot be edited
        self.read_only_note.setWordWrap(True)
        self.empty = QLabel("Select an annotation to edit its attributes.")
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.addWidget(self.empty)
        layout.addWidget(self.heading)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.label_box)
        layout.addWidget(self.form_host)
        layout.addWidget(self.note)
        layout.addStretch(1)
        ctx.events.changed.connect(self._changed)
        self.show_annotation(None)

    def _changed(self, changes: Changes) -> None:
        if changes.labels:
            self._labels_changed()
        if changes.annotations:
            self._apply_change(changes.removed, changes.added)

    def _labels_changed(self) -> None:
        """Rebuild the form from the new definitions (the annotation itself is unchanged)."""
        if self.annotation is not None and self.ctx.label(self.annotation.label) is None:
            self.show_annotation(None)  # its label was renamed or deleted
        else:
            self.show_annotation(self.annotation)

    # -- showing -------------------------------------------------------------------------------

    def show_annotation(self, annotation: Annotation | None) -> None:
        leaving = self.annotation is not None and (
            annotation is None or annotation.id != self.annotation.id
        )
        if leaving:
            self._note_done()
        self.annotation = annotation
        has = annotation is not None
        for widget in (self.heading, self.label_box, self.form_host, self.note):
            widget.setVisible(has)
        self.empty.setVisible(not has)
        self.read_only_note.setVisible(False)
        if annotation is None:
            self._clear_form()
            return
        quoted = escape_html(excerpt(annotation.text, 120))
        self.heading.setText(
            f"<b>“{quoted}”</b><br><small>characters {annotation.start}–{annotation.end}</small>"
        )
        self.label_box.clear()
        for label in self.ctx.labels():
            self.label_box.addItem(label.name, label.name)
            self.label_box.setItemData(
                self.label_box.count() - 1, QColor(label.color), Qt.ItemDataRole.DecorationRole
            )
        self.label_box.setCurrentIndex(self.label_box.findData(annotation.label))
        self._build_form(annotation)
        self.note.blockSignals(True)
        self.note.setPlainText(annotation.note)
        self.note.blockSignals(False)
        self._note_timer.stop()
        self._show_ownership(annotation)

    def _show_ownership(self, annotation: Annotation) -> None:
        """Another person's annotation is shown, but read-only, with the reason."""
        yours = self.ctx.owns(annotation)
        self.read_only_note.setVisible(not yours)
        self.read_only_note.setText("" if yours else self.ctx.not_yours(annotation))
        for widget in (self.label_box, self.form_host):
            widget.setEnabled(yours)
        self.note.setReadOnly(not yours)

    def _clear_form(self) -> None:
        while self.form.rowCount():
            # deleteLater: a button of the old form may be the very sender of this rebuild
            row = self.form.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().deleteLater()
        self._editors.clear()

    def _build_form(self, annotation: Annotation) -> None:
        self._clear_form()
        label = self.ctx.label(annotation.label)
        definitions = list(label.attributes) if label else []
        known = {d.name for d in definitions}
        for definition in definitions:
            value = annotation.attributes.get(definition.name)
            editor = self._editor_for(definition, value)
            self._editors[definition.name] = editor
            caption = definition.name + (" *" if definition.required else "")
            if not definition.accepts(value):
                caption += " ⚠"
                editor.setToolTip(
                    f"{show_value(value)!r} does not fit this attribute's "
                    "definition; it is kept until you change it"
                )
            self.form.addRow(caption, editor)
        for name, value in annotation.attributes.items():
            if name not in known:  # kept from an older codebook: shown, never dropped
                extra = QLabel(f"{escape_html(show_value(value))} ⚠")
                extra.setToolTip("This attribute is no longer defined for the label; kept as is.")
                self.form.addRow(name, extra)

    def _editor_for(self, definition: AttributeDef, value: Any) -> QWidget:
        match definition.kind:
            case AttributeKind.CHOICE:
                box = QComboBox()
                box.addItem("—", UNSET)
                for choice in definition.choices:
                    box.addItem(choice, choice)
                if value not in (None, UNSET) and value not in definition.choices:
                    box.addItem(f"{value} (not a choice)", value)
                box.setCurrentIndex(max(0, box.findData(value if value is not None else UNSET)))
                box.activated.connect(self._attributes_edited)
                return box
            case AttributeKind.BOOLEAN:
                check = QCheckBox()
                check.setTristate(True)
                check.setCheckState(
                    Qt.CheckState.PartiallyChecked
                    if value is None
                    else Qt.CheckState.Checked
                    if value
                    else Qt.CheckState.Unchecked
                )
                check.setToolTip("Partly checked: not set")
                check.clicked.connect(self._attributes_edited)
                return check
            case AttributeKind.NUMBER:
                line = QLineEdit("" if value is None else show_value(value))
                line.setValidator(QDoubleValidator(line))
                line.editingFinished.connect(self._attributes_edited)
                return line
            case _:
                line = QLineEdit("" if value is None else show_value(value))
                line.editingFinished.connect(self._attributes_edited)
                host = QWidget()
                row = QHBoxLayout(host)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(line)
                fill = QToolButton(text="⇐", toolTip="Fill from the text selected in the reader")
                fill.clicked.connect(lambda _=False, le=line: self._fill_from_selection(le))
                row.addWidget(fill)
                host.line = line  # type: ignore[attr-defined]
                return host

    # -- editing -------------------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        assert self.annotation is not None
        values = dict(self.annotation.attributes)
        for name, editor in self._editors.items():
            values[name] = _read(editor)
        return {k: v for k, v in values.items() if v is not None}

    def _attributes_edited(self) -> None:
        if self.annotation is None or not self.ctx.owns(self.annotation):
            return
        values = self._values()
        if values != self.annotation.attributes:
            self._push(EditAnnotation(self.ctx, self.annotation, attributes=values))

    def _label_chosen(self) -> None:
        name = self.label_box.currentData()
        if (
            self.annotation is not None
            and name
            and name != self.annotation.label
            and self.ctx.owns(self.annotation)
        ):
            self._push(EditAnnotation(self.ctx, self.annotation, label=name))

    def commit_pending(self) -> None:
        """Save a note still being typed (e.g. when the window closes)."""
        self._note_done()

    def _note_done(self) -> None:
        self._note_timer.stop()
        if (
            self.annotation is not None
            and self.note.toPlainText() != self.annotation.note
            and self.ctx.owns(self.annotation)
        ):
            self._push(EditAnnotation(self.ctx, self.annotation, note=self.note.toPlainText()))

    def _push(self, command: EditAnnotation) -> None:
        """Push an edit; one that was not saved (reported by :func:`push`) puts the form back to
        what is saved, so it is not tried again on leaving the annotation."""
        if not push(self.ctx, command) and self.annotation is not None:
            self.show_annotation(self.annotation)

    def _fill_from_selection(self, line: QLineEdit) -> None:
        text = self.selection_text()
        if text:
            line.setText(text)
            self._attributes_edited()

    def _apply_change(self, removed: tuple[Annotation, ...], added: tuple[Annotation, ...]) -> None:
        if self.annotation is None:
            return
        current = self.annotation.id
        replacement = next((a for a in added if a.id == current), None)
        if (
            replacement is not None
            and replacement.label == self.annotation.label
            and self._values() == replacement.attributes
        ):
            self.annotation = replacement  # the form already shows these values
            if self.note.toPlainText() != replacement.note and not self.note.hasFocus():
                self.note.blockSignals(True)
                self.note.setPlainText(replacement.note)
                self.note.blockSignals(False)
        elif replacement is not None:
            self.show_annotation(replacement)
        elif any(a.id == current for a in removed):
            self.show_annotation(None)


def _read(editor: QWidget) -> Any:
    if isinstance(editor, QComboBox):
        value = editor.currentData()
        return None if value == UNSET else value
    if isinstance(editor, QCheckBox):
        state = editor.checkState()
        return None if state == Qt.CheckState.PartiallyChecked else state == Qt.CheckState.Checked
    line = editor if isinstance(editor, QLineEdit) else editor.line  # type: ignore[attr-defined]
    text = line.text().strip()
    if not text:
        return None
    if isinstance(line.validator(), QDoubleValidator):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    return text
