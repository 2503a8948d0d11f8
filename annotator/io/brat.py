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

Import reads one ``.ann`` (its ``.txt`` beside it) or a folder of pairs. Text-bound (``T``)
annotations, attributes and notes are read; relations, events and normalisations are skipped.
Every span is checked against the ``.txt`` and against the text the ``.ann`` quotes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.core.text import canonical_text
from annotator.io import jsonvalues
from annotator.io.files import atomic_folder
from annotator.io.interchange import (
    RawSpans,
    SpanProblem,
    reading,
    safe_file_stems,
)
from annotator.io.registry import ExportData, ExportOptions, ExportReport

MARKER = "# written by Annotator"
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
    for label in data.labels:
        for attribute in label.attributes:
            if attribute.kind == "text":
                continue
            entry = declared[type_name(attribute.name)]
            entry["args"].append(types[label.name])
            values = (
                ["true", "false"]
                if attribute.kind == "boolean"
                else [_value(c) for c in attribute.choices]
            )
            entry["values"].extend(v for v in values if v not in entry["values"])
    trimmed = 0
    stems = safe_file_stems([item.document.title for item in documents])
    with atomic_folder(target) as folder:
        for stem, item in zip(stems, documents, strict=True):
            document, spans = item.document, item.annotations
            lines: list[str] = []
            attribute_n = note_n = 0
            for n, a in enumerate(spans, 1):
                pieces = fragments(document.text, a.start, a.end)
                trimmed += (pieces[0][0], pieces[-1][1]) != (a.start, a.end)
                offsets = ";".join(f"{s} {e}" for s, e in pieces)
                quoted = _one_line(" ".join(document.text[s:e] for s, e in pieces))
                lines.append(f"T{n}\t{types[a.label]} {offsets}\t{quoted}")
                for name, value in a.attributes.items():
                    if value is None or value == "":
                        continue
                    kind = kinds.get(name)
                    if kind == "text" or (
                        kind is None and not isinstance(value, bool | int | float)
                    ):
                        note_n += 1
                        shown = value if isinstance(value, str) else jsonvalues.dumps(value)
                        lines.append(f"#{note_n}\t{type_name(name)} T{n}\t{_one_line(shown)}")
                        continue
                    attribute_n += 1
                    entry = declared[type_name(name)]
                    if types[a.label] not in entry["args"]:
                        entry["args"].append(types[a.label])
                    if _value(value) not in entry["values"]:
                        entry["values"].append(_value(value))
                    lines.append(f"A{attribute_n}\t{type_name(name)} T{n} {_value(value)}")
                if a.note:
                    note_n += 1
                    lines.append(f"#{note_n}\tAnnotatorNotes T{n}\t{_one_line(a.note)}")
            (folder / f"{stem}.txt").write_text(document.text, encoding="utf-8", newline="\n")
            (folder / f"{stem}.ann").write_text(
                "".join(f"{line}\n" for line in lines), encoding="utf-8", newline="\n"
            )
        _write_conf(folder, types, labels, declared)
    notes = []
    if trimmed:
        notes.append(
            f"{trimmed} spans start or end at a line break; brat fragments leave the line break out"
        )
    return ExportReport(notes)


def _write_conf(folder: Path, types: dict[str, str], labels: dict, declared: dict) -> None:
    conf = [MARKER, "[entities]", *types.values(), "[relations]", "[events]", "[attributes]"]
    for name, entry in declared.items():
        if entry["args"]:
            conf.append(f"{name}\tArg:{'|'.join(entry['args'])}, Value:{'|'.join(entry['values'])}")
    (folder / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
    visual = [MARKER, "[labels]", *(f"{t} | {name}" for name, t in types.items()), "[drawing]"]
    visual += [f"{t}\tbgColor:{labels[name].color}" for name, t in types.items() if name in labels]
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
        return ImportedBundle([_document(t, a, conf) for t, a in found])


class _Conf:
    """What annotation.conf and visual.conf say about types and attribute values."""

    def __init__(self, folder: Path) -> None:
        self.labels: dict[str, str] = {}
        self.values: dict[str, list[str]] = {}
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

    def _types(self, content: str) -> None:
        for section, line in self._sections(content):
            match = re.match(r"(\S+)\s.*Value:([^,\s]+)", line)
            if section == "attributes" and match:
                self.values[match[1]] = match[2].split("|")

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


def _document(text_path: Path, ann_path: Path, conf: _Conf) -> ImportedDocument:
    raw = text_path.read_bytes().decode("utf-8")
    where = f"document {ann_path.stem!r}"
    spans = RawSpans(raw, "code points", where)
    found: dict[str, ImportedAnnotation] = {}
    later: list[tuple[str, str, str, str | None]] = []  # kind, ref, name, value
    content = ann_path.read_bytes().decode("utf-8-sig")
    for number, line in enumerate(content.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t", 2)
        head = fields[0][:1]
        if head == "T":
            if len(fields) < 3:
                raise SpanProblem(
                    f"{where}, line {number}: expected 'T<n> TYPE START END<TAB>TEXT'"
                )
            found[fields[0]] = _textbound(fields, spans, conf)
        elif head in "AM" and len(fields) >= 2:
            parts = fields[1].split()
            if len(parts) < 2:
                raise SpanProblem(f"{where}, line {number}: attribute without a target")
            later.append(("A", parts[1], parts[0], parts[2] if len(parts) > 2 else None))
        elif head == "#" and len(fields) >= 2:
            parts = fields[1].split()
            if len(parts) >= 2:
                later.append(("#", parts[1], parts[0], fields[2] if len(fields) > 2 else ""))
    for kind, ref, name, value in later:
        target = found.get(ref)
        if target is None:
            if ref.startswith("T"):
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
        text=text, title=ann_path.stem, source=str(text_path), annotations=list(found.values())
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
    return ImportedAnnotation(label=conf.labels.get(kind, kind), start=start, end=end)
