"""The label bar: one button per label (colour, name, key); clicking labels the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from annotator.core.labels import LabelDef
from annotator.gui.formatting import swatch


class LabelBar(QToolBar):
    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("label-bar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.buttons: dict[str, QToolButton] = {}

    def set_labels(self, labels: list[LabelDef]) -> None:
        self.clear()
        self.buttons.clear()
        for label in labels:
            key = f"  {label.shortcut}" if label.shortcut else ""
            button = QToolButton(self)
            button.setIcon(swatch(label.color))
            button.setText(f"{label.name}{key}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            tip = label.description or label.name
            button.setToolTip(
                f"{tip}\nLabel the selection"
                + (f" (key {label.shortcut})" if label.shortcut else "")
            )
            button.clicked.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            self.addWidget(button)
            self.buttons[label.name] = button
