"""Render docs/find-in-all.png offscreen: Find in All Documents (Ctrl+Shift+F) listing the
matches of a phrase across several articles, the second match opened in the reader.

Run with `QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_find_screenshot.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).parent))

from make_screenshot import build  # noqa: E402

from annotator.core.model import ImportedBundle, ImportedDocument  # noqa: E402
from annotator.store.project import Project  # noqa: E402

MORE = [
    (
        "Trafficking report: reactions in Phnom Penh",
        "Officials welcomed the US State Department’s decision on Friday.\n\nA spokesman "
        "said the State Department had recognised the work of the national committee, while "
        "rights groups said the upgrade to Tier 2 came too early.",
    ),
    (
        "国务院回应人口贩运报告",
        "柬埔寨政府欢迎美国国务院的决定。美国国务院（State Department）将柬埔寨升至第二级。",
    ),
    (
        "Editorial: a ranking is not a policy",
        "The State Department ranking matters to donors, but victims need shelters, "
        "prosecutors and courts that work.",
    ),
]


def render(path: Path, out: Path, settings_file: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([ImportedDocument(t, title) for title, t in MORE]))
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1360, 860)
        window.show()
        app.processEvents()
        window.open_find_all()
        panel = window.find_all
        panel.field.setText("State Department")
        panel.search()
        while panel.running:
            app.processEvents()
        panel.label_box.setCurrentIndex(panel.label_box.findData("Organisation"))
        window.resizeDocks([window.find_all_dock], [300], Qt.Orientation.Vertical)
        row = 3
        panel.view.setCurrentIndex(panel.model.index(row, 2))
        match = panel.model.rows[row]
        window.open_match(match.document_id, match.start, match.end)
        app.processEvents()
        window.grab().save(str(out))
        window.close()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("find-in-all.png"))
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "demo.annot"
        build(project)
        render(project, out, Path(folder) / "settings.ini")
    print(out)
