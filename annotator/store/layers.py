"""Layers: each annotator's annotations. Which layers a project holds, and which of them are
curated (adjudicated) layers rather than an annotator's own work.

The curated layers are kept in ``project_meta`` (key ``curated_layers``: a JSON list of layer
names) rather than in a new column, so no migration is needed; a project without the key has
none. Agreement leaves them out unless asked: a curator copies the annotators' spans, and
counting those copies as a third annotator would move the figures."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.core.errors import ProjectError
from annotator.store.annotation_records import LAYER_NAMES
from annotator.store.models import ProjectMeta
from annotator.store.retry import retrying

if TYPE_CHECKING:
    from annotator.store.project import Project

CURATED_KEY = "curated_layers"


def layer_names(project: Project) -> list[str]:
    """The annotator names the project's annotations carry, sorted ("" for unnamed ones)."""
    with project.reading() as s:
        return sorted(s.scalars(text(LAYER_NAMES)))


def _curated_from(project: Project, value: str | None) -> list[str]:
    if value is None:
        return []
    try:
        names = json.loads(value)
    except json.JSONDecodeError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ProjectError(
            project.path,
            f"the project file is damaged (project_meta {CURATED_KEY!r} is not a list of names)",
        )
    return names


def curated_layers(project: Project) -> list[str]:
    """The layers written by adjudication or curation, sorted."""
    with project.reading() as s:
        row = s.get(ProjectMeta, CURATED_KEY)
        return _curated_from(project, None if row is None else row.value)


def mark_curated(project: Project, name: str) -> bool:
    """Record that layer ``name`` holds a curator's decisions (once; marking again changes
    nothing and does not write). True if this call marked it, so an undo knows to unmark it."""
    if name in curated_layers(project):
        return False
    return _set_curated(project, name, marked=True)


def unmark_curated(project: Project, name: str) -> bool:
    """Take the curated mark off layer ``name`` (undoing the choice that put it there). True if
    it was marked."""
    if name not in curated_layers(project):
        return False
    return _set_curated(project, name, marked=False)


def read_curated(session: Session, project: Project) -> list[str]:
    """The curated layers of ``project``, read in ``session`` (a merge's snapshot of it)."""
    row = session.get(ProjectMeta, CURATED_KEY)
    return _curated_from(project, None if row is None else row.value)


def add_curated(session: Session, project: Project, names: list[str]) -> list[str]:
    """Mark ``names`` curated inside the open transaction ``session`` (a merge carries its
    source's marks: the union of both); the names newly marked, sorted."""
    row = session.get(ProjectMeta, CURATED_KEY)
    have = _curated_from(project, None if row is None else row.value)
    new = sorted(set(names) - set(have))
    if new:
        _store(session, row, sorted([*have, *new]))
    return new


@retrying
def _set_curated(project: Project, name: str, *, marked: bool) -> bool:
    with project.transaction() as s:
        row = s.get(ProjectMeta, CURATED_KEY)
        names = _curated_from(project, None if row is None else row.value)
        if (name in names) == marked:
            return False
        _store(s, row, sorted([*names, name]) if marked else [n for n in names if n != name])
        return True


def _store(session: Session, row: ProjectMeta | None, names: list[str]) -> None:
    value = json.dumps(names, ensure_ascii=False)
    if row is None:
        session.add(ProjectMeta(key=CURATED_KEY, value=value))
    else:
        row.value = value
