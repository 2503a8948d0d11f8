"""Code points <-> grapheme clusters (user-perceived characters, Unicode UAX #29 extended
clusters as the ``regex`` module's ``\\X`` finds them).

doccano's "grapheme mode" counts offsets this way: a flag (two regional indicators), a ZWJ family
or ``e`` + combining accent is one position.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import regex

_CLUSTER = regex.compile(r"\X")


class GraphemeMap:
    __slots__ = ("_starts", "length")

    def __init__(self, text: str) -> None:
        # Code-point start of every cluster, and the text's end.
        self._starts = [m.start() for m in _CLUSTER.finditer(text)] + [len(text)]
        self.length = len(self._starts) - 1

    def is_boundary(self, position: int) -> bool:
        i = bisect_left(self._starts, position)
        return i < len(self._starts) and self._starts[i] == position

    def to_graphemes(self, position: int, *, end: bool = False) -> int:
        """Cluster index of code-point ``position``; inside a cluster, the cluster's start (or,
        with ``end``, the next cluster's start, so a span widens to whole clusters)."""
        if end:
            return bisect_left(self._starts, position)
        return bisect_right(self._starts, position) - 1

    def from_graphemes(self, index: int) -> int:
        if not 0 <= index <= self.length:
            raise ValueError(f"grapheme offset {index} is outside the text (0..{self.length})")
        return self._starts[index]
