"""File -> Export Report…: choose documents, annotators and labels, see the report, save it as
HTML or PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import annotator.io.report_html as report_html
from annotator import service
from annotator.core.errors import AnnotatorError
from annotator.core.report import (
    CLAIM_LABEL,
    NOTE,
    SECTION_NAMES,
    SECTIONS,
    UNNAMED,
    Report,
    ReportOptions,
)
from annotator.gui.context import AppContext
from annotator.gui.formatting import swatch
from annotator.gui.report_document import Preview, build_document
from annotator.gui.report_pdf import Paper, PdfSaver, paper_for_locale
from annotator.io.files import check_output_file

PREVIEW_DELAY_MS = 250  # typing in the title or ticking boxes settles before the preview redraws
FORMATS = {"html": ("HTML page (one self-contained file)", ".html"), "pdf": ("PDF", ".pdf")}


def _checklist(items: list[tuple[str, str, str | None]]) -> QListWidget:
    """A list of ticked boxes: (text, data, colour or None)."""
    widget = QListWidget()
    for text, data, color in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        if color:
            item.setIcon(swatch(color))
        widget.addItem(item)
    widget.setMaximumHeight(110)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class ReportDialog(QDialog):
    """Options on the left, the report as it will read on the right."""

    preview_updated = Signal()  # after each redraw of the preview (tests wait for it)
    save_ended = Signal(str)  # a PDF save: "saved", "failed" or "cancelled"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Export report")
        self.labels = ctx.project.labels()
        self.report: Report | None = None  # what the preview shows and Save writes
        self.pdf = PdfSaver(self)  # a PDF is printed in a child process, with a progress dialog
        self.pdf.ended.connect(self._pdf_ended)

        documents = ctx.project.documents()
        self.documents = _checklist([(d.title or "Untitled", d.id, None) for d in documents])
        annotators = sorted({a.annotator or UNNAMED for a in ctx.project.annotations()})
        self.annotators = _checklist([(name, name, None) for name in annotators])
        self.label_list = _checklist(
            [(label.name, label.name, label.color) for label in self.labels]
        )
        self.title = QLineEdit()
        self.title.setPlaceholderText(ctx.project.path.stem)  # the default
        self.subtitle = QLineEdit()
        self.subtitle.setPlaceholderText("none")
        self.sections = _checklist([(SECTION_NAMES[name], name, None) for name in SECTIONS])
        self.details = QCheckBox("Details: full source paths, status, dates, file metadata")
        self.details.setToolTip(
            "Off: each document's source shows as its file name or URL only, for readers "
            "outside the desk."
        )
        self.page_breaks = QCheckBox("Each article on a new page")
        self.rationale = QComboBox()
        self.rationale.addItem("Note", NOTE)
        claim = next((la for la in self.labels if la.name.casefold() == CLAIM_LABEL), None)
        for attribute in claim.attributes if claim is not None else ():
            self.rationale.addItem(f"Attribute: {attribute.name}", attribute.name)
        self.format = QComboBox()
        for name, (text, _) in FORMATS.items():
            self.format.addItem(text, name)
        self.paper = QComboBox()
        self.paper.addItem("A4", Paper.A4.value)
        self.paper.addItem("US Letter", Paper.LETTER.value)
        self.target = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        target_row = QWidget()
        row = QHBoxLayout(target_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.target)
        row.addWidget(browse)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b42318")

        options = QWidget()
        column = QVBoxLayout(options)
        column.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        column.addLayout(self.form)
        column.addStretch(1)
        self.form.addRow("Documents", self.documents)
        self.form.addRow("Annotators", self.annotators)
        self.form.addRow("Labels", self.label_list)
        self.form.addRow("Title", self.title)
        self.form.addRow("Subtitle", self.subtitle)
        self.form.addRow("Sections", self.sections)
        self.form.addRow("Rationale", self.rationale)
        self.form.addRow("", self.details)
        self.form.addRow("", self.page_breaks)
        self.form.addRow("Format", self.format)
        self.form.addRow("Paper", self.paper)
        self.form.addRow("Save to", target_row)
        self.form.addRow(self.problem)
        self.form.setRowVisible(self.annotators, len(annotators) > 1)
        self.form.setRowVisible(self.rationale, claim is not None)
        agreement = self.sections.findItems(SECTION_NAMES["agreement"], Qt.MatchFlag.MatchExactly)
        for item in agreement if len(annotators) < 2 else ():
            item.setHidden(True)  # one annotator: no agreement to show

        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        splitter = QSplitter()
        splitter.addWidget(options)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        settings = ctx.settings
        last = settings.value("report/format", "html")
        self.format.setCurrentIndex(max(0, self.format.findData(last)))
        paper = settings.value("report/paper", "") or paper_for_locale().value
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self._format_changed()

        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        for widget in (self.documents, self.annotators, self.label_list, self.sections):
            widget.itemChanged.connect(self._timer.start)
        for line in (self.title, self.subtitle):
            line.textChanged.connect(self._timer.start)
        for box in (self.details, self.page_breaks):
            box.toggled.connect(self._timer.start)
        self.rationale.currentIndexChanged.connect(self._timer.start)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.resize(1100, 720)
        splitter.setSizes([380, 720])
        self.update_preview()

    # --- options --------------------------------------------------------------------------

    def fmt(self) -> str:
        return str(self.format.currentData())

    def options(self) -> ReportOptions | None:
        """The chosen options, or None (with the reason shown) when nothing would be in it."""
        documents, labels = _checked(self.documents), _checked(self.label_list)
        annotators, sections = _checked(self.annotators), _checked(self.sections)
        missing = (
            "document"
            if not documents
            else "label"
            if not labels
            else "annotator"
            if self.annotators.count() and not annotators
            else "section"
            if not sections
            else ""
        )
        if missing:
            self.problem.setText(f"Choose at least one {missing}.")
            return None
        self.problem.clear()
        every = len(annotators) == self.annotators.count()
        return ReportOptions(
            tuple(documents) if len(documents) < self.documents.count() else (),
            () if every else tuple("" if a == UNNAMED else a for a in annotators),
            tuple(labels) if len(labels) < self.label_list.count() else (),
            self.title.text().strip(),
            self.subtitle.text().strip(),
            tuple(sections),
            self.details.isChecked(),
            self.page_breaks.isChecked(),
            str(self.rationale.currentData()),
        )

    def _format_changed(self) -> None:
        fmt = self.fmt()
        self.form.setRowVisible(self.paper, fmt == "pdf")
        current = self.target.text().strip()
        extension = FORMATS[fmt][1]
        if current:
            self.target.setText(str(Path(current).with_suffix(extension)))
        else:
            stem = self.ctx.project.path.with_suffix("")
            self.target.setText(f"{stem}-report{extension}")

    def _browse(self) -> None:
        text, extension = FORMATS[self.fmt()]
        path, _ = QFileDialog.getSaveFileName(
            self, "Save report as", self.target.text(), f"{text} (*{extension})"
        )
        if path:
            self.target.setText(path)

    # --- preview and saving ---------------------------------------------------------------

    def update_preview(self) -> None:
        self._timer.stop()
        options = self.options()
        self.report = None
        if options is not None:
            try:
                self.report = service.report(self.ctx.project, options)
            except AnnotatorError as exc:  # e.g. the project file went away
                self.problem.setText(str(exc))
        if self.report is not None:
            self._document = build_document(self.report, preview=Preview())
            self._document.setParent(self.preview)
            self.preview.setDocument(self._document)
        else:
            self.preview.setHtml(f"<p><i>{self.problem.text()}</i></p>")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            self.report is not None
        )
        self.preview_updated.emit()

    def save(self) -> None:
        if self._timer.isActive():
            self.update_preview()
        if self.report is None or self.pdf.running:
            return
        target = Path(self.target.text().strip()).expanduser()
        try:
            if not self.target.text().strip():
                raise AnnotatorError(None, "choose a file to save the report to")
            check_output_file(target)
            service.check_output_target(self.ctx.project, target)
            if self.fmt() == "pdf":
                self.pdf.start(self.report, target, Paper(self.paper.currentData()))
                self._pdf_target = target
                return  # _pdf_ended goes on
            report_html.write(self.report, target)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Report not saved", str(exc))
            return
        self._saved(target)

    def _pdf_ended(self, outcome: str, detail: str) -> None:
        if outcome == "failed":
            QMessageBox.warning(self, "Report not saved", detail)
        elif outcome == "saved":
            self._saved(self._pdf_target)
        self.save_ended.emit(outcome)

    def _saved(self, target: Path) -> None:
        settings = self.ctx.settings
        settings.setValue("report/format", self.fmt())
        settings.setValue("report/paper", self.paper.currentData())
        self.saved_to = target
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"Report saved to {target}", 8000)
        self.accept()

    def reject(self) -> None:
        self.pdf.cancel()  # closing the dialog ends a PDF still printing
        super().reject()
