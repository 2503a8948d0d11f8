"""The label schema: labels, their typed attributes, and the default fact-checking set."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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


@dataclass(frozen=True)
class RelationTypeDef:
    """A kind of link between two annotations of one document (``said by``: Quote -> Person).

    ``sources``/``targets`` name the labels allowed at each end; empty means any label.
    """

    name: str
    color: str
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    directed: bool = True
    description: str = ""
    attributes: tuple[AttributeDef, ...] = field(default_factory=tuple)

    def allows(self, source_label: str, target_label: str) -> bool:
        """Whether a relation of this type may join a ``source_label`` annotation to a
        ``target_label`` one (either way round when the type is not directed)."""
        if self._fits(source_label, target_label):
            return True
        return not self.directed and self._fits(target_label, source_label)

    def _fits(self, source_label: str, target_label: str) -> bool:
        return (not self.sources or source_label in self.sources) and (
            not self.targets or target_label in self.targets
        )

    def attribute(self, name: str) -> AttributeDef | None:
        return next((a for a in self.attributes if a.name == name), None)


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: what a label, relation type or attribute gets in place of a colour that is not ``#rrggbb``
DEFAULT_COLOR = "#808080"
#: C0 controls, DEL and C1 controls: invisible, and C0 ones are more than XML can hold
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def is_valid_color(color: object) -> bool:
    """Whether ``color`` is a colour as the codebook keeps it: ``#rrggbb`` (what the colour
    dialog gives) and nothing more, so that it can go into a style or an attribute as it is."""
    return isinstance(color, str) and _COLOR.fullmatch(color) is not None


def color_or_default(color: object) -> str:
    """``color`` if valid, else :data:`DEFAULT_COLOR`: for colours read back from a project
    that something other than this program wrote (a merged copy, a shared database)."""
    return color if isinstance(color, str) and is_valid_color(color) else DEFAULT_COLOR


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (C0, DEL or C1), if any."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a label, relation type, attribute or choice; None if it can.

    The one rule for names wherever they come in (the codebook dialog, imports, merges): not
    empty or only spaces, and no control character. Names are identifiers, so a bad one is
    refused rather than cleaned: a cleaned name could merge two labels, or part a label from
    its annotations.
    """
    if not name.strip():
        return "is empty"
    found = control_character(name)
    if found is not None:
        return f"holds a control character (U+{ord(found):04X})"
    return None


def first_bad_name(
    labels: Sequence[LabelDef], relation_types: Sequence[RelationTypeDef] = ()
) -> str | None:
    """What is wrong with the first label, relation type or attribute name (or choice) that
    breaks :func:`name_problem`'s rule, in a phrase naming it; None when all are fine."""
    for kind, definitions in (("label", labels), ("relation type", relation_types)):
        for definition in definitions:
            where = f"{kind} {definition.name!r}"
            problem = name_problem(definition.name)
            if problem is not None:
                return f"{where} {problem}"
            for attribute in definition.attributes:
                spot = f"{where}, attribute {attribute.name!r}"
                problem = name_problem(attribute.name)
                if problem is not None:
                    return f"{spot} {problem}"
                for choice in attribute.choices:
                    if (found := control_character(choice)) is not None:
                        character = f"U+{ord(found):04X}"
                        return f"{spot}, choice {choice!r} holds a control character ({character})"
    return None


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


DEFAULT_RELATION_TYPES: tuple[RelationTypeDef, ...] = (
    RelationTypeDef(
        "said by",
        "#4a90e2",
        ("Quote",),
        ("Organisation",),
        True,
        "Who said the quote: fills the quote's speaker.",
    ),
    RelationTypeDef(
        "evidence for", "#3cb371", ("Quote",), ("Claim",), True, "The quote supports the claim."
    ),
    RelationTypeDef(
        "evidence against", "#e05a5a", ("Quote",), ("Claim",), True, "The quote disputes the claim."
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
