"""PDF articles: the text layer of every page, in page order, reflowed into paragraphs.

pypdf opens the file (encryption, damage, metadata: its errors name the problem well);
pdfminer.six's layout analysis finds the text boxes and lines with their positions, and
:mod:`annotator.io.pdf_reflow` turns them into running text (benchmarks/bench_pdf.py measured
why: pypdf follows the content stream, which interleaves columns in some PDFs).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTFigure, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.io.pdf_reflow import Box, Line, Page, letters, reflow
from annotator.io.txt import clip_title, describe_error, first_line, read_bytes, tidy_text

# pdfminer puts lines into one box while the gap between them is under this share of a line's
# height: its default, 0.5, parts a double-spaced filing into one box a line, so such a PDF
# (boxes of SINGLE_LINES lines or fewer on average) is read again with DOUBLE_SPACED, which
# keeps its lines together (pdf_reflow then parts paragraphs by their indentation).
LINE_MARGIN = 0.5
DOUBLE_SPACED = 1.1
SINGLE_LINES = 1.5
NO_TEXT_LAYER = "the PDF has no text layer (scanned images?); run OCR first"
PASSWORD_PROTECTED = "the PDF is password-protected; remove the password first"


def read(path: Path) -> ImportedDocument:
    data = read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed(path, "not a valid PDF file (no PDF header)")
    with _quiet_pypdf():
        reader = _open(data, path)
        page_count = _page_count(reader, path)
        info = _info(reader)
        text = tidy_text(letters(reflow(_layout(data, path))))
    if not text:
        raise ImportFailed(path, NO_TEXT_LAYER)
    metadata: dict[str, Any] = {"pages": page_count, **info}
    return ImportedDocument(
        text=text,
        title=clip_title(info.get("title", "")) or first_line(text),
        source=str(path),
        metadata=metadata,
    )


def _open(data: bytes, path: Path) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportFailed(path, PASSWORD_PROTECTED)
        return reader
    except ImportFailed:
        raise
    except DependencyError:
        raise ImportFailed(
            path, "the PDF uses AES encryption, which needs the 'cryptography' package"
        ) from None
    except Exception as error:  # pypdf raises many types (PdfReadError, ValueError, KeyError...)
        raise ImportFailed(path, f"not a valid PDF file ({describe_error(error)})") from None


def _page_count(reader: PdfReader, path: Path) -> int:
    try:
        return len(reader.pages)
    except FileNotDecryptedError:
        raise ImportFailed(path, PASSWORD_PROTECTED) from None
    except Exception as error:
        raise ImportFailed(path, f"not a valid PDF file ({describe_error(error)})") from None


def _layout(data: bytes, path: Path) -> list[Page]:
    """Every page's text boxes and their lines, with positions (pdfminer's layout analysis;
    its own box ordering is not used: it reads across columns whose paragraphs line up)."""
    try:
        pages = list(_pages(data, LINE_MARGIN))
        lines = sum(len(box.lines) for page in pages for box in page.boxes)
        boxes = sum(len(page.boxes) for page in pages)
        if boxes and lines / boxes <= SINGLE_LINES:
            pages = list(_pages(data, DOUBLE_SPACED))
        return pages
    except Exception as error:  # pdfminer raises many types (PDFSyntaxError, PSEOF, ...)
        raise ImportFailed(path, f"not a valid PDF file ({describe_error(error)})") from None


def _pages(data: bytes, line_margin: float) -> Iterator[Page]:
    manager = PDFResourceManager()
    device = PDFPageAggregator(
        manager, laparams=LAParams(boxes_flow=None, all_texts=True, line_margin=line_margin)
    )
    interpreter = PDFPageInterpreter(manager, device)
    for pdf_page in PDFPage.get_pages(io.BytesIO(data), password=""):
        interpreter.process_page(pdf_page)
        layout: LTPage = device.get_result()
        boxes = [Box(lines) for item in _text_boxes(layout) if (lines := _lines(item))]
        yield Page(layout.height, boxes)


def _text_boxes(layout: LTPage) -> list[LTTextBox]:
    """The page's text boxes; on a page with none, those inside its form XObjects (some tools
    draw a whole page as one). Where the page has text of its own, a form's text is a
    picture's labels, not the article's."""
    boxes = [item for item in layout if isinstance(item, LTTextBox)]
    if boxes:
        return boxes
    return [box for item in layout if isinstance(item, LTFigure) for box in _in_figure(item)]


def _in_figure(figure: LTFigure) -> Iterator[LTTextBox]:
    for item in figure:
        if isinstance(item, LTTextBox):
            yield item
        elif isinstance(item, LTFigure):
            yield from _in_figure(item)


def _lines(box: LTTextBox) -> list[Line]:
    return [
        Line(line.get_text().rstrip("\n"), line.x0, line.y0, line.x1, line.y1)
        for line in box
        if isinstance(line, LTTextLine) and line.get_text().strip()
    ]


def _info(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata
        values = {"title": info.title, "author": info.author} if info else {}
    except Exception:  # a damaged info dictionary should not cost us the text
        return {}
    cleaned = {key: str(value).strip() for key, value in values.items() if value}
    return {key: value for key, value in cleaned.items() if value}


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf and pdfminer log a warning for every flaw they repair; the user can't act on
    them."""
    loggers = [logging.getLogger(name) for name in ("pypdf", "pdfminer")]  # parents of theirs
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
