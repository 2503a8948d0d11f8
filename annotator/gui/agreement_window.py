"""Team → Agreement…: the figures of ``annotator agreement`` as a table and a per-label chart.

The figures come from :func:`annotator.service.agreement`, the very function the command line
prints, so the window and ``annotator agreement --json`` always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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
from annotator.core.progress import Cancelled, Progress
from annotator.gui.agreement_chart import AgreementChart
from annotator.gui.background_work import BackgroundWork
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
HELP_INCEPTION = (
    "<b>INCEpTION's definitions</b> (Measure), computed per document as INCEpTION does; a "
    "pair's figure and the overall figure are the means over the documents where they are "
    "defined.<br>"
    "<b>INCEpTION coding</b>: each distinct (start, end) that an annotator marked is an item, "
    "an annotator's label there is the value, no span there is a missing value; a position "
    "with two spans of one annotator is left out. <b>α</b> — Krippendorff's alpha, nominal, "
    "with missing values (“Exclude incomplete” leaves out the positions someone did not "
    "mark). <b>κ</b> — Cohen's (two) or Fleiss' (three or more) kappa on the positions every "
    "annotator marked; 1.0 when one label is all that was used, as in INCEpTION.<br>"
    "<b>INCEpTION unitizing</b>: <b>αu</b> — Krippendorff's unitizing alpha over the "
    "document's characters, the label as the category (DKPro Agreement's formula); per label, "
    "the label's αu."
)
FIGURES = (("alpha", "α"), ("kappa", "κ"), ("f1_exact", "F1 exact"), ("f1_overlap", "F1 overlap"))
# measure -> (title in the chooser, the figures it gives)
MEASURES = {
    "ours": ("Ours: characters and spans", FIGURES),
    "inception-coding": ("INCEpTION coding (positions)", (("alpha", "α"), ("kappa", "κ"))),
    "inception-unitizing": ("INCEpTION unitizing (αu)", (("alpha_u", "αu"),)),
}
CHART_SERIES = {
    "inception-coding": (
        ("alpha", "α (Krippendorff)", "#3b6ea8"),
        ("kappa", "κ (Cohen/Fleiss)", "#7aa95c"),
    ),
    "inception-unitizing": (("alpha_u", "αu (unitizing)", "#8a5cb0"),),
}


def show_figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class AgreementWindow(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Agreement — {ctx.project.path.stem}")
        self.setObjectName("agreement-window")
        self.figures: dict | None = None
        self._work: BackgroundWork | None = None
        self._again = False  # asked to refresh while computing
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
        self.measure = QComboBox()
        self.measure.setObjectName("agreement-measure")
        for key, (title, _figures) in MEASURES.items():
            self.measure.addItem(title, key)
        self.measure.setToolTip("Which definition of agreement the figures use")
        self.exclude_incomplete = QCheckBox("Exclude incomplete")
        self.exclude_incomplete.setToolTip(
            "INCEpTION coding: leave out the positions some annotator did not mark"
        )
        self.exclude_incomplete.setEnabled(False)
        self.measure.currentIndexChanged.connect(lambda _i: self._measure_changed())
        self.exclude_incomplete.toggled.connect(lambda _on: self.refresh())
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
        self.help = QLabel(f"{HELP}<br>{HELP_INCEPTION}")
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
        side.addWidget(QLabel("Measure"))
        side.addWidget(self.measure)
        side.addWidget(self.exclude_incomplete)
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

    def _measure_changed(self) -> None:
        self.exclude_incomplete.setEnabled(self.measure.currentData() == "inception-coding")
        self.refresh()

    def chosen(self) -> list[str]:
        return [
            self.annotators.item(i).text()
            for i in range(self.annotators.count())
            if self.annotators.item(i).checkState() == Qt.CheckState.Checked
        ]

    @property
    def computing(self) -> bool:
        return self._work is not None

    def refresh(self) -> None:
        """Compute the figures off the GUI thread, with progress and Cancel; asked again while
        computing, the running computation is cancelled and this one follows it."""
        if self._work is not None:
            self._again = True
            self._work.cancel()
            return
        project = self.ctx.project
        chosen = self.chosen() or None
        include_curated = self.include_curated.isChecked()
        measure = self.measure.currentData()
        exclude = self.exclude_incomplete.isEnabled() and self.exclude_incomplete.isChecked()

        def work(progress: Progress) -> tuple[dict, dict[str, str]]:
            figures = agreement(
                project,
                chosen,
                include_curated=include_curated,
                measure=measure,
                exclude_incomplete=exclude,
                progress=progress,
            )
            titles = {}
            if figures["measure"] != "ours":
                titles = {d.id: d.title for d in project.documents()}
            return figures, titles

        self._work = BackgroundWork(self, "Agreement", "Computing agreement…", work)
        self._work.finished.connect(self._computed)
        self._work.start()

    def _computed(self, result: tuple[dict, dict[str, str]] | None, error: object) -> None:
        self._work = None
        if self._again:
            self._again = False
            self.refresh()
            return
        if isinstance(error, Cancelled):
            self._no_figures("Cancelled: press Refresh to compute the figures.")
            return
        if isinstance(error, AnnotatorError):
            self._no_figures(
                f"No figures: {error.reason}. Merge the team's copies first "
                "(File → Merge Projects…), then tick two or more annotators."
            )
            return
        if error is not None:
            raise error  # a bug: the window's exception hook reports it
        assert result is not None
        self.figures, titles = result
        self._show(titles)

    def _no_figures(self, why: str) -> None:
        self.figures = None
        self.summary.setText(why)
        self.table.setRowCount(0)
        self.chart.set_figures({})

    def _show(self, titles: dict[str, str]) -> None:
        assert self.figures is not None
        figures = self.figures
        measure = figures["measure"]
        title, keys = MEASURES[measure]
        shown = [k for k in keys if k[0] != "f1_exact"]
        overall = ", ".join(f"{t} {show_figure(figures['overall'][k])}" for k, t in shown)
        self.summary.setText(
            f"<b>{', '.join(figures['annotators'])}</b> over {figures['documents']} "
            f"document{'s' * (figures['documents'] != 1)} — {overall} "
            f"<i>({title}{', exclude incomplete' * bool(figures.get('exclude_incomplete'))})</i>"
        )
        if measure == "ours":
            self._fill_table(figures)
            self.chart.set_figures(figures["labels"])
            return
        per_document = {titles.get(d, d): f for d, f in figures["per_document"].items()}
        self._fill_inception(figures, keys, per_document)
        if measure == "inception-unitizing":
            self.chart.set_figures(figures["labels"], CHART_SERIES[measure])
        else:
            self.chart.set_figures(per_document, CHART_SERIES[measure])

    def _fill_inception(
        self,
        figures: dict,
        keys: tuple[tuple[str, str], ...],
        per_document: dict[str, dict],
    ) -> None:
        """Overall, the pairs, the labels (unitizing) and the documents, one row each."""
        headers = ["", *(title for _, title in keys)]
        rows: list[tuple[str, dict, bool]] = [
            ("Overall (mean over documents)", figures["overall"], True)
        ]
        rows += [(" / ".join(p["annotators"]), p, False) for p in figures["pairs"]]
        rows += [(f"Label: {label}", f, False) for label, f in figures.get("labels", {}).items()]
        rows += [(f"Document: {name}", f, False) for name, f in per_document.items()]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, (name, values, bold) in enumerate(rows):
            first = QTableWidgetItem(name)
            if bold:
                font = first.font()
                font.setBold(True)
                first.setFont(font)
            self.table.setItem(r, 0, first)
            for c, (key, _title) in enumerate(keys, start=1):
                tip = "Undefined: nothing to compare or nothing varies"
                self.table.setItem(r, c, _figure_item(values[key], tip))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

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
                tip = "Undefined: nothing varies (e.g. no one used this label)"
                self.table.setItem(r, c, _figure_item(values[key], tip))
            for c, annotator in enumerate(names, start=1 + len(FIGURES)):
                count = str(spans[annotator]) if spans else ""
                item = QTableWidgetItem(count)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)


def _figure_item(value: float | None, undefined: str) -> QTableWidgetItem:
    """A figure's cell, right-aligned; an undefined one says why in its tooltip."""
    item = QTableWidgetItem(show_figure(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if value is None:
        item.setToolTip(undefined)
    return item
