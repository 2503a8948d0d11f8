"""Reports: the marks re-assemble every span, the HTML is self-contained, the PDF's text layer
holds the article in every script, and bad output paths are refused with one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QUrl

from annotator import service
from annotator.cli import main
from annotator.core.model import Annotation
from annotator.core.report import ReportOptions, build_report, context, mark_segments, sentence
from annotator.io import report_html
from annotator.store.project import Project
from tests.helpers.pdf_printer import needs_pdf_printer

from .conftest import FIXTURES
from .reliability import as_ordinary_user, reachable_tmp

ARTICLE = FIXTURES / "report" / "multiscript.txt"  # not in the importers' fuzz corpus
SVG = "{http://www.w3.org/2000/svg}"

# (label, phrase, occurrence, attributes, annotator): overlaps of every kind, a span across a
# paragraph break, spans holding emoji, CJK and Arabic.
SPANS = [
    (
        "Claim",
        "The ministry said rainfall rose 12 percent this week",
        0,
        {"verdict": "mostly true", "checkworthy": True},
        "ana",
    ),
    ("Organisation", "ministry", 0, {"type": "government"}, "ana"),  # inside the claim
    (
        "Claim",
        "rainfall rose 12 percent this week, the highest since records began",
        0,
        {"verdict": "unverified"},
        "ben",
    ),  # crosses the first claim
    ("Quote", "The dams are safe,", 0, {"speaker": "the minister"}, "ana"),
    ("Quote", "The dams are safe,", 0, {"speaker": "minister"}, "ben"),  # the same range twice
    ("Claim", "官员说堤坝是安全的", 0, {"verdict": "true"}, "ana"),
    ("Organisation", "الوزارة", 0, {"type": "government"}, "ana"),
    ("Claim", "وأكد المسؤولون أن السدود آمنة", 0, {"verdict": "false"}, "ben"),
    ("Quote", "we are fine 🙂", 0, {"speaker": "a volunteer"}, "ana"),
    ("Tier rating", "posted 🌧️ updates", 0, {}, "ana"),
    ("Tier rating", "长江水位仍在上涨。\n\nقالت", 0, {}, "ben"),  # across a paragraph break
]

AGREEMENT = {
    "annotators": ["ana", "ben"],
    "documents": 1,
    "overall": {"alpha": 0.712, "kappa": 0.65, "f1_exact": 0.5, "f1_overlap": None},
    "labels": {
        "Claim": {
            "alpha": 0.41,
            "kappa": None,
            "f1_exact": 0.25,
            "f1_overlap": 0.8,
            "spans": {"ana": 2, "ben": 2},
        },
        "Quote": {
            "alpha": -0.2,
            "kappa": -0.1,
            "f1_exact": 1.0,
            "f1_overlap": 1.0,
            "spans": {"ana": 2, "ben": 1},
        },
    },
    "pairs": [
        {
            "annotators": ["ana", "ben"],
            "alpha": 0.712,
            "kappa": 0.65,
            "f1_exact": 0.5,
            "f1_overlap": None,
        }
    ],
}


def annotate(project: Project, spans=SPANS) -> str:  # type: ignore[no-untyped-def]
    outcome = service.import_file(project, ARTICLE)
    assert outcome.outcome is service.Outcome.IMPORTED, outcome.message
    document = project.documents()[0]
    text = project.document(document.id).text
    for label, phrase, occurrence, attributes, annotator in spans:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        project.add_annotation(
            document.id,
            label,
            start,
            start + len(phrase),
            attributes=attributes,
            annotator=annotator,
            note="checked twice" if label == "Quote" else "",
        )
    return document.id


@pytest.fixture
def report_project(project: Project) -> Project:
    annotate(project)
    return project


def parse(markup: str) -> ET.Element:
    return html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def article_marks(article: ET.Element) -> list[tuple[int, int, list[str]]]:
    """(start, end, ids) of each mark, by walking the article's text in order: marks, the
    headline's span and right-to-left lines' divs, nothing else."""
    marks: list[tuple[int, int, list[str]]] = []

    def walk(element: ET.Element, position: int) -> int:
        position += len(element.text or "")
        for child in element:
            if child.tag == "mark":
                length = len(text_of(child))
                marks.append(
                    (position, position + length, child.get("data-annotations", "").split())
                )
                position += length
            else:
                wrapper = (child.tag, child.get("class"), child.get("dir"))
                assert wrapper in {("span", "headline", None), ("div", None, "rtl")}, wrapper
                position = walk(child, position)
            position += len(child.tail or "")
        return position

    walk(article, 0)
    return marks


# -- the model ------------------------------------------------------------------------------


def spans_strategy():  # type: ignore[no-untyped-def]
    pair = st.tuples(st.integers(0, 60), st.integers(1, 20))
    return st.lists(pair, max_size=25).map(
        lambda pairs: [
            Annotation(f"a{i}", "d", "XY"[i % 2], s, s + n, "") for i, (s, n) in enumerate(pairs)
        ]
    )


@given(spans_strategy())
def test_marks_never_overlap_and_reassemble_every_span(spans: list[Annotation]) -> None:
    text = "".join(chr(0x61 + i % 26) for i in range(90))
    marks = mark_segments(sorted(spans, key=lambda a: (a.start, a.end)))
    for first, second in zip(marks, marks[1:], strict=False):
        assert first.end <= second.start
        assert first.ids != second.ids or first.end < second.start  # neighbours differ
    for a in spans:
        pieces = [m for m in marks if a.id in m.ids]
        assert "".join(text[m.start : m.end] for m in pieces) == text[a.start : a.end]
        assert pieces[0].start == a.start and pieces[-1].end == a.end
    covered = {p for a in spans for p in range(a.start, a.end)}
    assert covered == {p for m in marks for p in range(m.start, m.end)}


def test_sentence_and_context_stay_near_the_span() -> None:
    text = "First one. The U.S. said 3.5 percent rose! Next one here.\n\n新的。官员说安全。后面"
    at = text.index("said")
    assert sentence(text, at, at + 4) == ("The U.S. ", "said", " 3.5 percent rose!")
    at = text.index("官员")
    assert sentence(text, at, at + 2) == ("", "官员", "说安全。")
    found = context(text, text.index("Next"), text.index("Next") + 4, width=20)
    assert found.text == "Next" and found.before.startswith("…") and found.after == " one here."


def test_unknown_document_label_or_annotator_is_refused(report_project: Project) -> None:
    for options, message in (
        (ReportOptions(labels=("Nope",)), "unknown label 'Nope'"),
        (ReportOptions(annotators=("zoe",)), "unknown annotator 'zoe'"),
        (ReportOptions(document_ids=("missing",)), "no document 'missing'"),
    ):
        with pytest.raises(Exception, match=message) as caught:
            service.report(report_project, options)
        assert str(caught.value).startswith(f"{report_project.path}: ")


# -- HTML -----------------------------------------------------------------------------------


def test_a_right_to_left_line_is_a_paragraph_marked_rtl(report_project: Project) -> None:
    """The Arabic line gets ``dir="rtl"`` (WeasyPrint ignores ``unicode-bidi: plaintext``), the
    others none; a mark running into it from the line before is cut at the line's start."""
    (item,) = service.documents_with_annotations(report_project)
    text = item.document.text
    tree = parse(report_html.render(service.report(report_project)))
    article = tree.find(".//div[@class='article']")
    arabic = next(line for line in text.split("\n") if line.startswith("قالت"))
    (rtl,) = [div for div in article.iter("div") if div.get("dir")]
    assert rtl.get("dir") == "rtl" and text_of(rtl) == arabic + "\n"
    crossing = [a.id for a in item.annotations if "\n\nقالت" in a.text]
    assert crossing, "the fixture's Tier rating runs into the Arabic line"
    inside = [m.get("data-annotations").split() for m in rtl.iter("mark")]
    assert crossing[0] in inside[0]
    assert text_of(article) == text


def test_every_span_reassembles_from_its_marks_and_the_text_is_whole(
    report_project: Project,
) -> None:
    (item,) = service.documents_with_annotations(report_project)
    document, annotations = item.document, item.annotations
    tree = parse(report_html.render(service.report(report_project)))
    article = tree.find(".//div[@class='article']")
    assert text_of(article) == document.text
    assert tree.find(".//mark//mark") is None
    assert len(list(tree.iter("mark"))) == len(list(article.iter("mark")))  # marks: the article
    marks = article_marks(article)
    assert len(annotations) == len(SPANS)
    for a in annotations:
        pieces = [(s, e) for s, e, ids in marks if a.id in ids]
        assert "".join(document.text[s:e] for s, e in pieces) == a.text, a.label
        assert pieces[0][0] == a.start and pieces[-1][1] == a.end
        assert all(e == s for (_, e), (s, _) in zip(pieces, pieces[1:], strict=False))
    overlapped = [m for m in article.iter("mark") if len(m.get("data-annotations").split()) > 1]
    assert overlapped and all("o" in m.get("class").split() for m in overlapped)


def test_html_is_self_contained(report_project: Project) -> None:
    markup = report_html.render(service.report(report_project, figures=AGREEMENT))
    tree = parse(markup)
    assert tree.find(".//script") is None and "<script" not in markup.lower()
    for element in tree.iter():
        assert not str(element.tag).endswith(("script", "iframe", "link", "object", "embed"))
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name}"
            if name.lower().endswith(("href", "src", "action", "srcset", "poster", "data")):
                assert value.startswith("#"), f"<{element.tag} {name}={value!r}>"
    css = " ".join(text_of(style) for style in tree.iter("style"))
    assert "url(" not in css and "@import" not in css
    assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", markup)
    assert tree.find(".//meta[@name='viewport']") is not None
    assert "@media print" in css and "@media (max-width" in css


def test_notes_claims_coded_segments_and_counts(report_project: Project) -> None:
    tree = parse(report_html.render(service.report(report_project)))
    notes = tree.find(".//ol[@class='notes']")
    items = list(notes)
    assert len(items) == len(SPANS)
    assert [int(li.get("value")) for li in items] == list(range(1, len(SPANS) + 1))
    first = text_of(items[0])
    assert "Claim" in first and "verdict: mostly true" in first and "ana" in first
    assert any("checked twice" in text_of(li) for li in items)
    numbered = [m.get("data-n") for m in tree.iter("mark") if m.get("data-n")]
    assert sorted(int(n) for value in numbered for n in value.split(",")) == list(
        range(1, len(SPANS) + 1)
    )

    claims = tree.find(".//section[@id='claims']")
    rows = claims.findall(".//tbody/tr")
    assert len(rows) == 4
    assert "官员说堤坝是安全的" in text_of(rows[2]) and "true" in text_of(rows[2])
    assert text_of(rows[0]).count("The ministry said") == 1

    coded = tree.find(".//section[@id='coded']")
    headings = [text_of(h) for h in coded.iter("h3")]
    assert headings == ["Claim (4)", "Quote (3)", "Organisation (2)", "Tier rating (2)"]
    quote_list = coded.findall(".//ul")[1]
    assert "we are fine 🙂" in text_of(quote_list)

    counts = tree.find(".//section[@id='counts']")
    tables = counts.findall(".//table")
    assert [text_of(td) for td in tables[0].findall(".//tbody/tr/td")][1:] == [
        "4",
        "3",
        "2",
        "2",
        "11",
    ]
    annotators = [[text_of(td) for td in tr] for tr in tables[1].findall(".//tbody/tr")]
    assert annotators == [["ana", "2", "2", "2", "1", "7"], ["ben", "2", "1", "0", "1", "4"]]
    charts = counts.findall(f".//{SVG}svg")
    charts += tree.find(".//section[@id='agreement']").findall(f".//{SVG}svg")
    assert len(charts) == 3  # labels, annotators, and the agreement of ana and ben
    assert all(chart.find(f"{SVG}rect") is not None for chart in charts)


def test_agreement_figures_render_as_table_and_chart(report_project: Project) -> None:
    tree = parse(report_html.render(service.report(report_project, figures=AGREEMENT)))
    counts = tree.find(".//section[@id='agreement']")
    text = text_of(counts)
    assert "Agreement" in text and "Between ana, ben, over 1 documents." in text
    agreement = counts.findall(".//table")[0]
    rows = [[text_of(td) for td in tr] for tr in agreement.findall(".//tbody/tr")]
    assert rows[0] == ["Overall", "0.712", "0.650", "0.500", "n/a", ""]
    assert rows[2][:3] == ["Quote", "-0.200", "-0.100"] and rows[2][5] == "ana 2, ben 1"
    pairs = counts.findall(".//table")[1]
    assert [text_of(td) for td in pairs.find(".//tbody/tr")][0] == "ana × ben"
    chart = counts.findall(f".//{SVG}svg")[-1]
    assert text_of(chart.find(f"{SVG}title")) == "Agreement by label"
    titles = [text_of(t) for t in chart.iter(f"{SVG}title")]
    assert "Krippendorff α: -0.200" in titles and "n/a" in text_of(chart)


def test_one_annotator_shows_no_annotator_or_agreement_section(project: Project) -> None:
    annotate(project, [s[:4] + ("ana",) for s in SPANS])
    tree = parse(report_html.render(service.report(project)))
    assert "Annotators" not in [text_of(h) for h in tree.iter("h3")]


def test_filters_narrow_the_report(report_project: Project) -> None:
    built = service.report(
        report_project, ReportOptions(annotators=("ben",), labels=("Claim", "Quote"))
    )
    (document,) = built.documents
    assert {a.annotator for a in document.annotations} == {"ben"}
    assert {a.label for a in document.annotations} == {"Claim", "Quote"}
    assert [label.name for label in built.labels] == ["Claim", "Quote"]
    tree = parse(report_html.render(built))
    assert text_of(tree.find(".//div[@class='article']")) == document.document.text
    assert len(tree.findall(".//ol[@class='notes']/li")) == 3


def test_empty_project_and_document_without_annotations_still_render(project: Project) -> None:
    service.import_file(project, ARTICLE)
    markup = report_html.render(
        build_report(
            project.labels(),
            ((d.document, d.annotations) for d in service.documents_with_annotations(project)),
        )
    )
    tree = parse(markup)
    text = project.document(project.documents()[0].id).text
    assert text_of(tree.find(".//div[@class='article']")) == text
    assert "No Claim annotations." in text_of(tree.find(".//section[@id='claims']"))


# -- the command line -----------------------------------------------------------------------


def test_cli_writes_html_and_replaces_an_existing_file_whole(
    report_project: Project, tmp_path: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.html"
    out.write_text("old report", encoding="utf-8")
    path = str(report_project.path)
    assert main(["report", path, "--labels", "Claim, Quote", "-o", str(out)]) == 0
    tree = parse(out.read_text(encoding="utf-8"))
    assert len(tree.findall(".//ol[@class='notes']/li")) == 7

    def broken(_writer: object) -> str:
        raise OSError(28, "No space left on device")

    before = out.read_bytes()
    # The disk fills up late, after the articles were written out.
    monkeypatch.setattr(report_html.HtmlWriter, "counts", broken)
    assert main(["report", path, "-o", str(out)]) == 2
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.html",
        "test.annot",
        "test.annot-shm",
        "test.annot-wal",
    ]
    assert capsys.readouterr().err == (
        f"annotator: error: {out}: cannot be written (No space left on device)\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--labels", "Nope"],
            "unknown label 'Nope' (the project has: Claim, Quote, Organisation, Tier rating)",
        ),
        (["--annotator", "zoe"], "unknown annotator 'zoe' (the project has: ana, ben)"),
    ],
)
def test_cli_bad_arguments_give_one_line(
    report_project: Project,
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
    arguments: list[str],
    message: str,
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(report_project.path), *arguments, "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"annotator: error: {report_project.path}: {message}\n"
    assert not out.exists()


def test_cli_missing_folder_is_refused(report_project: Project, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "nowhere" / "r.pdf"
    assert main(["report", str(report_project.path), "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"annotator: error: {out}: cannot be written: the folder {out.parent} does not exist\n"
    )
    assert not out.parent.exists()


def test_cli_read_only_folder_is_refused_untouched(report_project: Project, capsys) -> None:  # type: ignore[no-untyped-def]
    with reachable_tmp() as base:
        project = base / "p.annot"
        shutil.copy(report_project.path, project)
        folder = base / "read-only"
        folder.mkdir()
        (folder / "r.html").write_text("old", encoding="utf-8")
        os.chmod(folder / "r.html", 0o666)
        os.chmod(project, 0o666)
        os.chmod(folder, 0o555)
        with as_ordinary_user():
            assert main(["report", str(project), "-o", str(folder / "r.html")]) == 2
        assert capsys.readouterr().err == (
            f"annotator: error: {folder / 'r.html'}: cannot be "
            f"written: the folder {folder} is read-only\n"
        )
        assert [p.name for p in folder.iterdir()] == ["r.html"]
        assert (folder / "r.html").read_text(encoding="utf-8") == "old"


# -- PDF ------------------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed"
)


def pdf_text(path: Path) -> str:
    """The text layer as a reader copies it, without the line breaks and the bidi controls
    pdftotext puts around right-to-left runs."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


# Drawn as one ligature glyph whose text is both letters; pdftotext, reversing the glyphs of a
# right-to-left line, also reverses those two letters (pypdf does not).
LAM_ALEF = re.compile("ل[اأإآ]")


@needs_pdf_printer
@needs_poppler
def test_pdf_text_layer_holds_the_article_in_every_script(
    report_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    assert main(["report", str(report_project.path), "--paper", "a4", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    layer = pdf_text(out)
    (document,) = service.report(report_project).documents
    text = document.document.text
    # Note numbers are printed after each highlight: put them where the PDF has them.
    numbered, position = [], 0
    for mark in document.marks:
        numbered.append(text[position : mark.end] + ",".join(str(n) for n in mark.closes))
        position = mark.end
    numbered.append(text[position:])
    paragraphs = "".join(numbered).split("\n\n")
    latin = [p for p in paragraphs if not re.search("[\u0600-\u06ff\u4e00-\u9fff]", p)]
    assert len(latin) == 3
    for paragraph in latin:  # emoji included, as text
        assert squeeze(paragraph) in layer
    assert "🌧️" in layer and "👍🏽" in layer and "🙂" in layer
    # Chinese: in order, whole sentences, the article's own characters (长, not the radical ⻓).
    for sentence_ in ("上海的降雨量创下纪录，官员说堤坝是安全的6。", "长江水位仍在上涨。"):
        assert sentence_ in layer
    # Arabic: each word in logical order, letters not presentation forms.
    arabic = [w for p in paragraphs for w in re.findall(r"[\u0600-\u06ff]+", p)]
    assert len(arabic) == 15
    for word in arabic:
        if not LAM_ALEF.search(word):
            assert word in layer, word
    assert not re.search("[\ufb00-\ufdff\ufe70-\ufeff]", layer)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert f"{squeeze(report_project.path.stem)}·1/{pages}" in layer  # the project's name
    assert f"{pages}/{pages}" in layer
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    rows = [row.split() for row in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded
    families = " ".join(row[0] for row in rows)
    assert "CJK" in families and "Emoji" in families, families


@needs_pdf_printer
@needs_poppler
def test_pdf_letter_paper(report_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert (
        main(
            [
                "report",
                str(report_project.path),
                "--format",
                "pdf",
                "--paper",
                "letter",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_paper_follows_the_locale() -> None:
    from PySide6.QtCore import QLocale

    from annotator.gui.report_pdf import Paper, paper_for_locale

    assert paper_for_locale(QLocale("en_US")) is Paper.LETTER
    assert paper_for_locale(QLocale("fr_CA")) is Paper.LETTER
    assert paper_for_locale(QLocale("en_GB")) is Paper.A4
    assert paper_for_locale(QLocale("zh_CN")) is Paper.A4


def test_coded_segments_group_by_label_then_document(report_project: Project) -> None:
    service.import_file(report_project, FIXTURES / "article.md")
    second = next(
        d for d in report_project.documents() if d.title != "Rain Records Across Three Rivers"
    )
    text = report_project.document(second.id).text
    word = text.split()[3]
    at = text.index(word)
    report_project.add_annotation(second.id, "Claim", at, at + len(word), annotator="ana")
    tree = parse(report_html.render(service.report(report_project)))
    coded = tree.find(".//section[@id='coded']")
    order = [(e.tag, text_of(e)) for e in coded.iter() if e.tag in ("h3", "h4")]
    assert order[:3] == [
        ("h3", "Claim (5)"),
        ("h4", "Rain Records Across Three Rivers"),
        ("h4", second.title),
    ]
    assert [h for h in order if h[0] == "h3"][1] == ("h3", "Quote (3)")
    assert len(tree.findall(".//section[@class='document']")) == 2
    rows = tree.find(".//section[@id='counts']").findall(".//table")[0].findall(".//tr")
    assert [text_of(td) for td in rows[-1]] == ["All documents", "5", "3", "2", "2", "12"]


def test_print_document_holds_every_section_and_the_agreement(
    report_project: Project, qapp
) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.report_document import build_document

    built = service.report(report_project, figures=AGREEMENT)
    document = build_document(built)
    plain = document.toPlainText()
    assert "The ministry2 said rainfall rose 12 percent this week1, the highest" in plain
    assert "官员说堤坝是安全的6。" in plain and "we are fine 🙂11" in plain
    for heading in ("Notes", "Claims", "Coded segments", "Counts", "Annotators", "Agreement"):
        assert f"\n{heading}\n" in plain, heading
    assert "0.712" in plain and "n/a" in plain and "ana × ben" in plain
    assert plain.count("■ Claim (4)") == 1
    images = [
        document.resource(document.ResourceType.ImageResource.value, QUrl(name))
        for name in ("counts.svg", "annotators.svg", "agreement.svg")
    ]
    assert all(image is not None and not image.isNull() for image in images)


def test_preview_lays_out_the_start_and_says_what_it_left_out(
    report_project: Project, qapp
) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.report_document import Preview, build_document

    built = service.report(report_project)
    length = len(built.documents[0].document.text)
    plain = build_document(built, preview=Preview(characters=60, items=2)).toPlainText()
    assert (
        f"… the preview shows the first 60 of {length:,} characters; the saved report holds "
        "everything."
    ) in plain
    assert "The ministry2 said" in plain and "上海" not in plain.split("Notes")[0]
    assert "… 9 more notes; the saved report holds everything." in plain
    assert "… 2 more claims;" in plain and "… 1 more segments;" in plain
    full = build_document(built).toPlainText()
    assert "the saved report holds everything" not in full and "上海" in full


def test_cli_document_by_title_or_id_and_a_title(report_project: Project, tmp_path: Path) -> None:
    service.import_file(report_project, FIXTURES / "article.md")
    first, second = report_project.documents()
    out = tmp_path / "one.html"
    assert (
        main(
            [
                "report",
                str(report_project.path),
                "--document",
                first.title,
                "--document",
                second.id,
                "--title",
                "Desk <review>",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    tree = parse(out.read_text(encoding="utf-8"))
    assert text_of(tree.find(".//h1")) == "Desk <review>"
    assert len(tree.findall(".//section[@class='document']")) == 2
    assert main(["report", str(report_project.path), "--document", second.id, "-o", str(out)]) == 0
    tree = parse(out.read_text(encoding="utf-8"))
    assert [text_of(h) for h in tree.iter("h1")] == [report_project.path.stem]
    assert tree.find(".//section[@id='claims']//tbody") is None  # no claims in that one


# -- relations ------------------------------------------------------------------------------


@pytest.fixture
def claim_with_evidence(report_project: Project) -> tuple[Project, Annotation, Annotation]:
    """The report project with one quote linked as evidence for one claim."""
    spans = report_project.annotations()
    claim = next(a for a in spans if a.label == "Claim")
    quote = next(a for a in spans if a.label == "Quote")
    report_project.add_relation(claim.document_id, "evidence for", quote.id, claim.id)
    return report_project, claim, quote


def test_the_claims_table_lists_the_quotes_linked_to_each_claim(
    claim_with_evidence: tuple[Project, Annotation, Annotation],
) -> None:
    project, claim, quote = claim_with_evidence
    built = service.report(project)
    (row,) = [r for r in built.claims if r.annotation.id == claim.id]
    number = built.documents[0].numbers[quote.id]
    assert row.linked == (("evidence for", number, quote),)
    assert all(not r.linked for r in built.claims if r.annotation.id != claim.id)
    claims = parse(report_html.render(built)).find(".//section[@id='claims']")
    assert [text_of(th) for th in claims.findall(".//thead/tr/th")][-1] == "Evidence"
    linked = [text_of(tr.findall("td")[-1]) for tr in claims.findall(".//tbody/tr")]
    assert linked.count("") == len(linked) - 1
    (cell,) = [c for c in linked if c]
    assert cell.startswith(f"evidence for #{number} ") and quote.text[:20] in cell


@needs_pdf_printer
@needs_poppler
def test_the_pdf_claims_list_names_the_linked_quotes(
    claim_with_evidence: tuple[Project, Annotation, Annotation], tmp_path: Path
) -> None:
    project, _claim, quote = claim_with_evidence
    out = tmp_path / "report.pdf"
    assert main(["report", str(project.path), "-o", str(out)]) == 0
    assert squeeze("evidence for") + "#" in pdf_text(out)
