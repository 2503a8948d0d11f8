"""The concordance dock: every span of one label across all documents, each in its context
(keyword in context); a click opens the document with that span selected in place.

Its rows come a page at a time from one statement each (``store/concordance_rows.py``): a
label with two million spans shows its first page at once and the next as the list scrolls, and
a keystroke in the filter is one statement, whatever the number of documents."""

from __future__ import annotations

import time

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.find import ConcordanceLine
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.table_model import AnyIndex, RowsModel, row_table

PAGE = 500
SLOW_S = 0.1  # a page slower than this: wait for a pause in typing
PAUSE_MS = 300


class ConcordanceModel(RowsModel):
    COLUMNS = ("Document", "Before", "Span", "After")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.label: str | None = None
        self.needle = ""
        self.complete = True

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        line: ConcordanceLine = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (line.title, line.left, line.span, line.right)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{line.title}\n…{line.left} [{line.span}] {line.right}…"
        return None

    def show(self, label: str | None, needle: str) -> None:
        """Start again from the first page of ``label``'s spans holding ``needle``."""
        self.beginResetModel()
        self.label, self.needle = label, needle
        self.rows = self._page(None)
        self.endResetModel()

    def _page(self, after: tuple[int, int, str] | None) -> list[ConcordanceLine]:
        if not self.label:
            self.complete = True
            return []
        rows = self.ctx.project.label_spans(self.label, self.needle, after, PAGE)
        self.complete = len(rows) < PAGE
        return rows

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self.complete

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid() or self.complete or not self.rows:
            return
        more = self._page(self.rows[-1].key)
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()


class ElideLeft(QStyledItemDelegate):
    """The context before a span is cut on its left, so the words next to the span show."""

    def initStyleOption(
        self,
        option: QStyleOptionViewItem,  # noqa: N802 (Qt API)
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


def context_table(model: QAbstractItemModel, first: int, match: int) -> QTableView:
    """A table of lines in context, ``where | …left | match | right…``: the two contexts
    stretch, the left one cut on its left so the words next to the match show."""
    view = row_table(model)
    header = view.horizontalHeader()
    for column, mode in enumerate(
        (QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Stretch) * 2
    ):
        header.setSectionResizeMode(column, mode)
    header.resizeSection(0, first)
    header.resizeSection(2, match)
    view.setItemDelegateForColumn(1, ElideLeft(view))  # the view owns it
    return view


class ConcordanceView(QWidget):
    #: document id, annotation id: open that span in the reader
    open_span = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.label_box = QComboBox()
        self.label_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter = QLineEdit(placeholderText="Filter spans", clearButtonEnabled=True)
        self.filter.textChanged.connect(lambda _t: self._typed.start())
        self.count = QLabel()
        self.model = ConcordanceModel(ctx)
        self.model.rowsInserted.connect(lambda *_a: self._show_count())
        self.view = context_table(self.model, 160, 380)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(self.label_box)
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view)
        # refreshed once per burst of changes, and only while shown
        self._stale = QTimer(self, singleShot=True, interval=0, timeout=self.refresh)
        # a keystroke refreshes at once while a page comes quickly; once one took long (a label
        # with half a million spans), the keys typed in a pause are one refresh
        self._typed = QTimer(self, singleShot=True, interval=0, timeout=self.refresh)
        ctx.events.changed.connect(self._on_changes)
        self.set_labels()

    def _on_changes(self, changes: Changes) -> None:
        if changes.labels:
            self.set_labels()
        elif changes.annotations or changes.documents:
            self._changed()

    def set_labels(self) -> None:
        current = self.label_box.currentData()
        self.label_box.blockSignals(True)
        self.label_box.clear()
        for label in self.ctx.labels():
            self.label_box.addItem(label.name, label.name)
            self.label_box.setItemData(
                self.label_box.count() - 1, QColor(label.color), Qt.ItemDataRole.DecorationRole
            )
        self.label_box.setCurrentIndex(max(0, self.label_box.findData(current)))
        self.label_box.blockSignals(False)
        self._changed()

    def show_label(self, name: str) -> None:
        self.label_box.setCurrentIndex(max(0, self.label_box.findData(name)))
        self.refresh()

    def _changed(self) -> None:
        if self.isVisible():
            self._stale.start()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self._typed.stop()
        began = time.perf_counter()
        self.model.show(self.label_box.currentData(), self.filter.text())
        self._typed.setInterval(0 if time.perf_counter() - began < SLOW_S else PAUSE_MS)
        self._show_count()

    def _show_count(self) -> None:
        n = len(self.model.rows)
        more = "" if self.model.complete else "+"
        self.count.setText(f"{n:,}{more} span{'s' if n != 1 or more else ''}")

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            line: ConcordanceLine = self.model.rows[index.row()]
            self.open_span.emit(line.document_id, line.annotation_id)
