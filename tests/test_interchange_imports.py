"""Importing doccano, Label Studio, brat and REFI-QDA files: offsets converted to code points,
every span checked, bad files refused whole; and round trips through each format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.io import brat, doccano, labelstudio, qdpx_import
from annotator.io.detect import read_file, reader_for
from annotator.service import Outcome, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE, build, round_trip, spans_of, texts_of


@pytest.fixture
def rich(project: Project) -> Project:
    return build(project)


def slices(bundle) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(a.label, d.text[a.start : a.end]) for d in bundle.documents for a in d.annotations]


# -- detection ---------------------------------------------------------------------------------


def test_readers_are_picked_by_extension_and_content(tmp_path: Path) -> None:
    assert reader_for(INTERCHANGE / "labelstudio-tasks.json") == "labelstudio"
    assert reader_for(INTERCHANGE / "doccano.jsonl") == "doccano"
    assert reader_for(INTERCHANGE / "brat" / "licadho.ann") == "brat"
    native = tmp_path / "project.json"
    native.write_text('{"documents": []}', encoding="utf-8")
    assert reader_for(native) == "native_json"
    numbers = tmp_path / "numbers.json"
    numbers.write_text("[1, 2]", encoding="utf-8")
    assert reader_for(numbers) == "native_json"  # which then says what is wrong
    renamed = tmp_path / "tasks"
    renamed.write_bytes((INTERCHANGE / "labelstudio-tasks.json").read_bytes())
    assert reader_for(renamed) == "labelstudio"


def test_a_folder_is_read_only_when_it_holds_brat_pairs(tmp_path: Path) -> None:
    assert len(read_file(INTERCHANGE / "brat").documents) == 2
    (tmp_path / "notes.txt").write_text("just text", encoding="utf-8")
    with pytest.raises(ImportFailed, match="is a folder; choose the files inside it"):
        read_file(tmp_path)


# -- doccano -----------------------------------------------------------------------------------


def test_doccano_utf16_offsets_become_code_points() -> None:
    bundle = doccano.read(INTERCHANGE / "doccano.jsonl")
    assert slices(bundle) == [
        ("GPE", "Cambodia"),
        ("ORG", "State Department"),
        ("Rating", "Tier 2 👍🏽"),
    ]
    assert bundle.documents[0].metadata == {"source_url": "https://example.org/tip"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # span 2 is beyond the text in grapheme clusters (5), so read as UTF-16, span 1 is bad
        ({"text": "a 👍 b", "label": [[2, 3, "X"], [0, 6, "Y"]]}, "cuts a character in half"),
        ({"text": "short", "label": [[0, 9, "X"]]}, "the span ends beyond the text (5 UTF-16"),
        ({"text": "short", "label": ["positive"]}, "holds categories, not spans"),
        ({"label": []}, "has no 'text'"),
        ({"text": "short", "label": [[3, 1, "X"]]}, "start must be at least 0 and before end"),
    ],
)
def test_doccano_bad_lines_refuse_the_file(tmp_path: Path, line: dict, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = {"text": "fine", "label": [[0, 4, "X"]]}
    path.write_text(json.dumps(good) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="line 2") as caught:
        doccano.read(path)
    assert message in str(caught.value)


def test_doccano_round_trip(rich: Project, tmp_path: Path) -> None:
    with round_trip(rich, "doccano", tmp_path / "out.jsonl", tmp_path) as copy:
        assert texts_of(copy) == texts_of(rich)
        assert spans_of(copy) == spans_of(rich)


def test_our_jsonl_export_reads_back_too(rich: Project, tmp_path: Path) -> None:
    with round_trip(rich, "jsonl", tmp_path / "out.jsonl", tmp_path) as copy:
        assert spans_of(copy) == spans_of(rich)
        tier = next(a for a in copy.annotations() if a.label == "Tier rating")
        assert tier.attributes == {"tier": "Tier 2", "year": 2024, "subject": "Cambodia"}


@pytest.mark.parametrize("fmt", ["doccano", "jsonl"])
def test_unicode_line_separators_inside_texts_survive_jsonl(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument

    text = "One\u2028two\u0085three\x0cfour \u2029 Tier 2"
    project.import_bundle(
        ImportedBundle(
            [
                ImportedDocument(
                    text,
                    "Separators",
                    annotations=[ImportedAnnotation("Claim", text.index("Tier"), len(text))],
                )
            ]
        )
    )
    with round_trip(project, fmt, tmp_path / "out.jsonl", tmp_path) as copy:
        assert texts_of(copy) == [text]
        assert spans_of(copy) == spans_of(project)


# -- Label Studio ------------------------------------------------------------------------------


def test_labelstudio_export_from_the_tool_imports() -> None:
    bundle = labelstudio.read(INTERCHANGE / "labelstudio-tasks.json")
    document = bundle.documents[0]
    assert document.title == "Border news"
    assert slices(bundle) == [
        ("Person", "Hun Sen 🇰🇭"),
        ("Quote", "“no”"),
        ("Claim", "👨\u200d👩\u200d👧 family"),
    ]  # cancelled one skipped
    assert document.annotations[1].attributes == {"speaker": "Hun Sen"}
    assert document.annotations[2].attributes == {"verdict": "mixed"}


def test_labelstudio_text_mismatch_refuses_naming_task_and_span(tmp_path: Path) -> None:
    tasks = json.loads((INTERCHANGE / "labelstudio-tasks.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][0]["value"]["text"] = "Hun Sen"  # code points, wrong
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read_file(path)
    assert (
        "task 1 (id 17, 'Border news'), region 'a1' (Person 0..12): its text 'Hun Sen' matches the "
        "document's text there neither in code points ('Hun Sen 🇰🇭 s') nor in UTF-16 code "
        "units ('Hun Sen 🇰🇭')" in str(caught.value)
    )


def test_labelstudio_round_trip_keeps_spans_attributes_and_notes(
    rich: Project, tmp_path: Path
) -> None:
    with round_trip(rich, "labelstudio", tmp_path / "out.json", tmp_path) as copy:
        assert spans_of(copy) == spans_of(rich)
        claim = next(a for a in copy.annotations() if a.text.startswith("Cambodia"))
        assert claim.note == "checked\nwith the report"
        assert claim.attributes == {"verdict": "mostly true", "checkworthy": "true"}
        tier = next(a for a in copy.annotations() if a.label == "Tier rating")
        assert tier.attributes == {"tier": "Tier 2", "year": 2024, "subject": "Cambodia"}


# -- brat --------------------------------------------------------------------------------------


def test_brat_collection_with_crlf_text_imports() -> None:
    bundle = brat.read(INTERCHANGE / "brat" / "licadho.ann")
    document = bundle.documents[0]
    assert "\r" not in document.text
    assert slices(bundle) == [
        ("Organization", "Licadho"),
        ("Statement", "said 👍 today"),
        ("Government_body", "Ministry of Women’s Affairs"),
    ]
    licadho, statement, ministry = document.annotations
    assert licadho.note == "an NGO"
    assert statement.attributes == {"Negated": True}
    assert ministry.attributes == {"Confidence": "High_Confidence"}


def test_brat_wrong_offsets_refuse_the_file(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Licadho said so.", encoding="utf-8")
    (tmp_path / "doc.ann").write_text(
        "T1\tOrg 0 7\tLicadho\nT2\tOrg 1 8\tLicadho\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as caught:
        read_file(tmp_path / "doc.ann")
    assert (
        "document 'doc', T2 (Org 1 8): its text 'Licadho' does not match the document's "
        "text there, 'icadho '" in str(caught.value)
    )
    (tmp_path / "doc.txt").unlink()
    with pytest.raises(ImportFailed, match="no doc.txt beside it"):
        read_file(tmp_path / "doc.ann")


def test_brat_round_trip_keeps_labels_attributes_and_notes(rich: Project, tmp_path: Path) -> None:
    with round_trip(rich, "brat", tmp_path / "brat", tmp_path) as copy:
        assert texts_of(copy) == texts_of(rich)
        # brat names documents by file only, so compare without the titles
        assert sorted(s[1:] for s in spans_of(copy)) == sorted(s[1:] for s in spans_of(rich))
        claim = next(a for a in copy.annotations() if a.text.startswith("Cambodia"))
        assert claim.attributes == {"verdict": "mostly true", "checkworthy": True}
        assert claim.note == "checked with the report"
        tier = next(a for a in copy.annotations() if a.label == "Tier rating")
        assert tier.attributes == {"tier": "Tier 2", "year": 2024, "subject": "Cambodia"}


# -- REFI-QDA ----------------------------------------------------------------------------------


def test_qdpx_round_trip_keeps_everything_but_the_codebook_details(
    rich: Project, tmp_path: Path
) -> None:
    with round_trip(rich, "qdpx", tmp_path / "out.qdpx", tmp_path) as copy:
        assert texts_of(copy) == texts_of(rich)
        assert spans_of(copy) == spans_of(rich)
        original = {a.id: a for a in rich.annotations()}
        for a in copy.annotations():
            before = original[a.id]
            assert (a.attributes, a.note, a.annotator, a.created, a.modified) == (
                before.attributes,
                before.note,
                before.annotator,
                before.created,
                before.modified,
            )
        assert all(
            copy.document(d.id).metadata["positions"].startswith("code points")
            for d in copy.documents()
        )


def qde(sources: str, codes: str = '<Code guid="{c}" name="Topic" isCodable="true"/>') -> str:
    code = "11111111-1111-1111-1111-111111111111"
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="Some tool">'
        f"<CodeBook><Codes>{codes.format(c=code)}</Codes></CodeBook>"
        f"<Sources>{sources}</Sources></Project>"
    ).replace("{c}", code)


def selection(start: int, end: int, name: str = "") -> str:
    return (
        f'<PlainTextSelection guid="22222222-2222-2222-2222-{start:06d}{end:06d}" '
        f'name="{name}" startPosition="{start}" endPosition="{end}">'
        '<Coding guid="33333333-3333-3333-3333-333333333333">'
        '<CodeRef targetGUID="{c}"/></Coding></PlainTextSelection>'
    )


def write_qdpx(path: Path, project: str, files: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def test_qdpx_inline_text_and_utf16_file_with_names(tmp_path: Path) -> None:
    text = "Line one 👍\r\nLine two 👍 end"
    sources = (
        '<TextSource guid="44444444-4444-4444-4444-444444444444" name="inline">'
        f"<PlainTextContent>Plain 👍 inline</PlainTextContent>{selection(6, 7, '👍')}"
        "</TextSource>"
        '<TextSource guid="55555555-5555-5555-5555-555555555555" name="file" '
        'plainTextPath="internal://55555555-5555-5555-5555-555555555555.txt">'
        f"{selection(12, 22, 'Line two 👍')}</TextSource>"
    )
    path = write_qdpx(
        tmp_path / "p.qdpx",
        qde(sources),
        {
            "Sources/55555555-5555-5555-5555-555555555555.txt": b"\xff\xfe"
            + text.encode("utf-16-le")
        },
    )
    bundle = qdpx_import.read(path)
    assert slices(bundle) == [("Topic", "👍"), ("Topic", "Line two 👍")]
    assert bundle.documents[1].text == "Line one 👍\nLine two 👍 end"
    assert (
        bundle.documents[1].metadata["positions"]
        == "code points, line breaks (CRLF) counted as two (from the selection names)"
    )


def test_qdpx_utf16_units_are_found_from_names(tmp_path: Path) -> None:
    text = "👍👍 Tier 2 for Cambodia"
    sources = (
        '<TextSource guid="44444444-4444-4444-4444-444444444444" name="s">'
        f"<PlainTextContent>{text}</PlainTextContent>{selection(5, 11, 'Tier 2')}"
        "</TextSource>"
    )
    bundle = qdpx_import.read(write_qdpx(tmp_path / "p.qdpx", qde(sources)))
    assert slices(bundle) == [("Topic", "Tier 2")]
    assert bundle.documents[0].metadata["positions"].startswith("UTF-16 code units")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../evil.txt": b"x"}, "unsafe member name '../evil.txt'"),
        ({"/etc/passwd": b"x"}, "unsafe member name"),
    ],
)
def test_qdpx_unsafe_archives_are_refused(tmp_path: Path, files: dict, message: str) -> None:
    path = write_qdpx(tmp_path / "p.qdpx", qde(""), files)
    with pytest.raises(ImportFailed, match=message):
        read_file(path)


def test_qdpx_oversized_archives_and_garbage_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde(""))
        archive.writestr("sources/big.txt", b"\0" * (201 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="more than 200 MB"):
        read_file(path)
    (tmp_path / "garbage.qdpx").write_bytes(b"not a zip at all")
    with pytest.raises(ImportFailed, match="not a REFI-QDA project"):
        read_file(tmp_path / "garbage.qdpx")
    entity = write_qdpx(
        tmp_path / "entity.qdpx",
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY '
        'x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>',
    )
    with pytest.raises(ImportFailed, match="project.qde is not valid XML .*external entity"):
        read_file(entity)  # never resolved, never fetched
    empty = write_qdpx(tmp_path / "empty.qdpx", qde(""))
    with pytest.raises(ImportFailed, match="no text sources"):
        read_file(empty)


def test_qdpx_mismatching_name_refuses_naming_document_and_selection(tmp_path: Path) -> None:
    sources = (
        '<TextSource guid="44444444-4444-4444-4444-444444444444" name="News">'
        f"<PlainTextContent>Tier 2 for Cambodia</PlainTextContent>"
        f"{selection(0, 6, 'Tier 2')}{selection(11, 19, 'Laos')}</TextSource>"
    )
    path = write_qdpx(tmp_path / "p.qdpx", qde(sources))
    with pytest.raises(ImportFailed) as caught:
        read_file(path)
    assert (
        "document 'News', selection 22222222-2222-2222-2222-000011000019 (11..19): its name "
        "'Laos' does not match the text there, 'Cambodia'" in str(caught.value)
    )


def test_import_outcome_through_the_service(project: Project) -> None:
    outcome = import_file(project, INTERCHANGE / "brat")
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert [d.title for d in project.documents()] == ["empty-doc", "licadho"]


def test_qdpx_source_with_two_bad_bytes_keeps_utf8_positions_and_says_so(
    tmp_path: Path, project: Project
) -> None:
    """A source file of UTF-8 with two stray bytes was read whole as a codepage, in silence,
    and the selections after the bad bytes missed their words."""
    text = "Café crème: l’été à Paris. Later the Ministry of Health agreed."
    data = text.encode("utf-8")
    data = data.replace("Café".encode(), "Café".encode() + b"\xff").replace(b"Later", b"\xe9Later")
    expected = text.replace("Café", "Café\ufffd").replace("Later", "\ufffdLater")
    start = expected.index("Ministry of Health")
    sources = (
        '<TextSource guid="55555555-5555-5555-5555-555555555555" name="file" '
        'plainTextPath="internal://55555555-5555-5555-5555-555555555555.txt">'
        f"{selection(start, start + 18, 'Ministry of Health')}</TextSource>"
    )
    path = write_qdpx(
        tmp_path / "p.qdpx",
        qde(sources),
        {"Sources/55555555-5555-5555-5555-555555555555.txt": data},
    )
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert outcome.notes == ["2 bytes that are not UTF-8 were replaced with \ufffd"]
    assert outcome.message.endswith("; 2 bytes that are not UTF-8 were replaced with \ufffd")
    (document,) = project.documents()
    assert project.document(document.id).text == expected
    (annotation,) = project.annotations(document.id)
    assert expected[annotation.start : annotation.end] == "Ministry of Health"


def test_qdpx_whose_project_xml_unpacks_past_the_xml_cap_is_refused(tmp_path: Path) -> None:
    """project.qde is parsed whole by lxml: 60 MB of it (well under the 200 MB the whole
    archive may unpack to) was built into a tree many times that size."""
    path = tmp_path / "big.qdpx"
    users = b'<User guid="00000000-0000-0000-0000-000000000000" name="someone"/>' * 1000
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("project.qde", "w", force_zip64=True) as member,
    ):
        member.write(b'<Project xmlns="urn:QDA-XML:project:1.0" name="t"><Users>')
        for _ in range(60 * 1024 * 1024 // len(users) + 1):
            member.write(users)
        member.write(b"</Users></Project>")
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ImportFailed, match=r"unpacks to more than 50 MB of XML \(60 MB\)"):
        read_file(path)
