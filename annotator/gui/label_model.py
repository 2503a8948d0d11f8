"""The codebook as a Qt list model, for the combo boxes and lists that offer labels.

Rows are made when a view asks for them, so setting a codebook of 100,000 labels is one reset
(no item per label is built), and counts change with one ``dataChanged`` signal. Each view
keeps its own model; :func:`label_combo` sets one up on a combo box so that the box never
measures every row for its width.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QListView, QWidget

from annotator.core.labels import LabelDef
from annotator.gui.formatting import swatch
from annotator.gui.table_model import AnyIndex

NAME_ROLE = Qt.ItemDataRole.UserRole


class LabelListModel(QAbstractListModel):
    """One row per label (``NAME_ROLE`` holds the name), optionally after an "all" row whose
    name is ``""``, and optionally with each label's count in its text."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        all_row: str | None = None,
        with_counts: bool = False,
        icons: bool = True,
        text: Callable[[LabelDef, int], str] | None = None,
        tip: Callable[[LabelDef, int], str] | None = None,
    ) -> None:
        """``text``/``tip``: a row's text and tooltip from its label and count, instead of the
        name (with the count in brackets when ``with_counts``) and the description."""
        super().__init__(parent)
        self._text = text
        self._tip = tip
        self.labels: list[LabelDef] = []
        self._rows: dict[str, int] = {}
        self._all_row = all_row
        self._offset = 0 if all_row is None else 1
        self._with_counts = with_counts
        self._icons = icons
        self._counts: Mapping[str, int] = {}
        self._total = 0

    def set_labels(self, labels: Sequence[LabelDef]) -> None:
        self.beginResetModel()
        self.labels = list(labels)
        self._rows = {label.name: row for row, label in enumerate(self.labels)}
        self.endResetModel()

    def set_counts(self, counts: Mapping[str, int], total: int) -> None:
        """New counts (label name -> annotations) and the total, for the rows' texts."""
        self._counts, self._total = counts, total
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0), self.index(self.rowCount() - 1), [Qt.ItemDataRole.DisplayRole]
            )

    def row_of(self, name: str) -> int:
        """The row of label ``name`` (of the "all" row for ``""``), or -1."""
        if not name and self._all_row is not None:
            return 0
        row = self._rows.get(name)
        return -1 if row is None else row + self._offset

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.labels) + self._offset

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row() - self._offset
        if row < 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{self._all_row} ({self._total})" if self._with_counts else self._all_row
            return "" if role == NAME_ROLE else None
        label = self.labels[row]
        if role == Qt.ItemDataRole.DisplayRole and self._text is not None:
            return self._text(label, self._counts.get(label.name, 0))
        if role == Qt.ItemDataRole.ToolTipRole and self._tip is not None:
            return self._tip(label, self._counts.get(label.name, 0))
        if role == Qt.ItemDataRole.DisplayRole:
            if self._with_counts:
                return f"{label.name} ({self._counts.get(label.name, 0)})"
            return label.name
        if role == NAME_ROLE:
            return label.name
        if role == Qt.ItemDataRole.DecorationRole and self._icons:
            return swatch(label.color)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return label.description or label.name
        return None


class LabelList(QListView):
    """A list view of a :class:`LabelListModel` with the few ``QListWidget`` calls the codebook
    dialog makes (``count``, ``currentRow``, ``setCurrentRow``, ``currentRowChanged``)."""

    currentRowChanged = Signal(int)  # noqa: N815 (as QListWidget names it)

    def __init__(self, model: LabelListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setModel(model)
        self.label_model = model
        self.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.currentRowChanged.emit(current.row())
        )

    def count(self) -> int:
        return self.label_model.rowCount()

    def currentRow(self) -> int:  # noqa: N802
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def setCurrentRow(self, row: int) -> None:  # noqa: N802
        self.setCurrentIndex(self.label_model.index(row, 0) if row >= 0 else QModelIndex())

    def current_name(self) -> str | None:
        index = self.currentIndex()
        return index.data(NAME_ROLE) if index.isValid() else None


def label_combo(combo: QComboBox, model: LabelListModel, characters: int = 18) -> None:
    """Show ``model`` in ``combo``: sized from ``characters``, not by measuring every row, and
    with a popup that lays out only the rows it shows."""
    combo.setModel(model)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    view = combo.view()
    if hasattr(view, "setUniformItemSizes"):
        view.setUniformItemSizes(True)


def select_name(combo: QComboBox, model: LabelListModel, name: str) -> None:
    """Make label ``name`` the combo box's current row (the first row when it is not there)."""
    combo.setCurrentIndex(max(0, model.row_of(name)))
