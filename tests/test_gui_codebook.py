"""The codebook dialog, through its real widgets; every edit undoable; the reader follows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QColorDialog, QDialog, QMessageBox

from annotator.core.labels import DEFAULT_LABELS
from annotator.core.templates import NEWS_ENTITIES
from annotator.gui.codebook_dialog import CodebookDialog
from annotator.gui.delete_label_dialog import DeleteLabelDialog

from .test_gui_reader import format_at, press, select_text, utf16


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: seen.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: None)
    return seen


@pytest.fixture
def dialog(qtbot, window):
    box = CodebookDialog(window.ctx, window)
    qtbot.addWidget(box)
    box.show()
    return box


def names(window) -> list[str]:
    return [label.name for label in window.ctx.project.labels()]


def choose(dialog, name: str) -> None:
    row = next(
        i
        for i in range(dialog.labels.count())
        if dialog.label_model.index(i).data(Qt.ItemDataRole.UserRole) == name
    )
    dialog.labels.setCurrentRow(row)


def test_add_rename_and_undo(qtbot, window, dialog) -> None:
    dialog._add_label()
    assert names(window)[-1] == "New label 1"
    dialog.name.setText("Person")
    dialog.name.editingFinished.emit()
    assert names(window)[-1] == "Person"
    assert "Person" in window.label_bar.buttons  # the main window follows at once
    window.ctx.undo_stack.undo()
    assert names(window)[-1] == "New label 1"
    window.ctx.undo_stack.undo()
    assert names(window) == [label.name for label in DEFAULT_LABELS]
    assert dialog.labels.count() == 4


def test_recolour_updates_the_reader_at_once(qtbot, window, dialog, monkeypatch) -> None:
    start, _ = select_text(window, "Afesip")
    window.label_selection("Organisation")
    before = format_at(window, utf16(window.reader.text, start)).background().color()
    choose(dialog, "Organisation")
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#ff0000"))
    dialog.color.click()
    assert window.ctx.label("Organisation").color == "#ff0000"
    after = format_at(window, utf16(window.reader.text, start)).background().color()
    assert after != before and after.red() > after.green()
    window.ctx.undo_stack.undo()
    assert window.ctx.label("Organisation").color == DEFAULT_LABELS[2].color


def test_rename_keeps_annotations_and_the_reader_shows_them(qtbot, window, dialog) -> None:
    start, _ = select_text(window, "Afesip")
    window.label_selection("Organisation")
    choose(dialog, "Organisation")
    dialog.name.setText("Org")
    dialog.name.editingFinished.emit()
    assert [a.label for a in window.ctx.project.annotations()] == ["Org"]
    assert [a.label for a in window.panel.model.rows] == ["Org"]
    assert format_at(window, utf16(window.reader.text, start)) is not None
    window.ctx.undo_stack.undo()
    assert [a.label for a in window.panel.model.rows] == ["Organisation"]


def test_shortcut_conflict_is_refused_with_a_message(qtbot, window, dialog, warnings) -> None:
    choose(dialog, "Claim")
    dialog.shortcut.setKeySequence(QKeySequence("2"))
    dialog.shortcut.editingFinished.emit()
    assert warnings == ["The shortcut 2 is already used by 'Quote'."]
    assert window.ctx.label("Claim").shortcut == "1"
    assert window.ctx.undo_stack.count() == 0  # nothing refused ever reaches the undo stack
    dialog.shortcut.setKeySequence(QKeySequence("9"))
    dialog.shortcut.editingFinished.emit()
    assert window.ctx.label("Claim").shortcut == "9"
    dialog.close()
    with qtbot.waitActive(window):
        window.activateWindow()
    select_text(window, "Afesip")
    press(qtbot, window, "9")  # the new key labels at once
    assert [a.label for a in window.ctx.project.annotations()] == ["Claim"]


def test_reorder_and_describe(qtbot, window, dialog) -> None:
    choose(dialog, "Tier rating")
    dialog._move(-1)
    assert names(window) == ["Claim", "Quote", "Tier rating", "Organisation"]
    dialog.description.setPlainText("Ratings from the TIP report")
    dialog._describe()
    assert window.ctx.label("Tier rating").description == "Ratings from the TIP report"
    window.ctx.undo_stack.undo()
    window.ctx.undo_stack.undo()
    assert window.ctx.project.labels() == list(DEFAULT_LABELS)


@pytest.mark.parametrize("choice", ["delete", "move"])
def test_deleting_a_used_label_asks_what_to_do(
    qtbot, window, dialog, monkeypatch, choice: str
) -> None:
    select_text(window, "Afesip")
    window.label_selection("Organisation")
    asked: list[str] = []

    def answer(box: DeleteLabelDialog) -> int:
        asked.append(box.windowTitle())
        (box.move_them if choice == "move" else box.delete_them).setChecked(True)
        box.target.setCurrentText("Claim")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeleteLabelDialog, "exec", answer)
    choose(dialog, "Organisation")
    dialog._delete_label()
    assert asked == ["Delete label Organisation"]
    assert "Organisation" not in names(window)
    expected = ["Claim"] if choice == "move" else []
    assert [a.label for a in window.ctx.project.annotations()] == expected
    assert [a.label for a in window.panel.model.rows] == expected
    window.ctx.undo_stack.undo()
    assert names(window) == [label.name for label in DEFAULT_LABELS]
    assert [a.label for a in window.ctx.project.annotations()] == ["Organisation"]


def test_attribute_kinds_edits_and_flagged_values(qtbot, window, dialog) -> None:
    select_text(window, "Afesip")
    window.label_selection("Organisation")
    window.editor._editors["type"].setCurrentIndex(window.editor._editors["type"].findData("NGO"))
    window.editor._editors["type"].activated.emit(0)
    choose(dialog, "Organisation")
    dialog.attributes.setCurrentRow(0)
    dialog.attr_choices.setPlainText("government\ninternational")  # "NGO" removed
    dialog._apply_attribute()
    (annotation,) = window.ctx.project.annotations()
    assert annotation.attributes == {"type": "NGO"}  # kept
    box = window.editor._editors["type"]
    assert box.currentText() == "NGO (not a choice)"  # and flagged
    assert "⚠" in window.editor.form.labelForField(box).text()
    for kind in ("number", "boolean", "text"):
        dialog._add_attribute()
        dialog.attr_name.setText(f"my {kind}")
        dialog.attr_kind.setCurrentIndex(dialog.attr_kind.findText(kind))
        dialog._apply_attribute()
    kinds = [a.kind.value for a in window.ctx.label("Organisation").attributes]
    assert kinds == ["choice", "number", "boolean", "text"]
    assert set(window.editor._editors) == {"type", "my number", "my boolean", "my text"}
    dialog.attributes.setCurrentRow(0)
    dialog.attr_name.setText("kind")
    dialog._apply_attribute()
    assert window.ctx.project.annotations()[0].attributes == {"kind": "NGO"}
    window.ctx.undo_stack.undo()
    assert window.ctx.project.annotations()[0].attributes == {"type": "NGO"}
    dialog.attributes.setCurrentRow(3)
    dialog._delete_attribute()
    assert len(window.ctx.label("Organisation").attributes) == 3


def test_template_import_is_one_undo_step(qtbot, window, dialog, warnings) -> None:
    select_text(window, "Afesip")
    window.label_selection("Organisation")
    dialog._merge(NEWS_ENTITIES, "news-entities")
    assert names(window)[-4:] == ["PER", "ORG", "LOC", "MISC"]
    window.ctx.undo_stack.undo()
    assert names(window) == [label.name for label in DEFAULT_LABELS]
