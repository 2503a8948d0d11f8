"""Each label's snapping rule, kept in ``project_meta`` (key ``label_snap``: a JSON object of
label name -> rule) rather than in a new column, so no migration is needed. Labels with the
default rule (``words``) are not listed; a project without the key (made before the rules)
has the default codebook's rules (a Quote keeps its punctuation). Codebook edits keep it in
step (codebook.py)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from annotator.core.labels import LabelDef
from annotator.core.snapping import SnapMode
from annotator.store import codebook_rows
from annotator.store.models import ProjectMeta

KEY = codebook_rows.SNAP_KEY


def read(s: Session) -> dict[str, SnapMode]:
    row = s.get(ProjectMeta, KEY)
    return codebook_rows.snap_rules_from(None if row is None else row.value)


def _write(s: Session, rules: dict[str, SnapMode]) -> None:
    value = json.dumps(
        {n: m.value for n, m in rules.items() if m is not SnapMode.WORDS},
        ensure_ascii=False,
        sort_keys=True,
    )
    row = s.get(ProjectMeta, KEY)
    if row is None:
        s.add(ProjectMeta(key=KEY, value=value))
    else:
        row.value = value


def set_rule(s: Session, name: str, mode: SnapMode) -> None:
    rules = read(s)
    rules[name] = SnapMode(mode)
    _write(s, rules)


def set_rules(s: Session, labels: list[LabelDef], *, replace: bool = False) -> None:
    """Record the rules of ``labels`` (all of the codebook's when ``replace``)."""
    rules = {} if replace else read(s)
    rules.update({label.name: SnapMode(label.snap) for label in labels})
    _write(s, rules)


def rename(s: Session, old: str, new: str) -> None:
    rules = read(s)
    if old in rules:
        rules[new] = rules.pop(old)
        _write(s, rules)


def drop(s: Session, name: str) -> None:
    rules = read(s)
    if rules.pop(name, None) is not None:
        _write(s, rules)
