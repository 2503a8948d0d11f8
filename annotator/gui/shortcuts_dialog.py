"""Help -> Keyboard Shortcuts: every shortcut the window knows, including the label keys."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    rows = [
        (label.shortcut or "—", f"Label the selection as {label.name}")
        for label in window.ctx.labels()
    ]
    for action in window.actions_by_name.values():
        keys = ", ".join(
            name
            for k in action.shortcuts()
            if _typeable(name := k.toString(QKeySequence.SequenceFormat.NativeText))
        )
        if keys:
            rows.append((keys, action.text().replace("&", "").rstrip("…")))
    rows.append(("Shift+arrows", "Extend the selection from the caret (caret browsing)"))
    rows.append(("Click a highlight", "Select that annotation"))
    rows.append(("Alt+drag", "Select exactly, without snapping (once)"))
    rows.append(("Drag a knob", "Move the selected annotation's start or end"))
    rows.append(("In a choice: 1–9, a letter", "Pick that choice (by number or first letter)"))
    return rows


def _typeable(name: str) -> bool:
    """Leave out the multimedia-keyboard keys Qt adds to standard bindings ("Undo", "Open")."""
    return "+" in name or len(name) == 1 or bool(re.fullmatch(r"F\d+|Del|Delete|Esc", name))


class ShortcutsDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, text) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(520, 560)
