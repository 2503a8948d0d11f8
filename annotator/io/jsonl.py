"""JSON Lines for dataset builders: one document per line, spans in Unicode code points.

Each line: ``{"text", "meta": {"id", "title", "source", "status", ...metadata},
"spans": [{"start", "end", "label", "text", "attributes"}]}``. Offsets are code points
(Python ``str`` indices, as in spaCy and Hugging Face ``datasets``), end exclusive, over the
canonical text (newlines ``\\n``). Notes, annotators and timestamps are not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.core.model import Annotation, Document
from annotator.io import jsonvalues
from annotator.io.files import atomic_text_writer
from annotator.io.registry import ExportData, ExportOptions, ExportReport, exported_document


def document_line(document: Document, spans: list[Annotation]) -> dict[str, Any]:
    meta = {
        "id": document.id,
        "title": document.title,
        "source": document.source,
        "status": document.status.value,
    }
    meta.update({k: v for k, v in document.metadata.items() if k not in meta})
    return {
        "text": document.text,
        "meta": meta,
        "spans": [
            {
                "start": a.start,
                "end": a.end,
                "label": a.label,
                "text": a.text,
                "attributes": a.attributes,
            }
            for a in spans
        ],
    }


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    with atomic_text_writer(target) as out:
        for item in data.documents:
            line = document_line(exported_document(item.document, options), item.annotations)
            out.write(jsonvalues.dumps(line, ensure_ascii=False) + "\n")
    return ExportReport()
