"""Find in All Documents (Ctrl+Shift+F): every match of a string across the corpus, each in its
context, filling as it is found; Enter or a double click opens the document with the match
selected, and "Label all…" labels the reviewed matches across documents as one undo step.

The search (``service.find``: the full-text index picks the documents, the text gives each
match) runs on a plain Python thread that touches no Qt object: it puts batches of matches on a
queue that a timer in the GUI thread drains, and stops at :data:`CAP` matches or when asked.
Python's automatic garbage collection is paused meanwhile, as the import does
(``gui/import_runner.py`` says why).
"""

from __future__ import annotations

import queue
import threading

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.find import FindMatch, QueryError, check_query
from annotator.gui import gc_pause
from annotator.gui.changes import Changes
from annotator.gui.concordance import context_table
from annotator.gui.context import AppContext
from annotator.gui.label_model import LabelListModel, label_combo, select_name
from annotator.gui.table_model import AnyIndex, RowsModel

#: at most this many matches are listed (the CLI's --limit pages further)
CAP = 5000
_BATCH = 100  # matches handed to the window at a time
_DONE = None


class MatchesModel(RowsModel):
    COLUMNS = ("Document", "Before", "Match", "After")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        match: FindMatch = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (match.title, match.left, match.match, match.right)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{match.title}\n{match.context}"
        return None

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def append(self, matches: list[FindMatch]) -> None:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(matches) - 1)
        self.rows.extend(matches)
        self.endInsertRows()


class FindAllView(QWidget):
    #: document id, start, end (code points): show that match
    open_match = Signal(str, int, int)
    #: label, matches: review them and label the accepted ones
    label_all = Signal(str, list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.field = QLineEdit(
            placeholderText="Find in all documents (Enter)", clearButtonEnabled=True
        )
        self.field.returnPressed.connect(self.search)
        self.case = QCheckBox("Match case")
        self.words = QCheckBox("Whole words")
        self.count = QLabel()
        self.count.setMinimumWidth(120)
        self.label_box = QComboBox()
        self.label_model = LabelListModel(self)
        label_combo(self.label_box, self.label_model, 14)
        self.label_all_button = QPushButton("Label all…")
        self.label_all_button.setToolTip(
            "Review every match listed, then label the accepted ones (one undo step)"
        )
        self.label_all_button.clicked.connect(self._label_all)
        self.label_all_button.setEnabled(False)
        self.model = MatchesModel()
        self.view = context_table(self.model, 180, 160)
        self.view.activated.connect(self._activated)  # Enter, double click
        top = QHBoxLayout()
        for widget in (self.field, self.case, self.words, self.count):
            top.addWidget(widget)
        top.addStretch(0)
        top.addWidget(self.label_box)
        top.addWidget(self.label_all_button)
        top.setStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._queue: queue.Queue[list[FindMatch] | BaseException | None] = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self, interval=40, timeout=self._drain)
        self.set_labels()
        ctx.events.changed.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.labels:
            self.set_labels()
        if (changes.documents or changes.text_of) and self.model.rows:
            self.search()  # documents came, went or were re-read: the offsets may be others

    @property
    def running(self) -> bool:
        return self._thread is not None

    def set_labels(self) -> None:
        current = self.label_box.currentData()
        self.label_model.set_labels(self.ctx.labels())
        select_name(self.label_box, self.label_model, current or "")

    def open_with(self, query: str) -> None:
        """Put ``query`` (the selection, if any) in the field and search for it."""
        if query and "\n" not in query:
            self.field.setText(query)
            self.search()
        self.field.setFocus()
        self.field.selectAll()

    # -- the search ----------------------------------------------------------------------------

    def search(self) -> None:
        query = self.field.text()
        self.stop()
        self.model.clear()
        self.label_all_button.setEnabled(False)
        try:
            check_query(query)
        except QueryError as exc:
            self.count.setText(str(exc) if query else "")
            return
        self.count.setText("searching…")
        self._queue = queue.Queue()
        self._cancel = threading.Event()
        gc_pause.pause()
        options = (query, self.case.isChecked(), self.words.isChecked())
        self._thread = threading.Thread(
            target=self._work,
            args=(self._queue, self._cancel, *options),
            name="find-all",
            daemon=True,
        )
        self._thread.start()
        self._timer.start()

    def _work(
        self,
        out: queue.Queue[list[FindMatch] | BaseException | None],
        cancel: threading.Event,
        query: str,
        case_sensitive: bool,
        whole_words: bool,
    ) -> None:
        from annotator.service import find

        batch: list[FindMatch] = []
        try:
            for match in find(
                self.ctx.project,
                query,
                limit=CAP + 1,
                case_sensitive=case_sensitive,
                whole_words=whole_words,
            ):
                if cancel.is_set():
                    return
                batch.append(match)
                if len(batch) == _BATCH:
                    out.put(batch)
                    batch = []
            out.put(batch)
        except Exception as exc:  # noqa: BLE001 (shown in the panel, as one line)
            out.put(exc)
        finally:
            out.put(_DONE)

    def _drain(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is _DONE:
                self._finished()
                return
            if isinstance(item, BaseException):
                self.count.setText(f"find failed: {item}".splitlines()[0][:200])
                continue
            room = CAP + 1 - len(self.model.rows)
            if item and room > 0:
                self.model.append(item[:room])
                if self.view.currentIndex().row() < 0:
                    self.view.setCurrentIndex(self.model.index(0, 2))
            self._show_count(final=False)

    def _finished(self) -> None:
        self._timer.stop()
        self._thread = None
        gc_pause.resume()
        if not self.count.text().startswith("find failed"):
            self._show_count(final=True)

    def _show_count(self, *, final: bool) -> None:
        rows = self.model.rows
        more = len(rows) > CAP
        if more:
            self.model.beginRemoveRows(QModelIndex(), CAP, len(rows) - 1)
            del rows[CAP:]
            self.model.endRemoveRows()
        n = len(rows)
        documents = len({m.document_id for m in rows})
        if not final:
            text = f"{n:,} so far…"
        elif not n:
            text = "no matches"
        else:
            first = f"the first {n:,}" if more else f"{n:,}"
            text = (
                f"{first} match{'es' if n != 1 else ''} in {documents:,} "
                f"document{'s' if documents != 1 else ''}"
            )
        self.count.setText(text)
        self.label_all_button.setEnabled(final and n > 0)

    def stop(self) -> None:
        """Stop a search under way (a new one, or the window closing)."""
        if self._thread is None:
            return
        self._cancel.set()
        self._timer.stop()
        self._thread = None
        gc_pause.resume()

    # -- results -------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            match: FindMatch = self.model.rows[index.row()]
            self.open_match.emit(match.document_id, match.start, match.end)

    def _label_all(self) -> None:
        if self.model.rows and self.label_box.currentData():
            self.label_all.emit(self.label_box.currentData(), list(self.model.rows))
