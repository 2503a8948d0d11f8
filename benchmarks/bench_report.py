"""Reports of one article (1 MB with 10k annotations at full size): HTML and PDF, from the project
file to the finished file on disk; the PDF of the sample article and of a corpus of 200 articles;
and the HTML report of a big corpus (20 documents, 200k annotations at full size), its time and
peak RSS against writing the same data bare. Each PDF run is a process of its own, which reports
its time and peak RSS.

``python -m benchmarks.bench_report rss app|bare|pdf PROJECT OUT`` is the peak-RSS probe (run in
its own process by ``bench_memory.measure_module``; ``pdf`` prints its time in ms first)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from html import escape
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

from annotator import service
from annotator.gui.report_pdf import Paper, write_pdf
from annotator.resources_path import SAMPLE_ARTICLE, resource
from annotator.store.project import Project
from benchmarks.generate import Size
from benchmarks.harness import Workspace, elapsed_ms, qt_app
from benchmarks.rows import Row, Scenario, Target, median

HTML_TARGET = Target(max_value=2000)
# WeasyPrint lays out and draws some 0.15-0.2 s a page on this machine whatever the markup (Qt
# did 1,380 pages in 8 s, with the wrong text layer), so the time targets are 0.2 s a page of
# these reports (1,342 and 1,511 pages) and the sample's first print in a new process (loading
# Pango and the fonts: most of it). The memory is one printed part's (report_pdf.PART_BUDGET),
# not the report's: it was 3.0 GB for the article and 1.6 GB for the corpus printed whole.
PDF_TARGETS = {  # row name: (ms, MiB)
    "PDF report of the sample article": (3000, 400),
    "PDF report (annotator report --format pdf)": (270_000, 700),
    "PDF report of a corpus": (300_000, 700),
}


def _label(size: Size) -> str:
    return f"1 document, {size.spans:,} annotations"


def _bare_text(project: Project) -> str:
    """What any report must do at least: read the document and its spans."""
    (item,) = service.documents_with_annotations(project)
    return item.document.text


def run_html(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """service.write_html_report vs reading the project and writing the escaped text."""
    folder = ws.fresh_dir("report-html")
    app_ms: list[float] = []
    bare_ms: list[float] = []
    with Project.open(ws.project(size)) as project:
        for n in range(repeat + 1):
            app = elapsed_ms(lambda: service.write_html_report(project, folder / "report.html"))
            bare = elapsed_ms(
                lambda: (folder / "bare.html").write_text(
                    escape(_bare_text(project)), encoding="utf-8"
                )
            )  # noqa: B023
            if n:
                app_ms.append(app)
                bare_ms.append(bare)
    return [
        Row(
            "HTML report (annotator report --format html)",
            _label(size),
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=HTML_TARGET,
            note="baseline: read the project and write its text, escaped",
        )
    ]


def _bare_pdf(text: str, target: Path) -> None:
    writer = QPdfWriter(str(target))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document = QTextDocument()
    document.setPlainText(text)
    document.print_(writer)


def _pdf_probe(path: Path, target: Path) -> tuple[float, float]:
    """(ms, peak MiB) of printing the PDF report of ``path``, in a process of its own."""
    from benchmarks.bench_memory import probe_output

    ms, mib = probe_output(__name__, "rss", "pdf", str(path), str(target)).split()[-2:]
    return float(ms), float(mib)


def _pdf_rows(
    name: str, label: str, path: Path, folder: Path, repeat: int, bare: Callable[[], object]
) -> list[Row]:
    """Each run in its own process (its time and peak RSS), against Qt printing the plain
    text in this one."""
    runs = [_pdf_probe(path, folder / f"report-{n}.pdf") for n in range(repeat)]
    bare_ms = [elapsed_ms(bare) for _ in range(repeat)]
    bare_mib = [_bare_probe(path, folder / f"bare-{n}.html") for n in range(repeat)]
    pages = len(PdfReader(folder / "report-0.pdf").pages)
    target = PDF_TARGETS.get(name, (None, None))
    note = f"{pages:,} A4 pages; each run in its own process"
    return [
        Row(
            name,
            label,
            repeat,
            median([ms for ms, _ in runs]),
            baseline=median(bare_ms),
            target=Target(max_value=target[0]),
            note=note + "; baseline: QTextDocument.print_ of the plain text",
        ),
        Row(
            name + ", peak RSS",
            label,
            repeat,
            median([mib for _, mib in runs]),
            unit="MiB",
            baseline=median(bare_mib),
            target=Target(max_value=target[1]),
            note=note + "; baseline: a process that opens the project and writes bare HTML",
        ),
    ]


def _bare_probe(path: Path, target: Path) -> float:
    """Peak MiB of a process of its own that opens ``path`` and writes its text as bare HTML."""
    from benchmarks.bench_memory import probe_output

    return float(probe_output(__name__, "rss", "bare", str(path), str(target)).split()[-1])


def run_pdf_sample(ws: Workspace, _size: Size, repeat: int) -> list[Row]:
    """The sample article's PDF report (5 KB, as on first run)."""
    qt_app()
    folder = ws.fresh_dir("report-pdf-sample")
    path = folder / "sample.annot"
    with Project.open(path) as project:
        service.import_file(project, resource(SAMPLE_ARTICLE))
        text = _bare_text(project)
    return _pdf_rows(
        "PDF report of the sample article",
        "1 document, the sample (5 KB)",
        path,
        folder,
        repeat,
        lambda: _bare_pdf(text, folder / "bare.pdf"),
    )


def run_pdf(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """Report model plus its PDF (WeasyPrint, in parts) vs Qt printing the plain article text,
    the floor the earlier Qt-printed report stood on."""
    qt_app()
    folder = ws.fresh_dir("report-pdf")
    path = ws.project(size)
    with Project.open(path) as project:
        text = _bare_text(project)
    return _pdf_rows(
        "PDF report (annotator report --format pdf)",
        _label(size),
        path,
        folder,
        repeat,
        lambda: _bare_pdf(text, folder / "bare.pdf"),
    )


CORPUS_DOCUMENTS = 200


def run_pdf_corpus(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """The PDF report of 200 documents (medium: 5 KB and 50 annotations each, the sample
    article's length) vs Qt printing their plain texts."""
    qt_app()
    each = size.split(CORPUS_DOCUMENTS)
    folder = ws.fresh_dir("report-pdf-corpus")
    path = ws.project(each, CORPUS_DOCUMENTS)
    with Project.open(path) as project:
        items = service.documents_with_annotations(project)
        text = "\n\n".join(item.document.text for item in items)
    return _pdf_rows(
        "PDF report of a corpus",
        f"{CORPUS_DOCUMENTS} documents, {each.characters:,} characters and "
        f"{each.spans} annotations each",
        path,
        folder,
        repeat,
        lambda: _bare_pdf(text, folder / "bare.pdf"),
    )


BIG_DOCUMENTS = 20


def _big(size: Size) -> Size:
    """Each of the 20 documents of the big corpus: twice the text, four times the spans of
    ``size`` in all (large: 10 MB and 200k annotations)."""
    return Size(
        f"{size.name}/big",
        size.characters * 2 // BIG_DOCUMENTS,
        size.spans * 4 // BIG_DOCUMENTS,
    )


def write_bare_html(project: Project, target: Path) -> None:
    """The least an HTML report of the project does: every document's text and every annotation,
    escaped, written one document at a time with plain f-strings."""
    with target.open("w", encoding="utf-8") as out:
        out.write("<!DOCTYPE html><html><body>")
        for item in service.documents_with_annotations(project):
            out.write(f"<h2>{escape(item.document.title)}</h2><p>{escape(item.document.text)}</p>")
            out.write(
                "".join(
                    f"<li>{escape(a.label)} {a.start}-{a.end} {escape(a.text)} "
                    f"{escape(a.annotator)} {escape(a.note)}</li>"
                    for a in item.annotations
                )
            )
        out.write("</body></html>")


def _write_app_html(project: Project, target: Path) -> None:
    service.write_html_report(project, target)


def run_html_big(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """The HTML report of 20 documents: median time in this process, then peak RSS, each run in
    a process of its own, against the bare writer's."""
    from benchmarks.bench_memory import measure_module

    each = _big(size)
    path = ws.project(each, BIG_DOCUMENTS)
    folder = ws.fresh_dir("report-html-big")
    label = (
        f"{BIG_DOCUMENTS} documents, {each.characters * BIG_DOCUMENTS / 1e6:g} MB, "
        f"{each.spans * BIG_DOCUMENTS:,} annotations"
    )
    app_ms: list[float] = []
    bare_ms: list[float] = []
    with Project.open(path) as project:
        for n in range(repeat + 1):
            app = elapsed_ms(lambda: _write_app_html(project, folder / "report.html"))
            bare = elapsed_ms(lambda: write_bare_html(project, folder / "bare.html"))
            if n:
                app_ms.append(app)
                bare_ms.append(bare)
    app_mb = [measure_module(__name__, "rss", "app", str(path), str(folder / "r.html"))]
    bare_mb = [measure_module(__name__, "rss", "bare", str(path), str(folder / "b.html"))]
    note = "baseline: the text and annotations written with plain f-strings"
    return [
        Row(
            "HTML report of a corpus",
            label,
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            note=note,
        ),
        Row(
            "HTML report of a corpus, peak RSS",
            label,
            len(app_mb),
            median(app_mb),
            unit="MiB",
            baseline=median(bare_mb),
            note="each in its own process; " + note,
        ),
    ]


SCENARIOS = [
    Scenario("report-html", run_html, ("medium",), 5),
    Scenario("report-pdf-sample", run_pdf_sample, ("small",), 5),
    Scenario("report-pdf", run_pdf, ("medium",), 1),
    Scenario("report-pdf-corpus", run_pdf_corpus, ("medium",), 1),
    Scenario("report-html-big", run_html_big, ("large",), 3),
]


def probe(kind: str, project_path: str, target: str) -> float:
    from benchmarks.bench_memory import peak_rss_mb

    with Project.open(Path(project_path)) as project:
        if kind == "pdf":  # its time first: the PDF probe is timed in its own process
            ms = elapsed_ms(lambda: write_pdf(service.report(project), Path(target), Paper.A4))
            print(f"{ms:.1f}")
        else:
            (_write_app_html if kind == "app" else write_bare_html)(project, Path(target))
    return peak_rss_mb()


if __name__ == "__main__":
    kinds = ("app", "bare", "pdf")
    if sys.argv[1:2] != ["rss"] or len(sys.argv) != 5 or sys.argv[2] not in kinds:
        sys.exit("usage: python -m benchmarks.bench_report rss app|bare|pdf PROJECT OUT")
    print(f"{probe(sys.argv[2], sys.argv[3], sys.argv[4]):.1f}")
