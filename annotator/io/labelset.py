"""Label sets as JSON: the ``labels`` and ``relation_types`` parts of the project JSON, on their
own.

Reads a label-set file, a whole project file (its codebook), or a bare list of labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.io import jsonvalues
from annotator.io.files import atomic_text_writer
from annotator.io.native_json import (
    VERSION,
    label_to_json,
    load_json,
    parse_labels,
    parse_relation_types,
    relation_type_to_json,
)
from annotator.io.sanitize import check_labels

FORMAT = "annotator-labels"


def write(
    path: Path, labels: Sequence[LabelDef], relation_types: Sequence[RelationTypeDef] = ()
) -> None:
    with atomic_text_writer(path) as out:
        out.write(dumps(labels, relation_types))


def dumps(labels: Sequence[LabelDef], relation_types: Sequence[RelationTypeDef] = ()) -> str:
    body = ",\n  ".join(
        jsonvalues.dumps(label_to_json(label), ensure_ascii=False) for label in labels
    )
    types = ",\n  ".join(
        jsonvalues.dumps(relation_type_to_json(t), ensure_ascii=False) for t in relation_types
    )
    return (
        f'{{"format": "{FORMAT}", "version": {VERSION},\n "labels": [\n  {body}\n ],\n'
        f' "relation_types": [\n  {types}\n ]\n}}\n'
    )


def read(path: Path) -> list[LabelDef]:
    return read_codebook(path)[0]


def read_codebook(path: Path) -> tuple[list[LabelDef], list[RelationTypeDef]]:
    """The labels and relation types of a label-set or project file (none from a bare list)."""
    data = load_json(path)
    relation_types: list = []
    if isinstance(data, dict):
        if data.get("format") not in (FORMAT, "annotator-project", None):
            raise ImportFailed(path, f"not a label set (format is {data.get('format')!r})")
        version = data.get("version", VERSION)
        if isinstance(version, int) and version > VERSION:
            raise ImportFailed(path, f"made by a newer Annotator (format version {version})")
        items = data.get("labels")
        relation_types = data.get("relation_types") or []
        if not isinstance(relation_types, list):
            raise ImportFailed(path, "'relation_types' must be a list")
    else:
        items = data
    if not isinstance(items, list):
        raise ImportFailed(path, "no 'labels' list found")
    return check_labels(path, parse_labels(items, path)), parse_relation_types(relation_types, path)
