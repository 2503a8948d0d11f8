"""Where the shipped resources (sample article, schemas, icons) are."""

from __future__ import annotations

from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

SAMPLE_ARTICLE = "cambodia-tier2.txt"
PROJECT_SCHEMA = "annotator-project.schema.json"
ANNO_CONTEXT = "anno.jsonld"  # the W3C Web Annotation JSON-LD context, for offline processing

_SOURCE_TREE = Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    """Path of a file in the top-level ``resources/`` folder.

    A wheel ships that folder as the package ``annotator.resources``; a source checkout or an
    editable install reads it where it stands.
    """
    if find_spec("annotator.resources") is not None:
        return Path(str(files("annotator.resources") / name))
    return _SOURCE_TREE / name
