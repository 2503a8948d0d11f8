"""Canonical text: what every offset in a project counts over."""

from __future__ import annotations

import hashlib
from bisect import bisect_left


def canonical_text(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``; nothing else changes (no normalisation)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}  # fmt: skip


def letters(text: str) -> str:
    """Typographic ligatures (U+FB00..FB06) as the letters they stand for: a reader who copies
    a quote out of an imported PDF expects "final", not "\ufb01nal", and a search must find it."""
    return text.translate(str.maketrans(LIGATURES))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NewlineShift:
    """Maps positions in a raw text to positions in its canonical form.

    Only a ``\\r`` directly followed by ``\\n`` disappears, so a raw position moves left by the
    number of such pairs that start before it.
    """

    def __init__(self, raw: str) -> None:
        self._dropped: list[int] = []
        start = 0
        while (hit := raw.find("\r\n", start)) != -1:
            self._dropped.append(hit)
            start = hit + 2

    def __bool__(self) -> bool:
        return bool(self._dropped)

    def __call__(self, raw_position: int) -> int:
        return raw_position - bisect_left(self._dropped, raw_position)
