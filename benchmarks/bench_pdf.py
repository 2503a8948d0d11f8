"""Which PDF reader for article import (issue 28): accuracy on the made two-column report and
speed per page on a long two-column report.

``python -m benchmarks.bench_pdf`` prints both; the suite (``make bench``) runs the speed
scenario. Readers compared, each given the same job (the text of a page, in reading order):

Each reader that gives only text gets the same clean-up as import where its text allows
(:func:`text_reflow`), so the comparison is of what each engine gives to work with.

- pypdf ``extract_text()`` (plain mode): the content stream's order, no positions kept;
- pypdf ``extract_text(extraction_mode="layout")``: a fixed-width picture of the page;
- pdfminer.six's layout analysis with its own box order (``boxes_flow=0.5``);
- pdfminer.six's layout analysis with :mod:`annotator.io.pdf_reflow` (what import uses).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import Size
from benchmarks.harness import Workspace, elapsed_ms
from benchmarks.rows import Row, Scenario, median

#: Pages per benchmark size (the smoke test runs "small").
PAGES = {"small": 4, "medium": 40, "large": 200}
FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "columns-report.pdf"
PROSE = (
    "the port authority said inspectors would examine every crane cable brake and control "
    "unit before work resumes on the night shift while the union asked for an independent "
    "international review of maintenance records kept since the berth opened"
)
WORDS = PROSE.split()

Reader = Callable[[bytes], str]


def text_reflow(pages: list[str]) -> str:
    """The best a reader that gives only text allows: a page's first or last line left out where
    it repeats on most pages (digits aside) or is a page number, blocks at blank lines, then the
    same line joining, hyphen rule and ligature mapping as import."""
    from annotator.io import pdf_reflow as r

    lines = [[line for line in page.split("\n")] for page in pages]
    ends = [
        r._key(line)
        for page in lines
        for line in [next((x for x in page if x.strip()), "")] + [page[-1] if page else ""]
    ]
    running = {key for key in ends if ends.count(key) >= max(2, len(pages) // 2)}
    blocks: list[list[str]] = []
    for page in lines:
        kept = [x for x in page if r._key(x) not in running and not r.PAGE_NUMBER.match(r._key(x))]
        blocks += [block.split("\n") for block in re.split(r"\n\s*\n", "\n".join(kept))]
    compounds = r._inline_compounds(line for block in blocks for line in block)
    paragraphs: list[str] = []
    for block in blocks:
        text = r._join_lines(block, compounds)
        if text and paragraphs and r._continues(paragraphs[-1], text):
            paragraphs[-1] = r._join_lines([paragraphs[-1], text], compounds)
        elif text:
            paragraphs.append(text)
    return r.letters("\n\n".join(paragraphs))


def pypdf_plain(data: bytes) -> str:
    from pypdf import PdfReader

    return text_reflow([page.extract_text() for page in PdfReader(io.BytesIO(data)).pages])


def pypdf_layout(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return text_reflow([page.extract_text(extraction_mode="layout") for page in reader.pages])


def pdfminer_own_order(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return text_reflow(extract_text(io.BytesIO(data)).split("\f"))


def annotator_import(data: bytes) -> str:
    from annotator.io.pdf import _layout
    from annotator.io.pdf_reflow import letters, reflow

    return letters(reflow(_layout(data, FIXTURE)))


READERS: dict[str, Reader] = {
    "pypdf plain": pypdf_plain,
    "pypdf layout mode": pypdf_layout,
    "pdfminer, its own order": pdfminer_own_order,
    "pdfminer + pdf_reflow (import)": annotator_import,
}

# What a reader must get right on columns-report.pdf, each a check on its text.
PARAGRAPH_STARTS = [
    "Crane Collapse",
    "Dock workers",
    "The port authority",
    "The team is led",
    "Inspections of",
    "Crane operators",
    "The ship\u2019s owners",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def checks(text: str) -> dict[str, bool]:
    flat = _flat(text)
    spots = [flat.find(start) for start in PARAGRAPH_STARTS]
    return {
        "columns in reading order": -1 not in spots and spots == sorted(spots),
        "column lines not interleaved": "on the night shift" in flat
        and "did not" not in flat
        and "night shift, the board said. Crane operators" in flat,
        "quote on one line": "\u201cWe will not return until the cranes are inspected,\u201d"
        in text,
        "split word mended (international)": "international" in text,
        "compound kept (well-known x2)": text.count("well-known") == 2,
        "header/footer/page numbers gone": not re.search(r"Port Safety|Confidential|Page \d", text),
        "ligature as letters (final)": "final report" in text,
        "paragraphs apart (blank line)": "thirty days.\n\nThe team" in text
        or "thirty days.\n\nThe port" in text,
    }


PLEADING = FIXTURE.with_name("pleading.pdf")


def pleading_checks(text: str) -> dict[str, bool]:
    return {
        "line numbers gone": not re.search(r"(?m)^\d+$|\b2[0-8]\b", text),
        "footer gone": "MOTION FOR INSPECTION" not in text,
        "lines of a paragraph joined (Berth Four)": "at Berth Four before" in text,
        "paragraphs parted by indent (3)": len(text.split("\n\n")) == 3,
        "quote on one line": "\u201cWe will not return until the cranes are inspected.\u201d"
        in text,
    }


def accuracy() -> dict[str, dict[str, dict[str, bool]]]:
    report, pleading = FIXTURE.read_bytes(), PLEADING.read_bytes()
    return {
        FIXTURE.name: {name: checks(reader(report)) for name, reader in READERS.items()},
        PLEADING.name: {
            name: pleading_checks(reader(pleading)) for name, reader in READERS.items()
        },
    }


def long_report(pages: int) -> bytes:
    """Two columns of 45 lines a page, a running header and footer, hyphenated line ends."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2024, 3, 14, tzinfo=dt.UTC))
    n = 0
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.text(20, 15, "Port Safety Board - Inspection Report")
        pdf.text(180, 285, f"Page {number}")
        pdf.set_font("Helvetica", size=10)
        for column, x in enumerate((20, 110)):
            for row in range(45):
                if row % 9 == 8:
                    continue  # a paragraph gap
                words = [WORDS[(n + k) % len(WORDS)] for k in range(6)]
                n += 7
                end = "." if row % 9 == 7 else "-" if (row + column) % 5 == 0 else ""
                line = " ".join(words) + end
                pdf.text(x, 30 + 5.5 * row, line)
    return bytes(pdf.output())


def run_speed(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    pages = PAGES[size.name]
    data = long_report(pages)
    timings: dict[str, list[float]] = {name: [] for name in READERS}
    for n in range(repeat + 1):
        for name, reader in READERS.items():
            ms = elapsed_ms(lambda reader=reader: reader(data)) / pages
            if n:  # the first of each is a warm-up
                timings[name].append(ms)
    baseline = median(timings["pypdf plain"])
    return [
        Row(
            f"PDF text per page: {name}",
            f"{pages} pages",
            repeat,
            median(values),
            baseline=baseline,
            note="baseline: pypdf plain extract_text (what import used before)",
        )
        for name, values in timings.items()
    ]


SCENARIOS = [Scenario("pdf-readers", run_speed, ("medium",), 5)]


def main() -> int:
    for fixture, results in accuracy().items():
        print(f"Accuracy on tests/fixtures/{fixture}")
        for name, result in results.items():
            failed = [check for check, ok in result.items() if not ok]
            passed = len(result) - len(failed)
            print(f"  {name:32} {passed}/{len(result)}  failed: {', '.join(failed) or '-'}")
    pages = PAGES["medium"]
    data = long_report(pages)
    print(f"Speed, ms per page, median of 5 (a {pages}-page two-column report)")
    for name, reader in READERS.items():
        reader(data)  # warm-up
        values = [elapsed_ms(lambda reader=reader: reader(data)) / pages for _ in range(5)]
        print(f"  {name:32} {median(values):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
