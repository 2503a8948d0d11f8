"""Render docs/relations.png offscreen: the sample article with relations drawn as arcs (said by,
evidence for / against, one flagged after a relabel), the quote selected and its relations
listed in the annotation panel, one arc hovered.

Run with `QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_relations_screenshot.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).parent))

from make_screenshot import build  # noqa: E402

from annotator.core.labels import RelationTypeDef  # noqa: E402
from annotator.store import codebook  # noqa: E402
from annotator.store.project import Project  # noqa: E402

# (type, source text, target text): relations between the demo's spans.
RELATIONS = [
    ("said by", "Cambodia does not fully comply", "US State Department"),
    ("evidence for", "Cambodia does not fully comply", "The US State Department has bumped"),
    ("evidence against", "Cambodia does not fully comply", "Cambodia will not be subject"),
    ("rated", "The US State Department has bumped", "Tier 2"),
    ("rated", "Cambodia will not be subject", "Tier 3"),
]


def relate(path: Path) -> None:
    with Project.open(path) as project:
        codebook.add_relation_type(
            project,
            RelationTypeDef(
                "rated", "#b06fd8", ("Claim",), ("Tier rating",), False, "A claim about a rating"
            ),
        )
        spans = project.annotations()

        def find(start_of: str):
            return next(a for a in spans if a.text.lstrip("“").startswith(start_of))

        for kind, source, target in RELATIONS:
            a, b = find(source), find(target)
            project.add_relation(a.document_id, kind, a.id, b.id, annotator="demo")


def render(path: Path, out: Path, settings_file: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    with Project.open(path) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1360, 820)
        window.show()
        window.documents.select(project.documents()[0].id)
        app.processEvents()
        quote = next(a for a in project.annotations() if "does not fully comply" in a.text)
        window._reveal_quietly = True
        window.panel.select(quote.id)
        window._reveal_quietly = False
        window.reader.verticalScrollBar().setValue(0)
        said = next(r for r in project.relations() if r.type == "said by")
        window.select_relation(said.id)
        app.processEvents()
        window.reader.viewport().repaint()
        window.grab().save(str(out))
        window.close()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/relations.png")
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "Relations.annot"
        build(demo)
        relate(demo)
        render(demo, out, Path(folder) / "settings.ini")
