"""REFI-QDA codebooks (``.qdc``, QDA-XML codebook 1.0), as Taguette, QualCoder, NVivo, ATLAS.ti
and MAXQDA exchange them.

Write: one top-level ``Code`` per label (``guid`` the same as in the ``qdpx`` export, ``name``,
``isCodable="true"``, ``color``, the description as ``Description``). Attributes, shortcuts and
the order of attribute choices have no place in a codebook and are not written.

Read: every codable ``Code`` becomes a label named by its path in the tree (``Parent/Child``,
as the ``qdpx`` import names them), with its colour (``#rgb`` widened; a missing or invalid
colour gets the next free one) and description. Codes that are not codable (QualCoder's
categories) only lend their name to the path. ``Sets`` are ignored. The XML is parsed without
entities, DTDs or network access.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from annotator import __version__
from annotator.core.errors import AnnotatorError, ImportFailed
from annotator.core.labels import LabelDef, is_valid_color, next_color
from annotator.io.files import atomic_file
from annotator.io.interchange import stable_uuid
from annotator.io.native_json import parse_labels
from annotator.io.registry import ExportData, ExportOptions, ExportReport

NS = "urn:QDA-XML:codebook:1.0"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def code_guid(name: str) -> str:
    """The GUID of a label's code, shared with the ``qdpx`` export."""
    return stable_uuid("code", name)


def tree(labels: Sequence[LabelDef]) -> etree._ElementTree:
    if not labels:
        raise AnnotatorError(
            None, "the project has no labels, and a REFI-QDA codebook needs at least one code"
        )
    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS}, origin=f"Annotator {__version__}")
    codes = etree.SubElement(root, f"{{{NS}}}Codes")
    for label in labels:
        code = etree.SubElement(
            codes,
            f"{{{NS}}}Code",
            guid=code_guid(label.name),
            name=_NOT_XML.sub("\ufffd", label.name),
            isCodable="true",
            color=label.color,
        )
        if label.description:
            etree.SubElement(code, f"{{{NS}}}Description").text = _NOT_XML.sub(
                "\ufffd", label.description
            )
    return etree.ElementTree(root)


def write(path: Path, labels: Sequence[LabelDef]) -> None:
    xml = etree.tostring(tree(labels), xml_declaration=True, encoding="utf-8", pretty_print=True)
    with atomic_file(path) as temporary:
        temporary.write_bytes(xml)


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    write(target, data.labels)
    dropped = sum(len(label.attributes) for label in data.labels)
    notes = [f"{len(data.labels)} codes written"]
    if dropped:
        notes.append(
            f"{dropped} attribute definitions have no place in a REFI-QDA codebook and "
            "were not written (the qdpx export keeps attribute values)"
        )
    return ExportReport(notes)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def widen_color(value: str | None, used: set[str]) -> str:
    """A code's colour as ``#rrggbb``; ``#rgb`` widened; missing or invalid: the next free one."""
    if value and re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value if value and is_valid_color(value) else next_color(used)


def codebook_labels(codes: etree._Element) -> tuple[list[LabelDef], dict[str, str]]:
    """The labels of the ``Code`` elements under ``codes`` (a ``Codes`` element), and the path
    name of every code by GUID (codable or not). Linear in the codes, however many or deep."""
    paths: dict[str, str] = {}
    labels: list[LabelDef] = []
    names: set[str] = set()
    colors: set[str] = set()
    # Depth first, in document order, with a stack rather than recursion: a tree as deep as
    # the parser allows must not exhaust Python's.
    pending: list[tuple[etree._Element, str]] = [
        (code, "") for code in reversed(_children(codes, "Code"))
    ]
    while pending:
        code, prefix = pending.pop()
        name = f"{prefix}{code.get('name') or code.get('guid', '')}"
        paths[code.get("guid", "")] = name
        if code.get("isCodable", "true") in ("true", "1") and name not in names:
            names.add(name)
            color = widen_color(code.get("color"), colors)
            colors.add(color)
            found = _children(code, "Description")
            labels.append(LabelDef(name, color, description=(found[0].text or "") if found else ""))
        pending += [(child, f"{name}/") for child in reversed(_children(code, "Code"))]
    return labels, paths


def read(path: Path) -> list[LabelDef]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(path, f"not valid XML ({exc})") from None
    if _local(root) != "CodeBook":
        raise ImportFailed(
            path,
            f"not a REFI-QDA codebook (the root element is "
            f"<{_local(root) or root.tag}>, not <CodeBook>)",
        )
    labels: list[LabelDef] = []
    for codes in _children(root, "Codes"):
        labels += codebook_labels(codes)[0]
    if not labels:
        raise ImportFailed(path, "the codebook holds no codable codes")
    # The same checks as labels from JSON (names, colours, duplicates).
    return parse_labels(
        [
            {"name": label.name, "color": label.color, "description": label.description}
            for label in labels
        ],
        path,
    )
