"""Asked when a label that has annotations is deleted: delete them too, or move them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


class DeleteLabelDialog(QDialog):
    def __init__(
        self, name: str, count: int, others: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Delete label {name}")
        noun = "annotation" if count == 1 else "annotations"
        question = QLabel(
            f"<b>{name}</b> is used by {count} {noun}. What should happen to "
            f"{'it' if count == 1 else 'them'}?"
        )
        question.setWordWrap(True)
        self.delete_them = QRadioButton(f"Delete the {count} {noun} too")
        self.move_them = QRadioButton("Move them to another label:")
        self.target = QComboBox()
        self.target.addItems(others)
        self.move_them.setEnabled(bool(others))
        self.target.setEnabled(False)
        self.move_them.toggled.connect(self.target.setEnabled)
        (self.move_them if others else self.delete_them).setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Delete label")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (question, self.delete_them, self.move_them, self.target, buttons):
            layout.addWidget(widget)
        note = QLabel("You can undo this.")
        note.setEnabled(False)
        layout.insertWidget(4, note)

    def move_to(self) -> str | None:
        """The label to move the annotations to, or None to delete them."""
        return self.target.currentText() if self.move_them.isChecked() else None
