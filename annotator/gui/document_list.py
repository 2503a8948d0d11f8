"""The document list: title, annotation count and status; a filter box; keyboard navigation."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Annotation, DocumentStatus, DocumentSummary
from annotator.gui.changes import Changes
from annotator.gui.commands import SetDocumentStatus
from annotator.gui.context import AppContext
from annotator.gui.table_model import AnyIndex, RowsModel, row_table
from annotator.gui.undo import push

STATUS_MARK = {
    DocumentStatus.NEW: "○ new",
    DocumentStatus.IN_PROGRESS: "◐ in progress",
    DocumentStatus.DONE: "● done",
}


class DocumentModel(RowsModel):
    COLUMNS = ("Title", "Spans", "Status")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DocumentSummary] = []

    def reset(self, rows: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def replace(self, summary: DocumentSummary) -> None:
        for row, current in enumerate(self.rows):
            if current.id == summary.id:
                self.rows[row] = summary
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
                return

    def row_of(self, document_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == document_id), None)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.annotation_count, STATUS_MARK[row.status])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.source}\n{row.length:,} characters"
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DocumentList(QWidget):
    document_selected = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = DocumentModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.filter = QLineEdit(placeholderText="Filter documents", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = row_table(self.proxy)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        ctx.events.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.documents:
            self.reload()
            return
        for document_id in changes.recount:
            self._refresh_one(document_id)  # its status comes along
        for document_id in changes.status - changes.recount:
            self._status_changed(document_id, changes.status_now)
        if (
            changes.annotations
            and changes.document_id is not None
            and changes.document_id not in changes.recount
        ):
            self._count_changed(changes.document_id, changes.removed, changes.added)

    def reload(self) -> None:
        current = self.current_id()
        self.model.reset(self.ctx.project.documents())
        if current and self.model.row_of(current) is not None:
            self.select(current)
        elif self.model.rows:
            self.select(self.model.rows[0].id)
        else:
            self.document_selected.emit("")

    def _count_changed(
        self, document_id: str, removed: tuple[Annotation, ...], added: tuple[Annotation, ...]
    ) -> None:
        row = self.model.row_of(document_id)
        if row is not None:
            current = self.model.rows[row]
            count = current.annotation_count + len(added) - len(removed)
            self.model.replace(replace(current, annotation_count=count))

    def _refresh_one(self, document_id: str) -> None:
        for summary in self.ctx.project.documents(document_id):
            self.model.replace(summary)

    def _status_changed(self, document_id: str, now: DocumentStatus | None) -> None:
        """Show the status the change gives, else re-read it alone: counting a big document's
        annotations takes milliseconds, and counts follow each change already
        (:meth:`_count_changed`)."""
        row = self.model.row_of(document_id)
        status = now if now is not None else self.ctx.project.document_status(document_id)
        if row is not None and status is not None:
            self.model.replace(replace(self.model.rows[row], status=status))

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, document_id: str) -> None:
        row = self.model.row_of(document_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden by the filter
            self.filter.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def step(self, delta: int) -> None:
        """Show the next (+1) or previous (-1) document in the list."""
        count = self.proxy.rowCount()
        if count:
            current = self.view.currentIndex()
            row = current.row() + delta if current.isValid() else 0
            self.view.setCurrentIndex(self.proxy.index(max(0, min(count - 1, row)), 0))

    def select_next_unfinished(self) -> bool:
        """Show the next document (after the current one, wrapping) that is not done."""
        rows = self.model.rows
        current = self.model.row_of(self.current_id() or "")
        start = -1 if current is None else current
        for offset in range(1, len(rows) + 1):
            candidate = rows[(start + offset) % len(rows)]
            if candidate.status is not DocumentStatus.DONE and candidate.id != self.current_id():
                self.select(candidate.id)
                return True
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.document_selected.emit(current.data(Qt.ItemDataRole.UserRole))

    def status_actions(self, parent: QWidget) -> list[QAction]:
        actions = []
        for status in DocumentStatus:
            action = QAction(f"Mark as {status}", parent)
            action.triggered.connect(lambda _=False, s=status: self.set_status(s))
            actions.append(action)
        return actions

    def set_status(self, status: DocumentStatus) -> None:
        document_id = self.current_id()
        if document_id:
            push(self.ctx, SetDocumentStatus(self.ctx, document_id, status))

    def _menu(self, point) -> None:  # type: ignore[no-untyped-def]
        menu = QMenu(self)
        menu.addActions(self.status_actions(menu))
        menu.exec(self.view.viewport().mapToGlobal(point))
