"""Property tests: for arbitrary projects (any Unicode, astral characters, overlapping spans,
attributes, notes), JSON export -> import -> export is the identity, and every text exporter's
spans slice back to the text they quote."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.labels import AttributeDef, AttributeKind, LabelDef
from annotator.core.model import (
    DocumentStatus,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
)
from annotator.io.interchange import document_uri
from annotator.io.registry import EXPORT_FORMATS
from annotator.service import Outcome, export_project, export_to, import_file
from annotator.store.project import Project

# Document text: any code point but surrogates, NUL (refused on import) and CR (made LF).
TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r"), min_size=1, max_size=80
).filter(str.strip)
# Free text keeps every character the importer keeps: no C0 controls but tab and newline.
FREE = st.text(
    st.characters(
        exclude_categories=("Cs",),
        exclude_characters="".join(map(chr, [*range(9), *range(11, 32), 127])),
    ),
    max_size=20,
)
NAME = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    str.strip
)
JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | FREE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(FREE, inner, max_size=3),
    max_leaves=6,
)
COLOR = st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)
STAMP = st.sampled_from(["2026-01-01T00:00:00Z", "2026-11-27T20:19:00Z", ""])


@st.composite
def attribute_defs(draw: st.DrawFn) -> AttributeDef:
    kind = draw(st.sampled_from(list(AttributeKind)))
    choices = tuple(draw(st.lists(NAME, unique=True, max_size=3))) if kind == "choice" else ()
    return AttributeDef(draw(NAME), kind, choices, draw(st.booleans()), draw(JSON_VALUE))


@st.composite
def projects(draw: st.DrawFn) -> ImportedBundle:
    names = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
    keys = draw(
        st.lists(
            st.sampled_from("123456789qwe"), min_size=len(names), max_size=len(names), unique=True
        )
    )
    labels = [
        LabelDef(
            name,
            draw(COLOR),
            draw(st.sampled_from([key, None])),
            draw(FREE),
            tuple(draw(st.lists(attribute_defs(), max_size=2, unique_by=lambda a: a.name))),
        )
        for name, key in zip(names, keys, strict=True)
    ]
    texts = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    ids = draw(
        st.lists(st.uuids().map(str), min_size=len(texts) * 7, max_size=len(texts) * 7, unique=True)
    )
    documents = []
    for n, text in enumerate(texts):
        spans = []
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            spans.append(
                ImportedAnnotation(
                    draw(st.sampled_from(names)),
                    start,
                    end,
                    draw(st.dictionaries(NAME, JSON_VALUE, max_size=3)),
                    draw(FREE),
                    draw(FREE),
                    ids.pop(),
                    draw(STAMP) or None,
                    draw(STAMP) or None,
                )
            )
        documents.append(
            ImportedDocument(
                text,
                draw(FREE.filter(bool)),
                draw(FREE),
                draw(st.dictionaries(FREE, JSON_VALUE, max_size=3)),
                spans,
                f"doc-{n}-{ids.pop()}",
                draw(STAMP) or None,
                draw(st.sampled_from(list(DocumentStatus))),
            )
        )
    return ImportedBundle(documents, labels)


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_TEMPLATE: list[Path] = []


def fresh_project(folder: Path, name: str) -> Project:
    """An empty project, copied from one made once (creating runs the migrations: slow)."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="annotator-template-")) / "empty.annot"
        Project.open(template).close()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], folder / name)
    return Project.open(folder / name, create=False)


def exported(project: Project) -> str:
    out = io.StringIO()
    export_project(project, out)
    return out.getvalue()


@SETTINGS
@given(projects())
def test_json_export_import_export_is_the_identity(bundle: ImportedBundle) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with fresh_project(Path(folder), "one.annot") as one:
            one.import_bundle(bundle)
            first = exported(one)
        (Path(folder) / "export.json").write_text(first, encoding="utf-8")
        with fresh_project(Path(folder), "two.annot") as two:
            outcome = import_file(two, Path(folder) / "export.json")
            assert outcome.outcome is Outcome.IMPORTED, outcome.message
            second = exported(two)
    assert second == first
    for document in json.loads(first)["documents"]:
        for a in document["annotations"]:
            assert document["text"][a["start"] : a["end"]] == a["text"]


# -- every text exporter: its spans slice back to the text it quotes ------------------------------

Texts = dict[str, str]  # document id -> text


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def check_json(path: Path, texts: Texts) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    spans = [(d["text"], a) for d in data["documents"] for a in d["annotations"]]
    assert all(text[a["start"] : a["end"]] == a["text"] for text, a in spans)
    return len(spans)


def check_jsonl(path: Path, texts: Texts) -> int:
    # "\n" only: str.splitlines also splits at U+0085, U+2028... which JSON keeps raw in strings
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
    spans = [(d["text"], s) for d in lines for s in d["spans"]]
    assert all(text[s["start"] : s["end"]] == s["text"] for text, s in spans)
    return len(spans)


def check_doccano(path: Path, texts: Texts) -> int:
    count = 0
    for line in filter(None, path.read_text(encoding="utf-8-sig").split("\n")):
        item = json.loads(line)
        assert item["text"] == texts[item["meta"]["id"]]
        for start, end, _label in item["label"]:  # UTF-16 units
            assert utf16_slice(item["text"], start, end)
            count += 1
    return count


def check_labelstudio(path: Path, texts: Texts) -> int:
    count = 0
    for task in json.loads(path.read_text(encoding="utf-8")):
        text = task["data"]["text"]
        assert text == texts[task["data"]["document_id"]]
        for result in task["annotations"][0]["result"] if task["annotations"] else []:
            if result["type"] == "labels":
                value = result["value"]
                assert text[value["start"] : value["end"]] == value["text"]  # code points
                count += 1
    return count


def check_w3c(path: Path, texts: Texts) -> int:
    by_uri = {document_uri(i, ""): t for i, t in texts.items()}
    items = json.loads(path.read_text(encoding="utf-8"))["first"]["items"]
    for item in items:
        text = by_uri[item["target"]["source"]]
        quote, position = item["target"]["selector"]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    return len(items)


def check_csv(path: Path, texts: Texts) -> int:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    for row in rows:
        expected = texts[row["document_id"]][int(row["start"]) : int(row["end"])]
        assert row["text"] in (expected, "'" + expected)  # "'": formula protection
    return len(rows)


def check_brat(folder: Path, texts: Texts) -> int:
    count = 0
    for ann in folder.glob("*.ann"):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        assert text in texts.values()
        for line in ann.read_text(encoding="utf-8").split("\n"):
            if line.startswith("T"):
                _, type_and_offsets, quoted = line.split("\t")
                pieces = [
                    tuple(map(int, p.split())) for p in type_and_offsets.split(" ", 1)[1].split(";")
                ]
                joined = " ".join(text[s:e] for s, e in pieces)
                assert " ".join(joined.split()) == " ".join(quoted.split())
                count += 1
    return count


CHECKS: dict[str, Callable[[Path, Texts], int]] = {
    "json": check_json,
    "jsonl": check_jsonl,
    "doccano": check_doccano,
    "labelstudio": check_labelstudio,
    "w3c": check_w3c,
    "csv": check_csv,
    "brat": check_brat,
}
# Not checked: conll (tokens, no offsets), claimreview (claim texts, no offsets); spacy, qdpx and
# xlsx are binary; qdc and taguette are codebooks (no spans).
UNCHECKED = {"conll", "claimreview", "spacy", "qdpx", "xlsx", "qdc", "taguette"}


def test_every_registered_exporter_is_checked_or_listed() -> None:
    assert set(EXPORT_FORMATS) <= set(CHECKS) | UNCHECKED


@SETTINGS
@given(projects())
def test_every_text_exporter_s_spans_slice_to_their_text(bundle: ImportedBundle) -> None:
    for document in bundle.documents:  # the w3c check finds documents by their id
        document.source = ""
    with tempfile.TemporaryDirectory() as folder, fresh_project(Path(folder), "p.annot") as project:
        project.import_bundle(bundle)
        texts = {d.id: project.document(d.id).text for d in project.documents()}
        total = len(project.annotations())
        for name, check in CHECKS.items():
            if name not in EXPORT_FORMATS:
                continue
            spec = EXPORT_FORMATS[name]
            target = Path(folder) / f"out-{name}{spec.extension}"
            export_to(project, name, target)
            counted: Any = check(target, texts)
            assert counted == total, name
