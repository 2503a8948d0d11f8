"""Find → "Label all": review every match in its context, accept or skip each, then label the
accepted ones in one step. Matches inside an existing span of the same label start skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

CONTEXT = 40


def in_context(text: str, start: int, end: int) -> str:
    """``…left [match] right…`` on one line."""
    left = " ".join(text[max(0, start - CONTEXT) : start].split())
    right = " ".join(text[end : end + CONTEXT].split())
    return f"…{left} [{text[start:end]}] {right}…"


class LabelAllDialog(QDialog):
    def __init__(
        self,
        text: str,
        label: str,
        ranges: list[tuple[int, int]],
        nested: set[tuple[int, int]],
        parent: QWidget | None = None,
        contexts: list[str] | None = None,
    ) -> None:
        """``contexts``: each match's line, when they are not all in ``text`` (Find in All
        Documents, whose ``ranges`` are its matches)."""
        super().__init__(parent)
        self.setWindowTitle(f"Label all as {label}")
        self.ranges, self.nested = ranges, nested
        self.matches = QListWidget()
        for row, span in enumerate(ranges):
            inside = span in nested
            line = contexts[row] if contexts is not None else in_context(text, *span)
            item = QListWidgetItem(line + (f"   (inside a {label})" if inside else ""))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if inside else Qt.CheckState.Checked)
            self.matches.addItem(item)
        self.matches.itemChanged.connect(lambda _item: self._count())
        self.matches.setCurrentRow(0)
        self.include_nested = QCheckBox(f"Also label matches inside an existing {label}")
        self.include_nested.setEnabled(bool(nested))
        self.include_nested.toggled.connect(self._nested_toggled)
        hint = QLabel(
            "Space accepts or skips the highlighted match; Enter labels the accepted ones."
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.include_nested)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self._count()

    def _nested_toggled(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for row, span in enumerate(self.ranges):
            if span in self.nested:
                self.matches.item(row).setCheckState(state)

    def _count(self) -> None:
        n = len(self.chosen())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            f"Label {n} match{'es' if n != 1 else ''}"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(n > 0)

    def chosen(self) -> list[tuple[int, int]]:
        return [
            span
            for row, span in enumerate(self.ranges)
            if self.matches.item(row).checkState() == Qt.CheckState.Checked
        ]
