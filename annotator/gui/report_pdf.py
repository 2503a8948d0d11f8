"""The report as PDF, printed by Qt: QTextDocument laid out on QPdfWriter pages.

Why Qt rather than WeasyPrint: it ships with PySide6 (nothing more to install, no system Pango,
and it works in the bundle) and it is fast enough for big reports (a 1 MB article with 10,000
annotations, about 1,000 pages, in 12-18 s on a busy 2-core machine; WeasyPrint needed 8 s for a
20 KB article with 200 spans, about 5 s per 100 KB of text). Text stays text
(selectable, searchable); fonts are embedded as subsets, and characters the body font lacks fall
back through fontconfig to a font that has them (Noto CJK, Noto Arabic, Noto Color Emoji, which
Qt draws as colour images). Page size follows the locale: Letter where it is the norm, else A4.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QApplication

from annotator.core.report import Report
from annotator.gui.report_document import SERIF, build_document
from annotator.io.files import atomic_file, check_output_file

RESOLUTION = 96  # layout units per inch; text stays vector (design metrics), charts are images
FOOTER_MM = 8.0

# Territories where US Letter is the usual paper (the rest of the world uses A4).
_LETTER = {
    "UnitedStates",
    "Canada",
    "Mexico",
    "Philippines",
    "Chile",
    "Colombia",
    "Venezuela",
    "CostaRica",
    "Guatemala",
    "Panama",
    "PuertoRico",
    "DominicanRepublic",
    "ElSalvador",
    "Nicaragua",
    "Honduras",
}


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


def paper_for_locale(locale: QLocale | None = None) -> Paper:
    """Letter in the Americas' Letter countries, else A4 (from LC_PAPER/LC_ALL/LANG)."""
    if locale is None:
        name = os.environ.get("LC_ALL") or os.environ.get("LC_PAPER") or os.environ.get("LANG")
        locale = QLocale(name.split(".")[0]) if name else QLocale.system()
    return Paper.LETTER if locale.territory().name in _LETTER else Paper.A4


def _application() -> None:
    """Fonts and painting need an application; the command line has none of its own. A full
    QApplication, so that a window opened later in the same process can use it."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _application.app = QApplication(["annotator"])  # type: ignore[attr-defined]


def write_pdf(report: Report, target: Path, paper: Paper | None = None) -> int:
    """Print ``report`` to ``target`` (replaced only once complete); returns the page count."""
    check_output_file(target)
    _application()
    with atomic_file(target) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(RESOLUTION)
        writer.setTitle(report.title)
        writer.setCreator("Annotator")
        size = (
            QPageSize.PageSizeId.Letter
            if (paper or paper_for_locale()) is Paper.LETTER
            else QPageSize.PageSizeId.A4
        )
        writer.setPageLayout(
            QPageLayout(
                QPageSize(size),
                QPageLayout.Orientation.Portrait,
                QMarginsF(18, 16, 18, 12),
                QPageLayout.Unit.Millimeter,
            )
        )
        area = writer.pageLayout().paintRectPixels(RESOLUTION)
        footer = FOOTER_MM / 25.4 * RESOLUTION
        page_height = area.height() - footer
        document = build_document(report, writer, QSizeF(area.width(), page_height))
        pages = document.pageCount()
        painter = QPainter(writer)
        try:
            footer_font = QFont()
            footer_font.setFamilies(SERIF)
            footer_font.setPointSizeF(7.5)
            for page in range(pages):
                if page:
                    writer.newPage()
                painter.save()
                painter.translate(0, -page * page_height)
                document.drawContents(
                    painter, QRectF(0, page * page_height, area.width(), page_height)
                )
                painter.restore()
                painter.setFont(footer_font)
                painter.setPen(QColor("#59636e"))
                painter.drawText(
                    QRectF(0, page_height, area.width(), footer),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    f"{report.title} · {page + 1} / {pages}",
                )
        finally:
            painter.end()
        del writer  # flushes and closes the file before it replaces the target
    return pages
