"""File -> Restore Backup…: a project's automatic backups, newest first, to pick one to restore.

The dialog only chooses; :func:`annotator.store.backups.restore` does the work (after backing up
the current state) and the application reloads the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.store import backups
from annotator.store.backups import BackupInfo

COLUMNS = ("Made", "Size", "Documents", "Annotations")


def describe_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024**2:,.1f} MB"


def describe_time(info: BackupInfo) -> str:
    when = info.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return f"{when} (before a restore)" if info.note == backups.BEFORE_RESTORE else when


class RestoreBackupDialog(QDialog):
    def __init__(self, project: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore backup")
        self.backups = backups.list_backups(project, check=True)
        intro = QLabel(
            f"Backups of “{project.name}” are kept in {backups.folder(project)}. Restoring "
            "replaces the project's content with the backup's; the project as it is now is "
            "backed up first, so a restore can itself be undone from this list."
            if self.backups
            else f"“{project.name}” has no backups yet. One is made when the project is opened "
            f"(at most once an hour, and only when it changed), into {backups.folder(project)}."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.backups), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, info in enumerate(self.backups):
            counts = (
                (f"{info.documents:,}", f"{info.annotations:,}")
                if info.usable
                else ("damaged", "—")
            )
            for column, text in enumerate((describe_time(info), describe_size(info.size), *counts)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not info.usable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._accept_if_chosen())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self._accept_if_chosen)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        first = next((row for row, info in enumerate(self.backups) if info.usable), None)
        if first is not None:
            self.table.selectRow(first)
        self._selection_changed()
        self.resize(640, 360)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        info = self.backups[rows[0].row()]
        return info if info.usable else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def _accept_if_chosen(self) -> None:
        if self.chosen() is not None:
            self.accept()
