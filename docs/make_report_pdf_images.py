"""Render the PDF report as the README shows it, through Poppler's pdftoppm: docs/report-pdf.png
(the first page of the demo project's report, as docs/make_report_images.py makes it) and
docs/report-pdf-text.png (the report of tests/fixtures/report/pdf-text.txt: ligatures, an Arabic
quote and emoji, the text that issue 28's tests read back with pdftotext). Needs poppler-utils.

Run with `.venv/bin/python docs/make_report_pdf_images.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator import service  # noqa: E402
from annotator.cli import main  # noqa: E402
from annotator.store.project import Project  # noqa: E402

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))
from make_screenshot import build  # noqa: E402

ARTICLE = DOCS.parent / "tests" / "fixtures" / "report" / "pdf-text.txt"


def first_page(pdf: Path, png: Path, dpi: int, crop_height: int | None = None) -> None:
    args = ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
    if crop_height:
        args += ["-H", str(crop_height), "-W", "100000"]
    subprocess.run([*args, str(pdf), str(png.with_suffix(""))], check=True)


def render(folder: Path) -> None:
    demo = folder / "Sample project.annot"
    build(demo)
    pdf = folder / "report.pdf"
    if status := main(["report", str(demo), "--paper", "a4", "-o", str(pdf)]):
        sys.exit(status)
    first_page(pdf, DOCS / "report-pdf.png", 90)
    text = folder / "text.annot"
    with Project.open(text) as project:
        service.import_file(project, ARTICLE)
    pdf = folder / "text.pdf"
    if status := main(["report", str(text), "--paper", "a4", "-o", str(pdf)]):
        sys.exit(status)
    first_page(pdf, DOCS / "report-pdf-text.png", 110, crop_height=640)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as temporary:
        render(Path(temporary))
