"""Excel workbook (.xlsx), one row per annotation (columns: see ``tabular``), via openpyxl.

Numbers and yes/no values keep their cell types; text that looks like a formula stays text.
Characters that XML cannot hold (control characters) are dropped and cells are cut at Excel's
limit of 32,767 characters; the report counts both. Offsets are code points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.io.files import atomic_file
from annotator.io.registry import ExportData, ExportOptions, ExportReport
from annotator.io.tabular import looks_like_formula, table

MISSING = "the xlsx export needs openpyxl: pip install openpyxl"
EXCEL_CELL_LIMIT = 32767


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
    except ImportError:
        raise AnnotatorError(None, MISSING) from None
    header, rows = table(data)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Annotations")
    bold = Font(bold=True)
    cleaned = cut = 0

    def make(value: Any, style: Font | None = None) -> WriteOnlyCell:
        nonlocal cleaned, cut
        if isinstance(value, str):
            clean = ILLEGAL_CHARACTERS_RE.sub("", value)
            cleaned += clean != value
            if len(clean) > EXCEL_CELL_LIMIT:
                clean, cut = clean[:EXCEL_CELL_LIMIT], cut + 1
            value = clean
        elif value is not None and not isinstance(value, bool | int | float):
            value = str(value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and looks_like_formula(value):
            c.data_type = "s"  # text, not a formula (a string cell is never run)
        if style is not None:
            c.font = style
        return c

    sheet.append([make(name, bold) for name in header])
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([make(value) for value in row])
    with atomic_file(target) as temporary:
        try:
            book.save(temporary)
        except BaseException:
            _discard(sheet)
            raise
    notes = []
    if cleaned:
        notes.append(
            f"{cleaned} cells held control characters Excel cannot store; they were removed"
        )
    if cut:
        notes.append(
            f"{cut} cells were longer than Excel's {EXCEL_CELL_LIMIT} characters and were cut"
        )
    return ExportReport(notes)


def _discard(sheet: object) -> None:
    """Close a write-only sheet's half-written streams, so they do not fail later, unraisably,
    when the garbage collector finds them."""
    writer = getattr(sheet, "_writer", None)
    for stream in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
        try:
            if stream is not None:
                stream.close()
        except Exception:  # lxml complains about the unfinished elements: that is the point
            pass
