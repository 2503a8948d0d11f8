"""Plain-text articles, in whatever encoding they were saved.

The decoding and tidying helpers here are shared by the other article importers.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.core.text import canonical_text

TITLE_MAX = 200

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as surrogateescape has it
#: UTF-8 text with at most this many bad bytes, or this share of its bytes, is read as UTF-8.
FEW_BAD_BYTES = 8
FEW_BAD_SHARE = 0.01
#: The document metadata key of how many bad bytes were replaced with U+FFFD.
REPLACED_BYTES = "replaced_bytes"


class Decoded(NamedTuple):
    text: str
    encoding: str
    replaced: int = 0  # bytes that were not UTF-8, replaced with U+FFFD

    def metadata(self) -> dict[str, str | int]:
        """What a document keeps of its decoding."""
        if self.replaced:
            return {"encoding": self.encoding, REPLACED_BYTES: self.replaced}
        return {"encoding": self.encoding}


def read(path: Path) -> ImportedDocument:
    data = read_bytes(path)
    decoded = decode_bytes(data, path)
    text = tidy_text(decoded.text)
    if not text:
        raise ImportFailed(path, "the file is empty")
    return ImportedDocument(
        text=text, title=first_line(text), source=str(path), metadata=decoded.metadata()
    )


def read_bytes(path: Path) -> bytes:
    with read_errors_named(path):
        return path.read_bytes()


@contextmanager
def read_errors_named(path: Path) -> Iterator[None]:
    """What reading ``path`` fails with, as one :class:`ImportFailed` line naming it."""
    try:
        yield
    except IsADirectoryError:
        raise ImportFailed(path, "this is a folder, not a file") from None
    except FileNotFoundError:
        raise ImportFailed(path, "the file does not exist") from None
    except OSError as error:
        raise ImportFailed(path, f"the file cannot be read ({error.strerror or error})") from None


def decode_bytes(data: bytes, where: Path) -> Decoded:
    """Decode a text file's bytes; returns the text, the encoding used, and how many bad bytes
    were replaced.

    Order: byte-order mark, strict UTF-8, BOM-less UTF-16, UTF-8 with a few bad bytes (replaced
    with U+FFFD, as a browser does, rather than the whole text read in a wrong codepage), then
    charset-normalizer's guess. Refuses binary data (NUL bytes outside UTF-16/32, or many
    control characters).
    """
    if not data.strip():
        raise ImportFailed(where, "the file is empty")
    encoding = _bom_encoding(data) or _utf8(data) or _bomless_utf16(data)
    if encoding is None and b"\x00" not in data:
        bad = _nearly_utf8(data)
        if bad:
            text = data.decode("utf-8", errors="replace")
            if _looks_binary(text):
                raise ImportFailed(where, "this looks like a binary file, not text")
            return Decoded(text, "utf-8", bad)
    if encoding is None:
        if b"\x00" in data:
            raise ImportFailed(where, "this looks like a binary file, not text")
        encoding = guess_encoding(data)
    if encoding is None:
        raise ImportFailed(where, "the text encoding of the file could not be recognised")
    try:
        text = data.decode(encoding)
    except (UnicodeError, LookupError):
        raise ImportFailed(where, f"the file is not valid {encoding} text") from None
    if _looks_binary(text):
        raise ImportFailed(where, "this looks like a binary file, not text")
    return Decoded(text, encoding)


def replaced_note(count: int) -> str:
    """The line that tells the user bad bytes were replaced."""
    if count == 1:
        return "1 byte that is not UTF-8 was replaced with \ufffd"
    return f"{count} bytes that are not UTF-8 were replaced with \ufffd"


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's pick, but ties go to cp1252.

    On short Western texts charset-normalizer often names cp1250 (or another rare codepage) that
    decodes the bytes no better than cp1252 — and for French or German text sometimes worse
    ("crčme" for "crème"). When cp1252 decodes the same, or scores at least as well on both
    mess and language coherence, cp1252 is the far likelier truth.
    """
    from charset_normalizer import from_bytes  # only for text that is not UTF-8 or UTF-16

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return "cp1252" if _decodes(data, "cp1252") else None
    if "cp1252" in best.could_be_from_charset:
        return "cp1252"
    for match in matches:
        if (
            match.encoding == "cp1252"
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence
        ):
            return "cp1252"
    return best.encoding


def tidy_text(text: str) -> str:
    """Canonical newlines, no leading blank lines, no trailing whitespace at the very end."""
    text = canonical_text(text).lstrip("\ufeff")
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


def first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return clip_title(line)
    return ""


def clip_title(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def describe_error(error: BaseException) -> str:
    """A library exception as a short parenthetical for a user-facing reason."""
    message = str(error).strip().split("\n")[0]
    return message or type(error).__name__


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf8(data: bytes) -> str | None:
    if b"\x00" not in data and _decodes(data, "utf-8"):
        return "utf-8"
    return None


def _nearly_utf8(data: bytes) -> int:
    """How many bytes are not UTF-8 in text that is UTF-8 but for a few; 0 if it is not that.

    UTF-8 shows in its multi-byte characters: text in a legacy codepage has as good as none
    that decode, and far more than a few of its bytes that do not.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(escaped))
    good = sum(1 for ch in escaped if ch > "\x7f") - bad
    if bad and good >= 1 and bad <= max(FEW_BAD_BYTES, len(data) * FEW_BAD_SHARE):
        return bad
    return 0


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-Latin text has a NUL in every other byte, on one side only."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > half * 0.3 and even_nuls == 0 and _decodes(data, "utf-16-le"):
        return "utf-16-le"
    if even_nuls > half * 0.3 and odd_nuls == 0 and _decodes(data, "utf-16-be"):
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)
