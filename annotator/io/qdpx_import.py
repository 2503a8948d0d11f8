"""Reading REFI-QDA projects (.qdpx) from NVivo, ATLAS.ti, MAXQDA, Taguette or Annotator.

Text sources become documents, their text read from the archive (``internal://`` paths, any
case of ``sources/``; UTF-8 or UTF-16, with or without BOM) or from inline ``PlainTextContent``.
Each coding of a ``PlainTextSelection`` becomes an annotation labelled with its code's path in
the codebook (``Parent/Child``); the selection's creating user is the annotator (NVivo stamps
every coding with the exporting user). The codebook's codable codes come along as labels.
A ``Link`` between two coded selections of one source becomes a relation typed by the link's
name (``related`` if it has none; ``OneWay`` from origin to target); links between codes,
sources, notes or selections of two sources have no counterpart and are skipped.

**Position units.** The standard counts code points over the text file as it is; NVivo counts
UTF-16 code units with CRLF as two. Per file, each reading of the positions (code points or
UTF-16 units, over the text with CRLF or with ``\\n``) is tried: readings that put a selection
outside the text or inside an emoji are out; then the one under which the most selection
``name``\\ s equal the text they select wins; when no selection names its text, the one whose
selections most often start and end at word boundaries wins, unless the standard's reading is
within 5 % of it. The reading used goes into each document's ``positions`` metadata.

Refused whole, with the document and selection named: a named selection whose text differs, a
position that fits no reading, a coding of an unknown code, unsafe zip members (``..``, absolute
paths), more than 200 MB unpacked. XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from annotator.core.errors import ImportFailed
from annotator.core.labels import LabelDef, RelationTypeDef, is_valid_color
from annotator.core.model import (
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
)
from annotator.core.offsets import OffsetMap
from annotator.core.text import canonical_text
from annotator.io import jsonvalues, zip_limits
from annotator.io.interchange import RawSpans, SpanProblem, reading
from annotator.io.qdc import codebook_labels
from annotator.io.qdpx import SEPARATOR
from annotator.io.txt import REPLACED_BYTES, Decoded, clip_title, decode_bytes, first_line

# (unit, CRLF kept) in the standard's order of preference.
READINGS = [("code points", True), ("code points", False), ("utf-16", True), ("utf-16", False)]
_WORD = re.compile(r"\w")


@dataclass
class _Selection:
    guid: str
    name: str
    start: int
    end: int
    user: str
    created: str | None
    modified: str | None
    description: str
    codes: list[str] = field(default_factory=list)


@dataclass
class _Source:
    guid: str
    title: str
    raw: str
    created: str | None
    selections: list[_Selection]
    whole: list[tuple[str, str]]  # codings of the whole source: (code guid, user)
    replaced: int = 0  # bytes of its text file that were not UTF-8, replaced with U+FFFD


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child_text(element: etree._Element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "") if found else ""


def read(path: Path) -> ImportedBundle:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
        raise ImportFailed(path, f"not a REFI-QDA project (.qdpx is a zip file): {exc}") from None
    with archive, reading(path, "REFI-QDA"):
        checked = zip_limits.check_archive(archive, path, "QDPX")
        members = {m.filename.replace("\\", "/").lower(): m for m in checked}
        if "project.qde" not in members:
            raise ImportFailed(path, "no project.qde in the archive (not a REFI-QDA project)")
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        try:
            root = etree.fromstring(archive.read(members["project.qde"]), parser)
        except etree.XMLSyntaxError as exc:
            raise ImportFailed(path, f"project.qde is not valid XML ({exc})") from None
        if _local(root) != "Project":
            raise ImportFailed(path, "project.qde does not hold a REFI-QDA Project")

        def member_text(where: str, location: str) -> Decoded:
            if not location.lower().startswith("internal://"):
                raise SpanProblem(f"{where}: its text is outside the archive ({location})")
            name = location[len("internal://") :].replace("\\", "/").lower()
            member = members.get(f"sources/{name}") or members.get(name)
            if member is None:
                raise SpanProblem(f"{where}: its text file {location} is not in the archive")
            data = archive.read(member)
            if not data.strip():
                return Decoded("", "utf-8")
            decoded = decode_bytes(data, path)
            return decoded._replace(text=decoded.text.lstrip("\ufeff"))

        return _bundle(root, member_text)


def _bundle(root: etree._Element, member_text: Any) -> ImportedBundle:
    users = {
        u.get("guid", ""): u.get("name") or u.get("guid", "")
        for holder in _children(root, "Users")
        for u in _children(holder, "User")
    }
    paths: dict[str, str] = {}
    labels: list[LabelDef] = []
    names: set[str] = set()
    for book in _children(root, "CodeBook"):
        for codes in _children(book, "Codes"):
            found, named = codebook_labels(codes)
            paths.update(named)
            labels += [label for label in found if label.name not in names]
            names.update(label.name for label in found)
    sources = [
        _source(element, users, member_text)
        for holder in _children(root, "Sources")
        for element in _children(holder, "TextSource")
    ]
    if not sources:
        raise SpanProblem("the project holds no text sources")
    reading_, how = _choose_reading(sources, root.get("origin") or "")
    documents = [_document(source, reading_, how, paths) for source in sources]
    links = [
        link
        for holder in _children(root, "Links")
        for link in _children(holder, "Link")
        if link.get("originGUID") and link.get("targetGUID")
    ]
    types: dict[str, RelationTypeDef] = {}
    for document in documents:
        coded = {a.id for a in document.annotations if a.id}
        for link in links:
            origin, target = link.get("originGUID", ""), link.get("targetGUID", "")
            if origin in coded and target in coded and origin != target:
                name = link.get("name") or "related"
                document.relations.append(
                    ImportedRelation(name, origin, target, id=link.get("guid") or None)
                )
                color = link.get("color") or ""
                types.setdefault(
                    name,
                    RelationTypeDef(
                        name,
                        color if is_valid_color(color) else "#808080",
                        directed=link.get("direction") != "Associative",
                    ),
                )
    return ImportedBundle(
        [d for d in documents if d.text], labels, relation_types=list(types.values())
    )


def _source(element: etree._Element, users: dict[str, str], member_text: Any) -> _Source:
    title = element.get("name") or ""
    where = f"source {title or element.get('guid')!r}"
    inline = _children(element, "PlainTextContent")
    replaced = 0
    if inline:
        raw = inline[0].text or ""
    elif element.get("plainTextPath"):
        raw, _encoding, replaced = member_text(where, element.get("plainTextPath"))
    else:
        raise SpanProblem(f"{where} has neither PlainTextContent nor a plainTextPath")
    selections = []
    for item in _children(element, "PlainTextSelection"):
        try:
            start, end = int(item.get("startPosition")), int(item.get("endPosition"))
        except (TypeError, ValueError):
            raise SpanProblem(
                f"{where}, selection {item.get('guid')}: startPosition and "
                "endPosition must be whole numbers"
            ) from None
        codings = _children(item, "Coding")
        user = item.get("creatingUser") or (codings[0].get("creatingUser") if codings else "")
        selections.append(
            _Selection(
                guid=item.get("guid", ""),
                name=item.get("name") or "",
                start=start,
                end=end,
                user=users.get(user or "", user or ""),
                created=item.get("creationDateTime"),
                modified=item.get("modifiedDateTime") or item.get("creationDateTime"),
                description=_child_text(item, "Description"),
                codes=[
                    ref.get("targetGUID", "") for c in codings for ref in _children(c, "CodeRef")
                ],
            )
        )
    whole = [
        (ref.get("targetGUID", ""), users.get(c.get("creatingUser") or "", ""))
        for c in _children(element, "Coding")
        for ref in _children(c, "CodeRef")
    ]
    return _Source(
        element.get("guid", ""),
        title,
        raw,
        element.get("creationDateTime"),
        selections,
        whole,
        replaced,
    )


def _positions_text(raw: str, keep_crlf: bool) -> str:
    return raw if keep_crlf else canonical_text(raw)


def _slice(
    text: str, offsets: OffsetMap, unit: str, start: int, end: int
) -> tuple[int, str] | None:
    """Code-point start and selected text under one reading; None when they do not fit it."""
    if not 0 <= start < end:
        return None
    if unit == "code points":
        return (start, text[start:end]) if end <= len(text) else None
    if end > offsets.utf16_length or offsets.is_inside_pair(start) or offsets.is_inside_pair(end):
        return None
    begin = offsets.from_utf16(start)
    return begin, text[begin : offsets.from_utf16(end)]


_ATTRIBUTE_SPACE = str.maketrans("\t\n\r", "   ")


def _names_match(name: str, selected: str) -> bool:
    """Whether a selection's ``name`` is the text it selects (or its start, cut with "…").

    A line break written raw inside an XML attribute reads back as a space (the XML spec's
    attribute-value normalisation; QualCoder writes names so), so breaks and tabs in the
    selected text may be spaces in the name."""
    name, selected = canonical_text(name).strip(), canonical_text(selected).strip()
    if name == selected:
        return True
    if "\n" in selected or "\t" in selected:
        selected = selected.translate(_ATTRIBUTE_SPACE)
        name = name.translate(_ATTRIBUTE_SPACE)
        if name == selected:
            return True
    stem = name.removesuffix("…").removesuffix("...").rstrip()
    return stem != name and len(stem) >= 10 and selected.startswith(stem)


def _at_boundaries(text: str, start: int, selected: str) -> bool:
    end = start + len(selected)
    before, after = text[start - 1 : start] if start else "", text[end : end + 1]
    return not (_WORD.match(before) and _WORD.match(selected[:1])) and not (
        _WORD.match(after) and _WORD.match(selected[-1:])
    )


def _choose_reading(sources: list[_Source], origin: str) -> tuple[tuple[str, bool], str]:
    order = list(READINGS)
    if origin.lower().startswith("nvivo"):
        order.sort(key=lambda r: r != ("utf-16", True))
    scores: dict[tuple[str, bool], tuple[int, int, int]] = {}
    for reading_ in order:
        unit, keep = reading_
        matched = bounded = total = 0
        fits = True
        for source in sources:
            text = _positions_text(source.raw, keep)
            offsets = OffsetMap(text)
            for s in source.selections:
                found = _slice(text, offsets, unit, s.start, s.end)
                if found is None:
                    fits = False
                    break
                begin, selected = found
                total += 1
                matched += bool(s.name.strip()) and _names_match(s.name, selected)
                bounded += _at_boundaries(text, begin, selected)
            if not fits:
                break
        if fits:
            scores[reading_] = (matched, bounded, total)
    if not scores:
        return READINGS[0], "no reading fits every selection"
    best_names = max(scores.values())[0]
    if best_names:
        chosen = max(scores, key=lambda r: scores[r][0])  # first best, in order
        return chosen, "from the selection names"
    best = max(scores, key=lambda r: scores[r][1])
    default = next(r for r in order if r in scores)
    if scores[default][1] >= scores[best][1] - 0.05 * max(1, scores[best][2]):
        best = default
    how = "from word boundaries" if scores[best][2] else "no selections"
    return best, how


def describe_reading(reading_: tuple[str, bool], how: str, raw: str) -> str:
    """The reading, as it applies to the text ``raw``: the line-break rule only when the text
    has CRLF line breaks, UTF-16 only when the text has characters where it differs."""
    unit, keep = reading_
    astral = unit == "utf-16" and not OffsetMap(raw).is_identity
    words = ["UTF-16 code units" if astral else "code points"]
    if "\r\n" in raw:
        words.append("line breaks (CRLF) counted as two" if keep else "CRLF counted as one")
    return f"{', '.join(words)} ({how})"


def _document(
    source: _Source, reading_: tuple[str, bool], how: str, paths: dict[str, str]
) -> ImportedDocument:
    unit, keep = reading_
    title = clip_title(source.title) or first_line(source.raw) or "Untitled"
    where = f"document {title[:60]!r}"
    spans = RawSpans(_positions_text(source.raw, keep), unit, where)  # type: ignore[arg-type]
    text = canonical_text(source.raw)
    annotations: list[ImportedAnnotation] = []
    for s in source.selections:
        span = f"selection {s.guid} ({s.start}..{s.end})"
        begin, finish = spans.convert(s.start, s.end, span)
        if s.name.strip() and not _names_match(s.name, text[begin:finish]):
            raise SpanProblem(
                f"{where}, {span}: its name {s.name[:40]!r} does not match the "
                f"text there, {text[begin:finish][:40]!r}"
            )
        note, attributes = _parse_description(s.description)
        for n, code in enumerate(s.codes):
            if code not in paths:
                raise SpanProblem(f"{where}, {span}: codes with unknown code {code}")
            annotations.append(
                ImportedAnnotation(
                    label=paths[code],
                    start=begin,
                    end=finish,
                    attributes=dict(attributes),
                    note=note,
                    annotator=s.user,
                    id=s.guid if n == 0 else None,
                    created=s.created,
                    modified=s.modified,
                )
            )
    for code, user in source.whole:
        if code not in paths:
            raise SpanProblem(f"{where}: codes with unknown code {code}")
        if text:
            annotations.append(
                ImportedAnnotation(label=paths[code], start=0, end=len(text), annotator=user)
            )
    if annotations and not text:
        raise SpanProblem(f"{where} has selections but no text")
    return ImportedDocument(
        text=text,
        title=title,
        metadata={
            "positions": describe_reading(reading_, how, source.raw),
            **({REPLACED_BYTES: source.replaced} if source.replaced else {}),
        },
        annotations=annotations,
        id=source.guid or None,
        created=source.created,
    )


def _parse_description(description: str) -> tuple[str, dict[str, Any]]:
    """The note and the attributes of a selection's Description: the note, then a line ``---``
    and one ``name: value`` line per attribute. Annotator writes each value as JSON (``"mostly
    true"``, ``true``, ``2004``); a value typed by hand in another tool (``speaker: Naly
    Pilorge``) is read as text. A block with a line that is not ``name: value`` is all note."""
    text = canonical_text(description)
    head, sep, tail = text.rpartition(f"\n{SEPARATOR}\n")
    if not sep and text.startswith(f"{SEPARATOR}\n"):
        head, sep, tail = "", SEPARATOR, text[len(SEPARATOR) + 1 :]
    if not sep:
        return description.strip(), {}
    attributes: dict[str, Any] = {}
    for line in tail.rstrip("\n").split("\n"):
        name, colon, value = line.partition(": ")
        if not colon or not name.strip():
            return description.strip(), {}
        try:
            attributes[name] = jsonvalues.loads(value)
        except ValueError:
            attributes[name] = value.strip()
    return head, attributes
