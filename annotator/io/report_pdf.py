"""The report as PDF: the HTML report (io/report_html.py) printed by WeasyPrint.

Why WeasyPrint and not Qt's QPdfWriter: Qt writes a glyph's text by looking the glyph up in the
font's character map backwards, so a ligature comes back as U+FB03 ``ﬃ``, Arabic as presentation
forms (U+FE70–FEFF) with mirrored guillemets, some Chinese as Kangxi radicals, and colour emoji
as pictures with no text at all; Qt has no ActualText. WeasyPrint shapes with Pango/HarfBuzz and
maps each glyph to the characters of its cluster, so the text layer holds the article's own code
points (``ffi``, the Arabic letters in logical order, every emoji including ZWJ sequences), and
it embeds Noto Color Emoji as a font. It needs Pango from the system (Debian: libpango-1.0-0,
libpangoft2-1.0-0, which a desktop has). Printing the HTML report also makes the two reports one
design.

The cost is WeasyPrint's, some 0.15 s a page on a busy 2-core machine (profiled on a 1 MB
article: about half laying out lines, a quarter drawing, a tenth the style cascade), however the
markup is put. What is ours to bound is memory: WeasyPrint keeps every box of every page until it
writes the PDF (3 GB for that article's 1,380 pages), so the page is printed in parts of about
:data:`PART_BUDGET` characters of markup (:mod:`annotator.io.html_parts` cuts it between lines,
notes, rows and sections), joined with pypdf, and the footer (title · page / pages), known only
once every part is printed, is printed on as many blank pages and stamped over them. A part ends
its last page early: one short page in some fifty.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.report import Report
from annotator.io import html_parts, report_html
from annotator.io.files import atomic_file, check_output_file

PAPERS = {"a4": "A4", "letter": "letter"}
# Markup per printed part: about 50 pages of an annotated article, a peak RSS near 0.5 GB (the
# whole 1 MB article at once: 3 GB). Smaller parts end a page early more often, and each part
# costs some 0.5 s more (its fonts subset again).
PART_BUDGET = 250_000
NEEDS = (
    "the PDF report needs WeasyPrint and the Pango library "
    "(Debian/Ubuntu: libpango-1.0-0 libpangoft2-1.0-0; Fedora: pango)"
)

# WeasyPrint logs each CSS rule it does not know (the HTML report's screen-only ones) and each
# resource it could not load (write() turns a request into its own one-line error), which
# Python's last-resort handler would print on the command line.
logging.getLogger("weasyprint").setLevel(logging.CRITICAL)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: every character that is not a letter or digit escaped,
    so a title cannot end the string or the rule."""
    return '"' + "".join(c if c.isalnum() else f"\\{ord(c):x} " for c in text) + '"'


def page_css(title: str, paper: str, footer: bool = True) -> str:
    """Paper size and the footer (title · page / pages; none in a part, which gets it
    stamped afterwards), over the HTML report's own @page (a user style sheet: its rules win
    over the document's only with !important)."""
    content = (
        f'{_css_string(title)} " \\b7  " counter(page) " / " counter(pages)' if footer else "none"
    )
    return (
        f"@page {{ size: {PAPERS[paper]} portrait !important;"
        f" @bottom-center {{ content: {content} !important; }} }}"
    )


def _missing(error: BaseException) -> str:
    """What could not be loaded: the library cffi names, the module Python names, or what the
    error's first words say."""
    if isinstance(error, ModuleNotFoundError) and error.name:
        return f"the Python module {error.name}"
    if found := re.search(r"cannot load library '([^']+)'", str(error)):
        return found.group(1)
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:80]


def write(report: Report, target: Path, paper: str) -> int:
    """Print ``report`` on ``paper`` (``a4`` or ``letter``) to ``target``, replaced only once
    complete; returns the page count."""
    check_output_file(target)
    with atomic_file(target) as temporary:
        return print_to(report, temporary, paper, target)


def print_to(
    report: Report,
    out: Path,
    paper: str,
    target: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Print ``report`` into ``out`` (written in place: the caller owns it, e.g. as the
    temporary of an atomic write); errors name ``target`` (default ``out``). Returns the page
    count; ``progress(done, total)`` hears of each part printed."""
    target = target or out
    from pypdf import PdfReader, PdfWriter  # here, as WeasyPrint: only the PDF needs them

    try:  # here: loading Pango takes a moment, and only the PDF needs it
        # WeasyPrint prints a banner on standard output before it fails to load Pango
        with contextlib.redirect_stdout(io.StringIO()):
            from weasyprint import CSS, HTML
            from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: cffi could not load a system library
        raise AnnotatorError(
            target, f"cannot print a PDF: {_missing(error)} is missing; {NEEDS}"
        ) from None

    refused: list[str] = []

    class FetchNothing(URLFetcher):  # type: ignore[misc]
        """The report is self-contained (inline CSS and SVG): nothing in its data may make
        the printer read a file or the network."""

        def fetch(self, url: str, headers: object = None) -> object:
            refused.append(url)
            raise ValueError("the PDF report loads nothing")

    def printed(markup: str, css: str) -> bytes:
        document = HTML(string=markup, url_fetcher=FetchNothing()).render(
            stylesheets=[CSS(string=css)]
        )
        if refused:  # not with the report's own markup: a bug to hear about, not to hide
            raise AnnotatorError(target, f"the report asked for {refused[0][:60]!r}")
        return bytes(document.write_pdf())

    parts = list(html_parts.split(report_html.pieces_for_print(report), PART_BUDGET))
    joined = PdfWriter()
    for done, part in enumerate(parts, 1):
        joined.append(PdfReader(io.BytesIO(printed(part, page_css("", paper, footer=False)))))
        if progress is not None:
            progress(done, len(parts) + 1)
    pages = len(joined.pages)
    footers = PdfReader(io.BytesIO(printed(_blank_pages(pages), page_css(report.title, paper))))
    for page, footer in zip(joined.pages, footers.pages, strict=True):
        page.merge_page(footer)
    joined.add_metadata({"/Title": report.title, "/Creator": "Annotator"})
    with out.open("wb") as stream:
        joined.write(stream)
    if progress is not None:
        progress(len(parts) + 1, len(parts) + 1)
    return pages


def _blank_pages(count: int) -> str:
    """``count`` empty pages under the report's own page rule: the footers, stamped on the
    printed parts afterwards, since only then is the number of pages known."""
    return (
        f"<!DOCTYPE html><html><head><style>{report_html.PAGE_CSS}</style></head><body>"
        + '<div style="break-after: page"></div>' * (count - 1)
        + "<div></div></body></html>"
    )
