"""Word (.docx) articles: body paragraphs and tables (a row a line, cells apart by tabs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.io import zip_limits
from annotator.io.txt import clip_title, describe_error, first_line, tidy_text


def read(path: Path) -> ImportedDocument:
    zip_limits.checked_members(path, "DOCX")
    try:
        document = docx.Document(str(path))
        blocks = list(_body_blocks(document))
    except Exception as error:  # python-docx, zipfile and lxml all raise their own types
        raise ImportFailed(path, f"not a valid DOCX file ({describe_error(error)})") from None
    text = tidy_text("\n\n".join(blocks))
    if not text:
        raise ImportFailed(path, "the document has no text")
    metadata = _core_metadata(document)
    return ImportedDocument(
        text=text,
        title=clip_title(metadata.get("title", "")) or first_line(text),
        source=str(path),
        metadata=metadata,
    )


def _body_blocks(document: DocxDocument) -> Iterator[str]:
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                yield item.text.strip()
        else:
            yield from _table_blocks(item)


def _table_blocks(table: Table) -> Iterator[str]:
    """The table as text: one row a line, its cells apart by tabs (a cell's own paragraphs
    and line breaks joined by spaces, so a row stays one line; an empty cell keeps its tab, so
    columns line up); a cell merged across columns once, one merged down rows empty below
    its first row. Nested tables follow their table, each a block of its own."""
    # python-docx has no public cell identity: compare `w:tc` elements (held, so lxml keeps
    # one proxy per element).
    seen: set[Any] = set()
    rows: list[str] = []
    nested: list[Table] = []
    for row in table.rows:
        cells: list[str] = []
        in_row: set[Any] = set()
        for cell in row.cells:
            if cell._tc in in_row:  # merged across: once
                continue
            in_row.add(cell._tc)
            if cell._tc in seen:  # merged down from a row above: an empty cell keeps the column
                cells.append("")
                continue
            seen.add(cell._tc)
            words: list[str] = []
            for item in cell.iter_inner_content():
                if isinstance(item, Paragraph):
                    words.extend(item.text.split())
                else:
                    nested.append(item)
            cells.append(" ".join(words))
        if any(cells):
            rows.append("\t".join(cells))
    if rows:
        yield "\n".join(rows)
    for inner in nested:
        yield from _table_blocks(inner)


def _core_metadata(document: DocxDocument) -> dict[str, Any]:
    metadata: dict[str, Any] = {"format": "docx"}
    try:
        properties = document.core_properties
        values = {
            "title": properties.title,
            "author": properties.author,
            "created": properties.created.isoformat() if properties.created else None,
        }
    except Exception:  # damaged docProps/core.xml: the text is still worth having
        return metadata
    metadata.update(
        {key: value.strip() for key, value in values.items() if value and value.strip()}
    )
    return metadata
