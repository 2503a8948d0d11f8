"""Menus and their actions, with the usual shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMenuBar

from annotator.core.model import DocumentStatus
from annotator.gui import labelling

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

Key = QKeySequence.StandardKey


def _action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot,
    shortcut=None,  # type: ignore[no-untyped-def]
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcuts(
            QKeySequence.keyBindings(shortcut)
            if isinstance(shortcut, Key)
            else [QKeySequence(shortcut)]
        )
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    return action


#: The menu bar, left to right (Suggestions: gui/suggestion_actions.py; Team: gui/team_menu.py).
MENU_BAR = ("&File", "&Edit", "&View", "&Team", "&Document", "Su&ggestions", "&Help")


def add_menu_bar(w: MainWindow) -> None:
    """The menu bar with its menus still empty: the window's first paint shows the bar as it will
    be, and :func:`build` fills the menus once the project is open."""
    bar = w.menuBar()
    for title in MENU_BAR:
        bar.addMenu(title)


def menu(bar: QMenuBar, title: str) -> QMenu:
    """The bar's menu called ``title`` (one of :data:`MENU_BAR`), added last if missing."""
    for action in bar.actions():
        found = action.menu()
        if found is not None and action.text() == title:
            return found  # type: ignore[return-value]
    return bar.addMenu(title)


def build(w: MainWindow) -> dict[str, QAction]:
    from annotator.gui import team_menu  # its merge dialog needs the service (and the store)

    bar = w.menuBar()
    actions: dict[str, QAction] = {}

    file = menu(bar, "&File")
    actions["new"] = _action(w, file, "&New Project…", w.new_project_requested.emit, Key.New)
    actions["open"] = _action(
        w, file, "&Open Project…", lambda: w.open_project_requested.emit(""), Key.Open
    )
    actions["open_server"] = _action(
        w,
        file,
        "Open &Server Project…",
        w.open_server_requested.emit,
        tip="Open a project shared on a PostgreSQL server (postgresql://user@host/database)",
    )
    w.recent_menu = file.addMenu("Open &Recent")
    w.recent_menu.aboutToShow.connect(lambda: _fill_recent(w))
    actions["save_as"] = _action(
        w,
        file,
        "Save &As…",
        lambda: _save_as(w),
        Key.SaveAs,
        "Copy the project into a new project file and carry on there",
    )
    actions["send_copy"] = _action(
        w,
        file,
        "Send a &Copy…",
        lambda: _send_copy(w),
        tip="Write the whole project into one new file, to send or keep; carry on here",
    )
    file.addSeparator()
    actions["import"] = _action(
        w,
        file,
        "&Import Articles…",
        lambda: _import(w),
        "Ctrl+I",
        "Import txt, Markdown, web pages, DOCX, PDF or JSON",
    )
    actions["paste"] = _action(
        w, file, "&Paste Article as New Document", w.paste_article, "Ctrl+Shift+V"
    )
    actions["export"] = _action(w, file, "&Export…", lambda: _export(w), "Ctrl+E")
    actions["report"] = _action(
        w,
        file,
        "Export Repor&t…",
        lambda: _report(w),
        tip="The annotated articles, claims, coded segments and counts as an HTML page or a PDF",
    )
    file.addSeparator()
    actions["restore_backup"] = _action(
        w,
        file,
        "Restore &Backup…",
        w.restore_backup_requested.emit,
        tip="Replace the project with one of its automatic backups (the current state is backed "
        "up first)",
    )
    file.addSeparator()
    actions["quit"] = _action(w, file, "&Quit", w.close, Key.Quit)

    edit = menu(bar, "&Edit")
    undo = w.ctx.undo_stack.createUndoAction(w, "&Undo")
    undo.setShortcuts(QKeySequence.keyBindings(Key.Undo))
    redo = w.ctx.undo_stack.createRedoAction(w, "&Redo")
    redo.setShortcuts(QKeySequence.keyBindings(Key.Redo))
    edit.addActions([undo, redo])
    actions["undo"], actions["redo"] = undo, redo
    edit.addSeparator()
    actions["find"] = _action(
        w, edit, "&Find…", lambda: w.find_bar.open_bar(w.selected_text() or ""), Key.Find
    )
    actions["find_next"] = _action(w, edit, "Find &Next", lambda: w.find_bar.step(1), Key.FindNext)
    actions["find_previous"] = _action(
        w, edit, "Find Pre&vious", lambda: w.find_bar.step(-1), Key.FindPrevious
    )
    actions["find_all"] = _action(
        w, edit, "Find in &All Documents…", w.open_find_all, "Ctrl+Shift+F"
    )
    edit.addSeparator()
    actions["delete"] = _action(
        w,
        edit,
        "&Delete Annotation or Relation",
        w.delete_current_annotation,
        Key.Delete,
        "Delete the selected relation, or else the selected annotation and its relations",
    )
    actions["relate"] = _action(
        w,
        edit,
        "&Relate To…",
        w.relating.start,
        "R",
        "Relate the selected annotation to another: N/P pick the other end, Return takes it",
    )
    actions["next"] = _action(w, edit, "Next Annotation", lambda: w.panel.step(1), "Alt+Down")
    actions["previous"] = _action(
        w, edit, "Previous Annotation", lambda: w.panel.step(-1), "Alt+Up"
    )
    edit.addSeparator()
    snap = _action(
        w,
        edit,
        "&Snap Selections",
        lambda: None,
        tip="Snap selections by each label's rule (off: store exactly what is "
        "selected; Alt+drag does that once)",
    )
    snap.setCheckable(True)
    snap.setChecked(w.snap_enabled())
    snap.toggled.connect(w.set_snap_enabled)
    actions["snap"] = snap
    actions["codebook"] = _action(
        w,
        edit,
        "&Codebook…",
        lambda: _codebook(w),
        "Ctrl+K",
        "Edit labels, their keys, colours and attributes",
    )
    actions["name"] = _action(
        w,
        edit,
        "&Preferences…",
        lambda: _preferences(w),
        Key.Preferences,
        "Your name, stored with every annotation you make",
    )
    edit.addSeparator()
    labelling_actions = edit  # the labelling keys (gui/labelling.py) follow

    view = menu(bar, "&View")
    actions["zoom_in"] = _action(w, view, "Zoom &In", lambda: w.reader.zoom(1), Key.ZoomIn)
    actions["zoom_out"] = _action(w, view, "Zoom &Out", lambda: w.reader.zoom(-1), Key.ZoomOut)
    actions["zoom_reset"] = _action(w, view, "&Actual Size", lambda: w.reader.zoom(0), "Ctrl+0")
    view.addSeparator()
    view.addAction(w.documents_dock.toggleViewAction())
    view.addAction(w.annotations_dock.toggleViewAction())
    view.addAction(w.label_bar.toggleViewAction())
    view.addAction(w.layer_bar.toggleViewAction())
    concordance = w.concordance_dock.toggleViewAction()
    concordance.setShortcut(QKeySequence("Ctrl+Shift+K"))
    view.addAction(concordance)
    actions["concordance"] = concordance

    team_menu.build(w, file, bar, actions)

    document = menu(bar, "&Document")
    for status, key in zip(
        DocumentStatus, ("Ctrl+Shift+1", "Ctrl+Shift+2", "Ctrl+Shift+3"), strict=True
    ):
        actions[f"status_{status.name.lower()}"] = _action(
            w, document, f"Mark as {status}", lambda s=status: w.documents.set_status(s), key
        )
    labelling.add_actions(w, labelling_actions, document, actions)
    document.addSeparator()
    actions["reimport"] = _action(
        w,
        document,
        "Re-import from &Source\u2026",
        lambda: _reimport(w),
        tip="Read the document's file again (PDF text reflowed), keeping its annotations",
    )

    help_menu = menu(bar, "&Help")
    actions["shortcuts"] = _action(w, help_menu, "&Keyboard Shortcuts", lambda: _shortcuts(w), "F1")
    actions["about"] = _action(w, help_menu, "&About Annotator", w.about)
    return actions


def _import(w: MainWindow) -> None:
    from pathlib import Path

    from annotator.io.detect import READERS

    readable = "Articles and projects (" + " ".join(f"*{e}" for e in READERS) + ")"
    files, _ = QFileDialog.getOpenFileNames(
        w, "Import articles", _last_dir(w), readable + ";;All files (*)"
    )
    if files:
        w.ctx.settings.setValue("paths/import", str(Path(files[0]).parent))
        w.import_files([Path(f) for f in files])


def _reimport(w: MainWindow) -> None:
    from annotator.gui.reimport_action import reimport_current

    reimport_current(w)


def _last_dir(w: MainWindow) -> str:
    return str(w.ctx.settings.value("paths/import", "") or "")


def _fill_recent(w: MainWindow) -> None:
    w.recent_menu.clear()
    recent = w.ctx.settings.value("recent/projects", []) or []
    if isinstance(recent, str):
        recent = [recent]
    for path in recent:
        action = w.recent_menu.addAction(path)
        action.triggered.connect(lambda _=False, p=path: w.open_project_requested.emit(p))
    if not recent:
        w.recent_menu.addAction("No recent projects").setEnabled(False)


def _preferences(w: MainWindow) -> None:
    from annotator.gui.preferences_dialog import PreferencesDialog

    if PreferencesDialog(w.ctx.settings, w).exec():
        w.name_changed()


# The dialogs are imported when first asked for: the first paint does not need them.


def _save_as(w: MainWindow) -> None:
    from annotator.gui.save_as import save_as

    save_as(w)


def _send_copy(w: MainWindow) -> None:
    from annotator.gui.save_as import send_copy

    send_copy(w)


def _export(w: MainWindow) -> None:
    from annotator.gui.export_dialog import ExportDialog

    ExportDialog(w.ctx, w).exec()


def _report(w: MainWindow) -> None:
    from annotator.gui.report_dialog import ReportDialog

    ReportDialog(w.ctx, w).exec()


def _codebook(w: MainWindow) -> None:
    from annotator.gui.codebook_dialog import CodebookDialog

    CodebookDialog(w.ctx, w).exec()


def _shortcuts(w: MainWindow) -> None:
    from annotator.gui.shortcuts_dialog import ShortcutsDialog

    ShortcutsDialog(w).exec()
