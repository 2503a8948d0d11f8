"""The annotations of the current document in text order: filter by label, counts, navigation;
and the relations of the selected annotation, each leading to its other end."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Annotation, Relation
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.formatting import excerpt, show_value
from annotator.gui.label_model import LabelListModel, label_combo
from annotator.gui.relation_editor import RelationEditor
from annotator.gui.table_model import AnyIndex, RowsModel, row_table

ALL_LABELS = ""


def _sort_key(a: Annotation) -> tuple[int, int, str]:
    return a.start, a.end, a.id


def describe_attributes(a: Annotation) -> str:
    return "; ".join(
        f"{key}: {show_value(value)}"
        for key, value in a.attributes.items()
        if value not in (None, "")
    )


class AnnotationModel(RowsModel):
    COLUMNS = ("Label", "Text", "Attributes")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[Annotation] = []
        self._keys: list[tuple[int, int, str]] = []
        self._key_of: dict[str, tuple[int, int, str]] = {}
        self.counts: Counter[str] = Counter()

    def reset(self, annotations: list[Annotation]) -> None:
        self.beginResetModel()
        keys = [_sort_key(a) for a in annotations]
        if any(keys[i] > keys[i + 1] for i in range(len(keys) - 1)):  # the store sends them sorted
            order = sorted(range(len(keys)), key=keys.__getitem__)
            keys, annotations = [keys[i] for i in order], [annotations[i] for i in order]
        self._keys, self.rows = keys, list(annotations)
        self._key_of = {a.id: key for a, key in zip(self.rows, keys, strict=True)}
        self.counts = Counter(a.label for a in self.rows)
        self.endResetModel()

    def remove(self, annotation: Annotation) -> None:
        key = self._key_of.pop(annotation.id, None)
        if key is None:
            return
        row = bisect_left(self._keys, key)
        self.beginRemoveRows(QModelIndex(), row, row)
        self.counts[self.rows[row].label] -= 1
        del self.rows[row], self._keys[row]
        self.endRemoveRows()

    def insert(self, annotation: Annotation) -> None:
        self.remove(annotation)  # applying a change twice must not duplicate a row
        key = _sort_key(annotation)
        self._key_of[annotation.id] = key
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, annotation)
        self._keys.insert(row, key)
        self.counts[annotation.label] += 1
        self.endInsertRows()

    def row_of(self, annotation_id: str) -> int | None:
        key = self._key_of.get(annotation_id)
        return None if key is None else bisect_left(self._keys, key)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        a = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return a.label
            if column == 1:
                return excerpt(a.text, 80)
            return describe_attributes(a) + (" ✎" if a.note else "")
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            label = self.ctx.label(a.label)
            return QColor(label.color if label else "#808080")
        if role == Qt.ItemDataRole.ToolTipRole:
            note = f"\n\nNote: {a.note}" if a.note else ""
            by = f" by {a.annotator}" if a.annotator else ""
            return f"{a.label} ({a.start}–{a.end}){by}\n{a.text[:500]}{note}"
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        return None


def matches(a: Annotation, query: str) -> bool:
    """Whether ``a`` fits a filter query: ``name: value`` looks in that attribute's value,
    anything else in the text, the attribute values and the note (case-insensitive)."""
    query = query.strip().casefold()
    if not query:
        return True
    name, colon, value = query.partition(":")
    if colon and name.strip() and any(k.casefold() == name.strip() for k in a.attributes):
        wanted = value.strip()
        return any(
            k.casefold() == name.strip() and wanted in show_value(v).casefold()
            for k, v in a.attributes.items()
        )
    haystack = [a.text, a.note, *(show_value(v) for v in a.attributes.values())]
    return any(query in part.casefold() for part in haystack)


class LabelFilter(QSortFilterProxyModel):
    """Rows of one label (or all), and only those matching the filter query."""

    def __init__(self) -> None:
        super().__init__()
        self.label = ALL_LABELS
        self.query = ""

    def _change(self, **values: str) -> None:
        if all(getattr(self, k) == v for k, v in values.items()):
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateFilter is deprecated there
            self.beginFilterChange()
            for k, v in values.items():
                setattr(self, k, v)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            for k, v in values.items():
                setattr(self, k, v)
            self.invalidateRowsFilter()

    def set_label(self, label: str) -> None:
        self._change(label=label)

    def set_query(self, query: str) -> None:
        self._change(query=query)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:  # noqa: N802
        a = self.sourceModel().rows[row]  # type: ignore[attr-defined]
        if self.label and a.label != self.label:
            return False
        return not self.query or matches(a, self.query)


class AnnotationPanel(QWidget):
    annotation_selected = Signal(str)  # "" when nothing is selected
    relation_end_chosen = Signal(str)  # the other end of a relation listed for the current one
    relation_selected = Signal(str)  # a relation picked in the list ("" when none)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document_id: str | None = None
        self.model = AnnotationModel(ctx)
        self.proxy = LabelFilter()
        self.proxy.setSourceModel(self.model)
        self.label_filter = QComboBox()
        self.filter_model = LabelListModel(
            self, all_row="All labels", with_counts=True, icons=False
        )
        label_combo(self.label_filter, self.filter_model, 20)
        self._labels_shown: list | None = None
        self.label_filter.currentIndexChanged.connect(self._filter_changed)
        self.search = QLineEdit(
            placeholderText="Filter: text, or attribute: value", clearButtonEnabled=True
        )
        self.search.setToolTip(
            "“Miller” finds it in the text, attributes or notes; "
            "“speaker: Miller” only in the speaker"
        )
        self.search.textChanged.connect(self.proxy.set_query)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.view = row_table(self.proxy)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        # fixed, from the label names: sizing to contents asks data() for every row (50k)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(2, 130)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 0)
        layout.addWidget(self.label_filter)
        layout.addWidget(self.search)
        layout.addWidget(self.view)
        layout.addWidget(self.summary)
        self.relations: dict[str, Relation] = {}
        self.relations_title = QLabel("Relations")
        self.relation_list = QListWidget()
        self.relation_list.setMaximumHeight(6 * (self.fontMetrics().height() + 6))
        self.relation_list.itemActivated.connect(self._relation_activated)
        self.relation_list.itemDoubleClicked.connect(self._relation_activated)
        self.relation_list.currentItemChanged.connect(self._relation_chosen)
        self.relation_editor = RelationEditor(ctx)
        layout.addWidget(self.relations_title)
        layout.addWidget(self.relation_list)
        layout.addWidget(self.relation_editor)
        self.annotation_selected.connect(lambda _id: self._show_relations())
        ctx.events.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.labels:
            self._refresh_labels()
        if changes.annotations_of(self.document_id):
            self._apply_change(changes.removed, changes.added)

    def show_document(self, document_id: str | None, annotations: list[Annotation]) -> None:
        self.document_id = document_id
        if self.ctx.visible_layers is not None:  # only the layers the reader shows
            annotations = [a for a in annotations if self.ctx.shows(a)]
        self.model.reset(annotations)
        self._refresh_labels()
        self._refresh_counts()

    def _fit_label_column(self) -> None:
        metrics = self.view.fontMetrics()
        # The longest names are the widest (near enough): measure 20, not every label.
        longest = heapq.nlargest(20, (label.name for label in self.ctx.labels()), key=len)
        widest = max((metrics.horizontalAdvance(name) for name in longest), default=40)
        header_width = metrics.horizontalAdvance(AnnotationModel.COLUMNS[0])
        icon = self.view.iconSize().width() or 16
        self.view.horizontalHeader().resizeSection(0, max(widest + icon, header_width) + 36)

    def _refresh_labels(self) -> None:
        labels = self.ctx.labels()
        if labels is self._labels_shown:
            self._refresh_counts()  # same labels: only the numbers change
            return
        self._labels_shown = labels
        current = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        self.filter_model.set_labels(labels)
        self._fit_label_column()
        self.label_filter.setCurrentIndex(max(self.filter_model.row_of(current or ""), 0))
        self.label_filter.blockSignals(False)
        self.proxy.set_label(self.label_filter.currentData() or ALL_LABELS)
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        counts = self.model.counts
        self.filter_model.set_counts(counts, len(self.model.rows))
        parts = [f"{n} {name}" for name, n in counts.most_common() if n]
        self.summary.setText(
            ", ".join(parts)
            if parts
            else "No annotations yet: select text and press a label's key."
        )

    def _filter_changed(self) -> None:
        self.proxy.set_label(self.label_filter.currentData() or ALL_LABELS)

    def _apply_change(self, removed: tuple[Annotation, ...], added: tuple[Annotation, ...]) -> None:
        current = self.current_id()
        selection = self.view.selectionModel()
        selection.blockSignals(True)  # an edited annotation stays selected, silently
        for a in removed:
            self.model.remove(a)
        for a in added:
            if self.ctx.shows(a):  # only the layers the reader shows
                self.model.insert(a)
            else:
                self.model.remove(a)
        self._refresh_counts()
        row = self.model.row_of(current) if current else None
        if row is not None:
            self.view.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))
        selection.blockSignals(False)
        if current and row is None:
            self.annotation_selected.emit("")

    # -- relations of the current annotation ----------------------------------------------------

    def set_relations(self, relations: list[Relation]) -> None:
        """The document's relations; those of the current annotation are listed."""
        self.relations = {r.id: r for r in relations}
        self._show_relations()

    def update_relations(self, removed: Iterable[Relation], added: Iterable[Relation]) -> None:
        """One edit's relations out and in (see :meth:`set_relations`)."""
        for relation in removed:
            self.relations.pop(relation.id, None)
        for relation in added:
            self.relations[relation.id] = relation
        self._show_relations()

    def _annotation(self, annotation_id: str) -> Annotation | None:
        row = self.model.row_of(annotation_id)
        return self.model.rows[row] if row is not None else None

    def _show_relations(self) -> None:
        self.relation_list.blockSignals(True)  # rebuilding the list selects no relation
        self.relation_list.clear()
        current = self.current_id()
        mine = (
            [r for r in self.relations.values() if current in (r.source_id, r.target_id)]
            if current
            else []
        )
        self.relations_title.setText(
            f"Relations of this annotation ({len(mine)})"
            if current
            else "Relations: select an annotation (R relates it to another)"
        )
        for relation in mine:
            outgoing = relation.source_id == current
            other_id = relation.target_id if outgoing else relation.source_id
            other = self._annotation(other_id)
            words = excerpt(other.text, 40) if other else "?"
            arrow = "→" if outgoing else "←"
            flag = "  ⚠ labels no longer fit" if relation.flagged else ""
            item = QListWidgetItem(
                f"{arrow} {relation.type}: {other.label if other else '?'} “{words}”{flag}"
            )
            item.setData(Qt.ItemDataRole.UserRole, other_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, relation.id)
            item.setToolTip("Double-click or Return: go to the other end")
            color = self.ctx.relation_types()
            found = next((t.color for t in color if t.name == relation.type), None)
            if found:
                item.setForeground(QColor(found))
            self.relation_list.addItem(item)
        self.relation_list.setCurrentRow(-1)
        self.relation_list.blockSignals(False)

    def _relation_chosen(self, item: QListWidgetItem | None, _previous: object) -> None:
        self.relation_selected.emit(item.data(Qt.ItemDataRole.UserRole + 1) if item else "")

    def show_relation(self, relation: Relation | None) -> None:
        """Edit the selected relation's note and attributes below the list."""
        self.relation_editor.show_relation(relation)

    def _relation_activated(self, item: QListWidgetItem) -> None:
        other = item.data(Qt.ItemDataRole.UserRole)
        if other:
            self.relation_end_chosen.emit(other)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, annotation_id: str | None) -> None:
        if annotation_id is None:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
            return
        row = self.model.row_of(annotation_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.label_filter.setCurrentIndex(0)
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) annotation in text order."""
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else (0 if delta > 0 else count - 1)
        self.view.setCurrentIndex(self.proxy.index(max(0, min(count - 1, row)), 0))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.annotation_selected.emit(
            current.data(Qt.ItemDataRole.UserRole) if current.isValid() else ""
        )
