"""A checkable list of the project's layers (annotators), for dialogs that write some of them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from annotator import service
from annotator.gui.layer_bar import layer_title


class LayerChoice(QListWidget):
    """Every layer, ticked; :meth:`chosen` is None while all are ticked ("every layer")."""

    def __init__(self, project: service.Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = service.layer_names(project)
        for name in self.names:
            item = QListWidgetItem(layer_title(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.addItem(item)
        rows = max(1, min(len(self.names), 5))
        self.setMaximumHeight(self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 4)
        self.setToolTip("Export only the ticked annotators' annotations")

    def chosen(self) -> list[str] | None:
        ticked = [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]
        return None if len(ticked) == len(self.names) else ticked
