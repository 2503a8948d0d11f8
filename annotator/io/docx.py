"""Word (.docx) articles: body paragraphs and table cells in reading order."""

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
    """Each cell once (merged cells repeat in ``row.cells``), row by row; nested tables after."""
    # python-docx has no public cell identity: compare `w:tc` elements (held, so lxml keeps
    # one proxy per element).
    seen: set[Any] = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            lines: list[str] = []
            nested: list[Table] = []
            for item in cell.iter_inner_content():
                if isinstance(item, Paragraph):
                    if item.text.strip():
                        lines.append(item.text.strip())
                else:
                    nested.append(item)
            if lines:
                yield "\n".join(lines)
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
