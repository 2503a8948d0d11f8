"""What a suggester produces, and the label names the built-in detectors fill."""

from __future__ import annotations

from typing import Any, NamedTuple

#: The built-in detectors, and the label names (first one found in the codebook) each fills.
DETECTOR_LABELS: dict[str, tuple[str, ...]] = {
    "quotes": ("Quote",),
    "tiers": ("Tier rating",),
    "organisations": ("Organisation", "Organization", "ORG"),
    "claims": ("Claim",),
}


class Suggestion(NamedTuple):
    """A span offered to the user: code points over the canonical text, end exclusive."""

    label: str
    start: int
    end: int
    score: float
    source: str  # which detector, pattern or model proposed it
    attributes: dict[str, Any] = {}  # noqa: RUF012 (never mutated: records are replaced whole)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.label, self.start, self.end)
