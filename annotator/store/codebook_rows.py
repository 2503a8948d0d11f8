"""The codebook's rows as core labels, without SQLAlchemy: two plain queries on a DB-API cursor.

:func:`annotator.store.project.read_codebook` runs them on the session's driver connection;
:mod:`first_look` on a plain ``sqlite3`` connection before SQLAlchemy is imported.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from annotator.core.labels import (
    DEFAULT_COLOR,
    DEFAULT_LABELS,
    AttributeDef,
    AttributeKind,
    LabelDef,
    is_valid_color,
)
from annotator.core.snapping import SnapMode

_log = logging.getLogger(__name__)

#: ``project_meta`` key of the labels' snapping rules (see :mod:`snap_rules`)
SNAP_KEY = "label_snap"
SNAP_RULES = "SELECT value FROM project_meta WHERE key = 'label_snap'"
ATTRIBUTES = (
    'SELECT id, label_id, name, kind, choices, required, "default" '
    "FROM label_attributes ORDER BY label_id, position"
)
LABELS = "SELECT id, name, color, shortcut, description FROM labels ORDER BY position"


def snap_rules_from(value: str | None) -> dict[str, SnapMode]:
    """The rules stored under :data:`SNAP_KEY` (``value`` None: the key is missing)."""
    if value is None:  # a project from before the rules: the default labels' own (Quote's)
        return {
            label.name: label.snap for label in DEFAULT_LABELS if label.snap is not SnapMode.WORDS
        }
    try:
        raw = json.loads(value)
    except json.JSONDecodeError:
        return {}  # a damaged value only loses the rules, never the labels
    if not isinstance(raw, dict):
        return {}
    valid = set(SnapMode)
    return {name: SnapMode(mode) for name, mode in raw.items() if mode in valid}


def read_labels(
    cursor: Any, rules: dict[str, SnapMode], decoded: bool = False
) -> list[tuple[int, LabelDef, dict[str, int]]]:
    """Each label in order (with its snapping rule from ``rules``) with its row id and its
    attributes' row ids by name. ``decoded``: the driver hands JSON columns over decoded
    (psycopg does, a new object per row; SQLite's driver gives text).

    No ORM objects: a codebook of 100,000 labels reads in about a second (through the ORM, with
    its attributes, it took over half a minute).
    """
    attributes: dict[int, list[AttributeDef]] = {}
    attribute_ids: dict[int, dict[str, int]] = {}
    parsed: dict[Any, Any] = {}  # codebooks repeat the same choices and defaults: parse once

    def value(raw: Any) -> Any:
        if decoded:
            return raw
        if raw not in parsed:
            parsed[raw] = json_column(raw)
        return parsed[raw]

    for attribute_id, label_id, name, kind, choices, required, default in cursor.execute(
        ATTRIBUTES
    ).fetchall():
        shared = value(default)  # a list or object default gets its own copy
        attributes.setdefault(label_id, []).append(
            AttributeDef(
                name,
                AttributeKind(kind),
                tuple(value(choices) or ()),
                bool(required),
                json_column(default) if isinstance(shared, list | dict) and not decoded else shared,
            )
        )
        attribute_ids.setdefault(label_id, {})[name] = attribute_id
    return [
        (
            label_id,
            LabelDef(
                name,
                checked_color(color, f"label {name!r}"),
                shortcut,
                description or "",
                tuple(attributes.get(label_id, ())),
                rules.get(name, SnapMode.WORDS),
            ),
            attribute_ids.get(label_id, {}),
        )
        for label_id, name, color, shortcut, description in cursor.execute(LABELS).fetchall()
    ]


def checked_color(color: Any, what: str) -> str:
    """A colour read back from a project, as it is if it is ``#rrggbb``, else the default
    colour (and a warning in the log): a merged copy or a shared database may hold anything
    there, and a colour goes into styles and attributes as it is."""
    if is_valid_color(color):
        return color
    _log.warning("%s: colour %.80r is not #rrggbb; shown as %s", what, color, DEFAULT_COLOR)
    return DEFAULT_COLOR


def json_column(raw: Any) -> Any:
    """A JSON column's value as SQLAlchemy's JSON type reads it: the column has numeric
    affinity, so SQLite keeps a JSON number as a number and everything else as JSON text."""
    return json.loads(raw) if isinstance(raw, str | bytes) else raw
