"""File -> Export: pick a format and a target, and fill in the options the format declares."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.progress import Cancelled
from annotator.gui.context import AppContext
from annotator.gui.export_runner import ExportRunner
from annotator.gui.layer_choice import LayerChoice
from annotator.io.registry import EXPORT_FORMATS, ExportFormat, ExportOptions, FormatOption
from annotator.service import export_to


class ExportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner: ExportRunner | None = None  # the last export's, while and after it runs
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
        self.form = QFormLayout(self)
        self.form.addRow("Format", self.format)
        self.form.addRow("Save to", target_row)
        self.layers = LayerChoice(ctx.project)
        self.form.addRow("Layers", self.layers)
        self.form.setRowVisible(self.layers, len(self.layers.names) > 1)
        # One field per declared format option, shown while its format is chosen.
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self._rows: dict[str, QWidget] = {}
        for spec in EXPORT_FORMATS.values():
            for option in spec.options:
                if option.name in self.fields:  # shared by several formats: one field
                    continue
                widget = self._field(option)
                widget.setToolTip(option.help)
                self.fields[option.name] = widget
                self._rows[option.name] = self._with_help(widget, option.help)
                self.form.addRow(option.label, self._rows[option.name])
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

    def _field(self, option: FormatOption) -> QLineEdit | QComboBox:
        saved = self.ctx.settings.value(f"export/{option.name}", option.default)
        saved = saved if isinstance(saved, str) else option.default
        if not option.choices:
            return QLineEdit(saved)
        box = QComboBox()
        for choice in option.choices:
            box.addItem(choice, choice)
        box.setCurrentIndex(max(0, box.findData(saved)))
        return box

    @staticmethod
    def _with_help(widget: QWidget, text: str) -> QWidget:
        """The field with its help below it, small and grey."""
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        hint = QLabel(text[:1].upper() + text[1:] + ".")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text); font-size: small;")
        layout.addWidget(hint)
        return row

    def _spec(self) -> ExportFormat:
        return EXPORT_FORMATS[self.format.currentData()]

    def _format_changed(self) -> None:
        spec = self._spec()
        own = {option.name for option in spec.options}
        for name, row in self._rows.items():
            self.form.setRowVisible(row, name in own)
        self.layout().activate()
        self.resize(self.width(), self.sizeHint().height())  # fit the rows now shown
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

    def _value(self, name: str) -> str:
        widget = self.fields[name]
        return widget.currentData() if isinstance(widget, QComboBox) else widget.text().strip()

    def export(self) -> None:
        spec = self._spec()
        target = Path(self.target.text()).expanduser()
        options = ExportOptions({option.name: self._value(option.name) for option in spec.options})
        layers = self.layers.chosen()
        self.runner = ExportRunner(self, "Export project")
        try:
            report = self.runner.run(
                lambda progress: export_to(
                    self.ctx.project, spec.name, target, options, layers, progress
                )
            )
        except Cancelled:  # the target is as it was; the dialog stays for another try
            return
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        settings = self.ctx.settings
        settings.setValue("export/format", spec.name)
        for name, value in options.items():
            settings.setValue(f"export/{name}", value)
        notes = "\n".join(f"• {n}" for n in report.notes)
        QMessageBox.information(
            self, "Exported", f"Saved {target}" + (f"\n\n{notes}" if notes else "")
        )
        self.accept()
