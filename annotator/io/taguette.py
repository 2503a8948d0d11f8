"""Taguette codebooks as CSV: what Taguette 1.5's "Import codebook" reads.

Taguette imports no projects from other tools (neither REFI-QDA ``.qdpx`` nor anything else);
its codebook import reads a CSV with a ``tag`` (or ``name`` or ``path``) column and an optional
``description`` column, the encoding detected by chardet (``taguette/import_codebook.py``).

Write: ``tag,description``, one row per label, UTF-8 with a byte-order mark (so the detection
cannot mistake it), RFC 4180 quoting. Colours, shortcuts and attributes have no column in
Taguette and are not written. A cell a spreadsheet could run as a formula (``=HYPERLINK(…)``,
``@SUM(1)``: it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading ``'`` (``tabular.protect``), which Taguette keeps as part of the name. Read: the same
columns Taguette reads (its own codebook export adds highlight and document counts, which are
ignored), with exactly that ``'`` taken off again, so a codebook written here comes back as it
was; each tag becomes a label with the next free colour.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.labels import LabelDef, next_color
from annotator.io.files import atomic_text_writer
from annotator.io.native_json import parse_labels
from annotator.io.registry import ExportData, ExportOptions, ExportReport
from annotator.io.tabular import protect, unprotect
from annotator.io.txt import decode_bytes

NAME_COLUMNS = ("tag", "name", "path")


def write(path: Path, labels: Sequence[LabelDef]) -> None:
    with atomic_text_writer(path) as out:
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["tag", "description"])
        for label in labels:
            writer.writerow([protect(label.name)[0], protect(label.description)[0]])


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    write(target, data.labels)
    return ExportReport(
        [
            f"{len(data.labels)} tags written (Taguette: Project → Import "
            "codebook); colours and attributes have no place in Taguette"
        ]
    )


def read(path: Path) -> list[LabelDef]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from None
    text = decode_bytes(raw, path)[0].lstrip("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ImportFailed(path, f"not a valid CSV file ({exc})") from None
    if not rows:
        raise ImportFailed(path, "the file is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    found = [name for name in NAME_COLUMNS if name in header]
    if len(found) != 1:
        raise ImportFailed(
            path,
            "expected one 'tag', 'name' or 'path' column (a Taguette "
            f"codebook), found {', '.join(found) or 'none'} in the header",
        )
    name_at = header.index(found[0])
    description_at = header.index("description") if "description" in header else None
    items, colors = [], set()
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        name = unprotect(row[name_at].strip()) if name_at < len(row) else ""
        if not name:
            raise ImportFailed(path, f"row {number} has no tag name")
        color = next_color(colors)
        colors.add(color)
        description = (
            unprotect(row[description_at].strip())
            if description_at is not None and description_at < len(row)
            else ""
        )
        items.append({"name": name, "color": color, "description": description})
    if not items:
        raise ImportFailed(path, "the codebook holds no tags")
    return parse_labels(items, path)
