"""REFI-QDA project (.qdpx), for qualitative-analysis tools (NVivo, ATLAS.ti, MAXQDA, QDA Miner,
Taguette, ...). Written as the QDA-XML 1.0 schema (``Project-mrt2019.xsd``) requires.

The zip holds ``project.qde`` and ``sources/<guid>.txt`` (each document's canonical text, UTF-8,
newlines ``\\n``), referenced as ``plainTextPath="internal://<guid>.txt"``.

- Each label is a top-level ``Code`` (``guid``, ``name``, ``color``, ``isCodable="true"``, the
  label description as its ``Description``).
- Each annotation is a ``PlainTextSelection`` whose ``startPosition``/``endPosition`` count
  **code points** (REFI-QDA 1.5 §10.2), end exclusive; its ``name`` is the selected text (so
  readers can check the positions); ``creatingUser``/``modifyingUser`` and dates; one ``Coding``
  with a ``CodeRef`` to the label's code.
- Attributes and the note share the selection's ``Description``: the note first, then, after a
  line ``---``, one ``name: value`` line per attribute with the value in JSON (``verdict:
  "mostly true"``, ``checkworthy: true``, ``year: 2004``). Annotator reads them back; other tools
  show them as the coding's memo. (Attributes are not made child codes: a child code would be a
  second coding, i.e. a second span, in every other tool.)
- Annotators become ``Users`` (stable GUIDs derived from the names).

Ids are kept: document and annotation ids become the source and selection GUIDs when they are
UUIDs (else GUIDs derived from them). Document metadata and status are not written.

The export streams (see :func:`write`): one document is in memory at a time, texts and
selections alike (benchmarks/bench_interchange.py measures the peak).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from annotator import __version__
from annotator.core.labels import LabelDef
from annotator.core.model import Annotation, timestamp
from annotator.io import jsonvalues
from annotator.io.files import atomic_file
from annotator.io.interchange import stable_uuid
from annotator.io.qdc import code_guid
from annotator.io.registry import DocumentExport, ExportData, ExportOptions, ExportReport

NS = "urn:QDA-XML:project:1.0"
SEPARATOR = "---"
_MARK = "annotator: the sources go here"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def describe(a: Annotation) -> str:
    """The selection's Description: the note, then ``---`` and the attributes as JSON values."""
    lines = [
        f"{name}: {jsonvalues.dumps(value, ensure_ascii=False)}"
        for name, value in a.attributes.items()
        if value is not None
    ]
    if not lines:
        return a.note
    return "\n".join(([a.note] if a.note else []) + [SEPARATOR, *lines])


def _el(parent: etree._Element, tag: str, **attributes: Any) -> etree._Element:
    return etree.SubElement(
        parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attributes.items() if v not in (None, "")}
    )


def _description(parent: etree._Element, text: str) -> None:
    if text:
        _el(parent, "Description").text = _xml_text(text)


def _user_guid(name: str) -> str:
    return stable_uuid("user", name)


def _dt(value: str) -> str | None:
    """An ``xsd:dateTime`` or None (our timestamps already are; anything else is dropped)."""
    pattern = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"
    return value if value and re.fullmatch(pattern, value) else None


def _codebook(root: etree._Element, labels: list[LabelDef], used: list[str]) -> None:
    """The ``CodeBook``: the labels, then labels only annotations use."""
    names = [label.name for label in labels]
    names += sorted(set(used) - set(names))
    by_name = {label.name: label for label in labels}
    if names:
        holder = _el(_el(root, "CodeBook"), "Codes")
        for name in names:
            label = by_name.get(name)
            code = _el(
                holder,
                "Code",
                guid=code_guid(name),
                name=_xml_text(name),
                isCodable="true",
                color=label.color if label else None,
            )
            _description(code, label.description if label else "")


def _source(item: DocumentExport) -> etree._Element:
    document = item.document
    guid = stable_uuid(document.id)
    source = etree.Element(
        f"{{{NS}}}TextSource",
        {
            k: str(v)
            for k, v in {
                "guid": guid,
                "name": _xml_text(document.title),
                "plainTextPath": f"internal://{guid}.txt",
                "creationDateTime": _dt(document.created),
            }.items()
            if v not in (None, "")
        },
        nsmap={None: NS},
    )
    for a in item.annotations:
        user = _user_guid(a.annotator) if a.annotator else None
        selection = _el(
            source,
            "PlainTextSelection",
            guid=stable_uuid(a.id),
            name=_xml_text(a.text),
            startPosition=a.start,
            endPosition=a.end,
            creatingUser=user,
            creationDateTime=_dt(a.created),
            modifyingUser=user,
            modifiedDateTime=_dt(a.modified),
        )
        _description(selection, describe(a))
        coding = _el(
            selection,
            "Coding",
            guid=stable_uuid("coding", a.id),
            creatingUser=user,
            creationDateTime=_dt(a.created),
        )
        _el(coding, "CodeRef", targetGUID=code_guid(a.label))
    return source


def write(
    archive: zipfile.ZipFile, labels: list[LabelDef], documents: Iterable[DocumentExport]
) -> None:
    """Stream ``documents`` into ``archive``, one in memory at a time: each text goes into the
    zip as it comes, and its ``TextSource`` (selections and codings) is serialised to a
    temporary file at once. The schema wants ``Users`` and ``CodeBook`` before ``Sources``, and
    they are only known after the last document, so ``project.qde`` is written last: its head,
    then the sources copied from the temporary file, then its tail."""
    users: set[str] = set()
    used: dict[str, None] = {}
    with tempfile.TemporaryFile() as sources:
        for item in documents:
            guid = stable_uuid(item.document.id)
            archive.writestr(f"sources/{guid}.txt", item.document.text.encode("utf-8"))
            sources.write(etree.tostring(_source(item), encoding="utf-8", pretty_print=True))
            for a in item.annotations:
                used.setdefault(a.label)
                if a.annotator:
                    users.add(a.annotator)
        root = etree.Element(
            f"{{{NS}}}Project",
            nsmap={None: NS},
            name="Annotator export",
            origin=f"Annotator {__version__}",
            creationDateTime=timestamp(),
        )
        if users:  # the schema's order: Users, CodeBook, ..., Sources
            holder = _el(root, "Users")
            for name in sorted(users):
                _el(holder, "User", guid=_user_guid(name), name=name)
        _codebook(root, labels, list(used))
        with archive.open("project.qde", "w") as out:
            if not sources.tell():
                out.write(
                    etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
                )
                return
            _el(root, "Sources").append(etree.Comment(_MARK))
            head, tail = etree.tostring(
                root, xml_declaration=True, encoding="utf-8", pretty_print=True
            ).split(f"<!--{_MARK}-->".encode())
            out.write(head)
            sources.seek(0)
            shutil.copyfileobj(sources, out)
            out.write(tail)


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    with (
        atomic_file(target) as temporary,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        write(archive, list(data.labels), data.documents)
    return ExportReport()
