"""Label Studio task JSON, for teams labelling in Label Studio (``<Labels name="label"
toName="text">`` over ``<Text name="text" value="$text"/>``).

Export: a JSON list of tasks ``{"id", "data": {"text", "title", "source", "document_id"},
"annotations": [{"result": [...]}]}``. Each span is a ``labels`` result
``{"id", "from_name": "label", "to_name": "text", "type": "labels",
"value": {"start", "end", "text", "labels": [label]}}``; **offsets are code points** (Label
Studio 1.23's editor shows and exports them so: an emoji counts one), end exclusive, over the
canonical text. Attributes become per-region results sharing the region's ``id`` (``choices``
for choice and yes/no attributes, ``number``, ``textarea`` for text), named by the attribute
(see ``labelstudio_config.control_name``); a note becomes the region's ``meta.text``.
A relation becomes a ``relation`` result ``{"type": "relation", "from_id", "to_id",
"direction": "right" ("bi" for an undirected type), "labels": [type]}`` between the regions of
its ends; relation types go into the config's ``<Relations>``. A relation's note, attributes
and annotator go into its result's ``meta`` (``{"text": [note], "attributes": {...},
"annotator": name}``): Label Studio keeps them in the task as imported but its editor neither
shows them nor keeps them when a person saves the task, which the export's notes say. Span
annotators and timestamps are not written. Beside ``tasks.json`` the export writes
``tasks.labeling-config.xml`` (``labelstudio_config``): without its per-region controls Label
Studio drops the attributes.

Import reads such a list (also ``completions``, the old name of ``annotations``): every ``labels``
result becomes a span. Offsets may be code points (Label Studio today) or UTF-16 code units (older
Label Studio, and Annotator 0.1's export): per span, the quoted ``text`` is checked under both
readings and the one that matches is taken (code points when both do, or when no text is quoted); a
span that matches neither refuses the file, naming it. When a text has characters beyond the BMP,
the reading used goes into the document's ``positions`` metadata. A quoted text that matches
only once a literal ``\\n`` in it is read as a line break matches (Label Studio 1.23.2 quotes a
line break inside a region so; its offsets are right). A refused span is named by its task's
position, ``id`` and title, and by its region ``id``. Per-region results come back as
attributes (yes/no attributes come back as the text ``"true"``/``"false"``). ``relation`` results
come back as relations, with what their ``meta`` holds (``direction: "left"`` swaps the ends;
``"bi"`` keeps them, and a new type whose every relation is ``"bi"`` is created undirected; a
``"bi"`` relation of a type that has one-way relations in the file too is read as two relations,
one each way, and the import's notes say how many: Label Studio sets a direction per relation,
Annotator per type; a relation with no label is typed ``related``; one whose region is not in the
same result refuses the file). Cancelled annotations are skipped. Each annotation is its person's
layer: its spans and relations (a relation whose ``meta`` names an annotator keeps it) take the most
human name the file holds for ``completed_by``: the email (a snapshot export with
``serialization_options {"annotations__completed_by": {"only_id": false}}`` writes ``{"id", "email",
"first_name", "last_name"}``; the tasks API's ``created_username``, ``"[first last ]email, id"``,
holds it too), else ``created_username`` as written, else ``"Label Studio user ID"`` (Label Studio
1.23's plain JSON export writes only the id and holds no email). So two people who drew the same
span are two spans in two layers, not a duplicate. Predictions with their results are read for tasks
that have no annotation (the model version as annotator); predictions listed only by id (Label
Studio's default export) refuse the file with a message saying how to export them with their
results.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.labels import RelationTypeDef
from annotator.core.model import (
    Annotation,
    Document,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
    Relation,
)
from annotator.core.text import canonical_text
from annotator.io import jsonvalues, labelstudio_config
from annotator.io.files import atomic_text_writer
from annotator.io.interchange import RawSpans, SpanProblem, read_utf8, reading, record
from annotator.io.labelstudio_config import RESERVED, companion_path, control_name
from annotator.io.registry import ExportData, ExportOptions, ExportReport, exported_document
from annotator.io.txt import clip_title, first_line

_PER_REGION = {"choices", "textarea", "number", "rating"}
# Label Studio 1.23.2 quotes a line break inside a region made in its UI as these two
# characters (its offsets count the line break as one character, as it is in the text).
_ESCAPED_NEWLINE = "\\n"
# Label Studio's tasks API names a user so: "[first [last] ]email, id".
_CREATED_USERNAME = re.compile(r"(\S+@\S+), \d+$")


def _attribute_result(region: str, name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        kind, payload = "choices", {"choices": ["true" if value else "false"]}
    elif isinstance(value, int | float):
        kind, payload = "number", {"number": value}
    elif isinstance(value, str):
        kind, payload = "textarea", {"text": [value]}
    else:
        kind, payload = "textarea", {"text": [jsonvalues.dumps(value, ensure_ascii=False)]}
    return {
        "id": region,
        "from_name": control_name(name),
        "to_name": "text",
        "type": kind,
        "value": payload,
    }


def relation_meta(relation: Relation) -> dict[str, Any]:
    """What a relation carries besides its ends and type, as its result's ``meta`` (the note as
    ``text``, as a region's)."""
    meta: dict[str, Any] = {}
    if relation.note:
        meta["text"] = [relation.note]
    if relation.attributes:
        meta["attributes"] = dict(relation.attributes)
    if relation.annotator:
        meta["annotator"] = relation.annotator
    return meta


def _choice_names(data: ExportData) -> set[str]:
    return {a.name for label in data.labels for a in label.attributes if a.kind == "choice"}


def task(
    number: int,
    document: Document,
    spans: list[Annotation],
    choices: set[str],
    relations: list[Relation] | None = None,
    undirected: set[str] | None = None,
) -> dict[str, Any]:
    result: list[dict[str, Any]] = []
    regions: dict[str, str] = {}
    for n, a in enumerate(spans, 1):
        region = regions[a.id] = f"r{number}-{n}"
        item: dict[str, Any] = {
            "id": region,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": a.start, "end": a.end, "text": a.text, "labels": [a.label]},
        }
        if a.note:
            item["meta"] = {"text": [a.note]}
        result.append(item)
        for name, value in a.attributes.items():
            if value is None:
                continue
            extra = _attribute_result(region, name, value)
            if name in choices and isinstance(value, str):
                extra["type"], extra["value"] = "choices", {"choices": [value]}
            result.append(extra)
    for relation in relations or ():
        entry: dict[str, Any] = {
            "from_id": regions[relation.source_id],
            "to_id": regions[relation.target_id],
            "type": "relation",
            "direction": "bi" if relation.type in (undirected or ()) else "right",
            "labels": [relation.type],
        }
        meta = relation_meta(relation)
        if meta:
            entry["meta"] = meta
        result.append(entry)
    return {
        "id": number,
        "data": {
            "text": document.text,
            "title": document.title,
            "source": document.source,
            "document_id": document.id,
        },
        "annotations": [{"result": result}] if result else [],
    }


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    choices = _choice_names(data)
    undirected = {t.name for t in data.relation_types if not t.directed}
    config = companion_path(target)
    with_meta = 0  # relations whose meta Label Studio's editor drops on saving
    with atomic_text_writer(target) as out:
        out.write("[")
        for number, item in enumerate(data.documents, 1):
            with_meta += sum(1 for relation in item.relations if relation_meta(relation))
            out.write(("," if number > 1 else "") + "\n ")
            out.write(
                jsonvalues.dumps(
                    task(
                        number,
                        exported_document(item.document, options),
                        item.annotations,
                        choices,
                        item.relations,
                        undirected,
                    ),
                    ensure_ascii=False,
                )
            )
        out.write("\n]\n")
    labelstudio_config.write(config, data.labels, data.relation_types)
    notes = [
        f"labelling config written to {config.name}: paste it in Label Studio "
        "under Project → Settings → Labeling Interface → Code, or the "
        "attributes are dropped"
    ]
    if with_meta:
        whose = "1 relation's" if with_meta == 1 else f"{with_meta} relations'"
        notes.append(
            f"{whose} notes, attributes or annotators are in the relation results' meta: "
            "Label Studio does not show them and drops them when a person saves the task"
        )
    return ExportReport(notes, companions=[config])


# -- import ------------------------------------------------------------------------------------


def looks_like_tasks(data: Any) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in data)
    )


def sniff(path: Path) -> bool:
    """Whether ``path`` holds a Label Studio task list (cheap check first: starts with '[')."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith(b"["):
            return False
        return looks_like_tasks(jsonvalues.loads(path.read_bytes().decode("utf-8-sig")))
    except (OSError, ValueError, RecursionError):
        return False


def read(path: Path) -> ImportedBundle:
    content = read_utf8(path)
    try:
        data = jsonvalues.loads(content)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except jsonvalues.NotJson as exc:
        raise ImportFailed(path, str(exc)) from None
    if not looks_like_tasks(data):
        raise ImportFailed(
            path, "not a Label Studio export (expected a list of tasks, each with 'data')"
        )
    directions = _Directions()
    with reading(path, "Label Studio JSON"):
        documents = []
        for n, t in enumerate(data, 1):
            with record("tasks"):
                seen = _Directions()  # a task left out (skip_bad) says nothing of directions
                documents.append(_document(t, n, seen))
                directions.update(seen)
    notes = directions.both_ways(documents)
    return ImportedBundle(documents, relation_types=directions.undirected(), notes=notes)


class _Directions:
    """The directions of a file's relations, per type. Label Studio sets a direction per
    relation (clicking its arrow), Annotator per type: a type whose every relation is "bi" is
    undirected; in a type with one-way relations too, a "bi" relation is read as two, one each
    way, so that it still says "both ways" and the person sees it (and is told)."""

    def __init__(self) -> None:
        self.one_way: dict[str, bool] = {}  # type -> some relation of it is one-way
        self.bi: dict[int, ImportedRelation] = {}  # by id(): the "bi" relations read

    def saw(self, relation: ImportedRelation, direction: object) -> None:
        one_way = direction != "bi"
        self.one_way[relation.type] = self.one_way.get(relation.type, False) or one_way
        if not one_way:
            self.bi[id(relation)] = relation

    def update(self, other: _Directions) -> None:
        for name, one_way in other.one_way.items():
            self.one_way[name] = self.one_way.get(name, False) or one_way
        self.bi.update(other.bi)

    def undirected(self) -> list[RelationTypeDef]:
        return [
            RelationTypeDef(t, "", directed=False) for t, one in self.one_way.items() if not one
        ]

    def both_ways(self, documents: list[ImportedDocument]) -> list[str]:
        """Add the other way of each "bi" relation of a type with one-way relations; a note
        saying so, per type."""
        doubled: Counter[str] = Counter()
        for document in documents:
            relations: list[ImportedRelation] = []
            for relation in document.relations:
                relations.append(relation)
                if id(relation) in self.bi and self.one_way[relation.type]:
                    relations.append(
                        replace(
                            relation,
                            source=relation.target,
                            target=relation.source,
                            attributes=dict(relation.attributes),
                        )
                    )
                    doubled[relation.type] += 1
            document.relations = relations
        return [
            f"{n} 'bi' relation{'s' if n > 1 else ''} of {name!r}, a type whose other relations "
            "are one-way, imported as two relations, one each way"
            for name, n in doubled.items()
        ]


class _Units:
    """Converts a task's spans, each read in code points or, failing that, UTF-16 units."""

    def __init__(self, raw: str, where: str) -> None:
        self.where = where
        self.points = RawSpans(raw, "code points", where)
        self.units = RawSpans(raw, "utf-16", where)
        self.used: dict[str, int] = {}

    def convert(self, start: object, end: object, span: str, quoted: str | None) -> tuple[int, int]:
        try:
            return self._convert(start, end, span, quoted)
        except SpanProblem:
            if quoted is None or _ESCAPED_NEWLINE not in quoted:
                raise
            unescaped = quoted.replace(_ESCAPED_NEWLINE, "\n")
        try:
            return self._convert(start, end, span, unescaped)
        except SpanProblem:
            pass
        return self._convert(start, end, span, quoted)  # refused, quoting the file's text

    def _convert(
        self, start: object, end: object, span: str, quoted: str | None
    ) -> tuple[int, int]:
        try:
            found = self.points.convert(start, end, span, quoted)
            unit = "code points"
        except SpanProblem as first:
            if quoted is None:
                raise
            try:
                found = self.units.convert(start, end, span, quoted)
                unit = "UTF-16 code units"
            except SpanProblem:
                actual = self._slice(start, end)
                if actual is None:
                    raise first from None
                raise SpanProblem(
                    f"{self.where}, {span}: its text {quoted[:40]!r} matches the document's "
                    f"text there neither in code points ({actual[0]!r}) nor in UTF-16 code "
                    f"units ({actual[1]!r})"
                ) from None
        self.used[unit] = self.used.get(unit, 0) + 1
        return found

    def _slice(self, start: object, end: object) -> tuple[str, str] | None:
        try:
            points = self.points.raw_range(start, end, "")
        except SpanProblem:
            points = None
        try:
            units = self.units.raw_range(start, end, "")
        except SpanProblem:
            units = None
        if points is None and units is None:
            return None
        raw = self.points.raw
        return (
            raw[points[0] : points[1]][:40] if points else "(outside the text)",
            raw[units[0] : units[1]][:40] if units else "(outside the text)",
        )

    def describe(self) -> str | None:
        """The reading used, when it mattered (a text with characters beyond the BMP)."""
        if self.units.length == self.points.length or not self.used:
            return None
        return " and ".join(
            f"{unit} ({n} spans)" if len(self.used) > 1 else unit for unit, n in self.used.items()
        )


def _document(item: dict, number: int, directions: _Directions) -> ImportedDocument:
    data = item["data"]
    raw = data.get("text")
    if not isinstance(raw, str):
        strings = [v for v in data.values() if isinstance(v, str) and v.strip()]
        raw = strings[0] if len(strings) == 1 else None
    if not isinstance(raw, str) or not raw.strip():
        raise SpanProblem(f"task {number} has no 'text' in its 'data'")
    title = data.get("title")
    title = clip_title(title) if isinstance(title, str) and title.strip() else first_line(raw)
    task_id = item.get("id")
    named = f"id {task_id}, " if isinstance(task_id, int | str) and task_id != "" else ""
    where = f"task {number} ({named}{title[:60]!r})"
    spans = _Units(raw, where)
    annotations: list[ImportedAnnotation] = []
    relations: list[ImportedRelation] = []
    entries = [
        e
        for e in item.get("annotations", item.get("completions", [])) or []
        if isinstance(e, dict) and not e.get("was_cancelled")
    ]
    for entry in entries:
        found, related = _spans(entry.get("result") or [], spans, directions)
        person = user_name(entry)
        for annotation in found:
            annotation.annotator = person
        for relation in related:
            relation.annotator = relation.annotator or person
        annotations.extend(found)
        relations.extend(related)
    predictions = item.get("predictions") or []
    if not entries and isinstance(predictions, list) and predictions:
        if not all(isinstance(p, dict) for p in predictions):
            raise SpanProblem(
                f"{where} lists its predictions only by id ({_ids(predictions)}): the file "
                "holds no prediction results. Export them with their results: in Label "
                "Studio's Data Manager select the tasks, Actions → Create Annotations From "
                "Predictions, then export JSON again; or make an export snapshot through the "
                'API with serialization_options {"predictions": {"only_id": false}}'
            )
        for prediction in predictions:
            model = prediction.get("model_version")
            found, related = _spans(prediction.get("result") or [], spans, directions)
            for annotation in found:
                annotation.annotator = model if isinstance(model, str) else "prediction"
            for relation in related:
                relation.annotator = model if isinstance(model, str) else "prediction"
            annotations.extend(found)
            relations.extend(related)
    metadata = {
        k: v for k, v in data.items() if k not in ("text", "title", "source", "document_id")
    }
    positions = spans.describe()
    if positions:
        metadata["positions"] = positions
    source = data.get("source")
    return ImportedDocument(
        text=canonical_text(raw),
        title=title,
        source=source if isinstance(source, str) else "",
        metadata=metadata,
        annotations=annotations,
        relations=relations,
    )


def user_name(annotation: dict) -> str:
    """The layer of a Label Studio annotation: its person's email when the file holds it
    (``completed_by`` expanded to ``{"id", "email", ...}``, or in the tasks API's
    ``created_username``), else ``created_username`` as it is, else "Label Studio user ID" (Label
    Studio's plain export gives only the id); "" when the annotation names nobody."""
    person = annotation.get("completed_by")
    if isinstance(person, dict):
        email = person.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        person = person.get("id")
    username = annotation.get("created_username")
    if isinstance(username, str) and username.strip():
        found = _CREATED_USERNAME.search(username.strip())
        return found.group(1) if found else username.strip()
    if isinstance(person, str) and person.strip() and not person.strip().isdigit():
        return person.strip()  # an email, as Label Studio accepts in imported tasks
    if isinstance(person, int | str) and not isinstance(person, bool) and str(person).strip():
        return f"Label Studio user {str(person).strip()}"
    return ""


def _ids(predictions: list) -> str:
    shown = ", ".join(str(p) for p in predictions[:3])
    return shown + (", …" if len(predictions) > 3 else "")


def _spans(
    result: list, spans: _Units, directions: _Directions
) -> tuple[list[ImportedAnnotation], list[ImportedRelation]]:
    if not isinstance(result, list):
        raise SpanProblem(f"{spans.where}: 'result' must be a list")
    found: dict[str, list[ImportedAnnotation]] = {}
    extras: list[dict] = []
    for n, entry in enumerate(result, 1):
        if not isinstance(entry, dict):
            raise SpanProblem(f"{spans.where}, result {n} is not an object")
        if entry.get("type") not in ("labels",):
            extras.append(entry)
            continue
        with record("regions"):
            _region(entry, n, spans, found)
    relations: list[ImportedRelation] = []
    for entry in extras:
        if entry.get("type") == "relation":
            with record("relations"):
                relations.extend(_relations(entry, found, spans.where, directions))
            continue
        targets = found.get(str(entry.get("id")))
        if targets and entry.get("type") in _PER_REGION and isinstance(entry.get("from_name"), str):
            value = _attribute_value(entry)
            name = entry["from_name"]
            if name.startswith("attribute_") and name[len("attribute_") :] in RESERVED:
                name = name[len("attribute_") :]
            for annotation in targets:
                annotation.attributes[name] = value
    return [a for group in found.values() for a in group], relations


def _region(entry: dict, n: int, spans: _Units, found: dict[str, list[ImportedAnnotation]]) -> None:
    value = entry.get("value") or {}
    labels = value.get("labels")
    if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
        raise SpanProblem(f"{spans.where}, result {n}: no labels")
    quoted = value.get("text") if isinstance(value.get("text"), str) else None
    start, end = spans.convert(
        value.get("start"),
        value.get("end"),
        _region_name(entry, n, labels[0], value),
        quoted,
    )
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    note = "\n".join(t for t in meta.get("text", []) if isinstance(t, str))
    region = str(entry.get("id", n))
    found.setdefault(region, []).extend(
        ImportedAnnotation(label=label, start=start, end=end, note=note, id=str(uuid.uuid4()))
        for label in labels
    )


def _region_name(entry: dict, n: int, label: str, value: dict) -> str:
    """How an error names a region: by its Label Studio id when it has one."""
    offsets = f"{label} {value.get('start')}..{value.get('end')}"
    region = entry.get("id")
    if isinstance(region, str | int) and not isinstance(region, bool) and region != "":
        return f"region {str(region)!r} ({offsets})"
    return f"span {n} ({offsets})"


def _relations(
    entry: dict,
    regions: dict[str, list[ImportedAnnotation]],
    where: str,
    directions: _Directions,
) -> list[ImportedRelation]:
    ends = []
    for key in ("from_id", "to_id"):
        region = str(entry.get(key))
        if region not in regions:
            raise SpanProblem(
                f"{where}: a relation's {key} {entry.get(key)!r} is not a labelled region "
                "of the same result"
            )
        ends.append(regions[region][0].id or "")
    source, target = ends
    if entry.get("direction") == "left":
        source, target = target, source
    labels = entry.get("labels") or ["related"]
    if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
        raise SpanProblem(f"{where}: a relation's labels must be a list of names")
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    texts = meta.get("text") if isinstance(meta.get("text"), list) else []
    note = "\n".join(t for t in texts if isinstance(t, str))
    attributes = meta.get("attributes") if isinstance(meta.get("attributes"), dict) else {}
    annotator = meta.get("annotator") if isinstance(meta.get("annotator"), str) else ""
    relations = [
        ImportedRelation(label, source, target, dict(attributes), note, annotator)
        for label in labels
    ]
    for relation in relations:
        directions.saw(relation, entry.get("direction"))
    return relations


def _attribute_value(entry: dict) -> Any:
    value = entry.get("value") or {}
    kind = entry["type"]
    if kind == "choices":
        choices = value.get("choices") or []
        return choices[0] if len(choices) == 1 else choices
    if kind == "textarea":
        return "\n".join(t for t in value.get("text", []) if isinstance(t, str))
    return value.get(kind)
