"""Annotation rows as SQL and records, without SQLAlchemy: the statements the store runs and the
loop that turns their rows into core annotations.

:mod:`annotation_rows` runs them through SQLAlchemy (compiled for the connection's dialect);
:mod:`first_look` runs the same text on a plain ``sqlite3`` connection before SQLAlchemy is
imported. Both accept the ``:name`` parameters written here, so the SQL exists once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from annotator.core import model

#: The stored columns, in the order of :data:`Values` tuples (``label_id`` where the core type
#: has the label's name).
COLUMNS = (
    "id",
    "document_id",
    "label_id",
    "start",
    "end",
    "text",
    "attributes",
    "note",
    "annotator",
    "created",
    "modified",
)

SELECT = (
    'SELECT a.id, a.document_id, l.name, a.start, a."end", a.text, a.attributes, a.note, '
    "a.annotator, a.created, a.modified FROM annotations a JOIN labels l ON l.id = a.label_id "
)
IN_TEXT = 'a.start, a."end", a.id'  # text order
OF_DOCUMENT = SELECT + "WHERE a.document_id = :document_id " + "ORDER BY " + IN_TEXT
#: Those of one document that start before ``:before`` (a code point): every annotation that
#: touches the text before it, read through the ``(document_id, start)`` index.
OF_DOCUMENT_BEFORE = (
    SELECT + "WHERE a.document_id = :document_id AND a.start < :before " + "ORDER BY " + IN_TEXT
)
ALL = SELECT + "JOIN documents d ON d.id = a.document_id ORDER BY d.position, " + IN_TEXT
INSERT = (
    "INSERT INTO annotations ("
    + ", ".join(f'"{c}"' for c in COLUMNS)
    + ") VALUES ("
    + ", ".join(f":{c}" for c in COLUMNS)
    + ")"
)
#: The annotator names the annotations carry (the layers), in no order: sort them in Python
#: (a server's collation would order them otherwise). One index seek per layer on
#: ``ix_annotations_annotator`` (schema 7), where a DISTINCT read every annotation (0.7 s at
#: 2M annotations, at every launch).
LAYER_NAMES = (
    "WITH RECURSIVE layer(name) AS ("
    "SELECT min(annotator) FROM annotations UNION ALL "
    "SELECT (SELECT min(annotator) FROM annotations WHERE annotator > layer.name) "
    "FROM layer WHERE layer.name IS NOT NULL"
    ") SELECT name FROM layer WHERE name IS NOT NULL"
)


def records(rows: Iterable[tuple[Any, ...]]) -> list[model.Annotation]:
    """Rows of :data:`SELECT` as annotations, made as the rows come (never all rows and all
    annotations at once). The values that repeat from row to row (the document id, the label,
    the annotator, an empty attributes dict) are one object each, not one per row."""
    shared: dict[str, str] = {}
    share = shared.setdefault
    annotations: list[model.Annotation] = []
    append = annotations.append
    make = model.Annotation
    for (
        id,
        document,
        label,
        start,
        end,
        snippet,
        attributes,
        note,
        annotator,
        created,
        modified,
    ) in rows:
        append(
            make(
                id,
                share(document, document),
                share(label, label),
                start,
                end,
                snippet,
                attributes_from_row(attributes),
                note,
                share(annotator, annotator),
                created,
                modified,
            )
        )
    return annotations


def attributes_json(attributes: Mapping[str, Any]) -> str:
    """What the JSON column itself writes (``json.dumps`` with default settings)."""
    return json.dumps(attributes) if attributes else "{}"


#: The attributes of every annotation that has none: one dict, like the default of
#: ``model.Annotation.attributes`` (annotations are never changed in place, only replaced).
_NO_ATTRIBUTES: dict[str, Any] = {}


def attributes_from_row(raw: str | dict[str, Any]) -> dict[str, Any]:
    """A JSON column's value as a dict (the one empty dict for ``{}``), from text or from a
    driver that decodes JSON itself."""
    if isinstance(raw, dict):  # a driver that decodes JSON columns itself
        return raw
    return _NO_ATTRIBUTES if raw == "{}" else json.loads(raw)
