"""brat standoff, for brat and the NLP tools that read its ``.txt``/``.ann`` pairs.

Export writes a folder: per document ``<name>.txt`` (the canonical text, UTF-8, newlines ``\\n``)
and ``<name>.ann``; ``annotation.conf`` declaring entity types and attributes; ``visual.conf``
mapping each type back to its label name and colour. Offsets are **code points** of the
``.txt`` (brat counts Python ``str`` characters), end exclusive.

- Labels become brat type names: characters other than letters, digits, ``_`` and ``-`` become
  ``_`` (``Tier rating`` -> ``Tier_rating``); ``visual.conf`` ``[labels]`` keeps the real name.
- A span that crosses a line break is written as fragments, one per line (``0 5;6 12``), with
  its text joined by a space, as brat itself writes multi-line spans.
- Choice, yes/no and number attributes become multi-valued ``A`` lines
  (``A1<TAB>verdict T1 mostly_true``; spaces in values become ``_``); yes/no is declared as
  ``Value:true|false``. Text attributes (speaker, subject) become notes whose type is the
  attribute name (``#2<TAB>speaker T1<TAB>Naly Pilorge``); the note itself is an
  ``AnnotatorNotes`` line. Line breaks inside notes become spaces. Annotators and timestamps
  are not written.
- Relations become ``R`` lines (``R1<TAB>said_by Arg1:T3 Arg2:T1``: Arg1 the source, Arg2 the
  target) with their note as an ``AnnotatorNotes`` line and who made them as an ``Annotator``
  note (``#3<TAB>Annotator R1<TAB>ana``); their attributes are written as those of spans, on the
  ``R`` id (``A4<TAB>certain R1 true``, declared ``Arg:<RELATION>``). Relation types are
  declared in ``annotation.conf`` ``[relations]`` (``said_by<TAB>Arg1:Quote,
  Arg2:Organisation|Person``, ``<ENTITY>`` where any label goes) and named and coloured in
  ``visual.conf``. Whether a type is directed is not written (brat has no place for it).

Import reads one ``.ann`` (its ``.txt`` beside it) or a folder of pairs. Text-bound (``T``)
annotations, attributes, notes and relations (``R``, with the types of ``annotation.conf``, and
their attributes, notes and ``Annotator`` notes) are read; events, equivalences and normalisations
are skipped. Every span is checked against the ``.txt`` and against the text the ``.ann`` quotes; a
relation whose argument is not a ``T`` of the file refuses it.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.labels import RelationTypeDef, is_valid_color
from annotator.core.model import (
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
)
from annotator.core.text import canonical_text
from annotator.io import jsonvalues
from annotator.io.files import atomic_folder
from annotator.io.interchange import (
    RawSpans,
    SpanProblem,
    reading,
    record,
    safe_file_stems,
)
from annotator.io.registry import ExportData, ExportOptions, ExportReport

MARKER = "# written by Annotator"
#: What an attribute declared for relations applies to in annotation.conf
RELATION = "<RELATION>"
#: The type of the ``#`` note that holds who made a relation
ANNOTATOR = "Annotator"
MAX_FOLDER_BYTES = 200 * 1024 * 1024
_NOT_NAME = re.compile(r"[^\w\-]+")


def type_name(name: str) -> str:
    return _NOT_NAME.sub("_", name.strip()).strip("_") or "label"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return re.sub(r"\s+", "_", str(value).strip()) or "_"


def _one_line(text: str) -> str:
    return re.sub(r"[\t\r\n\u2028\u2029]+", " ", text)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start..end`` cut at line breaks into non-empty pieces (the whole span if none)."""
    pieces, begin = [], start
    for i in range(start, end):
        if text[i] == "\n":
            if i > begin:
                pieces.append((begin, i))
            begin = i + 1
    if end > begin:
        pieces.append((begin, end))
    return pieces or [(start, end)]


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    labels = {label.name: label for label in data.labels}
    documents = list(data.documents)
    types: dict[str, str] = {}
    for name in [*labels, *(a.label for item in documents for a in item.annotations)]:
        if name not in types:
            candidate, n = type_name(name), 2
            while candidate in types.values():
                candidate, n = f"{type_name(name)}_{n}", n + 1
            types[name] = candidate
    declared: dict[str, dict[str, Any]] = defaultdict(lambda: {"args": [], "values": []})
    kinds = {a.name: a.kind for label in data.labels for a in label.attributes}
    relation_kinds = {a.name: a.kind for t in data.relation_types for a in t.attributes}
    owners = [(types[label.name], label.attributes) for label in data.labels]
    owners += [(RELATION, t.attributes) for t in data.relation_types]
    for owner, attributes in owners:
        for attribute in attributes:
            if attribute.kind == "text":
                continue
            entry = declared[type_name(attribute.name)]
            if owner not in entry["args"]:
                entry["args"].append(owner)
            values = (
                ["true", "false"]
                if attribute.kind == "boolean"
                else [_value(c) for c in attribute.choices]
            )
            entry["values"].extend(v for v in values if v not in entry["values"])
    relation_types = {t.name: t for t in data.relation_types}
    rtypes: dict[str, str] = {}  # relation type -> brat name, unique among all brat names
    trimmed = 0
    stems = safe_file_stems([item.document.title for item in documents])
    with atomic_folder(target) as folder:
        for stem, item in zip(stems, documents, strict=True):
            document, spans = item.document, item.annotations
            lines: list[str] = []
            numbers = {a.id: n for n, a in enumerate(spans, 1)}
            counter = _Counter()
            for n, a in enumerate(spans, 1):
                pieces = fragments(document.text, a.start, a.end)
                trimmed += (pieces[0][0], pieces[-1][1]) != (a.start, a.end)
                offsets = ";".join(f"{s} {e}" for s, e in pieces)
                quoted = _one_line(" ".join(document.text[s:e] for s, e in pieces))
                lines.append(f"T{n}\t{types[a.label]} {offsets}\t{quoted}")
                lines += _attribute_lines(
                    f"T{n}", types[a.label], a.attributes, kinds, declared, counter
                )
                if a.note:
                    lines.append(f"#{counter.note()}\tAnnotatorNotes T{n}\t{_one_line(a.note)}")
            for r, relation in enumerate(item.relations, 1):
                if relation.type not in rtypes:
                    rtypes[relation.type] = _unique(
                        relation.type, [*types.values(), *rtypes.values()]
                    )
                source, target = numbers[relation.source_id], numbers[relation.target_id]
                lines.append(f"R{r}\t{rtypes[relation.type]} Arg1:T{source} Arg2:T{target}")
                lines += _attribute_lines(
                    f"R{r}", RELATION, relation.attributes, relation_kinds, declared, counter
                )
                if relation.annotator:
                    lines.append(
                        f"#{counter.note()}\t{ANNOTATOR} R{r}\t{_one_line(relation.annotator)}"
                    )
                if relation.note:
                    lines.append(
                        f"#{counter.note()}\tAnnotatorNotes R{r}\t{_one_line(relation.note)}"
                    )
            (folder / f"{stem}.txt").write_text(document.text, encoding="utf-8", newline="\n")
            (folder / f"{stem}.ann").write_text(
                "".join(f"{line}\n" for line in lines), encoding="utf-8", newline="\n"
            )
        for name in relation_types:
            if name not in rtypes:
                rtypes[name] = _unique(name, [*types.values(), *rtypes.values()])
        _write_conf(folder, types, labels, declared, rtypes, relation_types)
    notes = []
    if trimmed:
        notes.append(
            f"{trimmed} spans start or end at a line break; brat fragments leave the line break out"
        )
    return ExportReport(notes)


class _Counter:
    """The numbers of a file's ``A`` and ``#`` lines, counted on."""

    def __init__(self) -> None:
        self.attributes = self.notes = 0

    def attribute(self) -> int:
        self.attributes += 1
        return self.attributes

    def note(self) -> int:
        self.notes += 1
        return self.notes


def _attribute_lines(
    ref: str,
    owner: str,
    attributes: dict[str, Any],
    kinds: dict[str, str],
    declared: dict[str, dict[str, Any]],
    counter: _Counter,
) -> list[str]:
    """The ``A`` lines (choices, yes/no, numbers) and ``#`` notes (text, anything else) of the
    annotation or relation ``ref``, whose brat type (or ``<RELATION>``) is ``owner``."""
    lines = []
    for name, value in attributes.items():
        if value is None or value == "":
            continue
        kind = kinds.get(name)
        if kind == "text" or (kind is None and not isinstance(value, bool | int | float)):
            shown = value if isinstance(value, str) else jsonvalues.dumps(value)
            lines.append(f"#{counter.note()}\t{type_name(name)} {ref}\t{_one_line(shown)}")
            continue
        entry = declared[type_name(name)]
        if owner not in entry["args"]:
            entry["args"].append(owner)
        if _value(value) not in entry["values"]:
            entry["values"].append(_value(value))
        lines.append(f"A{counter.attribute()}\t{type_name(name)} {ref} {_value(value)}")
    return lines


def _unique(name: str, taken: list[str]) -> str:
    candidate, n = type_name(name), 2
    while candidate in taken:
        candidate, n = f"{type_name(name)}_{n}", n + 1
    return candidate


def _write_conf(
    folder: Path,
    types: dict[str, str],
    labels: dict,
    declared: dict,
    rtypes: dict[str, str],
    relation_types: dict[str, RelationTypeDef],
) -> None:
    def ends(names: tuple[str, ...]) -> str:
        return "|".join(types[n] for n in names if n in types) or "<ENTITY>"

    relations = []
    for name, brat in rtypes.items():
        definition = relation_types.get(name)
        sources = ends(definition.sources) if definition else "<ENTITY>"
        targets = ends(definition.targets) if definition else "<ENTITY>"
        relations.append(f"{brat}\tArg1:{sources}, Arg2:{targets}")
    conf = [MARKER, "[entities]", *types.values(), "[relations]", *relations]
    conf += ["[events]", "[attributes]"]
    for name, entry in declared.items():
        if entry["args"]:
            conf.append(f"{name}\tArg:{'|'.join(entry['args'])}, Value:{'|'.join(entry['values'])}")
    (folder / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
    visual = [MARKER, "[labels]", *(f"{t} | {name}" for name, t in types.items())]
    visual += [f"{t} | {name}" for name, t in rtypes.items()]
    visual += ["[drawing]"]
    visual += [f"{t}\tbgColor:{labels[name].color}" for name, t in types.items() if name in labels]
    visual += [
        f"{t}\tcolor:{relation_types[name].color}"
        for name, t in rtypes.items()
        if name in relation_types
    ]
    (folder / "visual.conf").write_text("\n".join(visual) + "\n", encoding="utf-8")


# -- import ------------------------------------------------------------------------------------


def pairs(folder: Path) -> list[tuple[Path, Path]]:
    """The ``.txt``/``.ann`` pairs directly inside ``folder``, by name."""
    return [
        (ann.with_suffix(".txt"), ann)
        for ann in sorted(folder.glob("*.ann"))
        if ann.with_suffix(".txt").is_file()
    ]


def is_brat_folder(path: Path) -> bool:
    return path.is_dir() and bool(pairs(path))


def read(path: Path) -> ImportedBundle:
    with reading(path, "brat"):
        if path.is_dir():
            found = pairs(path)
            if not found:
                raise ImportFailed(path, "the folder holds no brat .txt/.ann pairs")
            if sum(t.stat().st_size + a.stat().st_size for t, a in found) > MAX_FOLDER_BYTES:
                raise ImportFailed(path, "the brat files add up to more than 200 MB; refused")
            folder = path
        else:
            text = path.with_suffix(".txt")
            if not text.is_file():
                raise ImportFailed(path, f"no {text.name} beside it (brat keeps the text there)")
            found, folder = [(text, path)], path.parent
        conf = _Conf(folder)
        documents = [_document(t, a, conf) for t, a in found]
        used = {r.type for d in documents for r in d.relations}
        return ImportedBundle(
            documents, relation_types=[t for t in conf.relation_types() if t.name in used]
        )


class _Conf:
    """What annotation.conf and visual.conf say about types and attribute values."""

    def __init__(self, folder: Path) -> None:
        self.labels: dict[str, str] = {}
        self.values: dict[str, list[str]] = {}
        self.relations: dict[str, tuple[list[str], list[str]]] = {}  # brat name -> arg types
        self.colors: dict[str, str] = {}
        self.ours = False
        for name, handler in (("visual.conf", self._visual), ("annotation.conf", self._types)):
            conf = folder / name
            if conf.is_file():
                content = conf.read_text(encoding="utf-8", errors="replace")
                self.ours = self.ours or content.startswith(MARKER)
                handler(content)

    def _sections(self, content: str) -> list[tuple[str, str]]:
        section, found = "", []
        for line in content.splitlines():
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
            elif line and not line.startswith("#"):
                found.append((section, line))
        return found

    def _visual(self, content: str) -> None:
        for section, line in self._sections(content):
            if section == "labels" and "|" in line:
                kind, display = (part.strip() for part in line.split("|")[:2])
                self.labels[kind] = display
            elif section == "drawing":
                match = re.match(r"(\S+)\s.*\bcolor:(#[0-9a-fA-F]{6})", line)
                if match:
                    self.colors[match[1]] = match[2]

    def _types(self, content: str) -> None:
        for section, line in self._sections(content):
            match = re.match(r"(\S+)\s.*Value:([^,\s]+)", line)
            if section == "attributes" and match:
                self.values[match[1]] = match[2].split("|")
            elif section == "relations" and not line.startswith("<"):
                name, _, rest = line.partition("\t") if "\t" in line else line.partition(" ")
                args = dict(re.findall(r"(Arg[12]):([^,\s]+)", rest))
                if "Arg1" in args and "Arg2" in args:
                    self.relations[name.strip()] = (
                        args["Arg1"].split("|"),
                        args["Arg2"].split("|"),
                    )

    def relation_types(self) -> list[RelationTypeDef]:
        """The relation types annotation.conf declares, by their display names."""
        found = []
        for brat, (sources, targets) in self.relations.items():
            color = self.colors.get(brat, "#808080")

            def ends(types: list[str]) -> tuple[str, ...]:
                return tuple(self.labels.get(t, t) for t in types if not t.startswith("<"))

            found.append(
                RelationTypeDef(
                    self.labels.get(brat, brat),
                    color if is_valid_color(color) else "#808080",
                    ends(sources),
                    ends(targets),
                )
            )
        return found

    def attribute(self, name: str, value: str | None) -> Any:
        if value is None:
            return True
        declared = self.values.get(name, [])
        if sorted(declared) == ["false", "true"]:
            return value == "true"
        number = r"-?\d+(\.\d+)?"
        if (
            declared
            and all(re.fullmatch(number, v) for v in declared)
            and re.fullmatch(number, value)
        ):
            return float(value) if "." in value else int(value)
        return value.replace("_", " ") if self.ours else value


_NOTES = "attribute and note lines"


def _document(text_path: Path, ann_path: Path, conf: _Conf) -> ImportedDocument:
    raw = text_path.read_bytes().decode("utf-8")
    where = f"document {ann_path.stem!r}"
    spans = RawSpans(raw, "code points", where)
    found: dict[str, ImportedAnnotation] = {}
    relations: dict[str, ImportedRelation] = {}
    later: list[tuple[str, str, str, str | None]] = []  # kind, ref, name, value
    content = ann_path.read_bytes().decode("utf-8-sig")
    for number, line in enumerate(content.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t", 2)
        head = fields[0][:1]
        if head == "T":
            with record("annotations"):
                if len(fields) < 3:
                    raise SpanProblem(
                        f"{where}, line {number}: expected 'T<n> TYPE START END<TAB>TEXT'"
                    )
                found[fields[0]] = _textbound(fields, spans, conf)
        elif head == "R" and len(fields) >= 2:
            with record("relations"):
                relations[fields[0]] = _relation(fields[0], fields[1], where, number, conf)
        elif head in "AM" and len(fields) >= 2:
            with record(_NOTES):
                parts = fields[1].split()
                if len(parts) < 2:
                    raise SpanProblem(f"{where}, line {number}: attribute without a target")
                later.append(("A", parts[1], parts[0], parts[2] if len(parts) > 2 else None))
        elif head == "#" and len(fields) >= 2:
            parts = fields[1].split()
            if len(parts) >= 2:
                with record(_NOTES):
                    later.append(("#", parts[1], parts[0], fields[2] if len(fields) > 2 else ""))
    for name, relation in list(relations.items()):
        with record("relations", counted=False):
            del relations[name]  # back below once both its ends are known
            for end in (relation.source, relation.target):
                if end not in found:
                    raise SpanProblem(
                        f"{where}: relation {relation.id} ({relation.type}) joins {end}, "
                        "which is not a text-bound annotation of the file"
                    )
            relation.source, relation.target = found[relation.source].id, found[relation.target].id
            relation.id = None  # R1 is only the file's name for it
            relations[name] = relation
    for kind, ref, name, value in later:
        if ref in relations:
            _relation_extra(relations[ref], kind, name, value, conf)
            continue
        target = found.get(ref)
        if target is None:
            if ref.startswith("T"):
                with record(_NOTES, counted=False):
                    raise SpanProblem(f"{where}: {name} refers to {ref}, which is not in the file")
            continue  # an attribute or note of a relation or event
        if kind == "#" and name == "AnnotatorNotes":
            target.note = f"{target.note}\n{value}" if target.note else (value or "")
        elif kind == "#":
            target.attributes[name] = value
        else:
            target.attributes[name] = conf.attribute(name, value)
    text = canonical_text(raw)
    return ImportedDocument(
        text=text,
        title=ann_path.stem,
        source=str(text_path),
        annotations=list(found.values()),
        relations=list(relations.values()),
    )


def _relation_extra(
    relation: ImportedRelation, kind: str, name: str, value: str | None, conf: _Conf
) -> None:
    """An ``A`` line or ``#`` note of a relation: its note, its annotator or an attribute."""
    if kind == "#" and name == "AnnotatorNotes":
        relation.note = f"{relation.note}\n{value}" if relation.note else (value or "")
    elif kind == "#" and name == ANNOTATOR:
        relation.annotator = value or ""
    elif kind == "#":
        relation.attributes[name] = value
    else:
        relation.attributes[name] = conf.attribute(name, value)


def _relation(name: str, body: str, where: str, number: int, conf: _Conf) -> ImportedRelation:
    parts = body.split()
    args = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
    if not parts or "Arg1" not in args or "Arg2" not in args:
        raise SpanProblem(f"{where}, line {number}: expected '{name} TYPE Arg1:T<n> Arg2:T<n>'")
    return ImportedRelation(
        conf.labels.get(parts[0], parts[0]), args["Arg1"], args["Arg2"], id=name
    )


def _textbound(fields: list[str], spans: RawSpans, conf: _Conf) -> ImportedAnnotation:
    kind, _, locations = fields[1].partition(" ")
    name = f"{fields[0]} ({kind} {locations})"
    pieces = []
    for location in locations.split(";"):
        bounds = location.split()
        if len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            raise SpanProblem(f"{spans.where}, {name}: offsets must be 'START END' numbers")
        pieces.append(spans.raw_range(int(bounds[0]), int(bounds[1]), name))
    quoted = fields[2]
    texts = [spans.raw[s:e] for s, e in pieces]
    if quoted not in (" ".join(texts), "".join(texts)):
        raise SpanProblem(
            f"{spans.where}, {name}: its text {quoted[:40]!r} does not match the "
            f"document's text there, {' '.join(texts)[:40]!r}"
        )
    start = spans.canonical(min(s for s, _ in pieces))
    end = spans.canonical(max(e for _, e in pieces))
    return ImportedAnnotation(
        label=conf.labels.get(kind, kind), start=start, end=end, id=str(uuid.uuid4())
    )
