"""Saved web pages: the article's main text only, found by trafilatura.

Nothing is fetched and nothing is executed: trafilatura only parses the string we give it (no
URL is passed), and scripts, navigation, comments, cookie banners and footers are left out.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.io.txt import (
    Decoded,
    clip_title,
    decode_bytes,
    first_line,
    read_bytes,
    tidy_text,
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_PRESCAN_BYTES = 4096
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 BOMs start with these
# WHATWG: these labels mean windows-1252 in a web page; a UTF-16 label without a BOM means UTF-8.
_CHARSET_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_METADATA_KEYS = ("title", "author", "date", "url", "sitename", "description")
# Tags of trafilatura's XML output that hold a paragraph's worth of text (or contain such blocks).
_BLOCK_TAGS = {"p", "head", "list", "item", "quote", "code", "table", "row", "cell", "div", "main"}


def read(path: Path) -> ImportedDocument:
    decoded = decode_page(read_bytes(path), path)
    root = _extract(decoded.text, path)
    main = root.find("main")
    blocks = [block for block in _blocks(main) if block] if main is not None else []
    text = tidy_text("\n\n".join(blocks))
    if not text:
        raise ImportFailed(path, "no article text found in the page")
    metadata: dict[str, Any] = {
        key: value.strip() for key in _METADATA_KEYS if (value := root.get(key)) and value.strip()
    }
    metadata.update(decoded.metadata())
    return ImportedDocument(
        text=text,
        title=clip_title(metadata.get("title", "")) or first_line(text),
        source=metadata.get("url") or str(path),
        metadata=metadata,
    )


def decode_page(data: bytes, where: Path) -> Decoded:
    """Decode a saved page: BOM, then ``<meta charset>``, then the plain-text detection."""
    declared = _declared_charset(data)
    if declared and not data.startswith(_BOMS):
        try:
            return Decoded(data.decode(declared), declared)
        except (UnicodeError, LookupError):  # LookupError: e.g. charset="base64", not text
            pass  # the declaration is wrong (it happens); fall back to detection
    return decode_bytes(data, where)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return _CHARSET_ALIASES.get(name, name)


def _extract(page: str, where: Path) -> etree._Element:
    try:
        xml = trafilatura.extract(
            page,
            output_format="xml",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
        )
    except Exception as error:  # trafilatura/lxml failures on hostile or odd markup
        raise ImportFailed(where, f"the page could not be read ({error})") from None
    if not xml:
        raise ImportFailed(where, "no article text found in the page")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailed(where, f"the page could not be read ({error})") from None


def _blocks(element: etree._Element) -> Iterator[str]:
    """Text of each leaf block (paragraph, heading, list item, table cell...) in document order."""
    if not any(child.tag in _BLOCK_TAGS for child in element):
        yield _inline_text(element).strip()
        return
    pending = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK_TAGS:
            yield "".join(pending).strip()
            pending = []
            yield from _blocks(child)
        else:
            pending.append(_inline_text(child))
        pending.append(child.tail or "")
    yield "".join(pending).strip()


def _inline_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
