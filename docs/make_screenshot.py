"""Build a demo project from the sample article and render docs/screenshot.png (the main
window), docs/codebook.png (Edit -> Codebook), docs/export-dialog.png (File -> Export, with
the doccano format's declared option) and docs/file-gone.png (the project file moved away while
open: the window stops saving and offers Save As) offscreen; then docs/agreement.png and
docs/curation.png (make_team_screenshots.py), and docs/many-labels.png (a codebook of 10,000
labels: the label bar's "All labels…" chooser, filtered).

Run with `make screenshot`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.cli import main  # noqa: E402
from annotator.resources_path import SAMPLE_ARTICLE, resource  # noqa: E402
from annotator.service import import_file  # noqa: E402
from annotator.store.project import Project  # noqa: E402

# (label, phrase, occurrence, attributes): several of every label, with overlaps.
DEMO = [
    ("Organisation", "US State Department", 0, {"type": "government"}),
    (
        "Claim",
        "The US State Department has bumped Cambodia up to Tier 2 in its annual report on "
        "human trafficking",
        0,
        {"verdict": "true", "checkworthy": True},
    ),
    ("Tier rating", "Tier 2", 0, {"tier": "Tier 2", "subject": "Cambodia", "year": 2004}),
    (
        "Quote",
        "“Cambodia does not fully comply with the minimum standards for the elimination of "
        "trafficking; however it is making significant efforts to do so.”",
        0,
        {"speaker": "US State Department"},
    ),
    ("Tier rating", "Tier 3", 0, {"tier": "Tier 3", "subject": "Cambodia", "year": 2003}),
    (
        "Claim",
        "Cambodia will not be subject to sanctions imposed by the US",
        0,
        {"verdict": "mostly true"},
    ),
    ("Tier rating", "Tier 3", 1, {"tier": "Tier 3", "subject": "Burma"}),
    ("Organisation", "Ministry of Women’s and Veterans’ Affairs", 0, {"type": "government"}),
    ("Organisation", "Ministry of Labor and Social Affairs", 0, {"type": "government"}),
    ("Organisation", "Ministry of Tourism", 0, {"type": "government"}),
    (
        "Claim",
        "a corrupt judiciary and a backed-up caseload also hinder prosecution",
        0,
        {"verdict": "unverified"},
    ),
    ("Quote", "“good news.”", 0, {"speaker": "Chantoul Oung"}),
    ("Quote", "“keep up pressure on the country.”", 0, {"speaker": "Pierre Legros"}),
    (
        "Quote",
        "“Tier 3 was a warning, and we took the warning seriously,”",
        0,
        {"speaker": "Mu Sochua"},
    ),
]


def build(path: Path) -> None:
    with Project.open(path) as project:
        import_file(project, resource(SAMPLE_ARTICLE))
        document = project.documents()[0]
        text = project.document(document.id).text
        for label, phrase, occurrence, attributes in DEMO:
            start = -1
            for _ in range(occurrence + 1):
                start = text.index(phrase, start + 1)
            project.add_annotation(
                document.id, label, start, start + len(phrase), attributes=attributes
            )


def codebook_screenshot(project_path: Path, out: Path, settings_file: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.codebook_dialog import CodebookDialog
    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    with Project.open(project_path) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.show()
        dialog = CodebookDialog(window.ctx, window)
        dialog.show()
        dialog.labels.setCurrentRow(0)
        app.processEvents()
        dialog.grab().save(str(out))
        window.close()


def labelling_screenshot(project_path: Path, out: Path, settings_file: Path) -> None:
    """The window while labelling: a quote selected (its edge knobs showing), the snapping
    state in the status bar, and the concordance of quotes across the project."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    with Project.open(project_path) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1360, 900)
        window.show()
        window.concordance_dock.show()
        window.concordance.show_label("Quote")
        quote = next(a for a in project.annotations() if a.text == "“good news.”")
        window.panel.select(quote.id)
        window.reader._flash_timer.stop()
        window.reader._update_current_selection()
        app.processEvents()
        window.grab().save(str(out))
        window.close()


def many_labels_screenshot(
    project_path: Path, out: Path, settings_file: Path, count: int = 10_000
) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.core.labels import PALETTE, LabelDef
    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow
    from annotator.store import codebook

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    with Project.open(project_path) as project:
        codebook.merge_labels(
            project, [LabelDef(f"Topic {n:05d}", PALETTE[n % len(PALETTE)]) for n in range(count)]
        )
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1200, 640)
        window.show()
        chooser = window.label_bar.chooser()
        chooser.show()
        chooser.filter.setText("topic 042")
        chooser.move(window.mapToGlobal(window.label_bar.more.geometry().bottomLeft()))
        app.processEvents()
        image = window.grab()
        from PySide6.QtGui import QPainter

        painter = QPainter(image)
        painter.drawPixmap(
            window.label_bar.more.geometry().bottomLeft() + window.label_bar.geometry().topLeft(),
            chooser.grab(),
        )
        painter.end()
        image.save(str(out))
        chooser.close()
        window.close()


def export_dialog_screenshot(project_path: Path, out: Path, settings_file: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.gui.context import AppContext
    from annotator.gui.export_dialog import ExportDialog
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    with Project.open(project_path) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.show()
        dialog = ExportDialog(window.ctx, window)
        dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
        dialog.target.setText(f"~/{dialog.target.text().rsplit('/', 1)[-1]}")
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out))
        window.close()


def file_gone_screenshot(project_path: Path, out: Path, settings_file: Path) -> None:
    """The window after its project file was moved away, with the dialog drawn over it."""
    import shutil

    from PySide6.QtCore import QPoint, QSettings
    from PySide6.QtGui import QPainter, QUndoStack
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    copy = project_path.with_name("Fact-check.annot")
    shutil.copy(project_path, copy)
    with Project.open(copy) as project:
        window = MainWindow(AppContext(project, settings, QUndoStack()))
        window.resize(1100, 700)
        window.show()
        window.documents.select(project.documents()[0].id)
        app.processEvents()
        copy.rename(copy.with_name("moved elsewhere.annot"))
        cursor = window.reader.textCursor()
        cursor.setPosition(4)
        cursor.setPosition(20, cursor.MoveMode.KeepAnchor)
        window.reader.setTextCursor(cursor)
        window.label_selection("Claim")
        (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        app.processEvents()
        image = window.grab()
        dialog = box.grab()
        painter = QPainter(image)
        painter.drawPixmap(QPoint((image.width() - dialog.width()) // 2, 120), dialog)
        painter.end()
        image.save(str(out))
        box.close()
        window.close()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png")
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "Sample project.annot"
        build(demo)
        status = main(["--screenshot", str(out), str(demo)])
        codebook_screenshot(demo, out.with_name("codebook.png"), Path(folder) / "settings.ini")
        many_labels_screenshot(
            Path(folder) / "Many labels.annot",
            out.with_name("many-labels.png"),
            Path(folder) / "many.ini",
        )
        export_dialog_screenshot(
            demo, out.with_name("export-dialog.png"), Path(folder) / "settings.ini"
        )
        file_gone_screenshot(demo, out.with_name("file-gone.png"), Path(folder) / "settings.ini")
        import make_team_screenshots

        team = Path(folder) / "Team project.annot"
        make_team_screenshots.build(team)
        make_team_screenshots.render(team, out.parent, Path(folder) / "team-settings.ini")
        labelling_screenshot(demo, out.with_name("labelling.png"), Path(folder) / "l.ini")
        sys.exit(status)
