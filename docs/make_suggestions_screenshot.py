"""Render docs/suggestions.png: the sample article with a few annotations and the suggestions
around them (dashed outlines), one of them current.

Run: `python docs/make_suggestions_screenshot.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui.context import AppContext  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.resources_path import SAMPLE_ARTICLE, resource  # noqa: E402
from annotator.service import import_file  # noqa: E402
from annotator.store.project import Project  # noqa: E402

ACCEPTED = [  # (label, phrase, attributes): what the person has labelled so far
    ("Organisation", "US State Department", {"type": "government"}),
    ("Tier rating", "Tier 2", {"tier": "Tier 2", "subject": "Cambodia"}),
]


def main(out: Path) -> int:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Suggestions.annot"
        with Project.open(path) as project:
            import_file(project, resource(SAMPLE_ARTICLE))
            document = project.documents()[0]
            text = project.document(document.id).text
            for label, phrase, attributes in ACCEPTED:
                start = text.index(phrase)
                project.add_annotation(
                    document.id, label, start, start + len(phrase), attributes=attributes
                )
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        with Project.open(path) as project:
            window = MainWindow(AppContext(project, settings, QUndoStack()))
            window.resize(1280, 800)
            window.show()
            limit = time.monotonic() + 60
            while not window.suggestions.suggestions and time.monotonic() < limit:
                app.processEvents()
                time.sleep(0.02)
            quote = next(s for s in window.suggestions.suggestions if s.label == "Quote")
            window.suggestions.set_current(quote)
            window.reader.verticalScrollBar().setValue(0)
            app.processEvents()
            window.grab().save(str(out))
            window.suggestions.shutdown()
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/suggestions.png")))
