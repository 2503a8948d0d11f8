"""The article importers (txt, Markdown, HTML, DOCX, PDF) on real fixture files."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx as python_docx
import pytest

from annotator.cli import main
from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedDocument
from annotator.io import docx, html, markdown, pdf, txt
from annotator.store.project import Project

FIXTURES = Path(__file__).parent / "fixtures"
RESOURCES = Path(__file__).parent.parent / "resources"
Reader = Callable[[Path], ImportedDocument]
READERS: dict[str, Reader] = {
    "txt": txt.read,
    "markdown": markdown.read,
    "html": html.read,
    "docx": docx.read,
    "pdf": pdf.read,
}


def fixture(name: str) -> Path:
    return FIXTURES / name


def assert_fails(reader: Reader, path: Path, reason: str) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        reader(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert reason in message, message
    assert "\n" not in message
    return caught.value


def assert_well_formed(document: ImportedDocument) -> None:
    """What every importer promises about the text it returns."""
    assert "\r" not in document.text
    # No blank line first and no whitespace last; the first line's indentation is kept (txt).
    assert document.text == document.text.rstrip()
    assert not document.text.split("\n", 1)[0].isspace() and not document.text.startswith("\n")
    assert "\n\n\n" not in document.text
    assert document.title
    json.dumps(document.metadata)


# --- plain text --------------------------------------------------------------------------------


def test_txt_utf8_with_crlf_keeps_every_code_point() -> None:
    document = txt.read(fixture("emoji-crlf.txt"))
    assert document.text == (
        "Mixed scripts and emoji\n"
        "\n"
        "Flag of Cambodia: \U0001f1f0\U0001f1ed, thumbs up: \U0001f44d\U0001f3fd.\n"
        "A family: \U0001f468\u200d\U0001f469\u200d\U0001f467 (one ZWJ sequence).\n"
        "Cafe\u0301 written with a combining acute accent.\n"
        "\n"
        "中文新闻：柬埔寨的排名上升了。\n"
        "العربية: تقرير عن الاتجار بالبشر\n"
        "עברית: דוח על סחר בבני אדם"
    )
    assert "Caf\u00e9" not in document.text  # no Unicode normalisation
    assert document.title == "Mixed scripts and emoji"
    assert document.source == str(fixture("emoji-crlf.txt"))
    assert document.metadata == {"encoding": "utf-8"}
    assert_well_formed(document)


def test_txt_cp1252_curly_quotes_and_em_dash() -> None:
    document = txt.read(fixture("cp1252-quotes.txt"))
    assert document.text == (
        "Minister welcomes “good news”\n"
        "\n"
        "The minister called the report “good news” — but critics weren’t convinced.\n"
        "‘It’s a start,’ said the owner of a café near the ministry."
    )
    assert document.title == "Minister welcomes “good news”"
    assert document.metadata == {"encoding": "cp1252"}


def test_txt_utf16_with_bom() -> None:
    document = txt.read(fixture("utf16-bom.txt"))
    assert document.text == (
        "Report summary\n\nThe ministry’s report — in UTF-16 — says “progress”."
    )
    assert document.title == "Report summary"
    assert document.metadata == {"encoding": "utf-16-le"}


def test_txt_real_sample_article() -> None:
    path = RESOURCES / "cambodia-tier2.txt"
    document = txt.read(path)
    assert document.title == "Cambodia Moves Up on US Trafficking List"
    assert document.text == path.read_text(encoding="utf-8").strip()
    assert document.text.startswith("Cambodia Moves Up on US Trafficking List\n\nThe US State")
    assert "a positive outcome at this point.”\n\n" in document.text
    # The sample keeps the page's trailing "Related Stories" / "Latest News" lines: a text file
    # is imported as it is, boilerplate and all.
    assert document.text.endswith("could not comment.\n\nRelated Stories\n\nLatest News")
    assert document.metadata == {"encoding": "utf-8"}
    assert_well_formed(document)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("L’été à Paris : « café » et crème brûlée.", "cp1252"),
        ("Grüße aus München — „Straße“ ist schön.", "cp1252"),
        ("Привет, как дела? Это тестовый текст на русском языке.", "cp1251"),
        ("Vláda schválila nový zákon o ochraně přírody a lesů v české republice.", "cp1250"),
        ("Καλημέρα, τι κάνεις; Αυτό είναι ελληνικό κείμενο.", "cp1253"),
    ],
)
def test_txt_single_byte_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    document = txt.read(path)
    assert document.text == text
    assert document.metadata == {"encoding": encoding}


def test_txt_other_boms_and_bomless_utf16(tmp_path: Path) -> None:
    text = "Title line\n\nBody “quoted” 👍🏽"
    cases = {
        "utf8-sig.txt": ("utf-8-sig", text.encode("utf-8-sig")),
        "utf16be.txt": ("utf-16-be", b"\xfe\xff" + text.encode("utf-16-be")),
        "utf32.txt": ("utf-32-le", b"\xff\xfe\x00\x00" + text.encode("utf-32-le")),
        "bare16.txt": ("utf-16-le", text.encode("utf-16-le")),
    }
    for name, (encoding, data) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        document = txt.read(path)
        assert (document.text, document.metadata["encoding"]) == (text, encoding), name
        assert document.title == "Title line"


def test_txt_strips_blank_lines_and_caps_title(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("\n \n\t\n   " + "word " * 100 + "\nsecond line\n\n\n", encoding="utf-8")
    document = txt.read(path)
    assert document.text.startswith("   word word")  # indentation of the first line is kept
    assert document.text.endswith("\nsecond line")
    assert len(document.title) <= 200
    assert document.title.startswith("word word") and document.title.endswith("…")


def test_txt_refuses_binary_and_empty_files() -> None:
    assert_fails(txt.read, fixture("binary.txt"), "binary file")
    assert_fails(txt.read, fixture("empty.txt"), "the file is empty")


def test_txt_refuses_a_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.txt"
    path.write_bytes(b"")
    assert_fails(txt.read, path, "the file is empty")


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_keeps_readable_text_and_drops_markup() -> None:
    document = markdown.read(fixture("article.md"))
    assert document.text.split("\n\n") == [
        "River Clean-up Brings Dolphins Back",
        "Volunteers pulled four tonnes of nets from the Mekong this month.",
        "What they found",
        "abandoned gill nets",
        "plastic bottles and cans",
        "a rusted fishing boat",
        "We counted eleven dolphins in one morning. Nobody here has seen that since 2015.",
        "Read the FiA statement below.",
        'print("patrol boats: 2")',
        "Final words with a hard\nbreak and underscored text.",
    ]
    for markup in ("#", "*", "`", ">", "](", "https://", "<abbr", "---", "tags:", "Kampi"):
        assert markup not in document.text, markup
    assert document.title == "Dolphins return to Kratie"  # front matter beats the first heading
    assert document.metadata == {
        "encoding": "utf-8",
        "title": "Dolphins return to Kratie",
        "author": "Sophea Chan",
        "date": "2024-03-14",
    }
    assert_well_formed(document)


def test_markdown_title_from_heading_or_first_line(tmp_path: Path) -> None:
    with_heading = tmp_path / "heading.md"
    with_heading.write_text("Intro line.\r\n\r\n## The *real* heading\r\n\r\nBody.\r\n", "utf-8")
    document = markdown.read(with_heading)
    assert document.title == "The real heading"
    assert document.text == "Intro line.\n\nThe real heading\n\nBody."
    assert document.metadata == {"encoding": "utf-8"}

    plain = tmp_path / "plain.markdown"
    plain.write_text(
        "Just **a** paragraph\nwrapped over lines.\n\n<div>\nraw <b>html</b>\n</div>\n", "utf-8"
    )
    document = markdown.read(plain)
    assert document.title == "Just a paragraph wrapped over lines."
    assert document.text == "Just a paragraph wrapped over lines.\n\nraw html"


def test_markdown_refuses_markup_only_files(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_text("---\ntitle: Nothing here\n---\n\n![](picture.png)\n\n***\n", "utf-8")
    assert_fails(markdown.read, path, "no text")
    assert_fails(markdown.read, fixture("empty.txt"), "the file is empty")
    assert_fails(markdown.read, fixture("binary.txt"), "binary file")


# --- HTML --------------------------------------------------------------------------------------

NEWS_PARAGRAPHS = [
    "River Clean-up Brings Dolphins Back to Kratie",
    "Volunteers and fishers in Kratie province pulled more than four tonnes of abandoned nets "
    "from the Mekong River this month, and officials say the endangered Irrawaddy dolphins have "
    "started returning to a stretch of water they had avoided for years.",
    "“We counted eleven dolphins in one morning, which nobody here has seen since 2015,” said "
    "Chea Dara, a boat driver who has taken tourists to the pools near Kampi for two decades.",
    "The clean-up was organised by a coalition of local fishing communities and the provincial "
    "fisheries administration. Divers worked in teams of four, cutting gill nets free from rocks "
    "and submerged trees where the animals feed and often become entangled.",
    "Conservation groups welcomed the effort but warned that illegal electric fishing remains "
    "the biggest threat to the population, which they estimate at fewer than ninety animals.",
    "The fisheries administration said it would add two patrol boats before the dry season and "
    "asked residents to report nets left in the river.",
]

BOILERPLATE = [
    "SCRIPT-INJECTED",
    "document.write",
    "TRACKER-ID",
    "font-family",
    "Politics Section",
    "Subscribe Today",
    "cookies",
    "Accept",
    "Comments",
    "COMMENT-TEXT",
    "Related Articles",
    "Fishing Ban Extended",
    "New Dams Threaten",
    "FOOTER-TEXT",
    "Privacy Policy",
    "Contact Us",
    "dolphins.jpg",
    "Dolphins near Kampi",
    "Embedded video",
    "https://",
]


@pytest.mark.usefixtures("no_network")
def test_html_keeps_the_article_and_nothing_else() -> None:
    document = html.read(fixture("news-page.html"))
    assert document.text.split("\n\n") == NEWS_PARAGRAPHS
    for boilerplate in BOILERPLATE:
        assert boilerplate not in document.text, boilerplate
    assert document.title == "River Clean-up Brings Dolphins Back to Kratie"
    assert document.source == "https://news.example.org/2024/03/14/river-cleanup"
    assert document.metadata == {
        "title": "River Clean-up Brings Dolphins Back to Kratie",
        "author": "Sophea Chan",
        "date": "2024-03-14",
        "url": "https://news.example.org/2024/03/14/river-cleanup",
        "sitename": "Mekong Daily",
        "description": "Volunteers and fishers cleared tonnes of nets from the Mekong.",
        "encoding": "utf-8",
    }
    assert_well_formed(document)


@pytest.mark.usefixtures("no_network")
def test_html_without_article_text_is_refused() -> None:
    assert_fails(html.read, fixture("broken.html"), "no article text found in the page")
    assert_fails(html.read, fixture("empty.txt"), "the file is empty")
    assert_fails(html.read, fixture("binary.txt"), "binary file")


def _page(charset_tag: str, body: str) -> str:
    paragraphs = "".join(f"<p>{body} Sentence number {n} adds more words.</p>" for n in range(6))
    return (
        f"<html><head>{charset_tag}<title>Page</title></head><body><article>"
        f"<h1>Headline “here”</h1>{paragraphs}</article></body></html>"
    )


@pytest.mark.usefixtures("no_network")
def test_html_honours_meta_charset_and_bom(tmp_path: Path) -> None:
    body = "Le café “crème” — très bon, l’été."
    declared = tmp_path / "declared.html"
    # An ISO-8859-1 label means windows-1252 on the web (the curly quotes live in 0x80-0x9f).
    declared.write_bytes(_page('<meta charset="ISO-8859-1">', body).encode("cp1252"))
    document = html.read(declared)
    assert document.metadata["encoding"] == "cp1252"
    assert document.title == "Headline “here”"
    assert body in document.text

    http_equiv = tmp_path / "http-equiv.html"
    tag = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    http_equiv.write_bytes(_page(tag, body).encode("cp1252"))
    assert body in html.read(http_equiv).text

    bom = tmp_path / "bom.html"
    bom.write_bytes(b"\xff\xfe" + _page('<meta charset="utf-8">', body).encode("utf-16-le"))
    document = html.read(bom)
    assert document.metadata["encoding"] == "utf-16-le"
    assert body in document.text

    for label in ("us-ascii", "base64", "punycode", "no-such-charset"):
        lying = tmp_path / f"lying-{label}.html"
        lying.write_bytes(_page(f'<meta charset="{label}">', body).encode("utf-8"))
        assert body in html.read(lying).text, label


@pytest.mark.usefixtures("no_network")
def test_html_lists_quotes_tables_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "structured.htm"
    path.write_text(
        "<html><body><article><h1>Structured article headline</h1>"
        "<p>First line of a longer paragraph<br>second line of the same paragraph here.</p>"
        "<ul><li>First list item with some words</li><li>Second list item with words</li></ul>"
        "<blockquote><p>A quoted paragraph that is long enough to be kept.</p></blockquote>"
        "<table><tr><td>Cell A1</td><td>Cell B1</td></tr><tr><td>Cell A2</td><td></td></tr>"
        "</table>"
        "<p>" + "A closing paragraph with enough words to count as article text. " * 5 + "</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    blocks = html.read(path).text.split("\n\n")
    assert blocks[:8] == [
        "Structured article headline",
        "First line of a longer paragraph\nsecond line of the same paragraph here.",
        "First list item with some words",
        "Second list item with words",
        "A quoted paragraph that is long enough to be kept.",
        "Cell A1",
        "Cell B1",
        "Cell A2",
    ]
    assert blocks[8].startswith("A closing paragraph")


# --- DOCX --------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_reading_order() -> None:
    document = docx.read(fixture("table.docx"))
    assert document.text.split("\n\n") == [
        "Fisheries Report, First Quarter",
        "Patrols increased along the Mekong in January.",
        "Seized equipment is listed below.",
        "Item\tCount\tProvince\nGill nets\t412\t",
        "The totals are provisional.",
        "Merged heading cell\nLeft\tRight",
        "End of report.",
    ]
    assert document.title == "Quarterly Fisheries Report"
    assert document.source == str(fixture("table.docx"))
    assert document.metadata == {
        "format": "docx",
        "title": "Quarterly Fisheries Report",
        "author": "Fisheries Administration",
        "created": "2024-03-14T09:30:00+00:00",
    }
    assert_well_formed(document)


def test_docx_title_falls_back_to_first_paragraph(tmp_path: Path) -> None:
    made = python_docx.Document()
    made.core_properties.title = ""
    made.core_properties.author = ""
    made.add_paragraph("")
    made.add_paragraph("  First real paragraph  ")
    table = made.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Vertically merged"
    table.cell(0, 1).text = "Top right"
    table.cell(1, 1).text = "Bottom right"
    path = tmp_path / "untitled.docx"
    made.save(path)
    document = docx.read(path)
    assert document.title == "First real paragraph"
    assert document.text == "First real paragraph\n\nVertically merged\tTop right\n\tBottom right"
    assert "title" not in document.metadata and "author" not in document.metadata


def test_docx_table_rows_are_lines_and_cells_are_tab_separated(tmp_path: Path) -> None:
    made = python_docx.Document()
    made.add_paragraph("Before the table.")
    table = made.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Port"
    table.cell(0, 1).text = "Cranes"
    table.cell(0, 2).text = "Note"
    table.cell(1, 0).text = "Sihanoukville"
    table.cell(1, 1).text = "12"
    note = table.cell(1, 2)
    note.text = "Two inspected"
    note.add_paragraph("on Monday")  # a second paragraph in the cell: the row stays one line
    inner = note.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Inner A"
    inner.cell(0, 1).text = "Inner B"
    made.add_paragraph("After the table.")
    path = tmp_path / "cranes.docx"
    made.save(path)
    assert docx.read(path).text == (
        "Before the table.\n"
        "\n"
        "Port\tCranes\tNote\n"
        "Sihanoukville\t12\tTwo inspected on Monday\n"
        "\n"
        "Inner A\tInner B\n"
        "\n"
        "After the table."
    )


def test_docx_refuses_broken_and_hostile_files(tmp_path: Path) -> None:
    assert_fails(docx.read, fixture("broken.docx"), "not a valid DOCX file (")
    assert_fails(docx.read, fixture("two-pages.pdf"), "not a valid DOCX file (")
    assert_fails(
        docx.read,
        fixture("bomb.docx"),
        "the DOCX file unpacks to more than 200 MB (201 MB); refused (a zip bomb?)",
    )
    assert_fails(docx.read, fixture("traversal.docx"), "unsafe member name")

    absolute = tmp_path / "absolute.docx"
    with zipfile.ZipFile(absolute, "w") as archive:
        archive.writestr("/etc/passwd", "x")
    assert_fails(docx.read, absolute, "unsafe member name")

    not_word = tmp_path / "spreadsheet.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert_fails(docx.read, not_word, "not a valid DOCX file (")


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_pages_in_order() -> None:
    document = pdf.read(fixture("two-pages.pdf"))
    # Each page's two lines are set 8 mm apart at 12 pt (double spacing) with no indent: one
    # paragraph a page; the pages stay apart (the first ends a sentence, the next is a capital).
    assert document.text == (
        "Page one: patrol boats left Kratie at dawn. Eleven dolphins were counted near Kampi.\n"
        "\n"
        "Page two: nets were removed near Sambor. The caf\u00e9 owner offered the divers lunch."
    )
    assert document.title == "Mekong Patrol Log"
    assert document.metadata == {"pages": 2, "title": "Mekong Patrol Log", "author": "Chea Dara"}
    assert document.source == str(fixture("two-pages.pdf"))
    assert_well_formed(document)


COLUMNS_REPORT_TEXT = (
    "Crane Collapse at Berth Four\n"
    "\n"
    "Dock workers stopped work on Monday after a crane arm fell onto a cargo ship at berth"
    " four. \u201cWe will not return until the cranes are inspected,\u201d said the union\u2019s"
    " secretary.\n"
    "\n"
    "The port authority called an international team of inspectors, who are to deliver their"
    " final report within thirty days.\n"
    "\n"
    "The team is led by a well-known engineer from Singapore. Her well-known checklist covers"
    " the cables, the brakes and the Franco-British control units.\n"
    "\n"
    "Inspections of the other cranes are recommended before work resumes on the night shift,"
    " the board said.\n"
    "\n"
    "Crane operators will be paid during the stoppage.\n"
    "\n"
    "The ship\u2019s owners have not yet commented on the damage."
)


def test_pdf_columns_reflow_into_paragraphs_in_reading_order() -> None:
    """Two columns (page 2 drawn row by row across the page), hyphenated line ends, a quote
    across a line break, a running header and footer with page numbers, a fi ligature: the
    exact text a reader gets (make_fixtures.py write_columns_pdf)."""
    document = pdf.read(fixture("columns-report.pdf"))
    assert document.text == COLUMNS_REPORT_TEXT
    assert document.title == "Crane Collapse at Berth Four"
    assert document.metadata == {"pages": 2, "title": "Crane Collapse at Berth Four"}
    assert_well_formed(document)


def test_pdf_running_header_footer_and_page_numbers_are_not_in_the_text() -> None:
    text = pdf.read(fixture("columns-report.pdf")).text
    for gone in ["Port Safety Board", "Confidential", "Page 1", "Page 2", "1/2", "2/2"]:
        assert gone not in text
    assert "\ufb01" not in text and "final report" in text  # the ligature as letters


def test_pdf_quote_across_a_line_break_is_one_line() -> None:
    text = pdf.read(fixture("columns-report.pdf")).text
    quote = "\u201cWe will not return until the cranes are inspected,\u201d"
    assert quote in text
    assert "\n" not in text[text.index("Dock workers") : text.index("secretary.")]


def test_pdf_hyphen_rule() -> None:
    """A line-end hyphen before a lowercase letter splits a word and goes, unless the document
    writes the compound with its hyphen inside a line; before a capital it stays."""
    from annotator.io.pdf_reflow import _join

    assert _join("called an inter-", "national team", set()) == "called an international team"
    assert _join("Her well-", "known list", {"well-known"}) == "Her well-known list"
    assert _join("the Franco-", "British units", set()) == "the Franco-British units"
    assert _join("a soft\u00adhy\u00ad", "phen", set()) == "a soft\u00adhyphen"
    assert _join("costs rose -", "sharply", set()) == "costs rose - sharply"
    assert _join("in 1990-", "1995", set()) == "in 1990-1995"
    assert _join("a 5-", "year plan", set()) == "a 5-year plan"
    assert _join("the port\u2014", "and the union", set()) == "the port\u2014and the union"
    assert (
        _join("accurate information \u2014", "about", set()) == "accurate information \u2014 about"
    )
    assert _join("at example.org/", "report", set()) == "at example.org/report"


def test_pdf_court_filing_double_spaced_with_line_numbers_and_indents() -> None:
    """Pleading paper: line numbers 1-28 down the margin, double-spaced lines, paragraphs
    marked by a first-line indent only, a running footer (make_fixtures.py
    write_pleading_pdf)."""
    document = pdf.read(fixture("pleading.pdf"))
    assert document.text == (
        "Plaintiff Dock Workers Union moves the Court for an order requiring the Port"
        " Authority to inspect every crane at Berth Four before work resumes. The Authority"
        " has refused.\n"
        "\n"
        "The union\u2019s secretary told the Authority: \u201cWe will not return until the"
        " cranes are inspected.\u201d The Authority did not answer.\n"
        "\n"
        "An independent inspection is the only remedy that protects the workers. The motion"
        " should be granted."
    )


def test_pdf_text_drawn_inside_a_form_xobject_is_read() -> None:
    """Some tools draw a whole page as one form XObject: its text is the page's text."""
    document = pdf.read(fixture("form-xobject.pdf"))
    assert document.text == "Text drawn inside a form XObject. It is the whole page."


def test_pdf_owner_password_only_still_opens() -> None:
    document = pdf.read(fixture("owner-locked.pdf"))
    assert document.text == "Text behind a password."
    assert document.title == "Text behind a password."
    assert document.metadata == {"pages": 1}


def test_pdf_refusals(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert_fails(
        pdf.read,
        fixture("scanned.pdf"),
        "the PDF has no text layer (scanned images?); run OCR first",
    )
    assert_fails(pdf.read, fixture("encrypted.pdf"), "password-protected")
    assert_fails(pdf.read, fixture("broken.pdf"), "not a valid PDF file (")
    assert_fails(pdf.read, fixture("truncated.pdf"), "not a valid PDF file (")
    renamed = tmp_path / "renamed.pdf"
    shutil.copy(fixture("table.docx"), renamed)
    assert_fails(pdf.read, renamed, "not a valid PDF file (no PDF header)")
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]


# --- every importer ----------------------------------------------------------------------------

ALL_FIXTURES = sorted(
    path.name for path in FIXTURES.iterdir() if path.is_file() and path.suffix != ".py"
)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("kind", sorted(READERS))
@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_any_file_gives_a_document_or_import_failed(kind: str, name: str) -> None:
    path = fixture(name)
    try:
        document = READERS[kind](path)
    except ImportFailed as error:
        assert str(error).startswith(f"{path}: ")
        assert error.reason and "\n" not in error.reason
    else:
        assert_well_formed(document)


@pytest.mark.parametrize("kind", sorted(READERS))
def test_missing_file_and_folder(kind: str, tmp_path: Path) -> None:
    assert_fails(READERS[kind], tmp_path / "missing.file", "does not exist")
    assert_fails(READERS[kind], tmp_path, "folder")


def _mutations(seed: int, count: int) -> list[tuple[str, bytes]]:
    """Truncated, bit-flipped and random variants of the fixtures (deterministic)."""
    rng = random.Random(seed)
    sources = [fixture(name).read_bytes() for name in ALL_FIXTURES]
    variants: list[tuple[str, bytes]] = []
    for index in range(count):
        data = bytearray(rng.choice(sources))
        roll = rng.random()
        if roll < 0.3:
            data = data[: rng.randrange(1, len(data))]
        elif roll < 0.8:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        else:
            data = bytearray(rng.randbytes(rng.randrange(1, 3000)))
        variants.append((f"mutant-{index}", bytes(data)))
    return variants


@pytest.mark.usefixtures("no_network")
def test_damaged_files_only_ever_raise_import_failed(tmp_path: Path) -> None:
    for name, data in _mutations(seed=20240314, count=150):
        path = tmp_path / name
        path.write_bytes(data)
        for kind, reader in READERS.items():
            try:
                document = reader(path)
            except ImportFailed as error:
                assert str(error).startswith(f"{path}: "), (kind, name)
            else:
                assert_well_formed(document)


FRENCH = (
    "Café de la Gare\n\n"
    "Le café crème coûte deux euros à Paris, où l’on boit debout au comptoir. "
    "À Lyon, les bouchons servent une cuisine généreuse et très appréciée."
)
RUSSIAN = (
    "Новости дня\n\n"
    "Правительство объявило о новых мерах поддержки малого бизнеса в регионах. "
    "Эксперты считают, что это поможет экономике."
)


def _with_two_bad_bytes(text: str, after: str, later: str) -> tuple[bytes, str]:
    """``text`` as UTF-8 with one stray byte after ``after`` and a cut character before
    ``later``; and the text one should get: U+FFFD in their places, the rest as it was."""
    data = text.encode("utf-8")
    first = data.index(after.encode("utf-8")) + len(after.encode("utf-8"))
    second = data.index(later.encode("utf-8"))
    broken = data[:first] + b"\xff" + data[first:second] + b"\xe9" + data[second:]
    i, j = text.index(after) + len(after), text.index(later)
    return broken, text[:i] + "\ufffd" + text[i:j] + "\ufffd" + text[j:]


@pytest.mark.parametrize(
    ("text", "after", "later"),
    [(FRENCH, "Café", "Lyon"), (RUSSIAN, "Новости", "Эксперты")],
)
def test_utf8_with_two_bad_bytes_stays_utf8_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, after: str, later: str
) -> None:
    """It was decoded whole as cp1251 ('CafГ©'), in silence."""
    data, expected = _with_two_bad_bytes(text, after, later)
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    document = txt.read(path)
    assert document.text == expected
    assert document.metadata == {"encoding": "utf-8", "replaced_bytes": 2}
    # what a later annotation finds where the original text has it
    assert document.text.index(later) == text.index(later) + 2

    project = tmp_path / "p.annot"
    assert main(["import", str(project), str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.rstrip().endswith("; 2 bytes that are not UTF-8 were replaced with \ufffd")
    with Project.open(project) as opened:
        (stored,) = opened.documents()
        assert opened.document(stored.id).text == expected
        assert opened.document(stored.id).metadata == {"encoding": "utf-8"}


def test_markdown_and_html_read_nearly_utf8_the_same_way(tmp_path: Path) -> None:
    data, expected = _with_two_bad_bytes(FRENCH, "Café", "Lyon")
    page = tmp_path / "page.md"
    page.write_bytes(data)
    assert markdown.read(page).text == expected
    assert markdown.read(page).metadata["replaced_bytes"] == 2
    body = b"".join(b"<p>" + p + b"</p>" for p in data.split(b"\n\n"))
    html_page = tmp_path / "page.html"
    html_page.write_bytes(
        b'<html><head><meta charset="utf-8"><title>Caf\xc3\xa9</title></head><body><article>'
        + body
        + b"</article></body></html>"
    )
    document = html.read(html_page)
    assert "\ufffd" in document.text and "Caf\ufffd" not in document.title
    assert document.metadata["encoding"] == "utf-8" and document.metadata["replaced_bytes"] == 2


def test_legacy_codepages_with_a_stray_utf8_letter_are_still_guessed(tmp_path: Path) -> None:
    """Many bytes that are not UTF-8 are a codepage, not a few bad bytes."""
    path = tmp_path / "cp1251.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    assert (txt.read(path).text, txt.read(path).metadata) == (
        RUSSIAN,
        {"encoding": "cp1251"},
    )
    french = tmp_path / "cp1252.txt"
    french.write_bytes(FRENCH.encode("cp1252"))
    assert txt.read(french).metadata == {"encoding": "cp1252"}


def test_the_window_shows_the_note_of_replaced_bytes(qtbot, make_window, project, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    data, _ = _with_two_bad_bytes(FRENCH, "Café", "Lyon")
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    window = make_window(project)
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([path])
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "2 bytes that are not UTF-8 were replaced with \ufffd" in box.informativeText()


def _docx_with_huge_xml(path: Path, xml_bytes: int) -> Path:
    """A valid DOCX whose ``word/document.xml`` holds ``xml_bytes`` of paragraphs, written to
    the zip as it is made (a few hundred KB on disk)."""
    seed = io.BytesIO()
    document = python_docx.Document()
    document.add_paragraph("Seed")
    document.save(seed)
    with zipfile.ZipFile(seed) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, source.read(info))
                continue
            xml = source.read(info).decode("utf-8")
            head = xml.split("<w:body>")[0] + "<w:body>"
            chunk = ("<w:p><w:r><w:t>" + "a" * 60 + "</w:t></w:r></w:p>").encode() * 1000
            with out.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head.encode())
                for _ in range(xml_bytes // len(chunk) + 1):
                    member.write(chunk)
                member.write(b"</w:body></w:document>")
    return path


def test_a_small_docx_of_190_mb_xml_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """A 554 KB DOCX that expands to 190 MB of XML ran over 300 s with 3.4 GB. In a child
    process so that a regression fails (60 s is only a safety bound) rather than hangs."""
    bomb = _docx_with_huge_xml(tmp_path / "bomb.docx", 190 * 1024 * 1024)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    done = subprocess.run(
        [str(Path(sys.executable).with_name("annotator")), "import", tmp_path / "p.annot", bomb],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode != 0
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: {bomb}: the DOCX file unpacks to more than 50 MB of XML (19")
    assert line.endswith(" MB); refused (a zip bomb?)")


def test_a_docx_whose_zip_header_understates_a_member_is_refused(tmp_path: Path) -> None:
    """zipfile stops a member at its declared size; the CRC then says it is damaged."""
    honest = _docx_with_huge_xml(tmp_path / "honest.docx", 1024 * 1024)
    data = bytearray(honest.read_bytes())
    with zipfile.ZipFile(honest) as archive:
        info = archive.getinfo("word/document.xml")
    declared = info.file_size.to_bytes(4, "little")
    assert data.count(declared) >= 1
    lying = tmp_path / "lying.docx"
    lying.write_bytes(bytes(data).replace(declared, (1000).to_bytes(4, "little")))
    with zipfile.ZipFile(lying) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    assert_fails(docx.read, lying, "not a valid DOCX file (")
