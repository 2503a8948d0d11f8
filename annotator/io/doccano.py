"""doccano sequence-labelling JSONL, for teams labelling in doccano.

Export, one document per line: ``{"text", "label": [[start, end, "LABEL"], ...], "meta": {...}}``.
**Offsets are UTF-16 code units** (doccano's web page counts JavaScript string indices), end
exclusive, over the canonical text. Attributes, notes, annotators and timestamps are not
written (doccano spans carry a label only).

Import reads the same, and also the ``"entities": [{"start_offset", "end_offset", "label"}]``
form of doccano's relation projects. Offsets are taken as UTF-16 code units; each span must lie
inside the text and not cut an emoji in half, else the whole file is refused. Annotator's own
``jsonl`` export (``"spans"`` in code points, with their text, checked) is read too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.model import (
    Annotation,
    Document,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
)
from annotator.core.offsets import OffsetMap
from annotator.core.text import canonical_text
from annotator.io.files import atomic_text_writer
from annotator.io.interchange import RawSpans, SpanProblem, read_utf8, reading
from annotator.io.registry import ExportData, ExportOptions, ExportReport
from annotator.io.txt import clip_title, first_line

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


def document_line(document: Document, spans: list[Annotation]) -> dict[str, Any]:
    offsets = OffsetMap(document.text)
    meta = {"id": document.id, "title": document.title, "source": document.source}
    meta.update({k: v for k, v in document.metadata.items() if k not in meta})
    return {
        "text": document.text,
        "label": [[offsets.to_utf16(a.start), offsets.to_utf16(a.end), a.label] for a in spans],
        "meta": meta,
    }


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    dropped = 0
    with atomic_text_writer(target) as out:
        for document, spans in data.documents:
            dropped += sum(1 for a in spans if a.attributes or a.note)
            out.write(json.dumps(document_line(document, spans), ensure_ascii=False) + "\n")
    notes = []
    if dropped:
        notes.append(
            f"doccano keeps labels only: the attributes and notes of {dropped} "
            "annotations were not written"
        )
    return ExportReport(notes)


def read(path: Path) -> ImportedBundle:
    content = read_utf8(path)
    documents = []
    with reading(path, "doccano JSONL"):
        for number, line in enumerate(content.split("\n"), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ImportFailed(
                    path, f"line {number} is not valid JSON (column {exc.colno}: {exc.msg})"
                ) from None
            documents.append(_document(item, number))
    if not documents:
        raise ImportFailed(path, "the file holds no documents")
    return ImportedBundle(documents)


def _document(item: Any, number: int) -> ImportedDocument:
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
    spans = RawSpans(raw, "utf-16", where)
    annotations = []
    for n, (start, end, label) in enumerate(_triples(item, where), 1):
        begin, finish = spans.convert(start, end, f"span {n} ({label} {start}..{end})")
        annotations.append(ImportedAnnotation(label=label, start=begin, end=finish))
    if isinstance(item.get("spans"), list):  # Annotator's own JSONL export: code points
        annotations += _own_spans(item["spans"], RawSpans(raw, "code points", where))
    return ImportedDocument(
        text=canonical_text(raw),
        title=title,
        source=source if isinstance(source, str) else "",
        metadata=metadata,
        annotations=annotations,
    )


def _own_spans(items: list, spans: RawSpans) -> list[ImportedAnnotation]:
    found = []
    for n, entry in enumerate(items, 1):
        if not (isinstance(entry, dict) and isinstance(entry.get("label"), str)):
            raise SpanProblem(f"{spans.where}, span {n}: expected an object with a label")
        quoted = entry.get("text") if isinstance(entry.get("text"), str) else None
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


def _triples(item: dict, where: str) -> list[tuple[Any, Any, str]]:
    found: list[tuple[Any, Any, str]] = []
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
        found.append((entry[0], entry[1], entry[2]))
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
        found.append((entry.get("start_offset"), entry.get("end_offset"), entry["label"]))
    return found
