"""JSON values read from untrusted files and written for other programs.

Reading (:func:`loads`, from ``core/json_input.py``, which the core's own readers use too)
refuses what strict JSON does not allow and what would later overflow Python's stack: ``NaN``,
``Infinity`` and ``-Infinity`` (and numbers like ``1e999`` that only read as infinity), and
values nested more than :data:`MAX_DEPTH` levels. Writing (:func:`dumps`) never produces
``NaN``/``Infinity``: a number that is not finite (one that reached a project before imports
refused them) is written as ``null``.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.json_input import MAX_DEPTH, NotJson, depth, has_non_finite, loads

__all__ = ["MAX_DEPTH", "NotJson", "check", "depth", "dumps", "finite", "loads"]


def check(value: Any) -> None:
    """Raise :class:`NotJson` for a value nested too deeply or holding NaN/Infinity."""
    if depth(value) > MAX_DEPTH:
        raise NotJson(f"it is nested more than {MAX_DEPTH} levels deep")
    if has_non_finite(value):
        raise NotJson("it holds NaN or Infinity, which is not a JSON number")


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by ``None`` (``value`` itself when
    there is none, the usual case)."""
    if not has_non_finite(value):
        return value
    if isinstance(value, float):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` that never writes NaN or Infinity (see :func:`finite`)."""
    try:  # the usual case, without a walk of the value first (an export calls this per line)
        return json.dumps(value, allow_nan=False, **options)
    except ValueError:  # a NaN or an infinity somewhere: written as null
        return json.dumps(finite(value), allow_nan=False, **options)


_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps_for_html(value: Any, **options: Any) -> str:
    """:func:`dumps` with ``<``, ``>`` and ``&`` escaped (``\\u003c`` …), so that the JSON can be
    pasted into ``<script type="application/ld+json">`` and no ``</script>`` in a quoted text
    ends the script early. JSON readers read the same strings. (Outside strings JSON has none
    of the three characters.)"""
    return dumps(value, **options).translate(_HTML_SAFE)
