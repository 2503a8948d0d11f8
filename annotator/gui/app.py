"""Starting the desktop app: which project to open, first run, switching projects, screenshots."""

from __future__ import annotations

import argparse
import contextlib
import linecache
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QSettings, QStandardPaths, QTimer
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox

from annotator import __version__
from annotator.core.errors import AnnotatorError, FileReplaced, NoPassword
from annotator.core.labels import DEFAULT_LABELS, LabelDef
from annotator.core.model import FirstLook
from annotator.core.templates import TEMPLATES
from annotator.gui import project_guard
from annotator.gui.after_paint import AfterFirstPaint
from annotator.gui.context import AppContext
from annotator.gui.exception_hook import ExceptionHook
from annotator.gui.main_window import MainWindow
from annotator.resources_path import SAMPLE_ARTICLE, resource
from annotator.store import first_look
from annotator.store.backend import ServerAddress, is_server, location

if TYPE_CHECKING:
    from annotator.gui.background_backup import BackgroundBackup
    from annotator.store.project import Project

# The store proper (SQLAlchemy) is imported where a project is opened: a window that starts on a
# project's first look (annotator.store.first_look) paints before it is imported.

ORGANISATION = "Annotator"
APPLICATION = "Annotator"
APP_ID = "org.annotator.Annotator"  # reverse-DNS id: the .desktop file's name, icons, AppStream
ICON_SIZES = (16, 32, 48, 64, 128, 256)
PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"
MAX_RECENT = 10
BACKUP_CHECK_MS = 60 * 60 * 1000  # while a window stays open, the rolling backup is due hourly


def app_icon() -> QIcon:
    """The window icon, from the PNGs in resources/icons (no SVG plugin needed)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource(f"icons/{APP_ID}-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def data_folder() -> Path:
    """The app's own files (the sample project): ``~/.local/share/Annotator`` on Linux.

    Qt's AppDataLocation appends organisation and application, which share the name here, so it
    said ``Annotator/Annotator``; what an earlier version left there is moved up once."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    folder = Path(base) / APPLICATION if base else Path.home() / ".annotator"
    folder.mkdir(parents=True, exist_ok=True)
    _move_up_old_data(folder / APPLICATION, folder)
    return folder


def _move_up_old_data(old: Path, folder: Path) -> None:
    if not old.is_dir():
        return
    for child in old.iterdir():
        target = folder / child.name
        if not target.exists():
            child.rename(target)
    with contextlib.suppress(OSError):  # a name already in the new place: that file stays put
        old.rmdir()


def sample_project_path() -> Path:
    return data_folder() / "Sample project.annot"


def open_sample_project() -> Project:
    """The first-run project: the sample article, ready to label."""
    from annotator.service import import_file
    from annotator.store.project import Project

    path = sample_project_path()
    project = Project.open(path)
    if not project.documents():
        import_file(project, resource(SAMPLE_ARTICLE))
    return project


def remember(store: QSettings, path: Path | ServerAddress) -> None:
    """Put ``path`` first among the recent projects (a server's URL without its password)."""
    recent = store.value("recent/projects", []) or []
    if isinstance(recent, str):
        recent = [recent]
    recent = [str(path)] + [p for p in recent if p != str(path)]
    store.setValue("recent/projects", recent[:MAX_RECENT])


def last_project(store: QSettings) -> Path | ServerAddress | None:
    recent = store.value("recent/projects", []) or []
    if isinstance(recent, str):
        recent = [recent]
    for p in recent:
        if is_server(p):
            try:
                return ServerAddress(p)
            except AnnotatorError:
                continue
        if Path(p).is_file():
            return Path(p)
    return None


class Application:
    """Owns the one main window and the project open in it."""

    def __init__(self, qt_app: QApplication, guard: bool = True) -> None:
        self.qt_app = qt_app
        self.settings = settings()
        self.window: MainWindow | None = None
        # guard: one writing window per project (project_guard) and rolling backups; off for
        # the offscreen screenshot.
        self.guard = guard
        self.lock: QLockFile | None = None
        self.lock_for: Path | None = None  # the project self.lock is held for
        self.backup_timer = QTimer()
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_now)
        self.backup: BackgroundBackup | None = None

    def open(self, project: Project, completing: MainWindow | None = None) -> MainWindow | None:
        """Show ``project`` in a new window (replacing the current one), or complete the window
        ``completing`` that shows its first look; None if the user chose not to open it after
        all (it is open in another window)."""
        if self.guard and not project.on_server:  # a server project is shared by design
            claimed = project_guard.claim(self.window, project, self.lock, self.lock_for)
            if claimed is None:
                return None
            project, lock = claimed
            if self.lock is not None and self.lock is not lock:
                self.lock.unlock()
            self.lock = lock
            self.lock_for = project.path if lock is not None else None
        if completing is not None:
            window = completing
            window.ctx.opened(project)
            window.complete()
        else:
            window = self._new_window(AppContext(project, self.settings, QUndoStack()))
        previous, self.window = self.window, window
        if previous is not None and previous is not window:
            previous.close()
            if previous.ctx.is_open:
                previous.ctx.project.close()
            previous.deleteLater()
        remember(self.settings, project.path)
        if self.guard:
            self.backup_now()
            self.backup_timer.start()
        return window

    def _new_window(self, ctx: AppContext, look: FirstLook | None = None) -> MainWindow:
        window = MainWindow(ctx, look)
        window.open_project_requested.connect(self.choose_and_open)
        window.new_project_requested.connect(self.choose_new)
        window.open_server_requested.connect(self.choose_server)
        window.restore_backup_requested.connect(self.restore_backup)
        return window

    def show_first_look(self, look: FirstLook) -> MainWindow:
        """A window showing ``look`` at once; right after its first paint the project is opened
        in full (:meth:`complete_first_look`), as :func:`run` would have opened it."""
        ctx = AppContext.opening(self.settings, QUndoStack(), look.labels)
        window = self.window = self._new_window(ctx, look)
        window.show()
        AfterFirstPaint(window.reader.viewport(), lambda: self.complete_first_look(window, look))
        return window

    def complete_first_look(self, window: MainWindow, look: FirstLook) -> None:
        """Open the project of ``window``'s first look as :func:`run` opens one: a project that
        cannot be opened is reported and the sample project shown instead; when the user
        chooses not to open it (it is open in another window), the program ends."""
        if not window.isVisible():
            return  # closed before it was complete: nothing left to open it for
        import_store()
        from annotator.store.project import Project

        try:
            project = Project.open(look.path, read_only=None)
        except AnnotatorError as exc:
            QMessageBox.critical(window, "Cannot open project", str(exc))
            self.window = None
            window.close()
            window.deleteLater()
            sample = self.open(open_sample_project())
            if sample is not None:
                sample.show()
                QTimer.singleShot(0, sample.ask_name_if_unset)
            return
        if self.open(project, completing=window) is None:
            self.window = None
            window.close()
            self.qt_app.quit()
            return
        QTimer.singleShot(0, window.ask_name_if_unset)

    def close_project(self) -> None:
        """Close the window's project as the program ends: at rest a project is one file, and
        SQLite moves the ``-wal`` into it and deletes it when its last connection closes (unless
        another program still has the project open). Lets go of the window's lock too."""
        self.backup_timer.stop()
        if self.backup is not None:
            self.backup.wait()  # never a copy left half made
        if self.window is not None and self.window.ctx.is_open:
            self.window.ctx.project.close()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = self.lock_for = None

    def backup_now(self) -> None:
        """The rolling backup (annotator.store.backups), if one is due; never in the way: it
        runs off the window's thread (``gui/background_backup.py``)."""
        if self.window is None or not self.window.ready:
            return
        from annotator.gui.background_backup import BackgroundBackup
        from annotator.store import backups

        if self.backup is None:
            self.backup = BackgroundBackup(self._backed_up, None)
        project = self.window.ctx.project
        self.backup.start(lambda: backups.rolling_backup(project))

    def _backed_up(self, _made: Path | None, error: BaseException | None) -> None:
        if error is None or self.window is None:
            return
        if isinstance(error, FileReplaced):  # gone while open: the window stops saving, says so
            self.window.show_write_failure(error)
        elif isinstance(error, AnnotatorError | OSError):
            self.window.statusBar().showMessage(
                f"No automatic backup could be made: {error}", 15000
            )
        else:
            raise error

    def restore_backup(self) -> None:
        if self.window is None or self.window.ctx.project.on_server:
            return
        from annotator.gui.restore_backup_dialog import RestoreBackupDialog  # when asked for

        dialog = RestoreBackupDialog(self.window.ctx.project.path, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and (chosen := dialog.chosen()):
            self.restore_from(chosen.path)

    def restore_from(self, backup: Path) -> MainWindow | None:
        """Replace the open project with ``backup`` (backing it up first) and reload the window."""
        from annotator.store import backups

        assert self.window is not None
        path = self.window.ctx.project.path
        self.window.editor.commit_pending()
        try:
            safety = backups.restore(path, backup)
        except AnnotatorError as exc:
            QMessageBox.warning(self.window, "Restore failed", str(exc))
            return None
        window = self._open_path(path, create=False)
        if window is not None:
            window.statusBar().showMessage(
                f"Restored the backup {backup.name}. The project as it was before is kept as "
                f"{safety}.",
                20000,
            )
        return window

    def choose_and_open(self, path: str = "") -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.window, "Open project", "", PROJECT_FILTER)
            if not path:
                return
        try:
            where = location(path)
        except AnnotatorError as exc:
            QMessageBox.warning(self.window, "Cannot open project", str(exc))
            return
        self._open_path(where, create=False)

    def choose_server(self, url: str = "") -> MainWindow | None:
        """File → Open Server Project…: a PostgreSQL URL (and a password used only now).
        ``url``: filled in, the password field to type in (a server that asked for one)."""
        from annotator.gui.server_dialog import ServerDialog

        dialog = ServerDialog(self.window, url)
        if url:
            dialog.password_edit.setFocus()
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                address = ServerAddress(dialog.url()).with_password(dialog.password())
            except AnnotatorError as exc:
                QMessageBox.warning(dialog, "Open Server Project", str(exc))
                continue
            window = self._open_path(address, create=dialog.create())
            if window is not None:
                return window
            # refused (a wrong password, a mistyped host): the dialog again, as it was typed
        return None

    def choose_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "New project", "untitled.annot", PROJECT_FILTER
        )
        if path:
            target = Path(path)
            if target.exists():
                QMessageBox.warning(
                    self.window, "New project", f"{target} already exists; choose another name."
                )
                return
            titles = [title for title, _labels in TEMPLATES.values()]
            title, ok = QInputDialog.getItem(
                self.window, "New project", "Start with the labels:", titles, 0, False
            )
            if ok:
                labels = next(ls for t, ls in TEMPLATES.values() if t == title)
                self._open_path(target, create=True, labels=labels)

    def _open_path(
        self,
        path: Path | ServerAddress,
        create: bool,
        labels: Sequence[LabelDef] = DEFAULT_LABELS,
    ) -> MainWindow | None:
        from annotator.store.project import Project

        try:
            project = Project.open(path, create=create, labels=labels, read_only=None)
        except AnnotatorError as exc:
            if isinstance(path, ServerAddress):  # no backups to offer: one line says why
                QMessageBox.warning(self.window, "Cannot open project", str(exc))
                return None
            # A damaged project with backups: offer one, then open the restored project.
            if project_guard.report_open_failure(self.window, path, exc):
                return self._open_path(path, create=False)
            return None
        window = self.open(project)
        if window is not None:
            window.show()
        return window


def run(args: argparse.Namespace) -> int:
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setOrganizationName(ORGANISATION)
    qt_app.setApplicationName(APPLICATION)
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName(APP_ID)
    qt_app.setWindowIcon(app_icon())
    app = Application(qt_app, guard=not args.screenshot)
    look = first_look_at(args, app)
    if look is not None:
        app.show_first_look(look)
        with ExceptionHook(lambda: app.window):
            try:
                return qt_app.exec()
            finally:
                app.close_project()
    import_store()
    from annotator.store.project import Project

    window = None
    try:
        if args.project is not None:
            project = Project.open(args.project, read_only=None)
        elif (last := last_project(app.settings)) is not None and not args.screenshot:
            project = Project.open(last, create=False, read_only=None)
        else:
            project = open_sample_project()
    except NoPassword as exc:  # `annotator URL`: the password is asked for, as psql does
        if args.screenshot or not isinstance(args.project, ServerAddress):
            raise
        QMessageBox.information(None, "Open Server Project", str(exc))
        window = app.choose_server(str(args.project))
        project = None if window is not None else open_sample_project()
    except AnnotatorError as exc:
        if args.screenshot:
            raise
        QMessageBox.critical(None, "Cannot open project", str(exc))
        project = open_sample_project()
    if project is not None:
        window = app.open(project)
    if window is None:  # open in another window, and the user cancelled
        return 0
    if args.files:
        window.import_files(list(args.files))
    if args.screenshot:
        return screenshot(window, Path(args.screenshot))
    window.show()
    QTimer.singleShot(0, window.ask_name_if_unset)  # first launch: whose annotations these are
    with ExceptionHook(lambda: app.window):  # what escapes into Qt: a dialog, not a lost trace
        try:
            return qt_app.exec()
        finally:
            app.close_project()


def import_store() -> None:
    """Import the store (SQLAlchemy) and the service, and let go of the sources PySide6's import
    hook read of them on the way (``cli.import_store_before_qt`` says why they weigh)."""
    import annotator.service  # noqa: F401
    import annotator.store.backups  # noqa: F401

    linecache.clearcache()


def first_look_at(args: argparse.Namespace, app: Application) -> FirstLook | None:
    """The first look at the project this start opens, where one may be taken: a project file
    (named, or the last one) with nothing to import, no screenshot to take, and not open in
    another window (see :mod:`annotator.store.first_look` for the file's side). The window's
    lock is taken now, as the normal open takes it. None: the start opens the project before
    showing anything, as it always did."""
    if args.screenshot or args.files:
        return None
    where = args.project if args.project is not None else last_project(app.settings)
    if where is None or first_look.reading_uri(where) is None:
        return None  # e.g. the first run makes the sample project; a server has no file
    path = Path(where).expanduser().absolute()  # type: ignore[arg-type] (a file: see above)
    lock, _holder = project_guard.acquire(path)
    if lock is None:
        return None  # open in another window: the normal start asks what to do, as ever
    look = first_look.read(path)
    if look is None:
        lock.unlock()
        return None
    app.lock, app.lock_for = lock, look.path  # the window's, as Application.open would take it
    return look


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
    from annotator.io.files import atomic_file
    from annotator.service import check_output_target

    check_output_target(window.ctx.project, out)  # never onto the project, a link or a FIFO
    image_format = out.suffix.lstrip(".").upper() or None  # the temporary name has no suffix
    with atomic_file(out) as temporary:
        if not image_format or not window.grab().save(str(temporary), image_format):
            raise AnnotatorError(
                out, "cannot write the screenshot (check the folder and extension)"
            )
    window.ctx.project.close()
    return 0
