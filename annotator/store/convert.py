"""Label, relation type and document rows <-> core types, so nothing above the store holds a
session-bound object. Annotations have their own mapper, with the bulk paths:
:mod:`annotation_rows`."""

from __future__ import annotations

from typing import Any

from annotator.core import model
from annotator.core.labels import AttributeDef, AttributeKind, LabelDef, RelationTypeDef
from annotator.core.snapping import SnapMode
from annotator.store.codebook_rows import checked_color
from annotator.store.models import Document, Label, LabelAttribute, RelationType


def label_from_row(row: Label, snap: SnapMode | None = None) -> LabelDef:
    """``snap``: the label's rule from store/snap_rules.py (the default when None)."""
    return LabelDef(
        name=row.name,
        color=checked_color(row.color, f"label {row.name!r}"),
        shortcut=row.shortcut,
        description=row.description,
        attributes=tuple(
            AttributeDef(
                name=a.name,
                kind=AttributeKind(a.kind),
                choices=tuple(a.choices),
                required=a.required,
                default=a.default,
            )
            for a in row.attributes
        ),
        snap=snap or SnapMode.WORDS,
    )


def label_to_row(label: LabelDef, position: int) -> Label:
    return Label(
        name=label.name,
        color=label.color,
        shortcut=label.shortcut,
        description=label.description,
        position=position,
        attributes=[attribute_to_row(a, i) for i, a in enumerate(label.attributes)],
    )


def attribute_to_row(attribute: AttributeDef, position: int) -> LabelAttribute:
    return LabelAttribute(
        name=attribute.name,
        kind=attribute.kind.value,
        choices=list(attribute.choices),
        required=attribute.required,
        default=attribute.default,
        position=position,
    )


def document_from_row(row: Document, text: str) -> model.Document:
    """``text``: the document's text, stored apart (``DocumentText``)."""
    return model.Document(
        id=row.id,
        title=row.title,
        source=row.source,
        metadata=dict(row.meta),
        text=text,
        sha256=row.sha256,
        created=row.created,
        status=model.DocumentStatus(row.status),
    )


def attribute_to_json(attribute: AttributeDef) -> dict[str, Any]:
    return {
        "name": attribute.name,
        "kind": attribute.kind.value,
        "choices": list(attribute.choices),
        "required": attribute.required,
        "default": attribute.default,
    }


def attribute_from_json(value: dict[str, Any]) -> AttributeDef:
    return AttributeDef(
        name=value["name"],
        kind=AttributeKind(value["kind"]),
        choices=tuple(value.get("choices", ())),
        required=bool(value.get("required", False)),
        default=value.get("default"),
    )


def relation_type_from_row(row: RelationType) -> RelationTypeDef:
    return RelationTypeDef(
        name=row.name,
        color=checked_color(row.color, f"relation type {row.name!r}"),
        sources=tuple(row.sources),
        targets=tuple(row.targets),
        directed=row.directed,
        description=row.description,
        attributes=tuple(attribute_from_json(a) for a in row.attributes),
    )


def relation_type_to_row(relation_type: RelationTypeDef, position: int) -> RelationType:
    return RelationType(
        name=relation_type.name,
        color=relation_type.color,
        sources=list(relation_type.sources),
        targets=list(relation_type.targets),
        directed=relation_type.directed,
        description=relation_type.description,
        attributes=[attribute_to_json(a) for a in relation_type.attributes],
        position=position,
    )
