"""Label and document rows <-> core types, so nothing above the store holds a session-bound
object. Annotations have their own mapper, with the bulk paths: :mod:`annotation_rows`."""

from __future__ import annotations

from annotator.core import model
from annotator.core.labels import AttributeDef, AttributeKind, LabelDef
from annotator.core.snapping import SnapMode
from annotator.store.models import Document, Label, LabelAttribute


def label_from_row(row: Label, snap: SnapMode | None = None) -> LabelDef:
    """``snap``: the label's rule from store/snap_rules.py (the default when None)."""
    return LabelDef(
        name=row.name,
        color=row.color,
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


def document_from_row(row: Document) -> model.Document:
    return model.Document(
        id=row.id,
        title=row.title,
        source=row.source,
        metadata=dict(row.meta),
        text=row.text,
        sha256=row.sha256,
        created=row.created,
        status=model.DocumentStatus(row.status),
    )
