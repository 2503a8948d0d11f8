"""CSV, one row per annotation, for spreadsheets and scripts (columns: see ``tabular``).

UTF-8 with a byte-order mark, so Excel recognises the encoding when the file is opened by
double-click; comma-separated, ``\\r\\n`` line ends, fields quoted when needed (RFC 4180).
Offsets are code points. Yes/no values are written ``true``/``false``; unset attributes are empty.
A cell that would start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a
number gets a leading ``'`` so spreadsheets show it as text instead of running it as a formula
(``tabular.protect``; the report counts them).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from annotator.io.files import atomic_text_writer
from annotator.io.registry import ExportData, ExportOptions, ExportReport
from annotator.io.tabular import protect, table


def cell(value: Any) -> tuple[str, bool]:
    """The text of a cell, and whether it was protected against formula injection."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    return protect(str(value))


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    header, rows = table(data)
    protected = 0
    with atomic_text_writer(target) as out:
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        heads = [cell(name) for name in header]  # attribute names are the user's text too
        protected += sum(flag for _, flag in heads)
        writer.writerow([text for text, _ in heads])
        for row in rows:
            cells = [cell(value) for value in row]
            protected += sum(flag for _, flag in cells)
            writer.writerow([text for text, _ in cells])
    notes = []
    if protected:
        notes.append(
            f"{protected} cells began with =, +, -, @ or a tab and got a leading ' so "
            "spreadsheets do not run them as formulas"
        )
    return ExportReport(notes)
