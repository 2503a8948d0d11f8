"""The document list's model: a window over the project's documents as one query sees them
(filter and order in SQL, ``store/document_query.py``). It knows how many rows there are and
reads them a page at a time when the view asks for them, so opening a project of 100k documents
reads as many rows as opening one of 10 (those in view)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt

from annotator.core.document_query import DocumentOrder, DocumentQuery
from annotator.core.model import DocumentStatus, DocumentSummary
from annotator.gui.table_model import AnyIndex, RowsModel

STATUS_MARK = {
    DocumentStatus.NEW: "○ new",
    DocumentStatus.IN_PROGRESS: "◐ in progress",
    DocumentStatus.DONE: "● done",
}
#: the order each column sorts by (a header click); no sorted column: the list order
COLUMN_ORDER = (DocumentOrder.TITLE, DocumentOrder.COUNT, DocumentOrder.STATUS)
PAGE = 64  # rows read at a time: about two screens
KEPT_PAGES = 64  # pages kept in memory (scrolling back reads none again)


class _Rows:
    """``model.rows[i]`` and ``len(model.rows)``, read page by page."""

    def __init__(self, model: DocumentModel) -> None:
        self._model = model

    def __len__(self) -> int:
        return self._model.rowCount()

    def __getitem__(self, row: int) -> DocumentSummary:
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._model.summary(row)


class DocumentModel(RowsModel):
    COLUMNS = ("Title", "Spans", "Status")

    def __init__(self, project: Callable[[], object]) -> None:
        super().__init__()
        self._project = project  # the project is read when the list first shows
        self.query = DocumentQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self.rows = _Rows(self)  # type: ignore[assignment]
        #: rows read from the store since the last reset (tests count them)
        self.rows_read = 0

    # -- reading -------------------------------------------------------------------------------

    def reset(self, query: DocumentQuery | None = None) -> None:
        """Count the rows again (with ``query`` if given) and forget the pages read."""
        self.beginResetModel()
        if query is not None:
            self.query = query
        self._pages.clear()
        self._count = self._project().document_count(self.query)  # type: ignore[attr-defined]
        self.rows_read = 0
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._count

    def summary(self, row: int) -> DocumentSummary:
        number = row // PAGE
        rows = self._pages.get(number)
        if rows is None:
            rows = self._project().document_page(self.query, number * PAGE, PAGE)  # type: ignore[attr-defined]
            self.rows_read += len(rows)
            self._pages[number] = rows
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        if row - number * PAGE >= len(rows):  # documents deleted since: a reset follows
            return DocumentSummary("", "", "", DocumentStatus.NEW, 0, 0)
        return rows[row - number * PAGE]

    def row_of(self, document_id: str) -> int | None:
        """The row showing ``document_id`` (None: the filter leaves it out)."""
        for number, rows in self._pages.items():
            for i, summary in enumerate(rows):
                if summary.id == document_id:
                    return number * PAGE + i
        return self._project().document_rank(self.query, document_id)  # type: ignore[attr-defined]

    def loaded_rows(self) -> int:
        """How many rows are in memory (tests watch the list read more as it scrolls)."""
        return sum(len(rows) for rows in self._pages.values())

    # -- changing one row ----------------------------------------------------------------------

    def replace(self, summary: DocumentSummary) -> None:
        """Show ``summary`` where its document is shown already (a row stays where it is until
        the list is read again, even if its new count or status would sort or filter it
        elsewhere)."""
        for number, rows in self._pages.items():
            for i, current in enumerate(rows):
                if current.id == summary.id:
                    rows[i] = summary
                    row = number * PAGE + i
                    self.dataChanged.emit(
                        self.index(row, 0), self.index(row, len(self.COLUMNS) - 1)
                    )
                    return

    def shown(self, document_id: str) -> DocumentSummary | None:
        """The row of ``document_id`` in memory, if it is."""
        for rows in self._pages.values():
            for current in rows:
                if current.id == document_id:
                    return current
        return None

    def change(self, document_id: str, **fields: object) -> None:
        current = self.shown(document_id)
        if current is not None:
            self.replace(replace(current, **fields))  # type: ignore[arg-type]

    # -- Qt ------------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        by = COLUMN_ORDER[column] if 0 <= column < len(COLUMN_ORDER) else DocumentOrder.LIST
        descending = by is not DocumentOrder.LIST and order == Qt.SortOrder.DescendingOrder
        if (by, descending) != (self.query.order, self.query.descending):
            self.reset(replace(self.query, order=by, descending=descending))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.UserRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() == 1:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        row = self.summary(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.annotation_count, STATUS_MARK[row.status])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{row.title}\n{row.source}\n{row.length:,} characters, "
                f"{row.annotation_count:,} annotations, {STATUS_MARK[row.status]}"
            )
        return row.id
