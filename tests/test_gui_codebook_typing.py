"""The codebook dialog as a person types in it: Tab and Enter in its fields (issue 27: a rename
followed by Tab moved the selection to the first label; Enter in a field pressed "Add label")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from annotator.core.labels import DEFAULT_LABELS
from annotator.gui.codebook_dialog import CodebookDialog


@pytest.fixture
def dialog(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a, **_k: pytest.fail("a warning"))
    box = CodebookDialog(window.ctx, window)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    return box


def names(window) -> list[str]:
    return [label.name for label in window.ctx.project.labels()]


def click_row(qtbot, dialog, name: str) -> None:
    row = next(
        i
        for i in range(dialog.labels.count())
        if dialog.label_model.index(i).data(Qt.ItemDataRole.UserRole) == name
    )
    rect = dialog.labels.visualRect(dialog.label_model.index(row))
    qtbot.mouseClick(dialog.labels.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.current_label().name == name


def type_name(qtbot, dialog, text: str) -> None:
    """Click into the Name field, select what is there and type over it."""
    qtbot.mouseClick(dialog.name, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.name.hasFocus)
    qtbot.keyClick(dialog.name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.name, text)


def button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text and b.isVisible())


def test_a_renamed_label_stays_selected_and_takes_the_next_edits(qtbot, window, dialog) -> None:
    click_row(qtbot, dialog, "Organisation")
    type_name(qtbot, dialog, "Org")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    assert names(window)[2] == "Org"
    assert dialog.current_label().name == "Org"
    assert dialog.name.text() == "Org"
    # its key, typed into the Key field
    qtbot.mouseClick(dialog.shortcut, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.shortcut, Qt.Key.Key_K)
    qtbot.keyClick(dialog.shortcut, Qt.Key.Key_Tab)
    # a new attribute
    qtbot.mouseClick(button(dialog, "Add attribute"), Qt.MouseButton.LeftButton)
    org = window.ctx.project.labels()[2]
    assert (org.name, org.shortcut) == ("Org", "K")
    assert [a.name for a in org.attributes] == [
        *(a.name for a in DEFAULT_LABELS[2].attributes),
        "attribute 1",
    ]
    first = window.ctx.project.labels()[0]
    assert first == DEFAULT_LABELS[0]  # nothing went to the first label
    # undoing the rename keeps the same label selected, under its old name
    window.ctx.undo_stack.undo()  # the attribute
    window.ctx.undo_stack.undo()  # the key
    window.ctx.undo_stack.undo()  # the name
    assert names(window)[2] == "Organisation"
    assert dialog.current_label().name == "Organisation"


def test_enter_in_the_name_field_renames_only(qtbot, window, dialog) -> None:
    click_row(qtbot, dialog, "Quote")
    type_name(qtbot, dialog, "Citation")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert names(window) == ["Claim", "Citation", "Organisation", "Tier rating"]
    assert dialog.current_label().name == "Citation"
    assert window.ctx.undo_stack.count() == 1  # the rename, and no "Add label"
    qtbot.keyClick(dialog.name, Qt.Key.Key_Enter)  # again, on the number pad: nothing more
    assert window.ctx.undo_stack.count() == 1


def test_no_button_of_the_dialog_takes_enter(qtbot, dialog) -> None:
    for each in dialog.findChildren(QPushButton):
        assert not each.isDefault() and not each.autoDefault(), each.text()


def test_enter_in_an_attribute_field_applies_the_attribute(qtbot, window, dialog) -> None:
    click_row(qtbot, dialog, "Claim")
    qtbot.mouseClick(button(dialog, "Add attribute"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.attr_name.hasFocus)
    qtbot.keyClicks(dialog.attr_name, "source")
    qtbot.keyClick(dialog.attr_name, Qt.Key.Key_Return)
    claim = window.ctx.project.labels()[0]
    assert [a.name for a in claim.attributes] == [
        *(a.name for a in DEFAULT_LABELS[0].attributes),
        "source",
    ]
    assert names(window) == [label.name for label in DEFAULT_LABELS]  # no label added


def test_a_new_label_named_with_enter_is_the_one_that_gets_its_key(qtbot, window, dialog) -> None:
    qtbot.mouseClick(button(dialog, "Add label"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.name.hasFocus)  # "New label 1", selected for typing over
    qtbot.keyClicks(dialog.name, "Person")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.mouseClick(dialog.shortcut, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.shortcut, Qt.Key.Key_P)
    qtbot.keyClick(dialog.shortcut, Qt.Key.Key_Tab)
    assert names(window) == [*(label.name for label in DEFAULT_LABELS), "Person"]
    assert window.ctx.project.labels()[-1].shortcut == "P"
    assert dialog.current_label().name == "Person"


def test_a_renamed_relation_type_stays_selected_and_takes_the_next_edits(
    qtbot, window, dialog
) -> None:
    box = dialog.relation_types
    dialog.tabs.setCurrentWidget(box)
    names_before = [t.name for t in window.ctx.relation_types()]
    assert len(names_before) >= 2
    second = names_before[1]
    rect = box.types.visualItemRect(box.types.item(1))
    qtbot.mouseClick(box.types.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert box.current().name == second
    qtbot.mouseClick(box.name, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.name.hasFocus)
    qtbot.keyClick(box.name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box.name, "cites")
    qtbot.keyClick(box.name, Qt.Key.Key_Tab)
    assert [t.name for t in window.ctx.relation_types()][1] == "cites"
    assert box.current().name == "cites" and box.name.text() == "cites"
    qtbot.keyClick(box.name, Qt.Key.Key_Return)  # Enter in the field adds no relation type
    assert len(window.ctx.relation_types()) == len(names_before)
