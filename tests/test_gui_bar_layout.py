"""The bars above the text at any width, on the first run too (issue 27: with the first-run
dialog up, "Colour by layer" and "All layers" were drawn over each other), and buttons that do
not depend on the fonts installed (the pick button was an empty box with DejaVu only)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QRawFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QToolBar,
    QWidget,
)

from annotator.gui.preferences_dialog import PreferencesDialog

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def bar_widgets(window) -> list[tuple[str, QRect]]:
    """Every widget shown in the window's tool bars, where it is in the window."""
    shown = []
    for bar in window.findChildren(QToolBar):
        if not bar.isVisible():
            continue
        for child in bar.findChildren(QWidget):
            if child.isVisible() and child.parentWidget() is bar:
                name = child.text() if isinstance(child, QAbstractButton) else type(child).__name__
                shown.append((f"{bar.objectName()}: {name}", rect_in(window, child)))
    return shown


def check_layout(window, widths=(1400, 1000, 760, 600, 0)) -> None:
    for width in widths:
        window.resize(max(width, window.minimumSizeHint().width()), 640)
        QApplication.processEvents()
        shown = bar_widgets(window)
        for (a, ra), (b, rb) in itertools.combinations(shown, 2):
            assert not ra.intersects(rb), f"at {window.width()} px, {a} {ra} overlaps {b} {rb}"
        for name, rect in shown:
            assert rect.right() < window.width(), f"at {window.width()} px, {name} is cut off"


@pytest.fixture
def first_run(qtbot, window):
    """The window as on the first launch: no name yet, the dialog asking for it up."""
    assert not window.ctx.annotator_name
    dialog = PreferencesDialog(window.ctx.settings, window, first_launch=True)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_no_bar_widget_overlaps_another_on_the_first_run(qtbot, window, first_run) -> None:
    check_layout(window)


def test_no_bar_widget_overlaps_another_with_several_layers(
    qtbot, make_window, sample_project
) -> None:
    document = sample_project.documents()[0].id
    for n, person in enumerate(("Ana Ferreira", "Bounthavy Sisouphanthong", "Chris")):
        sample_project.add_annotations(document, "Claim", [(n * 10, n * 10 + 5)], annotator=person)
    window = make_window(sample_project)
    assert window.layer_bar.isVisible()
    check_layout(window)
    dialog = PreferencesDialog(window.ctx.settings, window, first_launch=True)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    check_layout(window)


def test_naming_oneself_on_the_first_run_keeps_every_layer_button(
    qtbot, make_window, sample_project
) -> None:
    """The first-run dialog, answered as a person does: the bar is rebuilt for the new layer
    and still has "All layers" and "Colour by layer", laid out."""
    document = sample_project.documents()[0].id
    sample_project.add_annotations(document, "Claim", [(0, 5)], annotator="Ana Ferreira")
    window = make_window(sample_project)
    assert not window.layer_bar.isVisible()  # one layer: nothing to choose

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        qtbot.keyClicks(dialog.name, "Dara")
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, answer)  # runs inside the dialog's exec(), once it is up
    window.ask_name_if_unset()
    QApplication.processEvents()
    buttons = [
        (rect.x(), name.removeprefix("layer-bar: "))
        for name, rect in bar_widgets(window)
        if name.startswith("layer-bar") and not name.endswith("QWidget")  # the separator
    ]
    assert [name for _x, name in sorted(buttons)] == [
        "All layers",
        "Ana Ferreira",
        "Dara (you)",
        "Colour by layer",
    ]
    check_layout(window)


def test_every_button_shows_letters_the_default_fonts_have_or_an_icon(qtbot, window) -> None:
    if not DEJAVU.is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    font = QRawFont(str(DEJAVU), 12)
    window.reader.setFocus()
    start = window.reader.text.index("Cambodia")
    cursor = window.reader.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + 8, cursor.MoveMode.KeepAnchor)
    window.reader.setTextCursor(cursor)
    window.label_selection("Quote")  # its speaker: a text field with its fill and pick buttons

    def pick_shown() -> bool:
        buttons = window.editor.findChildren(QAbstractButton)
        return any(b.isVisible() and b.toolTip().startswith("Pick") for b in buttons)

    qtbot.waitUntil(pick_shown)
    pick = next(
        b
        for b in window.editor.findChildren(QAbstractButton)
        if b.isVisible() and b.toolTip().startswith("Pick")
    )
    assert not pick.icon().isNull() and pick.accessibleName() == "Pick from the text"
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible():
            continue
        missing = [c for c in button.text() if not font.supportsCharacter(ord(c))]
        assert not missing, f"{button.text()!r} ({button.toolTip()}) needs a font for {missing}"


@pytest.mark.parametrize("name", ["pick", "fill", "up", "down", "close"])
def test_each_button_picture_ships_and_draws(qapp, name: str) -> None:
    from annotator.gui.icons import SIZES, icon

    drawn = icon(name)
    assert {s.width() for s in drawn.availableSizes()} == set(SIZES)
    image = drawn.pixmap(16, 16).toImage()
    inked = sum(1 for x in range(16) for y in range(16) if image.pixelColor(x, y).alpha() > 128)
    assert 10 < inked < 200  # a picture, not nothing and not a filled square
