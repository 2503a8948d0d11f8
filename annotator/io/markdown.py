"""Markdown articles: the readable text, without the markup."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.io.txt import clip_title, decode_bytes, first_line, read_bytes, tidy_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_KEYS = ("title", "author", "date")
_HTML_DROPPED = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
_INLINE_TEXT = {"text", "text_special", "code_inline"}


def read(path: Path) -> ImportedDocument:
    decoded = decode_bytes(read_bytes(path), path)
    source = tidy_text(decoded.text)
    front_matter, body = split_front_matter(source)
    try:
        blocks = list(_blocks(_parser().parse(body)))
    except Exception as error:  # markdown-it is lenient; this is only a safety net
        raise ImportFailed(path, f"the Markdown could not be read ({error})") from None
    text = tidy_text("\n\n".join(block for _, block in blocks))
    if not text:
        raise ImportFailed(path, "the file has no text (only markup or front matter)")
    heading = next((block for kind, block in blocks if kind == "heading"), "")
    title = front_matter.get("title") or clip_title(heading) or first_line(text)
    return ImportedDocument(
        text=text,
        title=clip_title(title),
        source=str(path),
        metadata={**decoded.metadata(), **front_matter},
    )


def split_front_matter(source: str) -> tuple[dict[str, str], str]:
    """Drop a leading ``---`` YAML block; keep its simple ``title``/``author``/``date`` values.

    Only ``key: value`` lines are understood (no YAML library): lists, nesting and multi-line
    values are ignored, which is all an article's front matter needs.
    """
    match = _FRONT_MATTER.match(source)
    if match is None:
        return {}, source
    values: dict[str, str] = {}
    for line in (match.group(1) or "").split("\n"):
        key, colon, value = line.partition(":")
        key, value = key.strip().lower(), _unquote(value.strip())
        if colon and key in _FRONT_MATTER_KEYS and value and key not in values:
            values[key] = value
    return values, source[match.end() :]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _blocks(tokens: list[Token]) -> Iterator[tuple[str, str]]:
    """(kind, text) for each leaf block: heading, paragraph, list item, table cell or code."""
    in_heading = False
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type == "inline":
            text = _inline_text(token.children or []).strip()
            if text:
                yield ("heading" if in_heading else "paragraph"), text
        elif token.type in ("fence", "code_block"):
            if token.content.strip():
                yield "code", token.content.strip("\n")
        elif token.type == "html_block":
            text = _strip_html(token.content)
            if text:
                yield "paragraph", text


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in _INLINE_TEXT:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")  # a wrapped source line, rendered as one paragraph
        elif child.type == "hardbreak":
            parts.append("\n")
        # Everything else is markup (emphasis, link targets, inline HTML) or an image: dropped.
    return "".join(parts)


def _strip_html(fragment: str) -> str:
    text = _HTML_TAG.sub(" ", _HTML_DROPPED.sub(" ", fragment))
    lines = (" ".join(line.split()) for line in html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)
