"""Team → Agreement…: the figures of ``annotator agreement`` as a table and a per-label chart.

The figures come from :func:`annotator.service.agreement`, the very function the command line
prints, so the window and ``annotator agreement --json`` always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.agreement_chart import AgreementChart
from annotator.gui.context import AppContext
from annotator.service import agreement, agreement_annotators, curated_layers

HELP = (
    "<b>How these figures are computed.</b> The units are the characters (code points) of the "
    "compared documents, once per label. An annotator's value at a unit is 1 when one of "
    "their spans with that label covers it, else 0.<br>"
    "<b>α</b> — Krippendorff's alpha, nominal, on those units (overall: every label's units "
    "together). <b>κ</b> — on the same units, Cohen's kappa for two annotators, Fleiss' kappa "
    "for three or more. <b>F1 exact</b> — spans match when label, start and end are equal: "
    "F1 = 2 × matches / (spans of A + spans of B). <b>F1 overlap</b> — the matches are a "
    "maximum one-to-one matching of overlapping spans of the same label, so the order of the "
    "spans does not matter. With three or more annotators a label's F1 is the mean over pairs. "
    "A figure with nothing to vary (e.g. a label no one "
    "used) is undefined and shown as “—”.<br>"
    "<b>Documents</b>: those in which every compared annotator has at least one annotation, "
    "or that are marked done.<br>"
    "<b>Curated layers</b> (written by adjudication or Team → Curate Disagreements) are a "
    "curator's decisions, not an annotator's work: they are left out unless "
    "“Include curated layers” is ticked."
)
FIGURES = (("alpha", "α"), ("kappa", "κ"), ("f1_exact", "F1 exact"), ("f1_overlap", "F1 overlap"))


def show_figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class AgreementWindow(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Agreement — {ctx.project.path.stem}")
        self.setObjectName("agreement-window")
        self.figures: dict | None = None
        self.annotators = QListWidget()
        self.annotators.setMaximumWidth(180)
        self.include_curated = QCheckBox("Include curated layers")
        self.include_curated.setToolTip(
            "Count the layers written by adjudication or curation as annotators too"
        )
        self.include_curated.setVisible(bool(curated_layers(ctx.project)))
        self._list_annotators()
        self.annotators.itemChanged.connect(lambda _item: self.refresh())
        self.include_curated.toggled.connect(lambda _on: self._list_annotators(refresh=True))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.chart = AgreementChart()
        chart_scroll = QScrollArea()
        chart_scroll.setWidget(self.chart)
        chart_scroll.setWidgetResizable(True)
        self.help = QLabel(HELP)
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setVisible(False)
        help_button = QToolButton(text="How are these computed?", checkable=True)
        help_button.toggled.connect(self.help.setVisible)
        refresh = QToolButton(text="Refresh")
        refresh.setToolTip("Compute again from the project as it is now")
        refresh.clicked.connect(self.refresh)
        side = QVBoxLayout()
        side.addWidget(QLabel("Annotators"))
        side.addWidget(self.annotators)
        side.addWidget(self.include_curated)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(chart_scroll)
        split.setSizes([260, 260])
        main = QVBoxLayout()
        main.addWidget(self.summary)
        main.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(help_button)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        main.addLayout(buttons)
        main.addWidget(self.help)
        layout = QHBoxLayout(self)
        layout.addLayout(side)
        layout.addLayout(main, 1)
        self.resize(900, 640)
        self.refresh()

    def _list_annotators(self, *, refresh: bool = False) -> None:
        self.annotators.blockSignals(True)
        self.annotators.clear()
        include = self.include_curated.isChecked()
        for name in agreement_annotators(self.ctx.project, include_curated=include):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.annotators.addItem(item)
        self.annotators.blockSignals(False)
        if refresh:
            self.refresh()

    def chosen(self) -> list[str]:
        return [
            self.annotators.item(i).text()
            for i in range(self.annotators.count())
            if self.annotators.item(i).checkState() == Qt.CheckState.Checked
        ]

    def refresh(self) -> None:
        try:
            self.figures = agreement(
                self.ctx.project,
                self.chosen() or None,
                include_curated=self.include_curated.isChecked(),
            )
        except AnnotatorError as exc:
            self.figures = None
            self.summary.setText(
                f"No figures: {exc.reason}. Merge the team's copies first "
                "(File → Merge Projects…), then tick two or more annotators."
            )
            self.table.setRowCount(0)
            self.chart.set_figures({})
            return
        figures = self.figures
        self.summary.setText(
            f"<b>{', '.join(figures['annotators'])}</b> over {figures['documents']} "
            f"document{'s' * (figures['documents'] != 1)} "
            f"— α {show_figure(figures['overall']['alpha'])}, "
            f"κ {show_figure(figures['overall']['kappa'])}, "
            f"F1 overlap {show_figure(figures['overall']['f1_overlap'])}"
        )
        self._fill_table(figures)
        self.chart.set_figures(figures["labels"])

    def _fill_table(self, figures: dict) -> None:
        names = figures["annotators"]
        headers = ["", *(title for _, title in FIGURES), *(f"spans: {n}" for n in names)]
        rows: list[tuple[str, dict, dict | None]] = [("Overall", figures["overall"], None)]
        rows += [(label, f, f["spans"]) for label, f in figures["labels"].items()]
        rows += [(" / ".join(p["annotators"]), p, None) for p in figures["pairs"]]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, (name, values, spans) in enumerate(rows):
            first = QTableWidgetItem(name)
            if r == 0 or r > len(figures["labels"]):
                font = first.font()
                font.setItalic(r > 0)
                font.setBold(r == 0)
                first.setFont(font)
            self.table.setItem(r, 0, first)
            for c, (key, _title) in enumerate(FIGURES, start=1):
                item = QTableWidgetItem(show_figure(values[key]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if values[key] is None:
                    item.setToolTip("Undefined: nothing varies (e.g. no one used this label)")
                self.table.setItem(r, c, item)
            for c, annotator in enumerate(names, start=1 + len(FIGURES)):
                count = str(spans[annotator]) if spans else ""
                item = QTableWidgetItem(count)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
