"""PDF articles: the text layer of every page, in page order."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.io.txt import clip_title, describe_error, first_line, read_bytes, tidy_text

NO_TEXT_LAYER = "the PDF has no text layer (scanned images?); run OCR first"
PASSWORD_PROTECTED = "the PDF is password-protected; remove the password first"


def read(path: Path) -> ImportedDocument:
    data = read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed(path, "not a valid PDF file (no PDF header)")
    with _quiet_pypdf():
        reader = _open(data, path)
        pages = _page_texts(reader, path)
        info = _info(reader)
    text = tidy_text("\n\n".join(page for page in pages if page))
    if not text:
        raise ImportFailed(path, NO_TEXT_LAYER)
    metadata: dict[str, Any] = {"pages": len(pages), **info}
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


def _page_texts(reader: PdfReader, path: Path) -> list[str]:
    """Each page's text, stripped of trailing spaces and surrounding blank lines."""
    try:
        return [_tidy_page(page.extract_text()) for page in reader.pages]
    except FileNotDecryptedError:
        raise ImportFailed(path, PASSWORD_PROTECTED) from None
    except Exception as error:
        raise ImportFailed(path, f"not a valid PDF file ({describe_error(error)})") from None


def _tidy_page(text: str) -> str:
    return "\n".join(line.rstrip() for line in tidy_text(text).split("\n"))


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
    """pypdf logs a warning for every flaw it repairs; the user can't act on them."""
    logger = logging.getLogger("pypdf")  # parent of the per-module loggers pypdf logs to
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
