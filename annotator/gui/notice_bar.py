"""The bars above the reader: one says a project is read-only and why, one what an action just
did (an import); and the write-failure box."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QToolButton, QWidget

from annotator.core.errors import AnnotatorError

READ_ONLY_HINT = "You can read, search and export; labels, notes and other changes cannot be saved."


class NoticeBar(QFrame):
    """Hidden until :meth:`show_read_only`; stays visible while the project is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setStyleSheet(
            "#noticeBar { background: #fff1c2; border-bottom: 1px solid #d9b44a; }"
            " #noticeBar QLabel { color: #4d3a00; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self.reason = ""
        self.hide()

    def show_read_only(self, reason: str) -> None:
        self.reason = reason
        self.label.setText(f"<b>Read-only</b>: {escape(reason)}. {escape(READ_ONLY_HINT)}")
        self.label.setToolTip(READ_ONLY_HINT)
        self.show()

    def refusal(self) -> str:
        """What a label key (or any edit) says instead of writing."""
        return f"Not saved: this project is read-only ({self.reason})."


class MessageBar(QFrame):
    """What an action just did (an import), in words, until dismissed or replaced by the next;
    not modal: the window carries on under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setStyleSheet(
            "#messageBar { background: #e4eef9; border-bottom: 1px solid #8fb0d6; }"
            " #messageBar QLabel { color: #12324f; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        # a screen reader can reach and read it; a person can copy it
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.dismiss = QToolButton(text="Dismiss", toolTip="Hide this message")
        self.dismiss.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss)
        self.hide()

    def show_message(self, title: str, text: str) -> None:
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.setAccessibleName(title)
        self.dismiss.setAccessibleName(f"Dismiss: {title}")
        self.show()


def show_write_failure(parent: QWidget, error: AnnotatorError) -> QMessageBox:
    """A window-modal warning that does not block the caller (tests and undo keep running)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Change not saved",
        "The last change could not be saved, so it was not made.",
        parent=parent,
    )
    box.setInformativeText(f"{error}\n\nEverything saved before it is safe in the project.")
    box.open()
    return box
