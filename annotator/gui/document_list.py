"""The document list: title, annotation count and status, read a page at a time
(``document_model.py``); filters above it (``document_filter_bar.py``), sorting by a header
click, keyboard navigation."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QLabel, QMenu, QStyle, QVBoxLayout, QWidget

from annotator.core.document_query import DocumentFilter, DocumentQuery
from annotator.core.model import Annotation, DocumentStatus
from annotator.gui.changes import Changes
from annotator.gui.commands import SetDocumentStatus
from annotator.gui.context import AppContext
from annotator.gui.document_filter_bar import DocumentFilterBar
from annotator.gui.document_model import STATUS_MARK, DocumentModel
from annotator.gui.table_model import row_table
from annotator.gui.undo import push

__all__ = ["STATUS_MARK", "DocumentList", "DocumentModel"]


class DocumentList(QWidget):
    document_selected = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = DocumentModel(lambda: ctx.project)
        self.filters = DocumentFilterBar(
            lambda: [label.name for label in ctx.labels()], self._layer_names
        )
        self.filter = self.filters.title  # the title filter, as before the other filters came
        self.filters.filter_changed.connect(self._filter_changed)
        self.view = row_table(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fixed widths: sizing a column to its contents reads every row of it
        metrics = self.view.fontMetrics()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        # as wide as their headers (and the sort arrow): the title keeps the rest of a narrow
        # dock; "◐ in progress" is cut to "◐ in…", its tooltip says it whole
        arrow = self.view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + 16
        spans = max(metrics.horizontalAdvance(t) for t in ("Spans", "9999"))
        header.resizeSection(1, spans + arrow)
        header.resizeSection(2, metrics.horizontalAdvance("Status") + arrow)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)  # a third click: back to the list order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        self.shown_count = QLabel()  # how many documents the filters leave
        self.shown_count.setEnabled(False)  # greyed: a note, not a control
        layout.addWidget(self.filters)
        layout.addWidget(self.view)
        layout.addWidget(self.shown_count)
        ctx.events.changed.connect(self._changed)

    def _layer_names(self) -> list[str]:
        from annotator import service  # the store: not imported before the project is open

        return service.layer_names(self.ctx.project)

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
        if changes.labels:
            self.filters.label.refresh()

    def reload(self) -> None:
        """Read the list again (documents were added or removed), keeping the current one."""
        self._read_again(self.current_id())

    def _read_again(self, current: str | None) -> None:
        self.model.reset()
        self._count_shown()
        row = self.model.row_of(current) if current else None
        if row is None and self.model.rowCount():
            row = 0
        if row is None:
            self.document_selected.emit("")
            return
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _filter_changed(self, chosen: DocumentFilter) -> None:
        current = self.current_id()
        self.model.query = replace(self.model.query, filter=chosen)
        self._keep_current(current)

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        current = self.current_id()
        self.model.sort(column, order)
        self._keep_current(current)

    def _keep_current(self, current: str | None) -> None:
        """After a new filter or order: the same document stays current where it is still
        listed (without being shown again); else nothing is current until one is chosen."""
        self.view.selectionModel().blockSignals(True)
        self.model.reset()
        self._count_shown()
        row = self.model.row_of(current) if current else None
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))
        self.view.selectionModel().blockSignals(False)
        self.view.viewport().update()

    def _count_shown(self) -> None:
        shown = self.model.rowCount()
        if self.model.query.filter.active:
            every = self.ctx.project.document_count(DocumentQuery())
            self.shown_count.setText(f"{shown:,} of {every:,} documents")
        else:
            self.shown_count.setText(f"{shown:,} document{'s' * (shown != 1)}")

    def _count_changed(
        self, document_id: str, removed: tuple[Annotation, ...], added: tuple[Annotation, ...]
    ) -> None:
        current = self.model.shown(document_id)
        if current is not None:
            count = current.annotation_count + len(added) - len(removed)
            self.model.change(document_id, annotation_count=count)

    def _refresh_one(self, document_id: str) -> None:
        if self.model.shown(document_id) is not None:
            for summary in self.ctx.project.documents(document_id):
                self.model.replace(summary)

    def _status_changed(self, document_id: str, now: DocumentStatus | None) -> None:
        """Show the status the change gives, else read that one row again."""
        if self.model.shown(document_id) is None:
            return
        status = now if now is not None else self.ctx.project.document_status(document_id)
        if status is not None:
            self.model.change(document_id, status=status)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, document_id: str) -> None:
        row = self.model.row_of(document_id)
        if row is None:  # left out by the filters
            if not self.filters.current().active:
                return
            self.filters.clear()
            row = self.model.row_of(document_id)
            if row is None:
                return
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def step(self, delta: int) -> None:
        """Show the next (+1) or previous (-1) document in the list."""
        count = self.model.rowCount()
        if count:
            current = self.view.currentIndex()
            row = current.row() + delta if current.isValid() else 0
            self.view.setCurrentIndex(self.model.index(max(0, min(count - 1, row)), 0))

    def select_next_unfinished(self) -> bool:
        """Show the next document in the list (after the current one, wrapping) that is not
        done; if the filters leave none, the next in the whole list (the filters go)."""
        project, query = self.ctx.project, self.model.query
        found = project.next_unfinished(query, self.current_id())
        if found is None and query.filter.active:
            found = project.next_unfinished(
                replace(query, filter=DocumentFilter()), self.current_id()
            )
        if found is None:
            return False
        self.select(found)
        return True

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
