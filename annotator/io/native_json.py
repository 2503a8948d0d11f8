"""Annotator's own JSON: the whole project, versioned (resources/annotator-project.schema.json).

Offsets are code points into ``text``, end exclusive, and ``text[start:end] == annotation.text``.
Version 2 adds ``relation_types`` (top level) and each document's ``relations``, whose ``from``
and ``to`` are ids of that document's annotations; version 1 files (no relations) still import.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import ImportFailed
from annotator.core.labels import (
    AttributeDef,
    AttributeKind,
    LabelDef,
    RelationTypeDef,
    is_valid_color,
)
from annotator.core.model import (
    Annotation,
    Document,
    DocumentStatus,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
    Relation,
)
from annotator.core.snapping import SnapMode
from annotator.core.text import NewlineShift, canonical_text
from annotator.io import jsonvalues
from annotator.io.files import atomic_text_writer
from annotator.io.interchange import SpanProblem, record, refusal
from annotator.io.json_stream import JsonReader
from annotator.io.registry import DocumentExport, ExportData, ExportOptions, ExportReport

FORMAT = "annotator-project"
VERSION = 2


# -- export ------------------------------------------------------------------------------------


def attribute_to_json(a: AttributeDef) -> dict[str, Any]:
    return {
        "name": a.name,
        "kind": a.kind.value,
        "choices": list(a.choices),
        "required": a.required,
        "default": a.default,
    }


def label_to_json(label: LabelDef) -> dict[str, Any]:
    return {
        "name": label.name,
        "color": label.color,
        "shortcut": label.shortcut,
        "description": label.description,
        **({"snap": label.snap.value} if label.snap is not SnapMode.WORDS else {}),
        "attributes": [attribute_to_json(a) for a in label.attributes],
    }


def relation_type_to_json(relation_type: RelationTypeDef) -> dict[str, Any]:
    return {
        "name": relation_type.name,
        "color": relation_type.color,
        "from": list(relation_type.sources),
        "to": list(relation_type.targets),
        "directed": relation_type.directed,
        "description": relation_type.description,
        "attributes": [attribute_to_json(a) for a in relation_type.attributes],
    }


def relation_to_json(r: Relation) -> dict[str, Any]:
    return {
        "id": r.id,
        "type": r.type,
        "from": r.source_id,
        "to": r.target_id,
        "attributes": r.attributes,
        "note": r.note,
        "annotator": r.annotator,
        "created": r.created,
        "modified": r.modified,
    }


def annotation_to_json(a: Annotation) -> dict[str, Any]:
    return {
        "id": a.id,
        "label": a.label,
        "start": a.start,
        "end": a.end,
        "text": a.text,
        "attributes": a.attributes,
        "note": a.note,
        "annotator": a.annotator,
        "created": a.created,
        "modified": a.modified,
    }


def document_to_json(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "source": d.source,
        "metadata": d.metadata,
        "status": d.status.value,
        "created": d.created,
        "text": d.text,
        "sha256": d.sha256,
    }


def write_project(
    out: IO[str],
    labels: Iterable[LabelDef],
    documents: Iterable[DocumentExport],
    relation_types: Sequence[RelationTypeDef] = (),
) -> None:
    """Write the project JSON: one line per label and per annotation, so diffs stay readable.

    Annotation lines are formatted directly (byte for byte what ``json.dumps`` of
    :func:`annotation_to_json` gives): building a dict and an encoder per annotation made a
    100k-annotation export three times slower than the JSON encoding itself.
    """
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n "labels": [')
    out.write(",".join(f"\n  {_dumps(label_to_json(label))}" for label in labels))
    out.write('\n ],\n "relation_types": [')
    out.write(",".join(f"\n  {_dumps(relation_type_to_json(t))}" for t in relation_types))
    out.write('\n ],\n "documents": [')
    for n, item in enumerate(documents):
        header = _dumps(document_to_json(item.document))
        out.write(("," if n else "") + f'\n  {header[:-1]}, "annotations": [')
        out.write(",".join(map(_annotation_line, item.annotations)))
        out.write('\n  ], "relations": [')
        out.write(",".join(f"\n   {_dumps(relation_to_json(r))}" for r in item.relations))
        out.write("\n  ]}")
    out.write("\n ]\n}\n")


def _dumps(value: Any) -> str:
    return jsonvalues.dumps(value, ensure_ascii=False)


def _annotation_line(a: Annotation) -> str:
    q = encode_basestring
    attributes = _dumps(a.attributes) if a.attributes else "{}"
    return (
        f'\n   {{"id": {q(a.id)}, "label": {q(a.label)}, "start": {a.start}, '
        f'"end": {a.end}, "text": {q(a.text)}, "attributes": {attributes}, '
        f'"note": {q(a.note)}, "annotator": {q(a.annotator)}, "created": {q(a.created)}, '
        f'"modified": {q(a.modified)}}}'
    )


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    with atomic_text_writer(target) as out:
        write_project(out, data.labels, data.documents, data.relation_types)
    return ExportReport()


# -- import ------------------------------------------------------------------------------------


class _Problem(SpanProblem):
    """A validation failure, with the place in the file it concerns."""


def load_json(path: Path) -> Any:
    """Parse a JSON file, turning every failure into a one-line ImportFailed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        return jsonvalues.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailed(path, f"is not UTF-8 text (byte {exc.start})") from exc
    except ValueError as exc:
        raise _json_failure(path, exc) from exc


def _json_failure(path: Path, exc: ValueError) -> ImportFailed:
    """The one-line refusal of a file that is not JSON (or not JSON this program reads)."""
    if isinstance(exc, json.JSONDecodeError):
        return ImportFailed(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        )
    if isinstance(exc, jsonvalues.NotJson):
        return ImportFailed(path, str(exc))
    # Python's limit on integer digits (sys.get_int_max_str_digits)
    return ImportFailed(
        path,
        f"the JSON holds a number too long to read (over {sys.get_int_max_str_digits()} digits)",
    )


def read(path: Path) -> ImportedBundle:
    data = load_json(path)
    try:
        return parse_project(data)
    except _Problem as exc:
        raise refusal(path, exc) from exc


#: Files up to this size are parsed whole (the exact messages of a whole-file parse); larger
#: ones a document at a time (:func:`read_parts`).
STREAM_ABOVE = 16 * 2**20
#: Documents per part of :func:`read_parts`.
PART = 500
_HEADER = ("format", "version", "labels", "relation_types")


def read_parts(path: Path, size: int = PART) -> Iterator[ImportedBundle]:
    """:func:`read` a part of ``size`` documents at a time (the first carries the codebook),
    for a file whose labels and relation types come before its documents, as Annotator writes
    them: a project of 100k documents is never in memory whole. Other files (and small ones)
    are read whole."""
    if path.stat().st_size <= STREAM_ABOVE:
        yield read(path)
        return
    reader = JsonReader(path)
    try:
        header: dict[str, Any] = {}
        members = reader.members("documents") if reader.peek() == "{" else iter(())
        for key, value in members:
            if key != "documents":
                header[key] = value
                continue
            if not isinstance(value, Iterator) or not set(_HEADER[2:]) <= set(header):
                break  # not a list (refused below), or the codebook comes later: read whole
            try:
                yield from _documents_in_parts(header, value, size)
            except _Problem as exc:
                raise refusal(path, exc) from exc
            for key, _value in members:  # the rest must still be JSON
                if key in _HEADER:
                    raise ImportFailed(path, f"'{key}' comes after the documents; not read")
            return
    except (json.JSONDecodeError, jsonvalues.NotJson) as exc:
        raise _json_failure(path, exc) from exc
    finally:
        reader.close()
    from annotator.io.detect import MAX_FILE_BYTES  # the limit on a file read whole

    if (size := path.stat().st_size) > MAX_FILE_BYTES:
        raise ImportFailed(
            path,
            f"is {-(-size // 2**20)} MB; files over {MAX_FILE_BYTES // 2**20} MB are refused "
            "(a project JSON that big is read when its labels and relation types come before "
            "its documents, as Annotator writes them)",
        )
    yield read(path)


def _documents_in_parts(
    header: dict[str, Any], documents: Iterator[Any], size: int
) -> Iterator[ImportedBundle]:
    first = parse_project({**header, "documents": []})
    known = {t.name for t in first.relation_types}
    found: list[ImportedDocument] = []
    for i, d in enumerate(documents):
        with record("documents"):
            found.append(_document(d, i, known))
        if len(found) >= size:
            first.documents = found
            yield first
            first, found = ImportedBundle([]), []
    if found or first.labels or first.relation_types:
        first.documents = found
        yield first


def parse_labels(items: list, path: Path) -> list[LabelDef]:
    """A list of label objects from a file at ``path``, validated."""
    try:
        return _labels(items)
    except _Problem as exc:
        raise ImportFailed(path, str(exc)) from exc


def parse_project(data: Any) -> ImportedBundle:
    if not isinstance(data, dict):
        raise _Problem("not an Annotator project JSON (the top level is not an object)")
    if data.get("format", FORMAT) != FORMAT:
        raise _Problem(f"not an Annotator project JSON (format is {data.get('format')!r})")
    version = data.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise _Problem(f"'version' must be a whole number, not {version!r}")
    if version > VERSION:
        raise _Problem(
            f"made by a newer Annotator (format version {version}; this version reads up to "
            f"{VERSION}): update Annotator to import it"
        )
    documents = data.get("documents")
    if not isinstance(documents, list):
        raise _Problem("'documents' must be a list")
    labels = _get(data, "labels", list, [], "the project")
    relation_types = _relation_types(_get(data, "relation_types", list, [], "the project"))
    known = {t.name for t in relation_types}
    found = []
    for i, d in enumerate(documents):
        with record("documents"):
            found.append(_document(d, i, known))
    return ImportedBundle(
        documents=found,
        labels=_labels(labels),
        relation_types=relation_types,
    )


def parse_relation_types(items: list, path: Path) -> list[RelationTypeDef]:
    """A list of relation type objects from a file at ``path``, validated."""
    try:
        return _relation_types(items)
    except _Problem as exc:
        raise ImportFailed(path, str(exc)) from exc


def _relation_types(items: list) -> list[RelationTypeDef]:
    found: list[RelationTypeDef] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where, name, color = _named_entry(item, f"relation type {i + 1}", seen)
        ends = []
        for key in ("from", "to"):
            names = _get(item, key, list, [], where)
            if not all(isinstance(n, str) and n for n in names):
                raise _Problem(f"{where}: '{key}' must be a list of label names")
            ends.append(tuple(names))
        found.append(
            RelationTypeDef(
                name=name,
                color=color,
                sources=ends[0],
                targets=ends[1],
                directed=_get(item, "directed", bool, True, where),
                description=_get(item, "description", str, "", where),
                attributes=tuple(
                    _attribute(a, f"{where}, attribute {j + 1}")
                    for j, a in enumerate(_get(item, "attributes", list, [], where))
                ),
            )
        )
    return found


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    list: "a list",
    dict: "an object",
    bool: "true or false",
}


def _get(obj: dict, key: str, kind: type, default: Any, where: str) -> Any:
    """``obj[key]`` checked to be of ``kind``; ``default`` when missing or null."""
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Problem(f"{where}: '{key}' must be {_KIND_NAMES[kind]}, not {value!r:.60}")
    return value


def _named_entry(item: object, where: str, seen: set[str]) -> tuple[str, str, str]:
    """A codebook entry's checks shared by labels and relation types: an object with a unique,
    non-blank name and a ``#rrggbb`` colour. Returns where (now naming it), name and colour."""
    if not isinstance(item, dict):
        raise _Problem(f"{where} must be an object")
    name = _get(item, "name", str, None, where)
    if not name or not name.strip():
        raise _Problem(f"{where} has no name")
    where = f"{where} ({name!r})"
    if name in seen:
        raise _Problem(f"{where} is defined twice")
    seen.add(name)
    color = _get(item, "color", str, "#808080", where)
    if not is_valid_color(color):
        raise _Problem(f"{where}: colour {color!r} is not of the form #rrggbb")
    return where, name, color


def _labels(items: list) -> list[LabelDef]:
    labels: list[LabelDef] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where, name, color = _named_entry(item, f"label {i + 1}", seen)
        shortcut = item.get("shortcut")
        if shortcut is not None and not isinstance(shortcut, str):
            raise _Problem(f"{where}: 'shortcut' must be text or null")
        snap = _get(item, "snap", str, SnapMode.WORDS.value, where)
        if snap not in SnapMode.__members__.values():
            raise _Problem(
                f"{where}: unknown snapping rule {snap!r} "
                f"(use {', '.join(m.value for m in SnapMode)})"
            )
        labels.append(
            LabelDef(
                name=name,
                color=color,
                shortcut=shortcut or None,
                description=_get(item, "description", str, "", where),
                snap=SnapMode(snap),
                attributes=tuple(
                    _attribute(a, f"{where}, attribute {j + 1}")
                    for j, a in enumerate(_get(item, "attributes", list, [], where))
                ),
            )
        )
    return labels


def _attribute(item: Any, where: str) -> AttributeDef:
    if not isinstance(item, dict):
        raise _Problem(f"{where} must be an object")
    name = _get(item, "name", str, None, where)
    if not name:
        raise _Problem(f"{where} has no name")
    kind = _get(item, "kind", str, "text", where)
    if kind not in AttributeKind.__members__.values():
        raise _Problem(
            f"{where} ({name!r}): unknown kind {kind!r} "
            f"(use {', '.join(k.value for k in AttributeKind)})"
        )
    choices = _get(item, "choices", list, [], where)
    if not all(isinstance(c, str) for c in choices):
        raise _Problem(f"{where} ({name!r}): every choice must be text")
    return AttributeDef(
        name,
        AttributeKind(kind),
        tuple(choices),
        bool(_get(item, "required", bool, False, where)),
        item.get("default"),
    )


def _document(item: Any, index: int, relation_types: set[str]) -> ImportedDocument:
    where = f"document {index + 1}"
    if not isinstance(item, dict):
        raise _Problem(f"{where} must be an object")
    raw = _get(item, "text", str, None, where)
    if raw is None:
        raise _Problem(f"{where} has no 'text'")
    if not raw.strip():
        raise _Problem(f"{where} has an empty text")
    title = _get(item, "title", str, "", where) or _first_line(raw)
    where = f"document {index + 1} ({title[:60]!r})"
    status = _get(item, "status", str, DocumentStatus.NEW.value, where)
    if status not in DocumentStatus.__members__.values():
        raise _Problem(f"{where}: unknown status {status!r}")
    shift = NewlineShift(raw)
    text = canonical_text(raw)
    spans = []
    for j, a in enumerate(_get(item, "annotations", list, [], where)):
        with record("annotations"):
            spans.append(_annotation(a, j, raw, where, shift))
    ids = {a.id for a in spans if a.id}
    relations = []
    for j, r in enumerate(_get(item, "relations", list, [], where)):
        with record("relations"):
            relations.append(_relation(r, j, where, ids, relation_types))
    return ImportedDocument(
        text=text,
        title=title,
        source=_get(item, "source", str, "", where),
        metadata=_get(item, "metadata", dict, {}, where),
        annotations=spans,
        id=_get(item, "id", str, None, where),
        created=_get(item, "created", str, None, where),
        status=DocumentStatus(status),
        relations=relations,
    )


def _relation(
    item: Any, index: int, doc: str, annotation_ids: set[str], relation_types: set[str]
) -> ImportedRelation:
    where = f"{doc}, relation {index + 1}"
    if not isinstance(item, dict):
        raise _Problem(f"{where} must be an object")
    id = _get(item, "id", str, None, where)
    if id:
        where = f"{doc}, relation {index + 1} ({id!r})"
    kind = _get(item, "type", str, None, where)
    source = _get(item, "from", str, None, where)
    target = _get(item, "to", str, None, where)
    if not kind or not source or not target:
        raise _Problem(f"{where} needs 'type', 'from' and 'to'")
    if kind not in relation_types:
        raise _Problem(f"{where}: its type {kind!r} is not defined in 'relation_types'")
    for end in (source, target):
        if end not in annotation_ids:
            raise _Problem(f"{where}: {end!r} is not the id of an annotation of this document")
    if source == target:
        raise _Problem(f"{where} joins an annotation to itself")
    return ImportedRelation(
        type=kind,
        source=source,
        target=target,
        attributes=_get(item, "attributes", dict, {}, where),
        note=_get(item, "note", str, "", where),
        annotator=_get(item, "annotator", str, "", where),
        id=id,
        created=_get(item, "created", str, None, where),
        modified=_get(item, "modified", str, None, where),
    )


def _annotation(
    item: Any, index: int, raw: str, doc: str, shift: NewlineShift
) -> ImportedAnnotation:
    where = f"{doc}, annotation {index + 1}"
    if not isinstance(item, dict):
        raise _Problem(f"{where} must be an object")
    label = _get(item, "label", str, None, where)
    start = _get(item, "start", int, None, where)
    end = _get(item, "end", int, None, where)
    if not label or start is None or end is None:
        raise _Problem(f"{where} needs 'label', 'start' and 'end'")
    where = f"{doc}, annotation {index + 1} ({label} {start}..{end})"
    if not 0 <= start < end:
        raise _Problem(f"{where}: start must be at least 0 and before end")
    if end > len(raw):
        raise _Problem(f"{where}: the span ends beyond the text (length {len(raw)})")
    quoted = _get(item, "text", str, None, where)
    if quoted is not None and quoted != raw[start:end]:
        raise _Problem(
            f"{where}: its text {quoted[:40]!r} does not match the document's text "
            f"there, {raw[start:end][:40]!r}"
        )
    if shift:
        start, end = shift(start), shift(end)
    return ImportedAnnotation(
        label=label,
        start=start,
        end=end,
        attributes=_get(item, "attributes", dict, {}, where),
        note=_get(item, "note", str, "", where),
        annotator=_get(item, "annotator", str, "", where),
        id=_get(item, "id", str, None, where),
        created=_get(item, "created", str, None, where),
        modified=_get(item, "modified", str, None, where),
    )


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "Untitled")[:200]
