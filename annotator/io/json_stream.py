"""A large JSON object read value by value, and one of its arrays item by item, from a file that
is never in memory whole (a project JSON of 100k documents is about 900 MB).

Values are parsed by Python's own decoder (``raw_decode``) with the checks of
:func:`annotator.core.json_input.loads`: no NaN or Infinity, nothing nested more than
``MAX_DEPTH`` levels (each item is checked as it comes). A syntax error is reported at its
line and column in the file, as a whole-file parse would report it.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.json_input import MAX_DEPTH, NotJson, _constant, _float, depth

_CHUNK = 1 << 20  # characters read at a time
#: The longest value (a document) read: a file read as it comes has no limit of its own.
LONGEST = 200 * 2**20
_SPACE = " \t\n\r"


class JsonReader:
    """Reads ``path`` (UTF-8, a first byte-order mark dropped) a chunk at a time."""

    def __init__(self, path: Path) -> None:
        self._handle = path.open("rb")
        self._text = codecs.getincrementaldecoder("utf-8-sig")()
        self._decoder = json.JSONDecoder(parse_constant=_constant, parse_float=_float)
        self.buffer = ""
        self.at = 0  # the next character to read, in ``buffer``
        self.eof = False
        self._bytes = 0  # bytes decoded before ``buffer`` (for a decoding error's byte)
        self._lines = 0  # newlines dropped before ``buffer``
        self._column = 0  # characters after the last newline dropped

    def close(self) -> None:
        self._handle.close()

    def _more(self) -> bool:
        """Drop what was read, read the next chunk; False at the end of the file."""
        if self.eof:
            return False
        dropped = self.buffer[: self.at]
        newlines = dropped.count("\n")
        if newlines:
            self._lines += newlines
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        raw = self._handle.read(_CHUNK)
        try:
            chunk = self._text.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise NotJson(f"is not UTF-8 text (byte {self._bytes + exc.start})") from None
        self._bytes += len(raw)
        self.buffer = self.buffer[self.at :] + chunk
        self.at = 0
        self.eof = not raw
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.at < len(self.buffer) and self.buffer[self.at] in _SPACE:
                self.at += 1
            if self.at < len(self.buffer) or not self._more():
                return self.buffer[self.at : self.at + 1]

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            raise self._error(f"Expecting {what}", self.at)
        self.at += 1

    def value(self) -> Any:
        """The next JSON value, whole, checked as :func:`json_input.loads` checks it."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError as exc:
                if len(self.buffer) - self.at > LONGEST:  # a hostile file: one huge value
                    raise NotJson(f"it holds a value over {LONGEST // 2**20} MB") from None
                if self._more():
                    continue
                raise self._error(exc.msg, exc.pos) from None
            except RecursionError:
                raise NotJson(
                    f"the JSON is nested too deeply (more than {MAX_DEPTH} levels)"
                ) from None
            except NotJson:
                raise
            except ValueError:  # Python's limit on integer digits
                raise NotJson(
                    "the JSON holds a number too long to read (over "
                    f"{sys.get_int_max_str_digits()} digits)"
                ) from None
            if end == len(self.buffer) and self._more():
                continue  # a number may go on in the next chunk
            self.at = end
            if depth(value) > MAX_DEPTH:
                raise NotJson(f"the JSON is nested too deeply (more than {MAX_DEPTH} levels)")
            return value

    def items(self) -> Iterator[Any]:
        """The items of the array that comes next, one at a time."""
        self.expect("[", "'['")
        if self.peek() == "]":
            self.at += 1
            return
        while True:
            yield self.value()
            following = self.peek()
            self.at += 1
            if following == "]":
                return
            if following != ",":
                raise self._error("Expecting ',' delimiter", self.at - 1)

    def members(self, streamed: str) -> Iterator[tuple[str, Any]]:
        """The top-level object's members in file order; the value of the member named
        ``streamed``, if it is an array, is :meth:`items` (to be read before the next member)."""
        self.expect("{", "'{'")
        if self.peek() == "}":
            self.at += 1
        else:
            while True:
                if self.peek() != '"':
                    raise self._error("Expecting property name enclosed in double quotes", self.at)
                key = self.value()
                self.expect(":", "':' delimiter")
                if key == streamed and self.peek() == "[":
                    yield key, self.items()
                else:
                    yield key, self.value()
                following = self.peek()
                self.at += 1
                if following == "}":
                    break
                if following != ",":
                    raise self._error("Expecting ',' delimiter", self.at - 1)
        if self.peek():
            raise self._error("Extra data", self.at)

    def _error(self, message: str, position: int) -> json.JSONDecodeError:
        """A syntax error at ``position`` of the buffer, placed in the file."""
        before = self.buffer[:position]
        line = self._lines + before.count("\n") + 1
        newline = before.rfind("\n")
        column = position - newline if newline >= 0 else self._column + position + 1
        error = json.JSONDecodeError(message, self.buffer, position)
        error.lineno, error.colno = line, column
        return error
