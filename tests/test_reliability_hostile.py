"""Imported files are untrusted: hostile or broken input gives one clear line naming the file,
nothing runs, nothing is fetched, and nothing of the file is saved."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from annotator.cli import main
from annotator.io import detect, html
from annotator.service import Outcome, export_project, import_file
from annotator.store.project import Project

SECRET = "TOP-SECRET-FILE-CONTENT"


pytestmark = pytest.mark.usefixtures("no_network")  # every test here: nothing may be fetched


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def state(project: Project) -> str:
    out = io.StringIO()
    export_project(project, out)
    return out.getvalue()


def refused(project: Project, path: Path, fragment: str) -> str:
    """Import ``path``: an error naming it, containing ``fragment``; the project unchanged."""
    before = state(project)
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.ERROR, outcome.message
    assert outcome.message.startswith(f"{path}: "), outcome.message
    assert fragment in outcome.message, outcome.message
    assert "\n" not in outcome.message
    assert state(project) == before
    return outcome.message


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- web pages ----------------------------------------------------------------------------------

HOSTILE_PAGE = """<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>
<html><head><title>Hostile page</title>
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<link rel="prefetch" href="https://evil.example/prefetch">
<link rel="stylesheet" href="https://evil.example/style.css">
<script src="https://evil.example/tracker.js"></script>
<script>document.write("SCRIPT-RAN"); fetch("https://evil.example/x");</script>
<style>@import url("https://evil.example/more.css");
body { background: url(https://evil.example/bg.png) }</style>
</head><body onload="document.write('ONLOAD-RAN')">
<article><h1>Hostile page</h1>
<p>The council approved the new river patrol budget on Monday after a long debate about the
fishing ban and the dolphins near Kampi. &xxe;</p>
<p>Officials said the patrol boats would start work before the dry season begins in March.</p>
<img src="https://evil.example/pixel.gif" alt="IMG-ALT-TEXT">
<iframe src="https://evil.example/frame" srcdoc="<p>IFRAME-CONTENT</p>"></iframe>
<object data="https://evil.example/flash.swf">OBJECT-FALLBACK</object>
<svg onload="alert('SVG-RAN')"><script>alert("SVG-SCRIPT")</script></svg>
<noscript><img src="https://evil.example/noscript.gif"></noscript>
</article></body></html>
"""


def test_html_runs_nothing_fetches_nothing_and_resolves_no_entity(
    tmp_path: Path, secret: Path
) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE_PAGE.replace("{secret}", str(secret)), encoding="utf-8")
    document = html.read(page)
    assert "river patrol budget" in document.text and "dry season" in document.text
    for leaked in (
        SECRET,
        "SCRIPT-RAN",
        "ONLOAD-RAN",
        "IFRAME-CONTENT",
        "SVG",
        "evil.example",
        "document.write",
        "tracker",
        "OBJECT-FALLBACK",
    ):
        assert leaked not in document.text, leaked
        assert leaked not in json.dumps(document.metadata), leaked


# -- zip archives: DOCX and QDPX ------------------------------------------------------------------


def docx_with(tmp_path: Path, name: str, doctype: str, body_text: str) -> Path:
    """A real DOCX whose document.xml starts with ``doctype`` and holds ``body_text``."""
    base = tmp_path / "base.docx"
    made = python_docx.Document()
    made.add_paragraph("Hello PLACEHOLDER world")
    made.save(base)
    with zipfile.ZipFile(base) as source:
        parts = {member.filename: source.read(member) for member in source.infolist()}
    xml = parts["word/document.xml"].decode("utf-8").replace("PLACEHOLDER", body_text)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + xml[xml.index("<w:document") :]
    )
    target = tmp_path / name
    with zipfile.ZipFile(target, "w") as out:
        for member, data in parts.items():
            out.writestr(member, xml if member == "word/document.xml" else data)
    return target


LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)


def test_docx_external_entities_are_not_resolved(tmp_path: Path, secret: Path) -> None:
    path = docx_with(
        tmp_path,
        "xxe.docx",
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        "&xxe;",
    )
    document = detect.read_file(path).documents[0]
    assert SECRET not in document.text
    remote = docx_with(
        tmp_path,
        "remote-dtd.docx",
        '<!DOCTYPE w:document [<!ENTITY % ext SYSTEM "https://evil.example/evil.dtd"> %ext;]>',
        "x",
    )
    assert detect.read_file(remote).documents[0].text == "Hello x world"  # and nothing fetched


def test_docx_billion_laughs_is_refused_at_once(project: Project, tmp_path: Path) -> None:
    path = docx_with(tmp_path, "laughs.docx", f"<!DOCTYPE w:document [{LAUGHS}]>", "&lol9;")
    started = time.monotonic()
    refused(project, path, "not a valid DOCX file (Maximum entity amplification factor exceeded")
    assert time.monotonic() - started < 2


QDE = """<?xml version="1.0" encoding="utf-8"?>{doctype}
<Project xmlns="urn:QDA-XML:project:1.0" name="Hostile">
 <CodeBook><Codes><Code guid="c1" name="Claim" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="s1" name="Source {entity}" plainTextPath="internal://s1.txt">
  <PlainTextSelection guid="sel1" startPosition="0" endPosition="5">
   <Coding guid="cd1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
 </TextSource></Sources>
</Project>"""


def qdpx(
    tmp_path: Path,
    name: str,
    doctype: str = "",
    entity: str = "",
    members: dict[str, str] | None = None,
) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", QDE.format(doctype=doctype, entity=entity))
        archive.writestr("sources/s1.txt", "Hello world from the source text.")
        for member, data in (members or {}).items():
            archive.writestr(member, data)
    return path


def test_qdpx_plain_import_works(project: Project, tmp_path: Path) -> None:
    outcome = import_file(project, qdpx(tmp_path, "ok.qdpx"))
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert [a.text for a in project.annotations()] == ["Hello"]


def test_qdpx_entities_are_neither_resolved_nor_expanded(
    project: Project, tmp_path: Path, secret: Path
) -> None:
    xxe = qdpx(
        tmp_path,
        "xxe.qdpx",
        f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        "&xxe;",
    )
    message = refused(
        project, xxe, "project.qde is not valid XML (Attribute references external entity 'xxe'"
    )
    assert SECRET not in message
    started = time.monotonic()
    laughs = qdpx(tmp_path, "laughs.qdpx", f"<!DOCTYPE Project [{LAUGHS}]>", "&lol9;")
    refused(project, laughs, "project.qde is not valid XML (Maximum entity amplification")
    assert time.monotonic() - started < 2


def zip_bomb(path: Path, first: str, declared: int) -> Path:
    """A zip whose members declare ``declared`` bytes in all (zeros compress ~1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(first, "<x/>")
        chunk = b"\0" * (8 * 2**20)
        for n in range(declared // len(chunk) + 1):
            archive.writestr(f"word/padding{n}.bin", chunk)
    return path


def test_zip_bombs_are_refused_by_size(project: Project, tmp_path: Path) -> None:
    started = time.monotonic()
    refused(
        project,
        zip_bomb(tmp_path / "bomb.docx", "word/document.xml", 210 * 2**20),
        "unpacks to more than 200 MB",
    )
    refused(
        project,
        zip_bomb(tmp_path / "bomb.qdpx", "project.qde", 210 * 2**20),
        "unpacks to more than 200 MB",
    )
    assert os.path.getsize(tmp_path / "bomb.qdpx") < 2 * 2**20
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "member", ["../../evil.txt", "/etc/evil.txt", "..\\..\\evil.txt", "C:/Windows/evil.txt"]
)
def test_zip_slip_members_are_refused_by_name(
    project: Project, tmp_path: Path, member: str
) -> None:
    refused(project, qdpx(tmp_path, "slip.qdpx", members={member: "x"}), "unsafe member name")
    word = docx_with(tmp_path, "slip-base.docx", "", "text")
    slip = tmp_path / "slip.docx"
    with zipfile.ZipFile(word) as source, zipfile.ZipFile(slip, "w") as out:
        for item in source.infolist():
            out.writestr(item.filename, source.read(item))
        out.writestr(member, "x")
    refused(project, slip, "unsafe member name")
    assert not (tmp_path.parent / "evil.txt").exists()


# -- sizes, encodings, characters ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["huge.json", "huge.txt", "huge.docx"])
def test_files_over_200_mb_are_refused_before_reading(
    project: Project, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    with path.open("wb") as sparse:  # a sparse file: instant, and takes no disk space
        sparse.truncate(detect.MAX_FILE_BYTES + 1)
    started = time.monotonic()
    refused(project, path, "is 201 MB; files over 200 MB are refused")  # rounded up
    assert time.monotonic() - started < 1


def span_json(span: dict[str, object], text: str = "ab cd") -> str:
    return json.dumps({"documents": [{"text": text, "annotations": [span]}]})


# case -> (file content, what the message says)
BAD_JSON: dict[str, tuple[str | bytes, str]] = {
    "nested": ("[" * 100_000 + "]" * 100_000, "the JSON is nested too deeply"),
    "huge number": (
        '{"documents": [{"text": "a", "annotations": [{"label": "C", "start": '
        + "9" * 5000
        + ', "end": 1}]}]}',
        "the JSON holds a number too long to read (over 4300 digits)",
    ),
    "invalid UTF-8": (b'{"documents": [{"text": "caf\xe9"}]}', "is not UTF-8 text (byte 28)"),
    "NUL in text": (
        json.dumps({"documents": [{"text": "ab\0cd"}]}),
        "document 1 ('ab\\x00cd'): its text holds a NUL character (at 2)",
    ),
    "lone surrogate": (
        '{"documents": [{"text": "ab\\ud83d cd"}]}',
        "its text holds an unpaired surrogate (U+D83D at 2), which is not valid Unicode",
    ),
    "surrogate in a note": (
        span_json({"label": "Claim", "start": 0, "end": 2, "note": "x\udc00"}),
        "annotation 1: its note holds an unpaired surrogate",
    ),
    "control in a label": (
        span_json({"label": "Cl\u0007aim", "start": 0, "end": 2}),
        "annotation 1: label name holds a control character (U+0007)",
    ),
    "control in a defined label": (
        json.dumps({"labels": [{"name": "A\u001bB"}], "documents": [{"text": "ab"}]}),
        "label 'A\\x1bB': its name holds a control character",
    ),
    "span beyond the text": (
        span_json({"label": "Claim", "start": 3, "end": 99}),
        "the span ends beyond the text (length 5)",
    ),
    "negative span": (
        span_json({"label": "Claim", "start": -1, "end": 2}),
        "start must be at least 0 and before end",
    ),
    "mismatched text": (
        span_json({"label": "Claim", "start": 0, "end": 2, "text": "zz"}),
        "does not match the document's text",
    ),
}


def bad_json(path: Path, case: str) -> Path:
    content = BAD_JSON[case][0]
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_bad_json_is_refused_whole(project: Project, tmp_path: Path, case: str) -> None:
    fragment = BAD_JSON[case][1]
    good_first = {
        "text": "A good document that comes first.",
        "annotations": [{"label": "Claim", "start": 0, "end": 6}],
    }
    path = bad_json(tmp_path / "bad.json", case)
    if case not in ("nested", "huge number", "invalid UTF-8"):  # a good document, then the bad
        data = json.loads(path.read_text(encoding="utf-8"))
        data["documents"].insert(0, good_first)
        for document in data["documents"][1:]:
            document["title"] = document["text"]
        path.write_text(json.dumps(data), encoding="utf-8")
        fragment = fragment.replace("document 1", "document 2")
    refused(project, path, fragment)


def test_control_characters_in_free_text_are_removed(project: Project, tmp_path: Path) -> None:
    """Notes, titles, annotator names, descriptions, metadata and text attributes: C0 controls
    other than tab and newline go, CR LF becomes LF. The document text stays verbatim."""
    path = write_json(
        tmp_path / "controls.json",
        {
            "labels": [{"name": "Claim", "description": "Desc\u0007ription"}],
            "documents": [
                {
                    "title": "Ti\u0000tle\u001b[31m",
                    "text": "Body\u000bwith\ttab\u0007 kept",
                    "metadata": {"k\u0001": ["v\u0002", 1]},
                    "annotations": [
                        {
                            "label": "Claim",
                            "start": 0,
                            "end": 4,
                            "note": "line one\r\nline\u0008 two\ttab",
                            "annotator": "an\u007fa",
                            "attributes": {"speaker": "S\u0003"},
                        }
                    ],
                }
            ],
        },
    )
    assert import_file(project, path).outcome is Outcome.IMPORTED
    (document,) = [project.document(d.id) for d in project.documents()]
    assert document.title == "Title[31m"
    assert document.text == "Body\u000bwith\ttab\u0007 kept"
    assert document.metadata == {"k": ["v", 1]}
    (annotation,) = project.annotations()
    assert (annotation.note, annotation.annotator, annotation.attributes) == (
        "line one\nline two\ttab",
        "ana",
        {"speaker": "S"},
    )
    assert project.labels()[0].description == "Description"


def test_nul_bytes_in_a_text_file(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Looks like text\x00but is not " * 20)
    refused(project, path, "binary file")


def test_the_cli_names_the_file_for_every_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    files = []
    for n, case in enumerate(sorted(BAD_JSON)):
        files.append(bad_json(tmp_path / f"bad{n}.json", case))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(detect.MAX_FILE_BYTES + 1)
    files.append(huge)
    assert main(["import", str(project), *map(str, files)]) == 2  # every file refused
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == len(files)
    for line, path in zip(lines, files, strict=True):
        assert line.startswith(f"error: {path}: "), line
    assert not project.exists()  # nothing came in: no empty project is left behind
