"""doccano sequence-labelling JSONL, for teams labelling in doccano.

Export, one document per line: ``{"text", "label": [[start, end, "LABEL"], ...], "meta": {...}}``.
End exclusive, over the canonical text, in the unit the doccano project counts (the
``doccano_offsets`` option): ``utf16`` (default) for a project with "Count grapheme clusters as
one character" off, doccano's web page counting JavaScript string indices; ``graphemes`` for a
project with it on (``grapheme_mode``), where a flag, a ZWJ family or a letter with its combining
accent is one position (a span that starts or ends inside such a cluster is widened to the whole
cluster, and counted in the notes). Attributes, notes, annotators and timestamps are not written
(doccano spans carry a label only). No byte-order mark by default: doccano 1.8's upload form
preselects the encoding ``utf_8``, which keeps a BOM as part of the first line, so that line's
JSON, the first document, is lost. With ``doccano_bom`` ``yes`` the file starts with one, for
the form's encoding "Auto": that guesses the encoding with chardet, which took a UTF-8 file
with a few non-Latin characters for Windows-1254 unless it had a BOM.

When the project has relations, the export writes doccano's relation-extraction form instead:
``{"text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [{"id",
"from_id", "to_id", "type"}], "meta"}`` (entity and relation ids are numbers unique in the
file); relation notes and attributes are not written, nor whether a type is directed.

Import reads the same, and also the ``"entities": [{"start_offset", "end_offset", "label"}]``
form of doccano's relation projects, with their ``"relations"`` (``from_id``/``to_id`` naming
entity ids of the same line; one naming no entity refuses the file). Offsets are read in the
unit the file's spans fit (:mod:`annotator.io.doccano_units` has the rule): UTF-16 code units
or grapheme clusters; a file that fits both with different characters is refused and asks
for the ``doccano_offsets`` import option. Each span must lie inside the text and not cut an
emoji in half, else the whole file is refused. Annotator's own ``jsonl`` export (``"spans"`` in
code points, with their text, checked) is read too.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import suppress
from itertools import count
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.graphemes import GraphemeMap
from annotator.core.model import (
    Annotation,
    Document,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
    Relation,
)
from annotator.core.offsets import OffsetMap
from annotator.core.text import canonical_text
from annotator.io import jsonvalues
from annotator.io.doccano_units import AUTO, GRAPHEMES, UTF16, Spans, offsets_unit
from annotator.io.files import atomic_text_writer
from annotator.io.interchange import RawSpans, SpanProblem, lines_utf8, reading, record
from annotator.io.registry import ExportData, ExportOptions, ExportReport, exported_document
from annotator.io.txt import clip_title, first_line

_NOT_READ = object()

#: Documents per part of :func:`read_parts` (the store imports a part at a time).
PART = 500

# Keys of a doccano line that are not metadata.
_KNOWN = {
    "text",
    "data",
    "label",
    "labels",
    "entities",
    "relations",
    "meta",
    "id",
    "Comments",
    "spans",
}


def _labels(document: Document, spans: list[Annotation], unit: str) -> tuple[list[list], int]:
    """The ``label`` triples in ``unit``, and how many spans were widened to whole clusters."""
    if unit == GRAPHEMES:
        clusters = GraphemeMap(document.text)
        triples = [
            [clusters.to_graphemes(a.start), clusters.to_graphemes(a.end, end=True), a.label]
            for a in spans
        ]
        widened = sum(
            not (clusters.is_boundary(a.start) and clusters.is_boundary(a.end)) for a in spans
        )
        return triples, widened
    offsets = OffsetMap(document.text)
    return [[offsets.to_utf16(a.start), offsets.to_utf16(a.end), a.label] for a in spans], 0


def document_line(
    document: Document, spans: list[Annotation], unit: str = UTF16
) -> tuple[dict[str, Any], int]:
    meta = {"id": document.id, "title": document.title, "source": document.source}
    meta.update({k: v for k, v in document.metadata.items() if k not in meta})
    labels, widened = _labels(document, spans, unit)
    return {"text": document.text, "label": labels, "meta": meta}, widened


def relation_line(
    line: dict[str, Any],
    spans: list[Annotation],
    relations: list[Relation],
    entity_ids: count,
    relation_ids: count,
) -> dict[str, Any]:
    """``line`` in doccano's relation-extraction form: ``entities`` with ids, ``relations``."""
    ids = {a.id: next(entity_ids) for a in spans}
    entities = [
        {"id": ids[a.id], "label": label, "start_offset": start, "end_offset": end}
        for a, (start, end, label) in zip(spans, line["label"], strict=True)
    ]
    return {
        "text": line["text"],
        "entities": entities,
        "relations": [
            {
                "id": next(relation_ids),
                "from_id": ids[r.source_id],
                "to_id": ids[r.target_id],
                "type": r.type,
            }
            for r in relations
        ],
        "meta": line["meta"],
    }


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    unit = options["doccano_offsets"]
    dropped = widened = 0
    related = data.has_relations
    entity_ids, relation_ids = count(1), count(1)
    with atomic_text_writer(target) as out:
        if options["doccano_bom"] == "yes":  # doccano's "Auto" guesses UTF-8 only with a BOM
            out.write("\ufeff")
        for item in data.documents:
            dropped += sum(1 for a in item.annotations if a.attributes or a.note)
            document = exported_document(item.document, options)
            line, cut = document_line(document, item.annotations, unit)
            if related:
                line = relation_line(
                    line, item.annotations, item.relations, entity_ids, relation_ids
                )
            widened += cut
            out.write(jsonvalues.dumps(line, ensure_ascii=False) + "\n")
    notes = []
    if widened:
        notes.append(
            f"{widened} spans started or ended inside a grapheme cluster (e.g. between "
            "a letter and its accent) and were widened to whole clusters"
        )
    if dropped:
        notes.append(
            f"doccano keeps labels only: the attributes and notes of {dropped} "
            "annotations were not written"
        )
    return ExportReport(notes)


def read(path: Path, offsets: str = AUTO) -> ImportedBundle:
    """``offsets``: ``utf16``, ``graphemes`` or ``auto`` (:mod:`annotator.io.doccano_units`)."""
    documents = [d for part in read_parts(path, offsets) for d in part.documents]
    return ImportedBundle(documents)


def read_parts(path: Path, offsets: str = AUTO, size: int = PART) -> Iterator[ImportedBundle]:
    """:func:`read` a part of ``size`` documents at a time, line by line: a file of 100k
    documents is never in memory whole. With ``auto`` offsets the file is read twice, first
    to weigh every line's spans (:func:`offsets_unit`), then to make the documents."""
    with reading(path, "doccano JSONL"):
        if offsets == AUTO:
            offsets = offsets_unit(path, _spans_of(_items(path, counted=False)))
        documents: list[ImportedDocument] = []
        made = False
        for number, item in _items(path):
            with record("lines", counted=False):
                documents.append(_document(item, number, offsets))
                made = True
            if len(documents) >= size:
                yield ImportedBundle(documents)
                documents = []
        if documents:
            yield ImportedBundle(documents)
        elif not made:
            raise ImportFailed(path, "the file holds no documents")


def _items(path: Path, counted: bool = True) -> Iterator[tuple[int, Any]]:
    """Each line that is not blank, parsed, with its number. ``counted``: each line is a record
    (a bad one refuses the file or is skipped), and a file with none is refused; else (the
    first reading of two) a bad line is passed over, for the second reading to name."""
    found = False
    for number, line in lines_utf8(path):
        if not line.strip():
            continue
        item = _NOT_READ
        if counted:
            with record("lines"):
                item = _line(line, number)
        else:  # plain json.loads: the second reading checks each line, and names a bad one
            with suppress(ValueError, RecursionError):
                item = json.loads(line)
        if item is not _NOT_READ:
            found = True
            yield number, item
    if counted and not found:
        raise ImportFailed(path, "the file holds no documents")


def _line(line: str, number: int) -> Any:
    try:
        return jsonvalues.loads(line)
    except json.JSONDecodeError as exc:
        raise SpanProblem(
            f"line {number} is not valid JSON (column {exc.colno}: {exc.msg})"
        ) from None
    except jsonvalues.NotJson as exc:
        raise SpanProblem(f"line {number}: {exc}") from None


def _spans_of(items: Iterable[tuple[int, Any]]) -> Iterator[Spans]:
    """What :func:`offsets_unit` weighs: each line's text and spans (malformed lines are left
    to :func:`_document`, which names the problem)."""
    for number, item in items:
        raw = item.get("text", item.get("data")) if isinstance(item, dict) else None
        if isinstance(raw, str):
            try:
                spans = [(s, e, label) for s, e, label, _ in _triples(item, "")]
            except SpanProblem:
                continue
            yield f"document on line {number}", raw, spans


def _document(item: Any, number: int, offsets: str = UTF16) -> ImportedDocument:
    where = f"line {number}"
    if not isinstance(item, dict):
        raise SpanProblem(f"{where} is not a JSON object")
    raw = item.get("text", item.get("data"))
    if not isinstance(raw, str) or not raw.strip():
        raise SpanProblem(f"{where} has no 'text'")
    meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
    metadata = {**{k: v for k, v in item.items() if k not in _KNOWN}, **meta}
    title = metadata.pop("title", None)
    title = clip_title(title) if isinstance(title, str) and title.strip() else first_line(raw)
    source = metadata.pop("source", "")
    metadata.pop("id", None)
    where = f"document on line {number} ({title[:60]!r})"
    spans = RawSpans(raw, "graphemes" if offsets == GRAPHEMES else "utf-16", where)
    annotations = []
    by_entity: dict[str, str] = {}  # doccano entity id -> our annotation id
    for n, (start, end, label, entity) in enumerate(_triples(item, where), 1):
        with record("spans"):
            begin, finish = spans.convert(start, end, f"span {n} ({label} {start}..{end})")
            annotation = ImportedAnnotation(
                label=label, start=begin, end=finish, id=str(uuid.uuid4())
            )
            if entity is not None:
                by_entity[json.dumps(entity)] = annotation.id or ""
            annotations.append(annotation)
    relations = _relations(item, by_entity, where)
    if isinstance(item.get("spans"), list):  # Annotator's own JSONL export: code points
        annotations += _own_spans(item["spans"], RawSpans(raw, "code points", where))
    return ImportedDocument(
        text=canonical_text(raw),
        title=title,
        source=source if isinstance(source, str) else "",
        metadata=metadata,
        annotations=annotations,
        relations=relations,
    )


def _relations(item: dict, by_entity: dict[str, str], where: str) -> list[ImportedRelation]:
    items = item.get("relations", [])
    if not isinstance(items, list):
        raise SpanProblem(f"{where}: 'relations' must be a list")
    found = []
    for n, entry in enumerate(items, 1):
        if not (isinstance(entry, dict) and isinstance(entry.get("type"), str) and entry["type"]):
            raise SpanProblem(
                f"{where}, relation {n}: expected an object with from_id, to_id, type"
            )
        name = f"relation {n} ({entry.get('id', n)}, {entry['type']})"
        with record("relations"):
            found.append(_relation(entry, by_entity, f"{where}, {name}"))
    return found


def _relation(entry: dict, by_entity: dict[str, str], where: str) -> ImportedRelation:
    ends = []
    for key in ("from_id", "to_id"):
        ours = by_entity.get(json.dumps(entry.get(key)))
        if ours is None:
            raise SpanProblem(
                f"{where}: {key} {entry.get(key)!r} is not the id of an entity of this line"
            )
        ends.append(ours)
    return ImportedRelation(entry["type"], ends[0], ends[1])


def _own_spans(items: list, spans: RawSpans) -> list[ImportedAnnotation]:
    found = []
    for n, entry in enumerate(items, 1):
        if not (isinstance(entry, dict) and isinstance(entry.get("label"), str)):
            raise SpanProblem(f"{spans.where}, span {n}: expected an object with a label")
        quoted = entry.get("text") if isinstance(entry.get("text"), str) else None
        with record("spans"):
            start, end = spans.convert(
                entry.get("start"),
                entry.get("end"),
                f"span {n} ({entry['label']} {entry.get('start')}..{entry.get('end')})",
                quoted,
            )
            attributes = entry.get("attributes")
            found.append(
                ImportedAnnotation(
                    label=entry["label"],
                    start=start,
                    end=end,
                    attributes=attributes if isinstance(attributes, dict) else {},
                )
            )
    return found


def _triples(item: dict, where: str) -> list[tuple[Any, Any, str, Any]]:
    """(start, end, label, entity id or None) of each span."""
    found: list[tuple[Any, Any, str, Any]] = []
    labels = item.get("label", item.get("labels", []))
    if not isinstance(labels, list):
        raise SpanProblem(f"{where}: 'label' must be a list of [start, end, label]")
    for n, entry in enumerate(labels, 1):
        if isinstance(entry, str):
            raise SpanProblem(
                f"{where}: 'label' holds categories, not spans (a text "
                "classification project?); only sequence labelling is imported"
            )
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[2], str)
            and entry[2].strip()
        ):
            raise SpanProblem(
                f'{where}, span {n}: expected [start, end, "LABEL"], not {entry!r:.60}'
            )
        found.append((entry[0], entry[1], entry[2], None))
    entities = item.get("entities", [])
    if not isinstance(entities, list):
        raise SpanProblem(f"{where}: 'entities' must be a list")
    for n, entry in enumerate(entities, len(found) + 1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("label"), str)
            and entry["label"].strip()
        ):
            raise SpanProblem(
                f"{where}, span {n}: expected an object with start_offset, end_offset and label"
            )
        found.append(
            (entry.get("start_offset"), entry.get("end_offset"), entry["label"], entry.get("id"))
        )
    return found
