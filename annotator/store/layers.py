"""Layers: each annotator's annotations. Which layers a project holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from annotator.store.annotation_records import LAYER_NAMES

if TYPE_CHECKING:
    from annotator.store.project import Project


def layer_names(project: Project) -> list[str]:
    """The annotator names the project's annotations carry, sorted ("" for unnamed ones)."""
    with project.reading() as s:
        return sorted(s.scalars(text(LAYER_NAMES)))
