"""After an import the window says what came in, in a bar above the text that does not block
(issue 27: a successful import showed nothing)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.gui.notice_bar import MessageBar

from .conftest import FIXTURES, SAMPLE

# the UTF-16 one: the grapheme-mode export cannot tell its unit and asks for it (issue 26.5)
DOCCANO = FIXTURES / "interchange" / "doccano-1.8.4" / "doccano-export-utf16.jsonl"


def import_through_the_menu(qtbot, window, monkeypatch, files) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(f) for f in files], "")
    )
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)


def shown_message(window) -> str:
    bars = [bar for bar in window.findChildren(MessageBar) if bar.isVisible()]
    assert len(bars) == 1
    return bars[0].label.text()


def test_an_import_says_what_came_in(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda _box: None)  # the skip's details box
    # the doccano export holds two documents (10 and 5 spans); the sample is already there
    import_through_the_menu(qtbot, window, monkeypatch, [DOCCANO, FIXTURES / "article.md", SAMPLE])
    assert shown_message(window) == (
        "Imported 3 documents, 15 annotations from 2 files; 1 skipped (already in the project)."
    )
    bar = window.findChild(MessageBar)
    assert "Imported 3 documents" in bar.label.accessibleName()  # read out, not only a colour
    assert not bar.isWindow() and window.isAncestorOf(bar)  # in the window, not a dialog
    # the window is still usable: dismissing the bar is a click
    qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_a_clean_import_says_so_with_no_box(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda box: pytest.fail(f"a box opened: {box.text()}"))
    import_through_the_menu(qtbot, window, monkeypatch, [FIXTURES / "article.md"])
    assert shown_message(window) == "Imported 1 document, 0 annotations from 1 file."


def test_an_import_of_nothing_new_says_so(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda _box: None)
    import_through_the_menu(qtbot, window, monkeypatch, [SAMPLE])
    assert shown_message(window) == "Nothing new imported; 1 skipped (already in the project)."
