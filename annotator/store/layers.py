"""Layers: each annotator's annotations. Which layers a project holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from annotator.store.models import Annotation

if TYPE_CHECKING:
    from annotator.store.project import Project


def layer_names(project: Project) -> list[str]:
    """The annotator names the project's annotations carry, sorted ("" for unnamed ones)."""
    with project.reading() as s:
        return sorted(s.scalars(select(Annotation.annotator).distinct()))
