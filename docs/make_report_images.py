"""Render the report of the demo project (docs/make_screenshot.py) as the README shows it:
docs/report-html.png (the HTML in headless Chromium), docs/report-pdf.png (the PDF's first page
through pdftoppm) and docs/report-dialog.png (File -> Export Report…, offscreen). Needs Debian's
chromium and poppler-utils.

Run with `.venv/bin/python docs/make_report_images.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.cli import main  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_screenshot import build  # noqa: E402

DOCS = Path(__file__).resolve().parent
SUBTITLE = ("--subtitle", "The 2004 Trafficking in Persons report, as one newspaper told it")
CHROMIUM = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def crop(png: Path, height: int) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    image.copy(0, 0, image.width(), min(height, image.height())).save(str(png))


def dialog_screenshot(project: Path, folder: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.context import AppContext
    from annotator.gui.report_dialog import ReportDialog
    from annotator.store.project import Project

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    with Project.open(project) as opened:
        dialog = ReportDialog(AppContext(opened, settings, QUndoStack()))
        dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
        dialog.subtitle.setText(SUBTITLE[1])
        dialog.subtitle.setCursorPosition(0)
        dialog.update_preview()
        dialog.target.setText("/home/ana/Reports/Cambodia report.pdf")
        dialog.resize(1100, 680)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(DOCS / "report-dialog.png"))
        dialog.close()


def render(folder: Path) -> None:
    project = folder / "Sample project.annot"
    build(project)
    html, pdf = folder / "report.html", folder / "report.pdf"
    for out in (html, pdf):
        status = main(["report", str(project), "--paper", "a4", *SUBTITLE, "-o", str(out)])
        if status:
            sys.exit(status)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftoppm") is None:
        sys.exit("needs chromium and pdftoppm (Debian: apt-get install chromium poppler-utils)")
    profile = folder / "chromium-profile"
    subprocess.run(
        [
            browser,
            *CHROMIUM,
            f"--user-data-dir={profile}",
            "--window-size=1000,1300",
            f"--screenshot={DOCS / 'report-html.png'}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    crop(DOCS / "report-html.png", 1300)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "90",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(DOCS / "report-pdf"),
        ],
        check=True,
    )
    dialog_screenshot(project, folder)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as temporary:
        render(Path(temporary))
