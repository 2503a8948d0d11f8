"""Annotator's own JSON: the shipped schema accepts exports, round trips are exact, bad spans refuse
the whole file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import ImportFailed
from annotator.io import native_json
from annotator.resources_path import PROJECT_SCHEMA, resource
from annotator.service import Outcome, export_project, import_file
from annotator.store.project import Project

TEXT = (
    "Cambodia 🇰🇭 moved to Tier 2, said the Ministry of Women’s Affairs.\n"
    "A ZWJ 👨\u200d👩\u200d👧 family."
)


def export_text(project: Project) -> str:
    out = io.StringIO()
    export_project(project, out)
    return out.getvalue()


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def rich_project(project: Project) -> Project:
    doc = (
        project.import_bundle(
            native_json.parse_project(
                {
                    "documents": [
                        {
                            "title": "Rich",
                            "text": TEXT,
                            "source": "https://example.org/a",
                            "metadata": {"author": "Kim"},
                        }
                    ]
                }
            )
        )
        .added[0]
        .id
    )

    def span(label: str, piece: str, **kwargs: object) -> None:
        start = TEXT.index(piece)
        project.add_annotation(doc, label, start, start + len(piece), **kwargs)

    span("Tier rating", "Tier 2", attributes={"tier": "Tier 2", "year": 2004}, annotator="ana")
    span("Organisation", "Ministry of Women’s Affairs", attributes={"type": "government"})
    span(
        "Claim",
        "Cambodia 🇰🇭 moved to Tier 2",
        attributes={"verdict": "true", "checkworthy": True},
        note="overlap",
    )
    span("Quote", "👨\u200d👩\u200d👧", attributes={"speaker": "Naly Pilorge"})
    return project


def test_export_is_accepted_by_the_shipped_schema(rich_project: Project) -> None:
    data = json.loads(export_text(rich_project))
    schema = json.loads(resource(PROJECT_SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["format"] == "annotator-project" and data["version"] == 2
    for document in data["documents"]:
        for a in document["annotations"]:
            assert document["text"][a["start"] : a["end"]] == a["text"]
    spans = {a["label"]: a["text"] for a in data["documents"][0]["annotations"]}
    assert spans["Tier rating"] == "Tier 2"
    assert spans["Quote"] == "👨\u200d👩\u200d👧"


def test_export_import_export_is_identical(rich_project: Project, tmp_path: Path) -> None:
    first = export_text(rich_project)
    exported = tmp_path / "export.json"
    exported.write_text(first, encoding="utf-8")
    with Project.open(tmp_path / "copy.annot") as copy:
        outcome = import_file(copy, exported)
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert export_text(copy) == first


def test_custom_codebook_survives_a_round_trip(project: Project, tmp_path: Path) -> None:
    data = {
        "labels": [{"name": "PER", "color": "#123456", "shortcut": "p"}],
        "documents": [
            {"text": "Mu Sochua agreed.", "annotations": [{"label": "PER", "start": 0, "end": 9}]}
        ],
    }
    import_file(project, write_json(tmp_path / "in.json", data))
    assert [label.name for label in project.labels()] == ["PER"]
    first = export_text(project)
    (tmp_path / "out.json").write_text(first, encoding="utf-8")
    with Project.open(tmp_path / "copy.annot") as copy:
        import_file(copy, tmp_path / "out.json")
        assert export_text(copy) == first


def test_minimal_file_imports_and_unknown_labels_are_created(
    project: Project, tmp_path: Path
) -> None:
    path = write_json(
        tmp_path / "min.json",
        {
            "documents": [
                {
                    "text": "Licadho Director Naly Pilorge was more cautious.",
                    "annotations": [
                        {"label": "Person", "start": 17, "end": 29},
                        {"label": "Organisation", "start": 0, "end": 7},
                    ],
                }
            ]
        },
    )
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.IMPORTED
    assert "new labels: Person" in outcome.message
    assert [label.name for label in project.labels()][-1] == "Person"
    assert [a.text for a in project.annotations()] == ["Licadho", "Naly Pilorge"]
    assert project.documents()[0].title == "Licadho Director Naly Pilorge was more cautious."


def test_crlf_text_is_made_canonical_and_spans_follow(project: Project, tmp_path: Path) -> None:
    raw = "Line one\r\nLine two 👍\r\nLine three"
    path = write_json(
        tmp_path / "crlf.json",
        {
            "documents": [
                {
                    "text": raw,
                    "annotations": [
                        {"label": "Claim", "start": 10, "end": 20, "text": "Line two 👍"},
                        {"label": "Quote", "start": 22, "end": 32},
                    ],
                }
            ]
        },
    )
    import_file(project, path)
    document = project.document(project.documents()[0].id)
    assert document.text == "Line one\nLine two 👍\nLine three"
    assert [a.text for a in project.annotations()] == ["Line two 👍", "Line three"]


BAD_FILES = [
    (
        {
            "documents": [
                {"text": "short", "annotations": [{"label": "Claim", "start": 2, "end": 40}]}
            ]
        },
        "document 1 ('short'), annotation 1 (Claim 2..40): "
        "the span ends beyond the text (length 5)",
    ),
    (
        {
            "documents": [
                {
                    "title": "Doc",
                    "text": "Tier 2 now",
                    "annotations": [{"label": "Claim", "start": 0, "end": 4, "text": "Tier 2"}],
                }
            ]
        },
        "document 1 ('Doc'), annotation 1 (Claim 0..4): its text 'Tier 2' does not match the "
        "document's text there, 'Tier'",
    ),
    (
        {"documents": [{"text": "x", "annotations": [{"label": "Claim", "start": 1, "end": 1}]}]},
        "start must be at least 0 and before end",
    ),
    (
        {"documents": [{"text": "x", "annotations": [{"label": "Claim", "start": "0", "end": 1}]}]},
        "'start' must be a whole number, not '0'",
    ),
    ({"documents": [{"title": "no text"}]}, "document 1 has no 'text'"),
    ({"format": "annotator-project", "version": 9, "documents": []}, "newer Annotator"),
    ({"format": "something-else", "documents": []}, "format is 'something-else'"),
    ([1, 2], "the top level is not an object"),
    ({"labels": [{"name": "A", "color": "red"}], "documents": []}, "is not of the form #rrggbb"),
    (
        {"labels": [{"name": "A", "attributes": [{"name": "x", "kind": "date"}]}], "documents": []},
        "unknown kind 'date'",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_file_is_refused_whole(
    project: Project, tmp_path: Path, data: object, message: str
) -> None:
    good = {"text": "A good document that must not be imported either."}
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = {**data, "documents": [good, *data["documents"]]}
        message = message.replace("document 1", "document 2")
    path = write_json(tmp_path / "bad.json", data)
    before = export_text(project)
    with pytest.raises(ImportFailed) as caught:
        native_json.read(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.ERROR and message in outcome.message
    assert export_text(project) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"documents": [', "not valid JSON (line 1, column 16"),
        (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_json_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(")):
        native_json.read(path)


json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)


@given(
    st.text(max_size=30),
    st.text(max_size=10),
    st.dictionaries(st.text(max_size=6), json_values, max_size=3),
)
def test_fast_annotation_lines_equal_json_dumps(text: str, note: str, attributes: dict) -> None:
    from annotator.core.model import Annotation
    from annotator.io.native_json import _annotation_line, annotation_to_json

    a = Annotation("id-1", "doc", "Tier rating", 3, 9, text, attributes, note, "ana", "c", "m")
    assert _annotation_line(a) == "\n   " + json.dumps(annotation_to_json(a), ensure_ascii=False)
