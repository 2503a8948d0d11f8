"""spaCy DocBin (``.spacy``), for training spaCy pipelines (``spacy train``) or loading with
``DocBin().from_disk(path).get_docs(nlp.vocab)``.

Needs spaCy (``optional_packages.install_hint`` says how to install it). Texts are tokenized
with ``spacy.blank("xx")`` (the language-neutral tokenizer). Every span goes into
``doc.spans["sc"]`` (the span categorizer's default key; overlaps allowed) and the spans that do
not overlap into
``doc.ents`` (for overlapping spans the longest wins, as ``spacy.util.filter_spans`` picks).

spaCy spans are whole tokens. A span that starts or ends inside a token is widened to the tokens
it touches (``char_span(..., alignment_mode="expand")``), so no labelled character is lost;
the report says how many were widened. Offsets in spaCy are code points like ours. Each doc's
``user_data`` holds the document's ``id``, ``title`` and ``source``; each span's ``id_`` is the
annotation id. Attributes, notes, annotators and timestamps are not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.optional_packages import SPACY, install_hint
from annotator.io.files import atomic_file
from annotator.io.registry import ExportData, ExportOptions, ExportReport, exported_document

SPAN_KEY = "sc"
MISSING = f"the spacy export needs spaCy: {install_hint(SPACY)}"


def _spacy() -> Any:
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise AnnotatorError(None, MISSING) from None
    return spacy, DocBin


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    spacy, doc_bin_type = _spacy()
    nlp = spacy.blank("xx")
    docs = doc_bin_type(store_user_data=True)
    widened = dropped = not_entities = 0
    for item in data.documents:
        document, marked = exported_document(item.document, options), item.annotations
        doc = nlp.make_doc(document.text)
        spans = []
        for a in marked:
            span = doc.char_span(
                a.start, a.end, label=a.label, alignment_mode="expand", span_id=a.id
            )
            if span is None or len(span) == 0:
                dropped += 1
                continue
            widened += (span.start_char, span.end_char) != (a.start, a.end)
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        entities = spacy.util.filter_spans(spans)
        not_entities += len(spans) - len(entities)
        doc.ents = entities
        doc.user_data.update(
            {"id": document.id, "title": document.title, "source": document.source}
        )
        docs.add(doc)
    with atomic_file(target) as temporary:
        temporary.write_bytes(docs.to_bytes())
    notes = []
    if widened:
        notes.append(
            f"{widened} spans started or ended inside a spaCy token and were widened "
            "to whole tokens"
        )
    if dropped:
        notes.append(f"{dropped} spans covered only spaces and were left out")
    if not_entities:
        notes.append(
            f"{not_entities} overlapping spans are in doc.spans['{SPAN_KEY}'] only, not in doc.ents"
        )
    return ExportReport(notes)
