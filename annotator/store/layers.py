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


def mark_curated(project: Project, name: str) -> None:
    """Record that layer ``name`` holds a curator's decisions (once; marking again changes
    nothing and does not write)."""
    if name not in curated_layers(project):
        _add_curated(project, name)


@retrying
def _add_curated(project: Project, name: str) -> None:
    with project.transaction() as s:
        row = s.get(ProjectMeta, CURATED_KEY)
        names = _curated_from(project, None if row is None else row.value)
        if name in names:
            return
        value = json.dumps(sorted([*names, name]), ensure_ascii=False)
        if row is None:
            s.add(ProjectMeta(key=CURATED_KEY, value=value))
        else:
            row.value = value
