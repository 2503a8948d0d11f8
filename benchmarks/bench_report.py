"""Reports of one article (1 MB with 10k annotations at full size): HTML and PDF, from the project
file to the finished file on disk."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

from annotator import service
from annotator.gui.report_pdf import Paper, write_pdf
from annotator.store.project import Project
from benchmarks.generate import Size
from benchmarks.harness import Workspace, elapsed_ms, qt_app
from benchmarks.rows import Row, Scenario, Target, median

HTML_TARGET = Target(max_value=2000)
PDF_TARGET = Target(max_value=10000)


def _label(size: Size) -> str:
    return f"1 document, {size.spans:,} annotations"


def _bare_text(project: Project) -> str:
    """What any report must do at least: read the document and its spans."""
    (item,) = service.documents_with_annotations(project)
    return item.document.text


def run_html(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """service.write_html_report vs reading the project and writing the escaped text."""
    folder = ws.fresh_dir("report-html")
    app_ms: list[float] = []
    bare_ms: list[float] = []
    with Project.open(ws.project(size)) as project:
        for n in range(repeat + 1):
            app = elapsed_ms(lambda: service.write_html_report(project, folder / "report.html"))
            bare = elapsed_ms(
                lambda: (folder / "bare.html").write_text(
                    escape(_bare_text(project)), encoding="utf-8"
                )
            )  # noqa: B023
            if n:
                app_ms.append(app)
                bare_ms.append(bare)
    return [
        Row(
            "HTML report (annotator report --format html)",
            _label(size),
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=HTML_TARGET,
            note="baseline: read the project and write its text, escaped",
        )
    ]


def _bare_pdf(text: str, target: Path) -> None:
    writer = QPdfWriter(str(target))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document = QTextDocument()
    document.setPlainText(text)
    document.print_(writer)


def run_pdf(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """Report model plus Qt's PDF of it vs Qt printing the plain article text."""
    qt_app()
    folder = ws.fresh_dir("report-pdf")
    app_ms: list[float] = []
    bare_ms: list[float] = []
    pages: list[int] = []
    with Project.open(ws.project(size)) as project:

        def report() -> None:
            pages.append(write_pdf(service.report(project), folder / "report.pdf", Paper.A4))

        for n in range(repeat + 1):
            app = elapsed_ms(report)
            bare = elapsed_ms(lambda: _bare_pdf(_bare_text(project), folder / "bare.pdf"))
            if n:
                app_ms.append(app)
                bare_ms.append(bare)
    return [
        Row(
            "PDF report (annotator report --format pdf)",
            _label(size),
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=PDF_TARGET,
            note=f"{pages[-1]:,} A4 pages; baseline: QTextDocument.print_ of the plain text",
        )
    ]


SCENARIOS = [
    Scenario("report-html", run_html, ("medium",), 5),
    Scenario("report-pdf", run_pdf, ("medium",), 3),
]
