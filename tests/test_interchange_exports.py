"""The dataset and spreadsheet exports, read back by independent readers: spaCy (jsonl, DocBin),
seqeval (CoNLL), bioc (brat), csv and openpyxl, and JavaScript-style UTF-16 slicing (doccano,
Label Studio). W3C, ClaimReview and REFI-QDA: test_interchange_linked_data.py."""

from __future__ import annotations

import csv
import json
import re
import shlex
import sys
from pathlib import Path

import pytest

from annotator.store.project import Project
from tests.helpers.interchange import build, export


@pytest.fixture
def rich(project: Project) -> Project:
    return build(project)


def word_aligned(text: str, start: int, end: int) -> bool:
    """Whether a span starts and ends at boundaries spaCy's English tokenizer also makes."""
    import spacy

    doc = spacy.blank("en")(text)
    return doc.char_span(start, end, alignment_mode="strict") is not None


# -- jsonl -------------------------------------------------------------------------------------


def test_jsonl_spans_are_code_points_spacy_agrees(rich: Project, tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    target = tmp_path / "out.jsonl"
    export(rich, "jsonl", target)
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    aligned = 0
    for line in lines:
        assert set(line) == {"text", "meta", "spans"}
        doc = nlp(line["text"])
        for span in line["spans"]:
            assert line["text"][span["start"] : span["end"]] == span["text"]
            strict = doc.char_span(span["start"], span["end"], alignment_mode="strict")
            if strict is not None:
                aligned += 1
                assert strict.text == span["text"]
    assert aligned >= 8
    news = next(line for line in lines if line["meta"]["title"].startswith("News"))
    assert news["meta"]["author"] == "Kim Sok"
    family = next(s for s in news["spans"] if s["text"].startswith("👨"))
    assert family["end"] - family["start"] == 5  # code points, not UTF-16 units (8)


# -- spacy -------------------------------------------------------------------------------------


def test_spacy_docbin_reads_back_with_spacy(rich: Project, tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    target = tmp_path / "out.spacy"
    report = export(rich, "spacy", target)
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(target).get_docs(nlp.vocab))
    project_docs = {rich.document(d.id).text: d.id for d in rich.documents()}
    assert sorted(doc.text for doc in docs) == sorted(project_docs)
    widened = 0
    for doc in docs:
        expected = rich.annotations(project_docs[doc.text])
        spans = list(doc.spans["sc"])
        assert len(spans) == len(expected)
        for a, span in zip(
            sorted(expected, key=lambda a: a.id), sorted(spans, key=lambda s: s.id_), strict=True
        ):
            assert span.label_ == a.label
            assert span.start_char <= a.start and span.end_char >= a.end
            if word_aligned(doc.text, a.start, a.end) and span.text != a.text:
                pytest.fail(f"word-aligned span {a.text!r} came back as {span.text!r}")
            widened += span.text != a.text
        ents = list(doc.ents)
        assert all(e1.end <= e2.start for e1, e2 in zip(ents, ents[1:], strict=False))
        assert doc.user_data["title"] in {d.title for d in rich.documents()}
    assert widened >= 1 and any("widened" in note for note in report.notes)
    assert any("not in doc.ents" in note for note in report.notes)


def test_spacy_export_without_spacy_says_how_to_get_it(
    rich: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    from annotator.core.errors import AnnotatorError

    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object) -> object:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    hint = f"{shlex.quote(sys.executable)} -m pip install 'spacy>=3.7,<4'"
    with pytest.raises(AnnotatorError, match=re.escape(hint)):
        export(rich, "spacy", tmp_path / "out.spacy")
    assert not (tmp_path / "out.spacy").exists()


# -- conll -------------------------------------------------------------------------------------


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if sentences[-1]:
                sentences.append([])
            continue
        token, tag = line.rsplit(" ", 1)
        if token == "-DOCSTART-" or line.startswith("-DOCSTART-"):
            continue
        sentences[-1].append((token, tag))
    return [s for s in sentences if s]


def test_conll_is_strict_iob2_for_seqeval(rich: Project, tmp_path: Path) -> None:
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    target = tmp_path / "out.conll"
    report = export(rich, "conll", target)
    content = target.read_text(encoding="utf-8")
    assert content.count("-DOCSTART- -X- -X- O\n") == 2
    sentences = read_conll(target)
    tags = [[tag for _, tag in s] for s in sentences]
    strict = Entities(tags, IOB2).entities
    lenient = get_entities(tags)
    found = sorted((e.tag, e.start, e.end) for sentence in strict for e in sentence)
    assert len(found) == len(lenient)  # strict IOB2 drops nothing: every I- follows its B-
    assert all(tag == "O" or re.fullmatch(r"[BI]-\S+", tag) for s in tags for tag in s)
    entities = {
        (e.tag, " ".join(sentences[e.sent_id][i][0] for i in range(e.start, e.end)))
        for sentence in strict
        for e in sentence
    }
    assert ("Tier_rating", "Tier 2") not in entities  # inside the longer Claim: dropped
    assert ("Claim", "Cambodia 🇰🇭 moved to Tier 2") in entities
    assert ("Organisation", "Ministry of Women ’ s Affairs") in entities
    assert ("Quote", "“ We are proud , ”") not in entities  # overlaps the multi-line Claim
    assert ("Claim", "👨\u200d👩\u200d👧") in entities
    assert ("Quote", "تقرير عن الاتجار") in entities
    assert ("Organisation", "東京都に住む人は多い") in entities  # widened to the whole run
    assert ("Claim", "proud , ” said Naly Pilorge of Licadho . A ZWJ family") in entities
    assert any("left out" in note for note in report.notes)
    assert any("widened" in note for note in report.notes)


# -- brat --------------------------------------------------------------------------------------


def test_brat_folder_reads_with_bioc_and_matches(rich: Project, tmp_path: Path) -> None:
    from bioc import brat as bioc_brat
    from bioc.brat.validator import validate

    target = tmp_path / "brat"
    export(rich, "brat", target)
    names = sorted(p.name for p in target.iterdir())
    assert "annotation.conf" in names and "visual.conf" in names
    assert len([n for n in names if n.endswith(".ann")]) == 2
    texts = {rich.document(d.id).text: d.id for d in rich.documents()}
    for ann in sorted(target.glob("*.ann")):
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        assert text in texts  # the exact canonical text
        doc = bioc_brat.loads(text, ann.read_text(encoding="utf-8"), ann.stem)
        problems: list[str] = []
        validate(doc, onerror=problems.append)
        multi = [e for e in doc.entities if len(e.locations) > 1]
        # bioc joins fragments without a separator; brat (and we) join them with a space.
        assert len(problems) == len(multi), problems
        for entity in multi:
            pieces = sorted(entity.locations)
            assert " ".join(text[i.begin : i.end] for i in pieces) == entity.text
        expected = sorted(
            (a.label.replace(" ", "_"), a.start, a.end) for a in rich.annotations(texts[text])
        )
        got = sorted((e.type, *e.total_span) for e in doc.entities)
        trimmed = [(t, s, e) for t, s, e in got if (t, s, e) not in expected]
        assert len(got) == len(expected) and not trimmed
        by_id = {e.id: e for e in doc.entities}
        for attribute in doc.attributes:
            assert attribute.refid in by_id and " " not in attribute.type
        notes = {(n.type, by_id[n.refid].text): n.text for n in doc.notes}
        if "Naly Pilorge" in text:
            assert notes[("speaker", "“We are proud,”")] == "Naly Pilorge"
            assert (
                notes[("AnnotatorNotes", "Cambodia 🇰🇭 moved to Tier 2")]
                == "checked with the report"
            )
    conf = (target / "annotation.conf").read_text(encoding="utf-8")
    assert "\nTier_rating\n" in conf and "Value:unverified|true|mostly_true" in conf


def test_brat_refuses_to_replace_a_folder_of_other_files(rich: Project, tmp_path: Path) -> None:
    from annotator.core.errors import AnnotatorError

    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(AnnotatorError, match="the folder is not empty"):
        export(rich, "brat", target)
    assert [p.name for p in target.iterdir()] == ["thesis.docx"]
    export(rich, "brat", tmp_path / "again")
    with pytest.raises(AnnotatorError, match="not empty"):  # nor a previous export
        export(rich, "brat", tmp_path / "again")
    assert len(list((tmp_path / "again").glob("*.ann"))) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- csv / xlsx --------------------------------------------------------------------------------


def test_csv_has_bom_and_one_row_per_annotation(rich: Project, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    export(rich, "csv", target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert len(rows) == len(rich.annotations())
    assert list(rows[0])[:6] == ["document", "document_id", "label", "start", "end", "text"]
    assert {"verdict", "checkworthy", "speaker", "type", "tier", "subject", "year"} <= set(rows[0])
    assert list(rows[0])[-4:] == ["note", "annotator", "created", "modified"]
    claim = next(r for r in rows if r["text"].startswith("Cambodia"))
    assert (claim["verdict"], claim["checkworthy"], claim["note"]) == (
        "mostly true",
        "true",
        "checked\nwith the report",
    )
    texts = {d.title: rich.document(d.id).text for d in rich.documents()}
    for row in rows:
        assert texts[row["document"]][int(row["start"]) : int(row["end"])] == row["text"]


def test_csv_and_xlsx_keep_formulas_inert(project: Project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from annotator.core.model import ImportedBundle, ImportedDocument

    text = '=HYPERLINK("http://evil.example") said -5 people'
    doc = project.import_bundle(ImportedBundle([ImportedDocument(text, "t")])).added[0].id
    project.add_annotation(doc, "Claim", 0, 33)
    project.add_annotation(doc, "Quote", 39, 41)
    report = export(project, "csv", tmp_path / "out.csv")
    rows = list(csv.reader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][5] == "'" + text[:33] and rows[2][5] == "-5"
    assert any("formulas" in note for note in report.notes)
    export(project, "xlsx", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet["F2"].value == text[:33] and sheet["F2"].data_type == "s"


def test_xlsx_reads_back_with_openpyxl(rich: Project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "out.xlsx"
    export(rich, "xlsx", target)
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == len(rich.annotations())
    index = {name: n for n, name in enumerate(header)}
    tier = next(r for r in body if r[index["label"]] == "Tier rating")
    assert tier[index["year"]] == 2024 and tier[index["tier"]] == "Tier 2"
    claim = next(r for r in body if r[index["text"]].startswith("Cambodia"))
    assert claim[index["checkworthy"]] is True
    assert {r[index["text"]] for r in body} == {a.text for a in rich.annotations()}


# -- doccano / labelstudio ---------------------------------------------------------------------


def test_doccano_counts_utf16_units_and_labelstudio_code_points(
    rich: Project, tmp_path: Path
) -> None:
    export(rich, "doccano", tmp_path / "out.jsonl")
    export(rich, "labelstudio", tmp_path / "out.json")
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8-sig").splitlines()]
    tasks = json.loads((tmp_path / "out.json").read_text("utf-8"))

    def js_slice(text: str, start: int, end: int) -> str:  # what JavaScript's slice returns
        return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")

    expected = sorted((a.label, a.text) for a in rich.annotations())
    got = sorted(
        (label, js_slice(line["text"], s, e)) for line in lines for s, e, label in line["label"]
    )
    assert got == expected
    results = [
        (r["value"], t["data"]["text"])
        for t in tasks
        for a in t["annotations"]
        for r in a["result"]
        if r["type"] == "labels"
    ]
    # Label Studio 1.23 counts code points: Python's own slices
    assert sorted((v["labels"][0], text[v["start"] : v["end"]]) for v, text in results) == expected
    assert all(text[v["start"] : v["end"]] == v["text"] for v, text in results)
    assert any(js_slice(text, v["start"], v["end"]) != v["text"] for v, text in results)
