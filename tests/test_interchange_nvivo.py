"""A real NVivo 12.6 REFI-QDA export (../shared/samples/interop/nvivo12-export.qdpx): UTF-16
positions with CRLF counted as two, hierarchical codes, two users, emoji."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.io.detect import read_file
from annotator.service import Outcome, import_file
from annotator.store.project import Project

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def sample(shared_dir: Path) -> Path:
    path = shared_dir / "samples" / "interop" / "nvivo12-export.qdpx"
    if not path.is_file():
        pytest.skip(f"the NVivo sample is not in ../shared (looked for {path})")
    return path


def code_paths(root: etree._Element) -> dict[str, str]:
    paths: dict[str, str] = {}

    def walk(parent: etree._Element, prefix: str) -> None:
        for code in parent.findall("q:Code", NS):
            paths[code.get("guid")] = prefix + code.get("name")
            walk(code, f"{prefix}{code.get('name')}/")

    walk(root.find("q:CodeBook/q:Codes", NS), "")
    return paths


def test_every_nvivo_coding_lands_on_the_text_it_names(sample: Path) -> None:
    with zipfile.ZipFile(sample) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    paths = code_paths(root)
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    selections = list(root.iterfind(".//q:PlainTextSelection", NS))
    bundle = read_file(sample)
    coded = next(d for d in bundle.documents if d.annotations)
    assert [d.title for d in bundle.documents] == ["videos_selection", "videos_10_selected"]
    assert all(
        d.metadata["positions"].startswith("UTF-16 code units, line breaks (CRLF) counted as two")
        for d in bundle.documents
    )
    assert len(coded.annotations) == len(selections) == 303
    by_id = {a.id: a for a in coded.annotations}
    at_word_edges = 0
    for selection in selections:
        a = by_id[selection.get("guid")]
        text = coded.text[a.start : a.end]
        if selection.get("name"):
            assert text == selection.get("name")
        label = paths[selection.find("q:Coding/q:CodeRef", NS).get("targetGUID")]
        assert a.label == label and "/" in label  # hierarchical codes: Parent/Child
        assert a.annotator == users[selection.get("creatingUser")]
        at_word_edges += not re.match(
            r"\w", coded.text[a.start - 1 : a.start] + "!"
        ) or not re.match(r"\w", text)
    assert at_word_edges >= 290  # 3 of NVivo's 303 selections start inside a word
    assert (
        sum(
            bool(re.search("[\U00010000-\U0010ffff]", coded.text[a.start : a.end]))
            for a in coded.annotations
        )
        == 26
    )  # emoji inside selections survive
    assert {a.annotator for a in coded.annotations} == {"Gergo", "floriansipos"}
    first = by_id["7154a758-6873-4134-badd-ae1dc04d3086"]
    assert coded.text[first.start : first.end].startswith("Senkit nem lehet kötelezni oltásra")
    assert first.label == "2. Attitűd szint az oltáshoz/piros"
    labels = {label.name for label in bundle.labels}
    assert "1. Oltás típusa/COVID" in labels and "Attituderoots" not in labels  # not codable


def test_nvivo_sample_imports_into_a_project(sample: Path, project: Project) -> None:
    outcome = import_file(project, sample)
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert sum(d.annotation_count for d in project.documents()) == 303
    for d in project.documents():
        assert project.document(d.id).metadata["positions"].startswith("UTF-16 code units")


def rewrite(sample: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the sample whose project.qde went through ``change(root, archive)``."""
    with zipfile.ZipFile(sample) as archive, zipfile.ZipFile(target, "w") as out:
        root = etree.fromstring(archive.read("project.qde"))
        change(root, archive)
        for member in archive.infolist():
            data = (
                etree.tostring(root, xml_declaration=True, encoding="utf-8")
                if member.filename == "project.qde"
                else archive.read(member)
            )
            out.writestr(member, data)
    return target


def test_without_the_nvivo_origin_word_boundaries_still_find_utf16(
    sample: Path, tmp_path: Path
) -> None:
    def anonymous(root: etree._Element, archive: zipfile.ZipFile) -> None:
        del root.attrib["origin"]

    bundle = read_file(rewrite(sample, tmp_path / "anonymous.qdpx", anonymous))
    assert (
        bundle.documents[1].metadata["positions"]
        == "UTF-16 code units, line breaks (CRLF) counted as two (from word boundaries)"
    )


def test_selection_names_decide_and_a_wrong_name_refuses(sample: Path, tmp_path: Path) -> None:
    def named(root: etree._Element, archive: zipfile.ZipFile, wrong: bool = False) -> None:
        for source in root.iterfind(".//q:TextSource", NS):
            member = next(
                m for m in archive.namelist() if source.get("guid") in m and m.endswith(".txt")
            )
            raw = archive.read(member).decode("utf-8-sig").encode("utf-16-le")
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = (int(selection.get(k)) for k in ("startPosition", "endPosition"))
                selection.set("name", raw[2 * start : 2 * end].decode("utf-16-le"))
        if wrong:
            root.find(".//q:PlainTextSelection", NS).set("name", "something else")

    bundle = read_file(rewrite(sample, tmp_path / "named.qdpx", named))
    coded = bundle.documents[1]
    assert (
        coded.metadata["positions"]
        == "UTF-16 code units, line breaks (CRLF) counted as two (from the selection names)"
    )
    assert len(coded.annotations) == 303
    broken = rewrite(
        sample, tmp_path / "wrong.qdpx", lambda root, archive: named(root, archive, wrong=True)
    )
    from annotator.core.errors import ImportFailed

    with pytest.raises(ImportFailed) as caught:
        read_file(broken)
    assert (
        "document 'videos_10_selected', selection 7154a758-6873-4134-badd-ae1dc04d3086 "
        "(3137..3284): its name 'something else' does not match" in str(caught.value)
    )
