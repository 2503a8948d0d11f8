"""JSON read from what users hand the program (files, pasted patterns, server notices), with
its nesting bounded: :func:`loads` refuses what strict JSON does not allow and what would later
overflow Python's stack: ``NaN``, ``Infinity`` and ``-Infinity`` (and numbers like ``1e999`` that
only read as infinity), and values nested more than :data:`MAX_DEPTH` levels (a file of a
hundred thousand ``[`` gives :class:`NotJson`, never ``RecursionError``). ``io/jsonvalues.py``
writes JSON and checks values that came by other ways.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: Arrays and objects inside each other, at most. Real metadata and attribute values nest a few
#: levels; hundreds only come from hostile files, and would exhaust the stack of any recursive
#: code that walks them.
MAX_DEPTH = 100


class NotJson(ValueError):
    """A value strict JSON (or this program) refuses; the message says why, for a person."""


def depth(value: Any) -> int:
    """How many arrays/objects deep ``value`` goes (0 for a scalar), without recursing."""
    if not isinstance(value, dict | list | tuple):
        return 0
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list | tuple):  # scalars add no level: not stacked
                stack.append((child, level + 1))
    return deepest


def has_non_finite(value: Any) -> bool:
    """Whether a float that is NaN or infinite sits anywhere in ``value`` (no recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _constant(name: str) -> Any:
    raise NotJson(f"the JSON holds {name}, which is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJson(f"the JSON holds the number {text[:40]}, too large to read")
    return value


def loads(text: str) -> Any:
    """Parse strict JSON. Raises :class:`NotJson` (a ``ValueError``) for NaN/Infinity and deep
    nesting, ``json.JSONDecodeError`` for malformed JSON."""
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float)
    except RecursionError:
        raise NotJson(f"the JSON is nested too deeply (more than {MAX_DEPTH} levels)") from None
    if depth(value) > MAX_DEPTH:
        raise NotJson(f"the JSON is nested too deeply (more than {MAX_DEPTH} levels)")
    return value
