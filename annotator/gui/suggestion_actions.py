"""The Suggestions menu and its keys. The keys act only while the reader has the focus, so
Enter, Backspace and Tab keep their usual meaning in every other field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.gui import menus

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

KEYS = (  # name, menu text, keys, what it does
    ("suggestion_next", "&Next Suggestion", ("Tab",), "Go to the next suggestion"),
    (
        "suggestion_previous",
        "&Previous Suggestion",
        ("Shift+Tab", "Backtab"),
        "Go to the previous suggestion",
    ),
    (
        "suggestion_accept",
        "&Accept Suggestion",
        ("Return", "Enter"),
        "Label the current suggestion",
    ),
    (
        "suggestion_reject",
        "&Reject Suggestion",
        ("Backspace",),
        "Never suggest this range for this label again",
    ),
    (
        "suggestion_accept_all",
        "Accept All of This &Label",
        ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
        "Accept every suggestion of the current suggestion's label in this document",
    ),
)


def install(window: MainWindow) -> dict[str, QAction]:
    controller = window.suggestions
    slots = {
        "suggestion_next": lambda: controller.step(1),
        "suggestion_previous": lambda: controller.step(-1),
        "suggestion_accept": controller.accept,
        "suggestion_reject": controller.reject,
        "suggestion_accept_all": controller.accept_all_of_label,
    }
    menu = menus.menu(window.menuBar(), "Su&ggestions")  # not Alt+S: that selects the sentence
    actions: dict[str, QAction] = {}
    for name, text, keys, tip in KEYS:
        action = QAction(text, window.reader)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _=False, slot=slots[name]: slot())
        window.reader.addAction(action)
        menu.addAction(action)
        actions[name] = action
    menu.addSeparator()
    show = QAction("&Show Suggestions", window, checkable=True)
    show.setChecked(controller.enabled)
    show.toggled.connect(controller.set_enabled)
    menu.addAction(show)
    actions["suggestions_show"] = show
    retrain = QAction("&Learn From Annotations Now", window)
    retrain.setStatusTip(
        "Retrain the suggestion model on the project's annotations (in the background)"
    )
    retrain.triggered.connect(lambda _=False: controller.trainer.start())
    menu.addAction(retrain)
    actions["suggestions_retrain"] = retrain
    return actions
