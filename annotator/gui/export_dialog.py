"""File -> Export: pick a format and a target; ClaimReview asks for the publishing organisation."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.context import AppContext
from annotator.gui.layer_choice import LayerChoice
from annotator.io.registry import EXPORT_FORMATS, ExportOptions
from annotator.service import export_to


class ExportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Export project")
        self.format = QComboBox()
        for spec in EXPORT_FORMATS.values():
            self.format.addItem(f"{spec.name} — {spec.description}", spec.name)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.target = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        target_row = QWidget()
        row = QHBoxLayout(target_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.target)
        row.addWidget(browse)
        self.org_name = QLineEdit(ctx.settings.value("export/org_name", "") or "")
        self.org_url = QLineEdit(ctx.settings.value("export/org_url", "") or "")
        self.review_base = QLineEdit(ctx.settings.value("export/review_url_base", "") or "")
        self.form = QFormLayout(self)
        self.form.addRow("Format", self.format)
        self.form.addRow("Save to", target_row)
        self.layers = LayerChoice(ctx.project)
        self.form.addRow("Layers", self.layers)
        self.form.setRowVisible(self.layers, len(self.layers.names) > 1)
        self.form.addRow("Organisation", self.org_name)
        self.form.addRow("Organisation URL", self.org_url)
        self.form.addRow("Review URL base", self.review_base)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        self.form.addRow(self.buttons)
        last = ctx.settings.value("export/format", "json")
        self.format.setCurrentIndex(max(0, self.format.findData(last)))
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    def _spec(self):  # type: ignore[no-untyped-def]
        return EXPORT_FORMATS[self.format.currentData()]

    def _format_changed(self) -> None:
        spec = self._spec()
        claimreview = spec.name == "claimreview"
        for widget in (self.org_name, self.org_url, self.review_base):
            self.form.setRowVisible(widget, claimreview)
        stem = self.ctx.project.path.with_suffix("")
        self.target.setText(
            f"{stem}-{spec.name}{spec.extension}" if spec.extension else f"{stem}-{spec.name}"
        )

    def _browse(self) -> None:
        spec = self._spec()
        if spec.extension:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to", self.target.text(), f"{spec.name} (*{spec.extension})"
            )
        else:
            path = QFileDialog.getExistingDirectory(
                self, "Export into folder", str(Path(self.target.text()).parent)
            )
        if path:
            self.target.setText(path)

    def export(self) -> None:
        spec = self._spec()
        target = Path(self.target.text()).expanduser()
        options = ExportOptions(
            self.org_name.text().strip(),
            self.org_url.text().strip(),
            self.review_base.text().strip(),
        )
        try:
            report = export_to(self.ctx.project, spec.name, target, options, self.layers.chosen())
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        settings = self.ctx.settings
        settings.setValue("export/format", spec.name)
        settings.setValue("export/org_name", options.org_name)
        settings.setValue("export/org_url", options.org_url)
        settings.setValue("export/review_url_base", options.review_url_base)
        notes = "\n".join(f"• {n}" for n in report.notes)
        QMessageBox.information(
            self, "Exported", f"Saved {target}" + (f"\n\n{notes}" if notes else "")
        )
        self.accept()
