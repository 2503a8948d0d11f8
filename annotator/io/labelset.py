"""Label sets as JSON: the ``labels`` part of the project JSON, on its own.

Reads a label-set file, a whole project file (its labels), or a bare list of labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.labels import LabelDef
from annotator.io import jsonvalues
from annotator.io.files import atomic_text_writer
from annotator.io.native_json import VERSION, label_to_json, load_json, parse_labels
from annotator.io.sanitize import check_labels

FORMAT = "annotator-labels"


def write(path: Path, labels: Sequence[LabelDef]) -> None:
    with atomic_text_writer(path) as out:
        out.write(dumps(labels))


def dumps(labels: Sequence[LabelDef]) -> str:
    body = ",\n  ".join(
        jsonvalues.dumps(label_to_json(label), ensure_ascii=False) for label in labels
    )
    return f'{{"format": "{FORMAT}", "version": {VERSION},\n "labels": [\n  {body}\n ]\n}}\n'


def read(path: Path) -> list[LabelDef]:
    data = load_json(path)
    if isinstance(data, dict):
        if data.get("format") not in (FORMAT, "annotator-project", None):
            raise ImportFailed(path, f"not a label set (format is {data.get('format')!r})")
        version = data.get("version", VERSION)
        if isinstance(version, int) and version > VERSION:
            raise ImportFailed(path, f"made by a newer Annotator (format version {version})")
        items = data.get("labels")
    else:
        items = data
    if not isinstance(items, list):
        raise ImportFailed(path, "no 'labels' list found")
    return check_labels(path, parse_labels(items, path))
