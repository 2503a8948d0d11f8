"""Issue 25, item 9: big reports. A PDF report stopped by SIGTERM leaves no temporary file and no
half a PDF; the HTML report is written as it is made; a long paragraph is laid out in bounded
blocks. Figures are in benchmarks/bench_report.py; these are structural checks only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QTextDocument

from annotator import service
from annotator.core.leftovers import EXPORT_SUFFIX
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.gui.report_document import BLOCK, block_breaks, build_document
from annotator.io import report_html
from annotator.store.project import Project
from tests.helpers.pdf_printer import needs_pdf_printer

PARAGRAPH = (
    "The ministry said rainfall rose 12 percent this week, the highest since records began. "
    "Officials insisted the dams are safe, while volunteers posted updates from the river. "
) * 4


def big_project(path: Path, paragraphs: int, spans_each: int = 4) -> Path:
    text = "\n\n".join(PARAGRAPH for _ in range(paragraphs))
    step = len(PARAGRAPH) + 2
    annotations = [
        ImportedAnnotation(label, n * step + offset, n * step + offset + 20)
        for n in range(paragraphs)
        for label, offset in (("Claim", 4), ("Quote", 100), ("Organisation", 200), ("Claim", 300))[
            :spans_each
        ]
    ]
    with Project.open(path) as project:
        project.import_bundle(
            ImportedBundle([ImportedDocument(text, "big", annotations=annotations)])
        )
    return path


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(EXPORT_SUFFIX)]


@needs_pdf_printer
def test_sigterm_during_a_pdf_report_leaves_no_temporary_and_no_pdf(tmp_path: Path) -> None:
    project = big_project(tmp_path / "big.annotator", paragraphs=2000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "x.pdf"
    script = Path(sys.executable).with_name("annotator")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [str(script), "report", str(project), "--paper", "a4", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120  # a safety bound: the file appears within seconds
        while not temporaries(out_dir):
            assert child.poll() is None, f"finished before it was stopped: {child.stderr.read()}"
            assert time.monotonic() < deadline, "the temporary file never appeared"
            time.sleep(0.01)  # a poll interval (no file-creation event to wait on portably)
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signal.SIGTERM, (child.returncode, stderr)
    assert "Traceback" not in stderr and "annotator: " not in stderr, stderr  # stopped quietly
    left = list(out_dir.iterdir())
    assert not temporaries(out_dir), left
    # Stopped: no PDF. Qt may swallow the exception the signal raises inside one of its calls;
    # then the report runs to its end and the PDF is whole, never half of one.
    assert left == [] or (left == [target] and len(PdfReader(target).pages) > 1), left


def test_the_html_report_is_written_a_document_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "corpus.annotator"
    documents = [
        ImportedDocument(
            f"Document {n}.\n\n" + "\n\n".join(PARAGRAPH for _ in range(20)),
            f"Document {n}",
            annotations=[ImportedAnnotation("Claim", 0, 10), ImportedAnnotation("Quote", 20, 60)],
        )
        for n in range(8)
    ]
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle(documents))
    writes: list[int] = []
    real = report_html.atomic_text_writer

    @contextmanager
    def recording(target: Path) -> Iterator[object]:
        with real(target) as out:

            class Recorder:
                def write(self, part: str) -> int:
                    writes.append(len(part))
                    return out.write(part)

            yield Recorder()

    monkeypatch.setattr(report_html, "atomic_text_writer", recording)
    target = tmp_path / "report.html"
    with Project.open(path) as project:
        report = service.write_html_report(project, target)
    written = target.read_text(encoding="utf-8")
    assert sum(writes) == len(written)
    writer = report_html.HtmlWriter(report, qt=False)
    one_document = max(len(writer.document(i, d)) for i, d in enumerate(report.documents, 1))
    assert max(writes) <= one_document < len(written) // 4


def article_blocks(document: QTextDocument, first_words: str) -> list[str]:
    """The texts of the article's blocks: from the one starting with ``first_words`` to what
    follows the article (its source, its colours' key, or the notes)."""
    texts = []
    block = document.begin()
    while block.isValid() and not block.text().startswith(first_words):
        block = block.next()
    after = ("Notes", "Claims", "No annotations chosen in this document.")
    while block.isValid() and block.text() not in after and not block.text().startswith("Source"):
        texts.append(block.text())
        block = block.next()
    return texts


def test_a_long_paragraph_is_laid_out_in_blocks_of_bounded_length(
    tmp_path: Path, qapp: object
) -> None:
    text = "Opening words. " + "Breaking news from the river: 中文 👨\u200d👩\u200d👧. " * 2000
    with Project.open(tmp_path / "long.annotator") as project:
        project.import_bundle(ImportedBundle([ImportedDocument(text, "long")]))
        report = service.report(project)
    blocks = article_blocks(build_document(report), "Opening words.")
    assert "".join(blocks) == text  # every character, in order, none added
    assert len(blocks) > 1
    assert max(map(len, blocks)) <= BLOCK
    assert all(b.endswith(". ") for b in blocks[:-1])  # after a sentence end


def test_block_breaks_keep_to_paragraphs_and_graphemes() -> None:
    assert block_breaks("short\n\nparagraphs\n" * 1000, limit=100) == []
    cjk = "中" * 250 + "👨\u200d👩\u200d👧" * 100 + "e\u0301" * 200
    breaks = block_breaks(cjk, limit=100)
    assert breaks and all(b - a <= 100 for a, b in zip([0, *breaks], breaks, strict=False))
    for at in breaks:
        assert cjk[at] not in "\u200d\u0301" and cjk[at - 1] != "\u200d", at
