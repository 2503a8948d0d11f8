"""The filters above the document list: a part of the title, a status, a label, an annotator
(a layer) and "disagreements"; each change says the whole filter (``filter_changed``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QWidget

from annotator.core.document_query import DocumentFilter
from annotator.core.model import DocumentStatus
from annotator.gui.layer_bar import layer_title

ANY = None  # the item data of "Any …"


class ChoiceBox(QComboBox):
    """ "Any …" and the names ``names()`` gives, read again whenever the list opens (the layers
    are read from every annotation of the project: not at launch)."""

    def __init__(
        self, any_text: str, names: Callable[[], list[str]], title: Callable[[str], str] = str
    ) -> None:
        super().__init__()
        self._names, self._title = names, title
        self.addItem(any_text, ANY)
        self.setMinimumContentsLength(6)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def refresh(self) -> None:
        chosen = self.currentData()
        names = self._names()
        if [self.itemData(i) for i in range(1, self.count())] == names:
            return
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for name in names:
            self.addItem(self._title(name), name)
        found = self.findData(chosen) if chosen is not ANY else 0
        self.setCurrentIndex(max(0, found))
        self.blockSignals(False)
        if found < 0:  # the chosen one is gone
            self.currentIndexChanged.emit(0)

    def showPopup(self) -> None:  # noqa: N802 (Qt API)
        self.refresh()
        super().showPopup()

    def choose(self, name: str | None) -> None:
        if name is not ANY:
            self.refresh()
        self.setCurrentIndex(max(0, self.findData(name)) if name is not ANY else 0)


class DocumentFilterBar(QWidget):
    filter_changed = Signal(object)  # DocumentFilter

    def __init__(self, labels: Callable[[], list[str]], layers: Callable[[], list[str]]) -> None:
        super().__init__()
        self.title = QLineEdit(placeholderText="Filter by title", clearButtonEnabled=True)
        self.status = QComboBox()
        self.status.addItem("Any status", ANY)
        for status in DocumentStatus:
            self.status.addItem(str(status).capitalize(), status)
        self.label = ChoiceBox("Any label", labels)
        self.annotator = ChoiceBox("Any annotator", layers, layer_title)
        self.disagreements = QCheckBox("Disagreements")
        self.disagreements.setToolTip(
            "Only documents where a span (its start, end and label) in one annotator's layer is "
            "missing from another annotator's layer"
        )
        self.label.setToolTip("Only documents with a span of this label")
        self.annotator.setToolTip(
            "Only documents with a span in this annotator's layer (with the label too, if one "
            "is chosen: a span of that label in that layer)"
        )
        self.status.setToolTip("Only documents with this status")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.status, 1, 0)
        layout.addWidget(self.label, 1, 1)
        layout.addWidget(self.annotator, 2, 0)
        layout.addWidget(self.disagreements, 2, 1)
        self.title.textChanged.connect(self._emit)
        for box in (self.status, self.label, self.annotator):
            box.currentIndexChanged.connect(self._emit)
        self.disagreements.toggled.connect(self._emit)

    def current(self) -> DocumentFilter:
        status = self.status.currentData()  # Qt hands a StrEnum back as its str
        return DocumentFilter(
            title=self.title.text().strip(),
            status=None if status is None else DocumentStatus(status),
            label=self.label.currentData(),
            annotator=self.annotator.currentData(),
            disagreements=self.disagreements.isChecked(),
        )

    def clear(self) -> None:
        """Every filter off, at once (one ``filter_changed``)."""
        widgets = (self.title, self.status, self.label, self.annotator, self.disagreements)
        for widget in widgets:
            widget.blockSignals(True)
        self.title.clear()
        for box in (self.status, self.label, self.annotator):
            box.setCurrentIndex(0)
        self.disagreements.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.filter_changed.emit(self.current())
