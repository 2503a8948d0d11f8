"""Find in the document (Ctrl+F): incremental, next/previous, match count, label all matches."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.core.find import find_all  # one rule for this bar, Find in All and the CLI
from annotator.core.labels import LabelDef
from annotator.gui.icons import icon_button
from annotator.gui.label_model import LabelListModel, label_combo, select_name


class FindBar(QWidget):
    match_selected = Signal(int, int)  # code points
    label_all = Signal(str, list)  # label, ranges
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.field = QLineEdit(placeholderText="Find in document", clearButtonEnabled=True)
        self.field.textChanged.connect(self.search)
        self.field.returnPressed.connect(lambda: self.step(1))
        QShortcut(
            QKeySequence("Shift+Return"),
            self.field,
            lambda: self.step(-1),
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.case = QCheckBox("Match case")
        self.case.toggled.connect(lambda: self.search(self.field.text()))
        self.words = QCheckBox("Whole words")
        self.words.toggled.connect(lambda: self.search(self.field.text()))
        self.count = QLabel()
        self.count.setMinimumWidth(80)
        previous = icon_button("up", "Previous match", "Previous match (Shift+Enter, Shift+F3)")
        previous.clicked.connect(lambda: self.step(-1))
        following = icon_button("down", "Next match", "Next match (Enter, F3)")
        following.clicked.connect(lambda: self.step(1))
        self.label_box = QComboBox()
        self.label_model = LabelListModel(self)
        label_combo(self.label_box, self.label_model, 14)
        self.label_all_button = QPushButton("Label all")
        self.label_all_button.setToolTip("Label every match with the chosen label (one undo step)")
        self.label_all_button.clicked.connect(self._label_all)
        close = icon_button("close", "Close the find bar", "Close (Esc)")
        close.clicked.connect(self.hide_bar)
        QShortcut(
            QKeySequence("Escape"),
            self,
            self.hide_bar,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        for widget in (
            self.field,
            previous,
            following,
            self.count,
            self.case,
            self.words,
            self.label_box,
            self.label_all_button,
            close,
        ):
            layout.addWidget(widget)
        layout.setStretch(0, 1)
        self.hide()

    def set_labels(self, labels: list[LabelDef]) -> None:
        current = self.label_box.currentData()
        self.label_model.set_labels(labels)
        select_name(self.label_box, self.label_model, current or "")

    def set_text(self, text: str) -> None:
        self.text = text
        if self.isVisible():
            self.search(self.field.text())

    def open_bar(self, initial: str = "") -> None:
        self.show()
        if initial:
            self.field.setText(initial)
        self.field.setFocus()
        self.field.selectAll()

    def hide_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def search(self, needle: str) -> None:
        self.matches = find_all(self.text, needle, self.case.isChecked(), self.words.isChecked())
        self.current = -1
        self._show_count()
        if self.matches:
            self.step(1)

    def step(self, delta: int) -> None:
        if not self.matches:
            return
        self.current = (self.current + delta) % len(self.matches)
        self._show_count()
        self.match_selected.emit(*self.matches[self.current])

    def _show_count(self) -> None:
        if not self.field.text():
            self.count.setText("")
        elif not self.matches:
            self.count.setText("no matches")
        else:
            position = f"{self.current + 1} of " if self.current >= 0 else ""
            self.count.setText(f"{position}{len(self.matches)}")
        self.label_all_button.setEnabled(bool(self.matches))

    def _label_all(self) -> None:
        if self.matches and self.label_box.currentData():
            self.label_all.emit(self.label_box.currentData(), list(self.matches))
