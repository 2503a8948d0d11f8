"""A report is for readers outside the desk (issue 28): no folders of the user's, the desk's
records only when asked, a title and subtitle of the user's, each headline once, quote marks
not doubled, articles without a page break each, the sections chosen, and a claims table of
claimant, verdict, rationale and evidence. Dataset exports write a source's file name only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QTextFormat

from annotator import service
from annotator.cli import main
from annotator.core.model import Annotation
from annotator.core.report import ReportOptions
from annotator.io import report_html
from annotator.store.project import Project

from .conftest import FIXTURES, SAMPLE
from .test_report import parse, text_of

HEADLINE = "Cambodia Moves Up on US Trafficking List"


def add(project: Project, document_id: str, label: str, phrase: str, **more: object) -> Annotation:
    text = project.document(document_id).text
    start = text.index(phrase)
    return project.add_annotation(document_id, label, start, start + len(phrase), **more)


@pytest.fixture
def private(project: Project, tmp_path: Path) -> Project:
    """The sample article imported from a folder of the user's, a quote holding its own marks,
    a claim said by an organisation with a quote as evidence for it, and a cp1252 file."""
    folder = tmp_path / "home" / "ana" / "leaks"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copy(FIXTURES / "cp1252-quotes.txt", folder / "quotes.txt")
    for name in (SAMPLE.name, "quotes.txt"):
        assert service.import_file(project, folder / name).outcome is service.Outcome.IMPORTED
    doc = next(d for d in project.documents() if d.title == HEADLINE).id
    # A claim inside a quote said by the State Department; another quote as evidence for it.
    quote = add(project, doc, "Quote", "“Cambodia does not fully comply with the minimum")
    claim = add(
        project,
        doc,
        "Claim",
        "Cambodia does not fully comply",
        attributes={"verdict": "true", "checkworthy": True},
        note="The 2004 report lists Cambodia in Tier 2.",
    )
    state = add(project, doc, "Organisation", "US State Department")
    evidence = add(project, doc, "Quote", "“good news.”")
    project.add_relation(doc, "said by", quote.id, state.id)
    project.add_relation(doc, "evidence for", evidence.id, claim.id)
    return project


def html(project: Project, **options: object) -> str:
    return report_html.render(service.report(project, ReportOptions(**options)))  # type: ignore[arg-type]


def printed(project: Project, **options: object) -> str:
    """The text of the report as the PDF lays it out (its QTextDocument)."""
    from annotator.gui.report_document import build_document

    built = service.report(project, ReportOptions(**options))  # type: ignore[arg-type]
    return build_document(built).toPlainText()


# -- no folders of the user's, no desk records unless asked ---------------------------------


def test_the_source_shows_as_its_file_name_only(private: Project, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    for text in (html(private), printed(private)):
        assert str(tmp_path) not in text and "/home/ana" not in text
        assert SAMPLE.name in text and "quotes.txt" in text
        for desk in ("cp1252", "Encoding", "Status", "Added", "characters"):
            assert desk not in text, desk
    detailed = html(private, details=True)
    assert str(tmp_path / "home" / "ana" / "leaks" / SAMPLE.name) in detailed
    assert "cp1252" in detailed and "Status" in detailed


def test_a_docx_template_s_author_and_dates_are_not_shown(project: Project, qapp) -> None:  # type: ignore[no-untyped-def]
    service.import_file(project, FIXTURES / "table.docx")
    for text in (html(project), printed(project)):
        assert "Fisheries Administration" not in text and "2024-03-14" not in text
        assert "table.docx" in text
    assert "Fisheries Administration" in html(project, details=True)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("/home/ana/leaks/a.txt", "a.txt"),
        ("C:\\Users\\ana\\b.docx", "b.docx"),  # a project made on Windows
        ("file:///home/ana/c.html", "c.html"),
        ("https://example.org/news/1", "https://example.org/news/1"),
        ("plain.txt", "plain.txt"),
    ],
)
def test_source_name_keeps_a_web_address_and_drops_folders(source: str, shown: str) -> None:
    from annotator.core.model import source_name

    assert source_name(source) == shown


# -- title, subtitle, headline, quote marks, page breaks ------------------------------------


def test_the_title_is_the_project_s_name_or_the_user_s_with_a_subtitle(
    private: Project,
) -> None:
    tree = parse(html(private))
    assert [text_of(h) for h in tree.iter("h1")] == [private.path.stem]  # not "2 documents"
    tree = parse(html(private, title="Cambodia, checked", subtitle="A desk fact-check"))
    assert text_of(tree.find(".//h1")) == "Cambodia, checked"
    assert text_of(tree.find(".//p[@class='subtitle']")) == "A desk fact-check"
    assert "A desk fact-check" in printed(private, subtitle="A desk fact-check")


def test_each_article_s_headline_shows_once(private: Project, qapp) -> None:  # type: ignore[no-untyped-def]
    tree = parse(html(private))
    articles = "".join(
        text_of(s) for s in tree.iter("section") if s.get("id", "").startswith("doc")
    )
    assert articles.count(HEADLINE) == 1
    assert HEADLINE not in [text_of(h) for h in tree.iter("h1")] + [
        text_of(h) for h in tree.iter("h2")
    ]
    headlines = tree.findall(".//div[@class='article']/span[@class='headline']")
    assert HEADLINE in [text_of(h) for h in headlines] and len(headlines) == 2
    assert printed(private).split("\nClaims\n")[0].count(HEADLINE) == 1


def test_quote_marks_are_not_doubled(private: Project, qapp) -> None:  # type: ignore[no-untyped-def]
    for text in (html(private), printed(private)):
        assert "““" not in text and "””" not in text
        assert "“Cambodia does not fully comply with the minimum”" in text


def _page_breaks(document) -> list[str]:  # type: ignore[no-untyped-def]
    breaks = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
            breaks.append(block.text())
        block = block.next()
    return breaks


def test_articles_follow_each_other_unless_each_is_asked_on_a_new_page(
    private: Project, qapp
) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.report_document import build_document

    built = service.report(private)
    assert _page_breaks(build_document(built)) == ["Claims", "Coded segments", "Counts"]
    assert 'class="document break"' not in report_html.render(built)
    built = service.report(private, ReportOptions(page_break_per_article=True))
    second = built.documents[1].document.title
    assert _page_breaks(build_document(built))[0] == second
    assert report_html.render(built).count('class="document break"') == 2


# -- sections ------------------------------------------------------------------------------


def test_a_report_of_the_coded_segments_alone(private: Project, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "coded.html"
    assert main(["report", str(private.path), "--sections", "coded", "-o", str(out)]) == 0
    tree = parse(out.read_text(encoding="utf-8"))
    assert [s.get("id") for s in tree.iter("section")] == ["coded"]
    assert tree.find(".//div[@class='article']") is None and tree.find(".//table") is None
    text = printed(private, sections=("coded",))
    assert "Coded segments" in text and "Claims" not in text and "Counts" not in text
    assert "Other countries escaping that bottom rank" not in text  # no article


def test_an_unknown_section_is_refused_with_one_line(
    private: Project, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    with pytest.raises(SystemExit) as exited:
        main(["report", str(private.path), "--sections", "coded,claimz", "-o", str(out)])
    assert exited.value.code == 2
    assert "unknown section 'claimz'" in capsys.readouterr().err and not out.exists()


# -- the claims table ----------------------------------------------------------------------


def test_the_claims_table_gives_claimant_verdict_rationale_and_evidence(
    private: Project, qapp
) -> None:  # type: ignore[no-untyped-def]
    claims = parse(html(private)).find(".//section[@id='claims']")
    head = [text_of(th) for th in claims.findall(".//thead/tr/th")]
    assert head[-5:] == ["Claim, in its sentence", "Claimant", "Verdict", "Rationale", "Evidence"]
    (row,) = [[text_of(td) for td in tr] for tr in claims.findall(".//tbody/tr")]
    cells = dict(zip(head, row, strict=True))
    # the quote holding the claim was said by the State Department (a said-by relation)
    assert cells["Claimant"].startswith("US State Department")
    assert cells["Verdict"] == "true"
    assert cells["Rationale"] == "The 2004 report lists Cambodia in Tier 2."
    assert cells["Evidence"].startswith("evidence for #") and "good news" in cells["Evidence"]
    by_attribute = parse(html(private, rationale="checkworthy"))
    cells = by_attribute.findall(".//section[@id='claims']//tbody/tr/td")
    assert text_of(cells[head.index("Rationale")]) == "yes"
    text = printed(private)
    assert "Claimant: US State Department" in text and "Verdict: true" in text
    assert "Rationale: The 2004 report" in text


def test_a_rationale_no_claim_has_is_refused(private: Project, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    assert main(["report", str(private.path), "--rationale", "why", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no claim attribute 'why'" in err and len(err.strip().splitlines()) == 1


# -- the dialog ----------------------------------------------------------------------------


def test_the_dialog_sets_title_subtitle_sections_details_and_rationale(
    private: Project, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QUndoStack

    from annotator.gui.context import AppContext
    from annotator.gui.report_dialog import ReportDialog

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = ReportDialog(AppContext(private, settings, QUndoStack()))
    qtbot.addWidget(dialog)
    assert dialog.title.placeholderText() == private.path.stem
    dialog.subtitle.setText("For the editor")
    for i in range(dialog.sections.count()):
        item = dialog.sections.item(i)
        if item.data(Qt.ItemDataRole.UserRole) != "coded":
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.details.setChecked(True)
    dialog.rationale.setCurrentIndex(dialog.rationale.findData("checkworthy"))
    with qtbot.waitSignal(dialog.preview_updated):
        pass
    options = dialog.report.options
    assert options.subtitle == "For the editor" and options.sections == ("coded",)
    assert options.details and options.rationale == "checkworthy"


# -- dataset exports ------------------------------------------------------------------------


def _sources(fmt: str, out: Path) -> list[str]:
    text = out.read_text(encoding="utf-8")
    if fmt == "labelstudio":
        return [task["data"]["source"] for task in json.loads(text)]
    return [json.loads(line)["meta"]["source"] for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "labelstudio"])
def test_dataset_exports_write_the_file_name_unless_full_paths_are_asked(
    private: Project, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(private.path), "--format", fmt, "-o", str(out)]) == 0
    assert sorted(_sources(fmt, out)) == sorted([SAMPLE.name, "quotes.txt"])
    assert str(tmp_path) not in out.read_text(encoding="utf-8")
    full = ["--source-paths", "full"]
    assert main(["export", str(private.path), "--format", fmt, *full, "-o", str(out)]) == 0
    assert all(s.startswith(str(tmp_path / "home")) for s in _sources(fmt, out))


def test_the_project_json_export_keeps_the_whole_path(private: Project, tmp_path: Path) -> None:
    out = tmp_path / "project.json"
    assert main(["export", str(private.path), "--format", "json", "-o", str(out)]) == 0
    sources = [d["source"] for d in json.loads(out.read_text(encoding="utf-8"))["documents"]]
    assert all(s.startswith(str(tmp_path / "home")) for s in sources)  # it is the project


def test_spacy_export_writes_the_file_name(private: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    out = tmp_path / "out.spacy"
    assert main(["export", str(private.path), "--format", "spacy", "-o", str(out)]) == 0
    docs = list(spacy.tokens.DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert sorted(d.user_data["source"] for d in docs) == sorted([SAMPLE.name, "quotes.txt"])


def test_the_export_dialog_s_document_sources_field_reaches_the_exporter(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox, QMessageBox

    from annotator.gui.export_dialog import ExportDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    dialog = ExportDialog(window.ctx, window)
    box = dialog.fields["source_paths"]
    assert isinstance(box, QComboBox) and box.currentData() == "name"
    for fmt, full in (("labelstudio", False), ("jsonl", True)):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        assert dialog.form.isRowVisible(box.parentWidget())  # one field, shared by the formats
        box.setCurrentIndex(box.findData("full" if full else "name"))
        out = tmp_path / f"out.{fmt}"
        dialog.target.setText(str(out))
        dialog.export()
        (source,) = _sources(fmt, out)
        assert source == (str(SAMPLE) if full else SAMPLE.name), fmt
        dialog = ExportDialog(window.ctx, window)
        box = dialog.fields["source_paths"]
