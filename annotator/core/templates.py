"""Starter codebooks offered for a new project and importable into an existing one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from annotator.core.labels import (
    DEFAULT_LABELS,
    DEFAULT_RELATION_TYPES,
    AttributeDef,
    AttributeKind,
    LabelDef,
    RelationTypeDef,
)

PERSON = LabelDef("Person", "#d4789c", "5", "A person, named or by title, who says or does things.")
FACT_CHECK = (*DEFAULT_LABELS, PERSON)

NEWS_ENTITIES: tuple[LabelDef, ...] = (
    LabelDef("PER", "#4a90e2", "1", "A person, named or by title (Mu Sochua, the director)."),
    LabelDef("ORG", "#3cb371", "2", "An organisation: ministry, NGO, company, court, newspaper."),
    LabelDef("LOC", "#e0a030", "3", "A place: country, city, region, building."),
    LabelDef("MISC", "#b06fd8", "4", "Another named entity: event, law, report, nationality."),
)

_STRENGTH = AttributeDef("strength", AttributeKind.CHOICE, ("weak", "moderate", "strong"))

QUALITATIVE_CODING: tuple[LabelDef, ...] = (
    LabelDef(
        "Problem",
        "#e05a5a",
        "1",
        "What the text presents as wrong, harmful or lacking.",
        (_STRENGTH,),
    ),
    LabelDef("Cause", "#c98a4b", "2", "Who or what the text holds responsible for a problem."),
    LabelDef(
        "Solution",
        "#3cb371",
        "3",
        "A remedy, measure or demand the text puts forward.",
        (_STRENGTH,),
    ),
    LabelDef(
        "Actor",
        "#4a90e2",
        "4",
        "A person or body acting or speaking in the text.",
        (
            AttributeDef(
                "role",
                AttributeKind.CHOICE,
                ("government", "civil society", "international", "victim", "other"),
            ),
        ),
    ),
    LabelDef(
        "Evaluation",
        "#b06fd8",
        "5",
        "Praise, blame or judgement, and of whom.",
        (AttributeDef("tone", AttributeKind.CHOICE, ("positive", "negative", "mixed")),),
    ),
    LabelDef("Memo", "#8c9a3c", "6", "A passage to come back to; say why in the note."),
)

TEMPLATES: dict[str, tuple[str, tuple[LabelDef, ...]]] = {
    "fact-check": ("Fact-check (Claim, Quote, Organisation, Person, Tier rating)", FACT_CHECK),
    "news-entities": ("News entities (PER, ORG, LOC, MISC)", NEWS_ENTITIES),
    "qualitative-coding": ("Qualitative coding (a starter codebook)", QUALITATIVE_CODING),
}


def relation_types_for(labels: Sequence[LabelDef]) -> tuple[RelationTypeDef, ...]:
    """The default relation types a codebook of ``labels`` can use: ``said by`` (Quote ->
    Organisation, and -> Person where there is one), ``evidence for``/``against`` (Quote ->
    Claim); each only where its labels exist, so other codebooks get none."""
    names = {label.name for label in labels}
    found = []
    for relation_type in DEFAULT_RELATION_TYPES:
        targets = relation_type.targets
        if relation_type.name == "said by":
            targets = (*targets, PERSON.name)
        sources = tuple(n for n in relation_type.sources if n in names)
        targets = tuple(n for n in targets if n in names)
        if sources and targets:
            found.append(replace(relation_type, sources=sources, targets=targets))
    return tuple(found)
