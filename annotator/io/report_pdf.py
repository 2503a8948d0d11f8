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
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.report import Report
from annotator.io import report_html
from annotator.io.files import atomic_file, check_output_file

PAPERS = {"a4": "A4", "letter": "letter"}
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


def page_css(title: str, paper: str) -> str:
    """Paper size and the footer (title · page / pages), over the HTML report's own @page
    (a user style sheet: its rules win over the document's only with !important)."""
    return (
        f"@page {{ size: {PAPERS[paper]} portrait !important;"
        " @bottom-center { content: "
        f'{_css_string(title)} " \\b7  " counter(page) " / " counter(pages) !important; }} }}'
    )


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:120]


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
    try:  # here: loading Pango takes a moment, and only the PDF needs it
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: cffi could not load a system library
        raise AnnotatorError(
            target, f"cannot print a PDF: {NEEDS} ({_first_line(error)})"
        ) from None

    refused: list[str] = []

    class FetchNothing(URLFetcher):  # type: ignore[misc]
        """The report is self-contained (inline CSS and SVG): nothing in its data may make
        the printer read a file or the network."""

        def fetch(self, url: str, headers: object = None) -> object:
            refused.append(url)
            raise ValueError("the PDF report loads nothing")

    html = HTML(string=report_html.render(report), url_fetcher=FetchNothing())
    document = html.render(stylesheets=[CSS(string=page_css(report.title, paper))])
    document.metadata.title = report.title
    document.metadata.generator = "Annotator"
    if refused:  # not with the report's own markup: a bug to hear about, not to hide
        raise AnnotatorError(target, f"the report asked for {refused[0][:60]!r}")
    document.write_pdf(out)
    if progress is not None:
        progress(1, 1)
    return len(document.pages)
