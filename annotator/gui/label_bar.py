"""The label bar: one button per label (colour, name, key); clicking labels the selection.

A codebook can hold thousands of labels. The bar then shows the first :data:`MAX_BUTTONS` as
buttons, after "All labels…": a list of every label, filtered as you type (its rows are made as
they are shown, so 100,000 labels open at once).
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.labels import LabelDef
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.formatting import swatch
from annotator.gui.label_model import NAME_ROLE, LabelListModel

MAX_BUTTONS = 24


class LabelChooser(QDialog):
    """Every label, filtered as you type; Enter or a click chooses one."""

    chosen = Signal(str)

    def __init__(self, labels: list[LabelDef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Label the selection")
        self.model = LabelListModel(self)
        self.model.set_labels(labels)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(placeholderText=f"Filter {len(labels):,} labels")
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._choose_current)
        self.view = QListView()
        self.view.setUniformItemSizes(True)
        self.view.setModel(self.proxy)
        self.view.activated.connect(lambda index: self._choose(index.data(NAME_ROLE)))
        self.view.clicked.connect(lambda index: self._choose(index.data(NAME_ROLE)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self.resize(320, 420)
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def _choose_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._choose(index.data(NAME_ROLE))

    def _choose(self, name: str) -> None:
        self.accept()
        self.chosen.emit(name)


class LabelBar(QToolBar):
    label_chosen = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.ctx = ctx
        self.setObjectName("label-bar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.buttons: dict[str, QToolButton] = {}
        self.more: QToolButton | None = None
        self.labels: list[LabelDef] = []
        ctx.events.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.labels:
            self.set_labels(self.ctx.labels())

    def set_labels(self, labels: list[LabelDef]) -> None:
        self.clear()
        self.buttons.clear()
        self.labels = labels
        self.more = None
        if len(labels) > MAX_BUTTONS:  # first, so a narrow window never hides it
            self.more = QToolButton(self)
            self.more.setText(f"All labels… ({len(labels):,})")
            self.more.setToolTip(
                f"Choose any label (only the first {MAX_BUTTONS} have buttons), "
                "filtered as you type"
            )
            self.more.clicked.connect(self.choose)
            self.addWidget(self.more)
            self.addSeparator()
        for label in labels[:MAX_BUTTONS]:
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

    def chooser(self) -> LabelChooser:
        chooser = LabelChooser(self.labels, self)
        chooser.chosen.connect(self.label_chosen)
        return chooser

    def choose(self) -> None:
        chooser = self.chooser()
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.open()
