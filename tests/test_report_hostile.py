"""Issue 25, item 3: a project whose every string is hostile makes a report with no script in it.

The strings are written straight into the SQLite file, past every check on the way in, as a
merge of a hostile copy or a direct write to a shared database would put them there. The HTML
report is parsed as a browser parses it (html5lib); the PDF report is laid out with a
QTextDocument that records every resource Qt asks it for.
"""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from annotator import service
from annotator.cli import main
from annotator.core.labels import AttributeDef, AttributeKind, LabelDef
from annotator.core.model import (
    Annotation,
    Document,
    DocumentStatus,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
)
from annotator.core.report import ReportOptions, build_report
from annotator.gui import report_document
from annotator.gui.report_pdf import Paper, write_pdf
from annotator.io import report_html
from annotator.store.project import Project
from tests.helpers.pdf_printer import needs_pdf_printer

PAYLOADS = (
    '<script>alert("s")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    "</style><script>alert(3)</script>",
    "]]><script>alert(4)</script><![CDATA[",
    "javascript:alert(5)",
    '</title></textarea><iframe src="javascript:alert(6)">',
    '<a href="javascript:alert(7)">click</a>',
    "<!-- <style>body{background:url(http://x/)}</style> -->",
    "&lt;b&gt;&amp;already-escaped",
    '<math><mi xlink:href="javascript:alert(8)">m</mi></math>',
)
COLORS = (
    '#ff0000" onmouseover="alert(1)',
    "red;background:url(http://x/)",
    "url(file:///etc/passwd)",
    "#123456;background-image:url(file:///etc/passwd)",
    "</style><script>alert(9)</script>",
    "#00ff00\n",
)


def hostile(n: int, what: str) -> str:
    """A distinct hostile string (lower case: the claims table capitalises attribute names)."""
    return f"{PAYLOADS[n % len(PAYLOADS)]} {what}"


TEXT = (
    f"Opening {PAYLOADS[0]} words.\n\nThe minister {PAYLOADS[1]} said the dams are safe, "
    f"officials added {PAYLOADS[3]} and {PAYLOADS[4]}.\n\nLast {PAYLOADS[6]} line {PAYLOADS[7]}."
)


def _span(label: str, phrase: str) -> ImportedAnnotation:
    start = TEXT.index(phrase)
    return ImportedAnnotation(label, start, start + len(phrase))


def build_hostile_project(path: Path) -> None:
    """A project made the ordinary way, then every string in it replaced by a hostile one in
    the file itself."""
    document = ImportedDocument(
        TEXT,
        "plain title",
        annotations=[
            _span("Claim", "said the dams are safe"),
            _span("Quote", f"The minister {PAYLOADS[1]} said"),
            _span("Organisation", "officials"),
            _span("Tier rating", f"{PAYLOADS[3]} and"),
            _span("Claim", f"Last {PAYLOADS[6]} line"),
        ],
    )
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([document]))
        (summary,) = project.documents()
        claim, quote = (
            next(a for a in project.annotations(summary.id) if a.label == name)
            for name in ("Claim", "Quote")
        )
        project.add_relation(summary.id, "evidence for", quote.id, claim.id)
    with sqlite3.connect(path) as db:
        labels = db.execute("SELECT id, name FROM labels ORDER BY position").fetchall()
        for n, (label_id, name) in enumerate(labels):
            # "Claim" keeps its name: the claims table is made for the label of that name.
            new_name = name if name == "Claim" else hostile(n, f"label {n}")
            db.execute(
                "UPDATE labels SET name = ?, color = ?, description = ? WHERE id = ?",
                (new_name, COLORS[n % len(COLORS)], hostile(n + 1, "description"), label_id),
            )
        attributes = db.execute("SELECT id FROM label_attributes ORDER BY id").fetchall()
        names = {}
        for n, (attribute_id,) in enumerate(attributes):
            names[attribute_id] = hostile(n + 2, f"attribute {n}")
            db.execute(
                "UPDATE label_attributes SET name = ? WHERE id = ?",
                (names[attribute_id], attribute_id),
            )
        rows = db.execute(
            "SELECT a.id, a.label_id FROM annotations a ORDER BY a.start, a.id"
        ).fetchall()
        for n, (annotation_id, label_id) in enumerate(rows):
            own = db.execute(
                "SELECT name FROM label_attributes WHERE label_id = ? ORDER BY position",
                (label_id,),
            ).fetchall()
            values = {name: hostile(n + i + 3, f"value {n}.{i}") for i, (name,) in enumerate(own)}
            values[hostile(n + 4, f"unknown attribute {n}")] = hostile(n + 5, f"unknown value {n}")
            new_id = hostile(n, f"id {n}")
            db.execute("PRAGMA foreign_keys = OFF")
            db.execute(
                "UPDATE annotations SET id = ?, attributes = ?, note = ?, annotator = ? "
                "WHERE id = ?",
                (
                    new_id,
                    json.dumps(values),
                    hostile(n + 6, f"note {n}"),
                    hostile(n % 2, f"annotator {n % 2}"),
                    annotation_id,
                ),
            )
            for end in ("source_id", "target_id"):
                db.execute(
                    f"UPDATE relations SET {end} = ? WHERE {end} = ?",  # noqa: S608 (two names)
                    (new_id, annotation_id),
                )
        db.execute(
            "UPDATE documents SET title = ?, source = ?, metadata = ?, created = ?",
            (
                hostile(7, "document title"),
                "javascript:alert('source')",
                json.dumps({hostile(8, "metadata key"): hostile(9, "metadata value")}),
                PAYLOADS[0],
            ),
        )
        types = db.execute("SELECT id FROM relation_types ORDER BY position").fetchall()
        for n, (type_id,) in enumerate(types):
            db.execute(
                "UPDATE relation_types SET name = ?, color = ? WHERE id = ?",
                (hostile(n + 10, f"relation type {n}"), COLORS[n % len(COLORS)], type_id),
            )
        db.execute("UPDATE relations SET note = ?, annotator = ?", (PAYLOADS[2], PAYLOADS[5]))


TITLE = hostile(3, "report title")


@pytest.fixture
def hostile_project(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.annotator"
    build_hostile_project(path)
    return path


def _words(*lines: str) -> set[str]:
    return {word for line in lines for word in line.split()}


# What the HTML writer makes, and nothing else: any other element or attribute came from the data.
TAGS = _words(
    "html head meta title style body main header h1 h2 h3 h4 p ul ol li a section",
    "dl dt dd div span mark b br table thead tbody tr th td figure figcaption footer",
    "svg line rect text",
)
ATTRIBUTES = _words(
    "lang charset name content class id style href title value data-annotations data-n",
    "xmlns viewbox width height role x y x1 y1 x2 y2 rx font-size fill stroke",
    "text-anchor font-weight",
)
HREF = re.compile(r"#(?:doc-\d+|claims|coded|counts|agreement)")
COLOR = r"#[0-9a-f]{6}"
STYLE = re.compile(
    rf"(?:background|color):{COLOR}|font-family:[^;:()<>\"]*;max-width:100%;height:auto", re.I
)


def parse(markup: str) -> ET.Element:
    return html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def assert_nothing_from_the_data(tree: ET.Element) -> None:
    """Only the writer's own elements and attributes, no handler, script URL or style from the
    data: what a browser would run or fetch."""
    for element in tree.iter():
        assert local(element.tag) in TAGS, f"<{local(element.tag)}> came from the data"
        for name, value in element.attrib.items():
            name = local(name).lower()
            assert not name.startswith("on"), f"event handler {name}={value!r}"
            assert name in ATTRIBUTES, f"attribute {name}={value!r} came from the data"
            if name not in ("title", "data-annotations"):  # these two hold the data, as text
                assert "url(" not in value.lower(), f"{name}={value!r}"
                assert "javascript:" not in value.lower(), f"{name}={value!r}"
            if name == "href":
                assert HREF.fullmatch(value), value
            if name == "style":
                assert STYLE.fullmatch(value), f"style={value!r}"
            if name in ("fill", "stroke"):
                assert re.fullmatch(COLOR, value, re.IGNORECASE), f"{name}={value!r}"
    styles = list(tree.iter("style"))
    assert len(styles) == 1 and styles[0] in list(tree.find("head"))
    assert "url(" not in text_of(styles[0]) and "</" not in text_of(styles[0])


def test_the_html_report_of_a_hostile_project_holds_no_markup_from_its_data(
    hostile_project: Path,
) -> None:
    with Project.open(hostile_project) as project:
        report = service.report(project, ReportOptions(title=TITLE, details=True))
        annotations = project.annotations()
    markup = report_html.render(report)
    tree = parse(markup)

    assert_nothing_from_the_data(tree)

    # The user's data is all there, as text.
    assert text_of(tree.find("head/title")) == TITLE
    assert text_of(tree.find(".//h1")) == TITLE
    (article,) = [e for e in tree.iter("div") if e.get("class") == "article"]
    (document,) = report.documents
    assert text_of(article) == TEXT == document.document.text
    longest_first = sorted((a.id for a in annotations), key=len, reverse=True)
    for mark in article.iter("mark"):  # each lists whole ids, and nothing else
        listed = mark.get("data-annotations")
        for a_id in longest_first:
            listed = listed.replace(a_id, "")
        assert not listed.strip(), mark.get("data-annotations")
    marked = " ".join(m.get("data-annotations") for m in article.iter("mark"))
    assert all(a.id in marked for a in annotations)
    page = text_of(tree.find("body"))
    shown = [
        document.document.title,
        document.document.source,
        *document.document.metadata.values(),
    ]
    shown += [label.name for label in report.labels]
    for a in annotations:
        shown += [a.annotator, a.note, *a.attributes, *a.attributes.values()]
    assert report.claim_label is not None and report.claims
    shown += [text for row in report.claims for text in (row.claimant, row.verdict, row.rationale)]
    shown += [kind for row in report.claims for kind, _, _ in row.linked]
    for value in shown:
        assert value in page, value


class RecordingDocument(QTextDocument):
    """A QTextDocument that notes every resource (image, style sheet) its layout asks for."""

    asked: list[str] = []  # noqa: RUF012 (one test at a time)

    def loadResource(self, kind: int, name: QUrl) -> object:  # noqa: N802 (Qt's name)
        RecordingDocument.asked.append(name.toString())
        return super().loadResource(kind, name)


@needs_pdf_printer
def test_the_pdf_report_of_a_hostile_project_loads_nothing_but_its_charts(
    hostile_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    monkeypatch.setattr(report_document, "QTextDocument", RecordingDocument)
    RecordingDocument.asked = []
    with Project.open(hostile_project) as project:
        report = service.report(project, ReportOptions(title=TITLE, details=True))
    document = report_document.build_document(report)
    document.size()  # lays it out: the images and backgrounds are asked for now
    pages = write_pdf(report, tmp_path / "report.pdf", Paper.A4)
    assert pages >= 1 and (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert set(RecordingDocument.asked) <= {"counts.svg", "annotators.svg", "agreement.svg"}, (
        RecordingDocument.asked
    )
    markup = document.toHtml()
    assert "background-image" not in markup
    for found in re.findall(r"<img [^>]*>", markup):
        assert re.search(r'src="(?:counts|annotators|agreement)\.svg"', found), found


def test_the_cli_writes_a_hostile_project_s_report_with_its_data_as_text(
    hostile_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(hostile_project), "--title", TITLE, "-o", str(out)]) == 0
    tree = parse(out.read_text(encoding="utf-8"))
    assert tree.find(".//script") is None and tree.find(".//img") is None
    assert tree.find(".//iframe") is None
    assert not [
        name for e in tree.iter() for name in e.attrib if local(name).lower().startswith("on")
    ]
    assert text_of(tree.find(".//h1")) == TITLE


@needs_pdf_printer
def test_the_writers_take_hostile_core_objects_as_text(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writers' own defence, whatever the store lets through: a report built straight from
    hostile core objects."""
    labels = [
        LabelDef(
            "Claim",
            COLORS[0],
            attributes=(AttributeDef(hostile(2, "verdict"), AttributeKind.TEXT),),
        ),
        LabelDef(hostile(1, "label"), COLORS[1]),
        LabelDef(hostile(3, "other label"), COLORS[2]),
    ]
    document = Document(
        hostile(4, "id"),
        hostile(5, "title"),
        hostile(6, "source"),
        {PAYLOADS[7]: PAYLOADS[8]},
        TEXT,
        "0" * 64,
        PAYLOADS[0],
        DocumentStatus.NEW,
    )
    spans = [
        Annotation(
            hostile(n, f"id {n}"),
            document.id,
            label.name,
            start,
            start + 12,
            TEXT[start : start + 12],
            {hostile(n, "key"): hostile(n + 1, "value")},
            hostile(n + 2, "note"),
            hostile(n % 2, "annotator"),
        )
        for n, (label, start) in enumerate(zip(labels * 2, range(0, 120, 20), strict=False))
    ]
    report = build_report(labels, [(document, spans)], ReportOptions(title=TITLE, details=True))
    tree = parse(report_html.render(report))
    assert_nothing_from_the_data(tree)
    page = text_of(tree.find("body"))
    for value in (document.title, document.source, PAYLOADS[8], *(a.annotator for a in spans)):
        assert value in page
    monkeypatch.setattr(report_document, "QTextDocument", RecordingDocument)
    RecordingDocument.asked = []
    assert write_pdf(report, tmp_path / "r.pdf", Paper.A4) >= 1
    assert set(RecordingDocument.asked) <= {"counts.svg", "annotators.svg", "agreement.svg"}, (
        RecordingDocument.asked
    )
