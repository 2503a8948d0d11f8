"""Code points <-> UTF-16 code units.

Stored offsets are Python ``str`` indices (code points). Qt positions and some interchange
formats (doccano, NVivo, older Label Studio) count UTF-16 code units, where every character
beyond the Basic Multilingual Plane takes two. This map converts between them with a bisect over
the astral characters only, so a text without emoji costs nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Literal

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    __slots__ = ("_astral", "_astral_utf16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position where each astral character starts.
        self._astral_utf16 = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)
        self.utf16_length = self.length + len(self._astral)

    @property
    def is_identity(self) -> bool:
        return not self._astral

    def to_utf16(self, position: int) -> int:
        """UTF-16 offset of code-point ``position`` (0 ≤ position ≤ len(text))."""
        if not 0 <= position <= self.length:
            raise ValueError(f"position {position} is outside the text (0..{self.length})")
        return position + bisect_left(self._astral, position)

    def from_utf16(self, unit: int, inside_pair: Literal["before", "after"] = "before") -> int:
        """Code-point offset of UTF-16 offset ``unit``.

        A unit that falls between the two halves of a surrogate pair is moved to the start of
        that character (``"before"``) or past it (``"after"``).
        """
        if not 0 <= unit <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {unit} is outside the text (0..{self.utf16_length})")
        # Astral characters that start strictly before this unit.
        started = bisect_left(self._astral_utf16, unit)
        if started and self._astral_utf16[started - 1] + 1 == unit:
            position = self._astral[started - 1]
            return position if inside_pair == "before" else position + 1
        return unit - started

    def is_inside_pair(self, unit: int) -> bool:
        i = bisect_right(self._astral_utf16, unit - 1)
        return bool(i) and self._astral_utf16[i - 1] + 1 == unit
