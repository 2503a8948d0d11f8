"""Codebook files by extension, for ``annotator labels --import/--export`` and the codebook
dialog: ``.json`` Annotator label set (everything), ``.qdc`` REFI-QDA codebook, ``.csv`` Taguette
codebook, ``.xml`` Label Studio labelling config (export only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.file_kinds import check_source
from annotator.core.labels import LabelDef, RelationTypeDef

READS = {
    ".qdc": "REFI-QDA codebook",
    ".csv": "Taguette codebook CSV",
    ".json": "Annotator label set or project JSON",
}
WRITES = {**READS, ".xml": "Label Studio labelling config"}


def read(path: Path) -> list[LabelDef]:
    return read_codebook(path)[0]


def read_codebook(path: Path) -> tuple[list[LabelDef], list[RelationTypeDef]]:
    """The labels and relation types of a codebook file (only Annotator's JSON has the latter),
    refused (a bad name) or cleaned (descriptions) as every import is (:mod:`sanitize`)."""
    from annotator.io.sanitize import check_labels, check_relation_types

    check_source(path, error=ImportFailed)  # a FIFO would be waited on forever
    labels, relation_types = _read_codebook(path)
    return check_labels(path, labels), check_relation_types(path, relation_types)


def _read_codebook(path: Path) -> tuple[list[LabelDef], list[RelationTypeDef]]:
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        from annotator.io import qdc

        return qdc.read(path), []
    if suffix == ".csv":
        from annotator.io import taguette

        return taguette.read(path), []
    if suffix == ".xml":
        raise ImportFailed(
            path,
            "a Label Studio config is written, not read: import labels from .json, .qdc or .csv",
        )
    from annotator.io import labelset

    return labelset.read_codebook(path)


def write(
    path: Path, labels: Sequence[LabelDef], relation_types: Sequence[RelationTypeDef] = ()
) -> None:
    """Write ``labels`` in the format the extension names; only ``.json`` keeps
    ``relation_types``."""
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        from annotator.io import qdc

        qdc.write(path, labels)
    elif suffix == ".csv":
        from annotator.io import taguette

        taguette.write(path, labels)
    elif suffix == ".xml":
        from annotator.io import labelstudio_config

        labelstudio_config.write(path, labels)
    else:
        from annotator.io import labelset

        labelset.write(path, labels, relation_types)
