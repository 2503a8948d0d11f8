"""The project schema's version: the number of the newest Alembic revision (``migrations/``).

Nothing else states it. It is read from the revision files' ``revision``/``down_revision`` lines
rather than through Alembic, whose import costs ~17 MB that opening a project does not need
(``tests/test_store.py`` checks the result against Alembic's own idea of the head).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_ASSIGNMENT = re.compile(r"""^(revision|down_revision)\s*=\s*(?:['"]([^'"]+)['"]|None)""", re.M)


def current_version(migrations: Path | None = None) -> int:
    """The schema version this Annotator writes: its newest migration's number."""
    head = head_revision(migrations or MIGRATIONS_DIR)
    if not head.isdigit():
        raise RuntimeError(
            f"migration {head!r}: revision ids are schema versions, numbered 0001, 0002, … "
            "(`make migration NAME=…` numbers them)"
        )
    return int(head)


@cache
def head_revision(migrations: Path) -> str:
    """The one revision of ``migrations/versions`` that no other revision builds on."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((migrations / "versions").glob("*.py")):
        found = dict(
            (match.group(1), match.group(2))
            for match in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8"))
        )
        if found.get("revision"):
            revisions.add(found["revision"])
            if found.get("down_revision"):
                parents.add(found["down_revision"])
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"{migrations}: expected one head revision, found {heads or 'none'}")
    return heads[0]
