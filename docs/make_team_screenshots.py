"""Render docs/layers.png (the window coloured by layer), docs/agreement.png (Team →
Agreement…) and docs/curation.png (Team → Curate Disagreements…) offscreen, from the sample
article coded by two people, ann and bob.

Run with `make screenshot` (docs/make_screenshot.py calls this), or on its own:
`python docs/make_team_screenshots.py docs/`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_screenshot import DEMO  # noqa: E402

from annotator.resources_path import SAMPLE_ARTICLE, resource  # noqa: E402
from annotator.service import import_file  # noqa: E402
from annotator.store.project import Project  # noqa: E402

# bob's reading of the same article: the phrase ann marked, how bob marked it instead
# (None: bob left it out), and what bob marked that ann did not
BOB_CHANGES = {
    "Cambodia will not be subject to sanctions imposed by the US": (
        "Claim",
        "Cambodia will not be subject to sanctions",
    ),
    "Ministry of Tourism": None,
    "a corrupt judiciary and a backed-up caseload also hinder prosecution": (
        "Quote",
        "a corrupt judiciary and a backed-up caseload also hinder prosecution",
    ),
    "US State Department": ("Organisation", "State Department"),
}
BOB_EXTRA = [("Organisation", "Cambodian Women’s Crisis Center", 0, {"type": "NGO"})]


def build(path: Path) -> None:
    with Project.open(path) as project:
        import_file(project, resource(SAMPLE_ARTICLE))
        document = project.documents()[0]
        text = project.document(document.id).text

        def add(label: str, phrase: str, occurrence: int, attributes: dict, who: str) -> None:
            start = -1
            for _ in range(occurrence + 1):
                start = text.index(phrase, start + 1)
            project.add_annotation(
                document.id, label, start, start + len(phrase), attributes=attributes, annotator=who
            )

        for label, phrase, occurrence, attributes in DEMO:
            add(label, phrase, occurrence, attributes, "ann")
            change = BOB_CHANGES.get(phrase, (label, phrase))
            if change is not None:
                add(change[0], change[1], occurrence, attributes, "bob")
        for label, phrase, occurrence, attributes in BOB_EXTRA:
            add(label, phrase, occurrence, attributes, "bob")


def render(project_path: Path, folder: Path, settings_file: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.agreement_window import AgreementWindow
    from annotator.gui.context import AppContext
    from annotator.gui.curation_view import CurationView
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    settings.setValue("annotator/name", "lead")
    with Project.open(project_path) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1360, 820)
        window.show()
        window.documents.select(project.documents()[0].id)
        window.layer_bar.colour_button.click()
        window.reader.verticalScrollBar().setValue(0)
        app.processEvents()
        window.grab().save(str(folder / "layers.png"))
        # the lead took what ann and bob agree on: the window can count that layer, by default not
        from annotator.service import adjudicate

        adjudicate(project, ["ann", "bob"], into="lead")
        agreement = AgreementWindow(window.ctx, window)
        agreement.resize(980, 700)
        agreement.show()
        app.processEvents()
        agreement.grab().save(str(folder / "agreement.png"))
        agreement.close()
        curation = CurationView(window.ctx, window)
        curation.resize(1040, 560)
        curation.show()
        curation.step(1)  # the second disagreement: a boundary and a label differ
        app.processEvents()
        curation.grab().save(str(folder / "curation.png"))
        curation.close()
        window.close()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    with tempfile.TemporaryDirectory() as temporary:
        demo = Path(temporary) / "Team project.annot"
        build(demo)
        render(demo, out, Path(temporary) / "settings.ini")
