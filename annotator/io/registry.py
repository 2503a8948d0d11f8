"""The export formats, by name: what the CLI's --format and File -> Export offer.

An exporter module has ``export(data: ExportData, target: Path, options: ExportOptions) ->
ExportReport``. ``target`` is a file, or a folder for formats that write several files. Writers
must not leave half a file behind on failure (see ``annotator.io.files.atomic_text_writer``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotator.core.errors import AnnotatorError
from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.core.model import Annotation, Document, Relation


def _no_relations(_document_id: str) -> Sequence[Relation]:
    return ()


@dataclass
class ExportData:
    labels: list[LabelDef]
    documents: Iterable[tuple[Document, list[Annotation]]]
    relation_types: list[RelationTypeDef] = field(default_factory=list)
    #: a document's relations (by id); exporters write those whose both ends they write
    relations: Callable[[str], Sequence[Relation]] = _no_relations


@dataclass
class ExportOptions:
    """Format-specific settings (e.g. ClaimReview's publisher); unused ones are ignored."""

    org_name: str = ""
    org_url: str = ""
    review_url_base: str = ""


@dataclass
class ExportReport:
    """What the user should hear about the export besides "done" (e.g. spans a format dropped)."""

    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str
    description: str
    extension: str  # "" for a folder
    stdout_ok: bool = True  # can be written to standard output


class Exporter(Protocol):
    def export(self, data: ExportData, target: Path, options: ExportOptions) -> ExportReport: ...


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("json", "native_json", "Annotator project JSON (everything)", ".json"),
        ExportFormat(
            "jsonl", "jsonl", "JSON Lines, one document per line, code-point spans", ".jsonl"
        ),
        ExportFormat(
            "spacy",
            "spacy_docbin",
            "spaCy DocBin for training (needs spaCy)",
            ".spacy",
            stdout_ok=False,
        ),
        ExportFormat("conll", "conll", "CoNLL-2003-style IOB2 tokens and tags", ".conll"),
        ExportFormat("brat", "brat", "brat standoff folder (.txt/.ann pairs)", "", stdout_ok=False),
        ExportFormat("w3c", "w3c", "W3C Web Annotation JSON-LD collection", ".jsonld"),
        ExportFormat(
            "claimreview", "claimreview", "schema.org ClaimReview JSON-LD of verdicts", ".jsonld"
        ),
        ExportFormat(
            "qdpx", "qdpx", "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA", ".qdpx", stdout_ok=False
        ),
        ExportFormat("csv", "csv_table", "CSV, one row per annotation (UTF-8 with BOM)", ".csv"),
        ExportFormat(
            "xlsx", "xlsx_table", "Excel workbook, one row per annotation", ".xlsx", stdout_ok=False
        ),
        ExportFormat("doccano", "doccano", "doccano JSONL (UTF-16 offsets)", ".jsonl"),
        ExportFormat(
            "labelstudio", "labelstudio", "Label Studio tasks JSON (UTF-16 offsets)", ".json"
        ),
    )
}


def exporter(name: str) -> Exporter:
    try:
        spec = EXPORT_FORMATS[name]
    except KeyError:
        raise AnnotatorError(
            None, f"unknown export format {name!r} (choose from {', '.join(EXPORT_FORMATS)})"
        ) from None
    return importlib.import_module(f"annotator.io.{spec.module}")  # type: ignore[return-value]
