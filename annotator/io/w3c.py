"""W3C Web Annotation (JSON-LD), for annotation servers and viewers (Hypothesis-style tools,
IIIF/Annotorious-style clients, any Web Annotation Protocol container).

The file is one ``AnnotationCollection`` whose ``first`` page (an ``AnnotationPage``) embeds
every annotation in ``items``; each annotation also carries its own ``@context`` so it can be
posted alone. Per annotation:

- ``id`` ``urn:uuid:<annotation id>``, ``type`` ``Annotation``, ``created``, ``modified``,
  ``creator`` (a ``Person`` named by the annotator, when set), ``generator`` (Annotator);
- ``body``: a ``TextualBody`` with ``purpose`` ``tagging`` whose ``value`` is the label; one
  ``TextualBody`` with ``purpose`` ``describing`` per attribute (``"verdict: true"``); the note
  as a ``TextualBody`` with ``purpose`` ``commenting``;
- ``target``: ``source`` is the document's http(s) address, else ``urn:uuid:<document id>``;
  ``selector`` is a ``TextQuoteSelector`` (``exact``, 32 characters of ``prefix``/``suffix``)
  and a ``TextPositionSelector`` whose ``start``/``end`` count **code points** of the canonical
  text, end exclusive (as the Web Annotation model specifies).

Nothing is lost but the attribute types (values are written as text).

The ``@context`` is the Web Annotation context's URL (``w3c_context`` ``remote``, the default,
as the model asks). JSON-LD processors fetch it to expand the file; offline, map that URL to the
copy shipped in ``resources/anno.jsonld`` in the processor's document loader, or export with
``w3c_context`` ``embedded``: the collection then carries the context itself (and the items,
which inherit it, carry none), so it expands with no loader at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.core.model import Annotation, Document, timestamp
from annotator.io import jsonvalues
from annotator.io.files import atomic_text_writer
from annotator.io.interchange import document_uri, stable_uuid
from annotator.io.registry import ExportData, ExportOptions, ExportReport
from annotator.resources_path import ANNO_CONTEXT, resource

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
REMOTE, EMBEDDED = "remote", "embedded"
CONTEXT_LENGTH = 32


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else jsonvalues.dumps(value, ensure_ascii=False)


def annotation(document: Document, a: Annotation) -> dict[str, Any]:
    text = document.text
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": a.label, "format": "text/plain"}
    ]
    body += [
        {
            "type": "TextualBody",
            "purpose": "describing",
            "format": "text/plain",
            "value": f"{name}: {_text(value)}",
        }
        for name, value in a.attributes.items()
        if value is not None
    ]
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": a.note,
                "format": "text/plain",
            }
        )
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{stable_uuid(a.id)}",
        "type": "Annotation",
        "body": body,
        "target": {
            "source": document_uri(document.id, document.source),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.text,
                    "prefix": text[max(0, a.start - CONTEXT_LENGTH) : a.start],
                    "suffix": text[a.end : a.end + CONTEXT_LENGTH],
                },
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
    }
    if a.created:
        item["created"] = a.created
    if a.modified:
        item["modified"] = a.modified
    if a.annotator:
        item["creator"] = {"type": "Person", "name": a.annotator}
    item["generator"] = {"type": "Software", "name": f"Annotator {__version__}"}
    return item


def local_context() -> dict[str, Any]:
    """The Web Annotation context document shipped in ``resources/anno.jsonld``."""
    return jsonvalues.loads(resource(ANNO_CONTEXT).read_text(encoding="utf-8"))


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    items = [annotation(item.document, a) for item in data.documents for a in item.annotations]
    context: Any = CONTEXT
    if options["w3c_context"] == EMBEDDED:
        context = local_context()["@context"]
        for item in items:
            del item["@context"]
    collection = {
        "@context": context,
        "id": f"urn:uuid:{stable_uuid('collection', *(i['id'] for i in items))}",
        "type": "AnnotationCollection",
        "label": "Annotator export",
        "total": len(items),
        "generated": timestamp(),
        "first": {
            "id": f"urn:uuid:{stable_uuid('page', *(i['id'] for i in items))}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    with atomic_text_writer(target) as out:
        out.write(jsonvalues.dumps_for_html(collection, ensure_ascii=False, indent=1))
        out.write("\n")
    return ExportReport()
