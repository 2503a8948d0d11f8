"""Starting the desktop app: which project to open, first run, switching projects, screenshots."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.gui.context import AppContext
from annotator.gui.main_window import MainWindow
from annotator.resources_path import SAMPLE_ARTICLE, resource
from annotator.service import import_file
from annotator.store.project import Project

ORGANISATION = "Annotator"
APPLICATION = "Annotator"
PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"
MAX_RECENT = 10


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def data_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(location or Path.home() / ".annotator")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sample_project_path() -> Path:
    return data_folder() / "Sample project.annot"


def open_sample_project() -> Project:
    """The first-run project: the sample article, ready to label."""
    path = sample_project_path()
    project = Project.open(path)
    if not project.documents():
        import_file(project, resource(SAMPLE_ARTICLE))
    return project


def remember(store: QSettings, path: Path) -> None:
    recent = store.value("recent/projects", []) or []
    if isinstance(recent, str):
        recent = [recent]
    recent = [str(path)] + [p for p in recent if p != str(path)]
    store.setValue("recent/projects", recent[:MAX_RECENT])


def last_project(store: QSettings) -> Path | None:
    recent = store.value("recent/projects", []) or []
    if isinstance(recent, str):
        recent = [recent]
    return next((Path(p) for p in recent if Path(p).is_file()), None)


class Application:
    """Owns the one main window and the project open in it."""

    def __init__(self, qt_app: QApplication) -> None:
        self.qt_app = qt_app
        self.settings = settings()
        self.window: MainWindow | None = None

    def open(self, project: Project) -> MainWindow:
        ctx = AppContext(project=project, settings=self.settings, undo_stack=QUndoStack())
        window = MainWindow(ctx)
        window.open_project_requested.connect(self.choose_and_open)
        window.new_project_requested.connect(self.choose_new)
        previous, self.window = self.window, window
        if previous is not None:
            previous.close()
            previous.ctx.project.close()
            previous.deleteLater()
        remember(self.settings, project.path)
        return window

    def choose_and_open(self, path: str = "") -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.window, "Open project", "", PROJECT_FILTER)
            if not path:
                return
        self._open_path(Path(path), create=False)

    def choose_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "New project", "untitled.annot",
                                              PROJECT_FILTER)
        if path:
            target = Path(path)
            if target.exists():
                QMessageBox.warning(self.window, "New project",
                                    f"{target} already exists; choose another name.")
                return
            self._open_path(target, create=True)

    def _open_path(self, path: Path, create: bool) -> None:
        try:
            project = Project.open(path, create=create)
        except AnnotatorError as exc:
            QMessageBox.warning(self.window, "Cannot open project", str(exc))
            return
        self.open(project).show()


def run(args: argparse.Namespace) -> int:
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setOrganizationName(ORGANISATION)
    qt_app.setApplicationName(APPLICATION)
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName("org.annotator.Annotator")
    app = Application(qt_app)
    try:
        if args.project is not None:
            project = Project.open(args.project)
        elif (last := last_project(app.settings)) is not None and not args.screenshot:
            project = Project.open(last, create=False)
        else:
            project = open_sample_project()
    except AnnotatorError as exc:
        if args.screenshot:
            raise
        QMessageBox.critical(None, "Cannot open project", str(exc))
        project = open_sample_project()
    window = app.open(project)
    if args.files:
        window.import_files(list(args.files))
    if args.screenshot:
        return screenshot(window, Path(args.screenshot))
    window.show()
    return qt_app.exec()


def screenshot(window: MainWindow, out: Path) -> int:
    """Render the window offscreen with the first document (and its first annotation) shown."""
    window.resize(1360, 820)
    window.show()
    if window.panel.model.rows:
        window.panel.view.setCurrentIndex(window.panel.proxy.index(0, 0))
        window.reader._flash_timer.stop()
        window.reader._update_current_selection()
    window.reader.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    QTimer.singleShot(0, lambda: None)
    QApplication.processEvents()
    if not window.grab().save(str(out)):
        raise AnnotatorError(out, "cannot write the screenshot (check the folder and extension)")
    window.ctx.project.close()
    return 0
