"""The report as PDF: paper by locale; the printing is annotator/io/report_pdf.py (WeasyPrint
over the HTML report, whose text layer holds the article's own characters; that module says why
not Qt's QPdfWriter). Page size follows the locale: Letter where it is the norm, else A4.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QLocale

from annotator.core.report import Report
from annotator.io.report_pdf import write as print_pdf

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


def write_pdf(report: Report, target: Path, paper: Paper | None = None) -> int:
    """Print ``report`` to ``target`` (replaced only once complete); returns the page count."""
    return print_pdf(report, target, paper or paper_for_locale())
