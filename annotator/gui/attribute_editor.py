"""Edits the selected annotation: its label, a form built from the label's attributes, a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.labels import AttributeDef, AttributeKind
from annotator.core.model import Annotation
from annotator.core.snapping import PAIRS
from annotator.gui.changes import Changes
from annotator.gui.commands import EditAnnotation
from annotator.gui.context import AppContext
from annotator.gui.formatting import FocusOutWatcher, escape_html, excerpt, show_value
from annotator.gui.icons import icon_button
from annotator.gui.label_model import LabelListModel, label_combo
from annotator.gui.undo import push

UNSET = ""


_OPENING = tuple(PAIRS)
_CLOSING = tuple(PAIRS.values())


def quoted_heading(text: str) -> str:
    """The span in quotation marks, unless it brings its own (no ““keep up…””)."""
    shown = excerpt(text, 120)
    if shown.startswith(_OPENING) or shown.endswith(_CLOSING):
        return shown
    return f"“{shown}”"


class FieldKeys(QObject):
    """Keys in the attribute fields.

    - Undo/Redo are the window's (one undo stack, no field-local undo): the field first goes
      back to the stored value, so the field and the store never disagree.
    - In a choice: a digit picks the choice with that number, a letter the first choice that
      starts with it (label keys do not fire while a choice has focus).
    - Enter and Escape end the prompt after labelling.
    """

    def __init__(self, editor: AttributeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
            QKeySequence.StandardKey.Redo
        ):
            if kind == QEvent.Type.ShortcutOverride:
                self.editor.reset_fields()
                event.ignore()
            return True  # the field never handles it: the window's Undo/Redo shortcut does
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if isinstance(watched, QComboBox) and plain and event.text().isalnum():
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key is the choice's, not a label key
                return True
            self.editor.choose_by_key(watched, event.text())
            return True
        if kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.editor.end_prompt()
            return True
        return False


class AttributeEditor(QWidget):
    #: a hint for the status bar (what to type after labelling)
    prompt = Signal(str)
    #: the keyboard is done with the form: give the reader the focus back
    finished = Signal()

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
        self._keys = FieldKeys(self)
        #: the text field a click on a highlighted span fills (a quote's speaker), if any
        self.picking: QLineEdit | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.label_box = QComboBox()
        self.label_model = LabelListModel(self, icons=False)
        label_combo(self.label_box, self.label_model)
        self._labels_shown: list | None = None
        self.label_box.activated.connect(self._label_chosen)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.note = QPlainTextEdit(placeholderText="Note")
        self.note.setMaximumHeight(90)
        self.note.installEventFilter(FocusOutWatcher(self._note_done, self))
        self.note.installEventFilter(self._keys)
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
            self.set_picking(None)
        self.annotation = annotation
        has = annotation is not None
        for widget in (self.heading, self.label_box, self.form_host, self.note):
            widget.setVisible(has)
        self.empty.setVisible(not has)
        self.read_only_note.setVisible(False)
        if annotation is None:
            self._clear_form()
            return
        quoted = escape_html(quoted_heading(annotation.text))
        self.heading.setText(
            f"<b>{quoted}</b><br><small>characters {annotation.start}–{annotation.end}</small>"
        )
        labels = self.ctx.labels()
        if labels is not self._labels_shown:  # the same codebook: no reset per selection
            self.label_model.set_labels(labels)
            self._labels_shown = labels
        self.label_box.setCurrentIndex(self.label_model.row_of(annotation.label))
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
                box.setToolTip("Type a choice's number (1, 2, …) or first letter")
                box.installEventFilter(self._keys)
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
                line.returnPressed.connect(lambda le=line: self._advance(le))
                line.installEventFilter(self._keys)
                return line
            case _:
                line = QLineEdit("" if value is None else show_value(value))
                line.editingFinished.connect(self._attributes_edited)
                line.returnPressed.connect(lambda le=line: self._advance(le))
                line.installEventFilter(self._keys)
                host = QWidget()
                row = QHBoxLayout(host)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(line)
                fill = icon_button(
                    "fill", "Fill from selection", "Fill from the text selected in the reader"
                )
                fill.clicked.connect(lambda _=False, le=line: self._fill_from_selection(le))
                row.addWidget(fill)
                pick = icon_button(
                    "pick",
                    "Pick from the text",
                    "Pick: click a highlighted span in the text (a name) to fill this",
                    checkable=True,
                )
                pick.toggled.connect(lambda on, le=line: self.set_picking(le if on else None))
                row.addWidget(pick)
                host.line = line  # type: ignore[attr-defined]
                host.pick = pick  # type: ignore[attr-defined]
                line.pick = pick  # type: ignore[attr-defined]
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

    # -- the keyboard ---------------------------------------------------------------------------

    def reset_fields(self) -> None:
        """Show the stored values again, dropping what is typed but not saved."""
        if self.annotation is None:
            return
        self._note_timer.stop()
        self.note.blockSignals(True)
        self.note.setPlainText(self.annotation.note)
        self.note.blockSignals(False)
        for name, editor in self._editors.items():
            line = editor if isinstance(editor, QLineEdit) else getattr(editor, "line", None)
            if isinstance(line, QLineEdit):
                value = self.annotation.attributes.get(name)
                line.setText("" if value is None else show_value(value))

    def choose_by_key(self, box: QComboBox, key: str) -> None:
        """A digit picks that choice (1 is the first); a letter the next choice starting with
        it (again to cycle)."""
        if key.isdigit():
            index = int(key)
            if not 0 < index < box.count():
                return
        else:
            starts = [
                i for i in range(1, box.count()) if box.itemText(i).lower().startswith(key.lower())
            ]
            if not starts:
                return
            index = next((i for i in starts if i > box.currentIndex()), starts[0])
        box.setCurrentIndex(index)
        self._attributes_edited()
        self._advance(box)

    def _missing_required(self) -> list[str]:
        label = self.ctx.label(self.annotation.label) if self.annotation else None
        values = self.annotation.attributes if self.annotation else {}
        return [
            a.name
            for a in (label.attributes if label else ())
            if a.required and values.get(a.name) in (None, "")
        ]

    def prompt_required(self) -> bool:
        """Right after labelling: put the keyboard in the first required attribute that has
        no value (a text one also picks from a click on a span). False when none is missing."""
        missing = self._missing_required()
        if not missing:
            return False
        editor = self._editors[missing[0]]
        line = getattr(editor, "line", None)
        target = line if isinstance(line, QLineEdit) else editor
        target.setFocus()
        if isinstance(line, QLineEdit):
            line.pick.setChecked(True)  # type: ignore[attr-defined]
            how = "type it or click a name in the text"
        elif isinstance(editor, QComboBox):
            how = "type a choice's number or first letter"
        else:
            how = "fill it in"
        self.prompt.emit(f"{missing[0]} is required: {how}; Enter saves, Esc skips.")
        return True

    def _advance(self, _editor: QWidget) -> None:
        """After a value from the keyboard: the next required field, or back to the text."""
        if not self.prompt_required():
            self.end_prompt()

    def end_prompt(self) -> None:
        self.set_picking(None)
        self.finished.emit()

    def set_picking(self, line: QLineEdit | None) -> None:
        previous, self.picking = self.picking, line
        if previous is not None and previous is not line:
            pick = getattr(previous, "pick", None)
            if pick is not None:
                pick.blockSignals(True)
                pick.setChecked(False)
                pick.blockSignals(False)

    def fill_picked(self, text: str) -> None:
        line = self.picking
        if line is None:
            return
        self.set_picking(None)
        line.pick.setChecked(False)  # type: ignore[attr-defined]
        line.setText(text)
        self._attributes_edited()
        self._advance(line)

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
