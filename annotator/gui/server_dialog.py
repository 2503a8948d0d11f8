"""File → Open Server Project…: which PostgreSQL database holds the shared project."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.server_names import names_server

EXAMPLE = "postgresql://ann@db.newsroom.example:5432/annotations"


class ServerDialog(QDialog):
    """A URL, an optional password (used for this connection only, never saved) and whether
    to create the project in an empty database."""

    def __init__(self, parent: QWidget | None = None, url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Server Project")
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText(EXAMPLE)
        self.url_edit.setMinimumWidth(420)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("from PGPASSWORD, ~/.pgpass or PGSERVICE when empty")
        self.create_box = QCheckBox("Create the project if the database is empty")
        note = QLabel(
            "The project lives in a PostgreSQL database that everyone on the team opens; "
            "changes by others show as they are made. The password is used for this "
            "connection only: it is never saved, and recent projects list the address "
            "without it."
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server URL:", self.url_edit)
        form.addRow("Password:", self.password_edit)
        form.addRow("", self.create_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = names_server(self.url())
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(ok)

    def url(self) -> str:
        return self.url_edit.text().strip()

    def password(self) -> str:
        return self.password_edit.text()

    def create(self) -> bool:
        return self.create_box.isChecked()
