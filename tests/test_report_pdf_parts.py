"""The PDF report printed in parts (issue 28): WeasyPrint holds a document's every page until it
writes it, so a big report is cut into complete HTML pages, printed one at a time and joined,
with the "page / pages" footers stamped over the whole. The cuts must lose nothing: the article
whole, every mark and note once, a table's heads on its continuation, the same text layer."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from annotator import service
from annotator.io import html_parts, report_html, report_pdf
from annotator.store.project import Project
from tests.helpers.pdf_printer import needs_pdf_printer

from .conftest import SAMPLE
from .test_report import annotate, parse, text_of
from .test_report_pdf_text import pdftotext

SMALL = 3000  # characters of markup a part: the sample report in a dozen parts


@pytest.fixture
def report_project(project: Project) -> Project:
    annotate(project)  # two annotators, claims and relations, Chinese, Arabic
    service.import_file(project, SAMPLE)  # and a second, longer article
    return project


def test_the_parts_hold_the_whole_report_once(report_project: Project) -> None:
    report = service.report(report_project)
    whole = parse(report_html.render(report))
    parts = [parse(p) for p in html_parts.split(report_html.pieces_for_print(report), SMALL)]
    assert len(parts) > 5

    for part in parts:  # each a page of its own, with the report's style sheet
        assert part.find(".//head/style") is not None and part.find(".//main") is not None

    def articles(tree):  # type: ignore[no-untyped-def]
        return [e for e in tree.iter("div") if e.get("class") == "article"]

    # Each document's article, cut between lines, reads whole across the parts.
    texts = [text_of(a) for part in parts for a in articles(part)]
    assert len(texts) > len(articles(whole))
    assert "".join(texts) == "".join(text_of(a) for a in articles(whole))
    for d in report.documents:
        assert d.document.text in "".join(texts)

    # Every mark once, as it is in the page printed whole (none cut in two).
    def marks(tree):  # type: ignore[no-untyped-def]
        return [(m.get("data-annotations"), m.get("data-n"), text_of(m)) for m in tree.iter("mark")]

    assert [m for part in parts for m in marks(part)] == marks(whole)

    # The notes keep their numbers across the cuts; each is printed once.
    def notes(tree):  # type: ignore[no-untyped-def]
        return [(li.get("value"), text_of(li)) for li in tree.iter("li") if li.get("value")]

    assert [n for part in parts for n in notes(part)] == notes(whole)

    # A table continued in the next part gets its column heads again.
    for part in parts:
        for table in part.iter("table"):
            assert table.find(".//thead/tr/th") is not None
    rows = [text_of(tr) for part in parts for tr in part.iter("tr") if tr.find("td") is not None]
    assert rows == [text_of(tr) for tr in whole.iter("tr") if tr.find("td") is not None]


def _pages(path: Path) -> list[str]:
    return pdftotext(path).split("\f")[: len(PdfReader(path).pages)]


@needs_pdf_printer
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_a_pdf_in_parts_reads_as_the_pdf_printed_whole(
    report_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = service.report(report_project)
    whole = tmp_path / "whole.pdf"
    report_pdf.write(report, whole, "a4")
    monkeypatch.setattr(report_pdf, "PART_BUDGET", SMALL)
    cut = tmp_path / "cut.pdf"
    count = report_pdf.write(report, cut, "a4")
    assert count == len(PdfReader(cut).pages) > len(PdfReader(whole).pages)  # parts end pages

    # Every page's footer counts over the whole PDF, as a single print's does.
    footer = re.compile(rf"^{re.escape(report.title)} · (\d+) / (\d+)$", re.MULTILINE)
    for number, page in enumerate(_pages(cut), 1):
        assert [m.groups() for m in footer.finditer(page)] == [(str(number), str(count))]
    assert PdfReader(cut).metadata.title == report.title

    def words(path: Path) -> list[str]:  # the text layer less the footers
        return " ".join(footer.sub("", page) for page in _pages(path)).split()

    # The same words (pdftotext orders a page's lines by where they stand, and a chart's labels
    # stand elsewhere once a part ends a page; the order is the markup's, tested above).
    assert Counter(words(cut)) == Counter(words(whole))
    phrase = "All other Asean member states are also Tier 2, except for Singapore"
    assert phrase in " ".join(words(cut)) and phrase in " ".join(words(whole))
