"""Render docs/document-filter.png offscreen: a project of 2,000 two-annotator articles (the
benchmarks' corpus, with headline titles) whose document list is filtered to documents with a
Claim in ben's layer where the layers disagree, sorted by title.

Run with `QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_document_filter_screenshot.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.model import ImportedBundle, ImportedDocument  # noqa: E402
from annotator.store.project import Project  # noqa: E402
from benchmarks.corpus import corpus_document  # noqa: E402

DOCUMENTS = 2_000
SUBJECTS = (
    "Ministry denies",
    "Court hears",
    "Mayor promises",
    "Report finds",
    "Union disputes",
    "Police say",
    "Minister defends",
    "Study questions",
)
OBJECTS = (
    "port contract",
    "flood spending",
    "school figures",
    "border claims",
    "rice prices",
    "clinic closures",
    "bus fares",
    "election rolls",
    "forest permits",
)


def title(seed: int) -> str:
    subject = SUBJECTS[seed % len(SUBJECTS)]
    thing = OBJECTS[(seed // len(SUBJECTS)) % len(OBJECTS)]
    return f"{subject} {thing} ({seed})"


def document(n: int) -> ImportedDocument:
    """Corpus document ``n`` with fewer spans; in every third one, ben agrees with ana."""
    made = corpus_document(n)
    spans = made.annotations[: 6 + 2 * (n % 8)]
    if n % 3 == 0:
        ana = [a for a in spans if a.annotator == "ana"]
        spans = ana + [replace(a, annotator="ben") for a in ana]
    return replace(made, title=title(n), annotations=spans)


def build(path: Path) -> None:
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([document(n) for n in range(1, DOCUMENTS + 1)]))


def render(path: Path, out: Path, settings_file: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    settings.setValue("suggestions/show", False)
    with Project.open(path) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1360, 820)
        window.resizeDocks([window.documents_dock], [400], Qt.Orientation.Horizontal)
        window.show()
        bar = window.documents.filters
        bar.label.choose("Claim")
        bar.annotator.choose("ben")
        bar.disagreements.setChecked(True)
        window.documents.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        documents = window.documents
        documents.view.setCurrentIndex(documents.model.index(2, 0))
        documents.view.scrollToTop()
        app.processEvents()
        window.reader.viewport().repaint()
        window.grab().save(str(out))
        window.close()


def main() -> None:
    out = Path(__file__).resolve().parent / "document-filter.png"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Corpus.annot"
        build(path)
        render(path, out, Path(folder) / "settings.ini")
    print(out)


if __name__ == "__main__":
    main()
