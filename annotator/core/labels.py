"""The label schema: labels, their typed attributes, and the default fact-checking set."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from annotator.core.snapping import SnapMode


class AttributeKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    NUMBER = "number"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class AttributeDef:
    name: str
    kind: AttributeKind = AttributeKind.TEXT
    choices: tuple[str, ...] = ()
    required: bool = False
    default: Any = None

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` fits this definition (``None`` always does: the value is unset)."""
        if value is None:
            return True
        match self.kind:
            case AttributeKind.TEXT:
                return isinstance(value, str)
            case AttributeKind.CHOICE:
                return isinstance(value, str) and value in self.choices
            case AttributeKind.NUMBER:
                return (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                )
            case AttributeKind.BOOLEAN:
                return isinstance(value, bool)
        return False


@dataclass(frozen=True)
class LabelDef:
    name: str
    color: str
    shortcut: str | None = None
    description: str = ""
    attributes: tuple[AttributeDef, ...] = field(default_factory=tuple)
    #: how a selection snaps before it gets this label (core/snapping.py)
    snap: SnapMode = SnapMode.WORDS

    def attribute(self, name: str) -> AttributeDef | None:
        return next((a for a in self.attributes if a.name == name), None)


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def is_valid_color(color: str) -> bool:
    return bool(_COLOR.match(color))


VERDICTS = ("unverified", "true", "mostly true", "mixed", "misleading", "false")
ORGANISATION_TYPES = ("government", "NGO", "international", "company", "media", "other")
TIERS = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3")

# Mid-tone hues that keep dark text readable when blended onto a light page, and light text
# readable on a dark one.
DEFAULT_LABELS: tuple[LabelDef, ...] = (
    LabelDef(
        "Claim",
        "#e0a030",
        "1",
        "A checkable statement of fact.",
        (
            AttributeDef("verdict", AttributeKind.CHOICE, VERDICTS, default="unverified"),
            AttributeDef("checkworthy", AttributeKind.BOOLEAN),
        ),
    ),
    LabelDef(
        "Quote",
        "#4a90e2",
        "2",
        "Words attributed to a speaker.",
        (AttributeDef("speaker", AttributeKind.TEXT),),
        SnapMode.PUNCTUATION,  # a quote keeps its quotation marks
    ),
    LabelDef(
        "Organisation",
        "#3cb371",
        "3",
        "A government body, NGO, company or other organisation.",
        (AttributeDef("type", AttributeKind.CHOICE, ORGANISATION_TYPES),),
    ),
    LabelDef(
        "Tier rating",
        "#b06fd8",
        "4",
        "A trafficking-report tier given to a country.",
        (
            AttributeDef("tier", AttributeKind.CHOICE, TIERS),
            AttributeDef("subject", AttributeKind.TEXT),
            AttributeDef("year", AttributeKind.NUMBER),
        ),
    ),
)


# Colours for labels that arrive without one (e.g. named only by an imported span).
PALETTE = (
    "#e0a030",
    "#4a90e2",
    "#3cb371",
    "#b06fd8",
    "#e05a5a",
    "#2bb3b3",
    "#d4789c",
    "#8c9a3c",
    "#c98a4b",
    "#6a7fd6",
    "#5aa469",
    "#b8860b",
)


def next_color(used: set[str]) -> str:
    """The first palette colour not in ``used`` (cycling once the palette is exhausted)."""
    free = [c for c in PALETTE if c not in used]
    return free[0] if free else PALETTE[len(used) % len(PALETTE)]
