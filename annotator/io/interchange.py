"""Helpers shared by the interchange formats (doccano, Label Studio, brat, REFI-QDA, W3C, ...).

Writing: every output appears whole or not at all (a temporary file or folder beside the target,
moved into place on success). Reading: unexpected library errors become one-line
:class:`ImportFailed` messages, and span problems name the document and the span.

Bad records: a reader marks each record that stands on its own (a Label Studio task or region, a
JSONL line, a brat line, a span) with ``with record("regions"):``. A :class:`SpanProblem` raised
inside one refuses the file as a :class:`BadRecord` (the rest could be imported), or, when the
file is read inside ``skipping_bad(True)`` (``annotator import --skip-bad``, the window's "Import
the rest"), leaves that record out and keeps its reason in the bundle's ``skipped``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

from annotator.core.errors import BadRecord, ImportFailed
from annotator.core.graphemes import GraphemeMap
from annotator.core.model import SkippedRecords
from annotator.core.offsets import OffsetMap
from annotator.core.text import NewlineShift
from annotator.io.txt import describe_error

NAMESPACE = uuid.UUID("5f0e1c7a-9a43-4c2e-8d1e-3b1f6f4f2a10")  # for stable derived ids


class SpanProblem(Exception):
    """A span that does not fit its text; the message names the document and the span."""

    #: the kind of record it was raised in (see :func:`record`): the rest could be imported
    record: str | None = None


class _Records:
    def __init__(self, skip: bool) -> None:
        self.skip = skip
        self.skipped = SkippedRecords()


# The file being read, in this thread (readers take only a path, so the choice travels here).
_records: ContextVar[_Records | None] = ContextVar("annotator_records", default=None)


@contextmanager
def skipping_bad(skip: bool) -> Iterator[SkippedRecords]:
    """Read one file inside this: with ``skip``, each bad :func:`record` is left out and its
    reason added to the :class:`SkippedRecords` yielded."""
    records = _Records(skip)
    token = _records.set(records)
    try:
        yield records.skipped
    finally:
        _records.reset(token)


@contextmanager
def record(kind: str, counted: bool = True) -> Iterator[None]:
    """One record of ``kind`` (plural: ``"regions"``), read inside the block. A
    :class:`SpanProblem` in it skips it (see :func:`skipping_bad`) or refuses the file as a
    :class:`BadRecord`. ``counted=False``: a later check of a record already counted."""
    records = _records.get()
    if records is not None and counted:
        records.skipped.seen[kind] = records.skipped.seen.get(kind, 0) + 1
    try:
        yield
    except SpanProblem as exc:
        if records is not None and records.skip:
            records.skipped.reasons.append((kind, str(exc)))
            return
        if exc.record is None:  # the innermost record is the one that is bad
            exc.record = kind
        raise


def refusal(path: Path, problem: SpanProblem) -> ImportFailed:
    """The one-line error refusing ``path`` for ``problem``: a :class:`BadRecord` when it is one
    record's."""
    return (BadRecord if problem.record else ImportFailed)(path, str(problem))


_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def safe_file_stems(titles: list[str], limit: int = 60) -> list[str]:
    """File-name stems for ``titles``: portable characters only, unique ignoring case."""
    stems: list[str] = []
    taken: set[str] = set()
    for n, title in enumerate(titles, 1):
        stem = unicodedata.normalize("NFC", title)
        stem = _UNSAFE_NAME.sub("_", stem).strip(" ._")[:limit].strip(" ._")
        stem = re.sub(r"\s+", "_", stem) or f"document_{n}"
        if stem.lower() in _RESERVED:
            stem = f"{stem}_"
        candidate, suffix = stem, 2
        while candidate.lower() in taken:
            candidate, suffix = f"{stem}_{suffix}", suffix + 1
        taken.add(candidate.lower())
        stems.append(candidate)
    return stems


def stable_uuid(*parts: str) -> str:
    """``parts`` joined, as a UUID when it already is one, else a stable UUID derived from it."""
    value = "\x1f".join(parts)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, value))


def is_web_url(value: str) -> bool:
    return bool(re.match(r"https?://[^\s/]+", value or ""))


def document_uri(document_id: str, source: str) -> str:
    """The document's web address when it has one, else a ``urn:uuid:`` naming it."""
    return source if is_web_url(source) else f"urn:uuid:{stable_uuid(document_id)}"


# -- reading -----------------------------------------------------------------------------------


@contextmanager
def reading(path: Path, what: str) -> Iterator[None]:
    """Turn anything but :class:`ImportFailed` into ``ImportFailed(path, 'not a valid ...')``."""
    try:
        yield
    except ImportFailed:
        raise
    except SpanProblem as exc:
        raise refusal(path, exc) from None
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except Exception as exc:  # zipfile, lxml, json and friends each raise their own types
        raise ImportFailed(path, f"not a valid {what} file ({describe_error(exc)})") from None


def read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(path, f"is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from None


def lines_utf8(path: Path, longest: int = 200 * 2**20) -> Iterator[tuple[int, str]]:
    """Each line of a UTF-8 file (split at ``\n`` only, as ``str.split`` would; a first
    byte-order mark dropped) with its number, read as they come: never the whole file at once,
    and no line longer than ``longest`` bytes.
    Fails as :func:`read_utf8` does, naming the byte that is not UTF-8."""
    try:
        with path.open("rb") as handle:
            offset = 0
            for number, raw in enumerate(iter(lambda: handle.readline(longest + 1), b""), 1):
                if len(raw) > longest:
                    raise ImportFailed(
                        path, f"line {number} is over {longest // 2**20} MB; such lines are refused"
                    )
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:  # counted, as read_utf8 does, after a BOM
                    at = offset + exc.start
                    raise ImportFailed(path, f"is not UTF-8 text (byte {at})") from None
                offset += len(raw) - (number == 1 and raw.startswith(codecs.BOM_UTF8)) * 3
                yield number, line[:-1] if line.endswith("\n") else line
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from None


class RawSpans:
    """Turns offsets counted over a raw text (maybe with ``\\r\\n``) into canonical code points.

    ``unit`` says what the offsets count: code points, UTF-16 code units, or grapheme clusters
    (doccano's grapheme mode; a ``\r\n`` is one cluster there). Every conversion
    checks the span: inside the text, start before end, not inside a surrogate pair, and (when
    the file quotes it) the quoted text equal to the text there.
    """

    def __init__(
        self, raw: str, unit: Literal["code points", "utf-16", "graphemes"], where: str
    ) -> None:
        self.raw = raw
        self.unit = unit
        self.where = where
        self._map = OffsetMap(raw) if unit == "utf-16" else None
        self._clusters = GraphemeMap(raw) if unit == "graphemes" else None
        self._shift = NewlineShift(raw)
        self.length = (
            self._map.utf16_length
            if self._map
            else self._clusters.length
            if self._clusters
            else len(raw)
        )

    def raw_range(self, start: object, end: object, span: str) -> tuple[int, int]:
        """``start``/``end`` as code points into the raw text (checked)."""
        where = f"{self.where}, {span}"
        if (
            not (isinstance(start, int) and isinstance(end, int))
            or isinstance(start, bool)
            or isinstance(end, bool)
        ):
            raise SpanProblem(f"{where}: start and end must be whole numbers")
        if not 0 <= start < end:
            raise SpanProblem(f"{where}: start must be at least 0 and before end")
        if end > self.length:
            unit = {"utf-16": "UTF-16 code units", "graphemes": "grapheme clusters"}.get(
                self.unit, "characters"
            )
            raise SpanProblem(f"{where}: the span ends beyond the text ({self.length} {unit})")
        if self._clusters is not None:
            return self._clusters.from_graphemes(start), self._clusters.from_graphemes(end)
        if self._map is None:
            return start, end
        if self._map.is_inside_pair(start) or self._map.is_inside_pair(end):
            raise SpanProblem(
                f"{where}: the span cuts a character in half (UTF-16 surrogate "
                "pair); the offsets are not UTF-16 code units of this text"
            )
        return self._map.from_utf16(start), self._map.from_utf16(end)

    def canonical(self, raw_position: int) -> int:
        """A code-point position in the raw text, in the canonical text."""
        return self._shift(raw_position)

    def convert(
        self, start: object, end: object, span: str, quoted: str | None = None
    ) -> tuple[int, int]:
        """Checked canonical code-point offsets of a span (``quoted``: the text the file gives)."""
        raw_start, raw_end = self.raw_range(start, end, span)
        actual = self.raw[raw_start:raw_end]
        if (
            quoted is not None
            and quoted != actual
            and quoted.replace("\r\n", "\n") != actual.replace("\r\n", "\n")
        ):
            raise SpanProblem(
                f"{self.where}, {span}: its text {quoted[:40]!r} does not match the document's "
                f"text there, {actual[:40]!r}"
            )
        return self._shift(raw_start), self._shift(raw_end)
