"""Whole programs that exit right after their first paint, for ``bench_process``.

``python -m benchmarks.first_paint app ARG...`` runs Annotator's own entry point
(``annotator.cli.main(ARG...)``); ``python -m benchmarks.first_paint bare PROJECT`` is the bare
PySide6 program: it reads the project's first document with ``sqlite3`` and shows it in a
``QPlainTextEdit`` of the reader's size. ``python -m benchmarks.first_paint ready ARG...`` runs
Annotator too but ends when its window is ready (complete: the document list, the panel and the
label keys working), which a window that paints a first look is some time after its first
paint; a window without a first look (``ready`` absent or already true) is ready when it paints.

"Painted" means the same for both: the first paint event handled by the viewport of a
``QPlainTextEdit`` (Annotator's reader is one) whose document holds text. Right after it the
process ends with ``os._exit(0)``: teardown is not what a person waits for. Both use the
``QApplication`` subclass made here, which watches for that paint. Annotator's is made when its
``gui/app.py`` ``run`` starts (which uses an existing instance), so everything the program imports
before that, and in which order, stays its own.

Only the standard library is imported at the top: the bare program must not load the app.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sqlite3
import sys
import types

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

READER_SIZE = (618, 720)  # the reader's size in the default window layout


def _application(argv: list[str], until_ready: bool = False):  # noqa: ANN202 (PySide6 is imported here)
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    def end() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    class FirstPaintExit(QApplication):
        waiting = False

        def notify(self, receiver: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            handled = super().notify(receiver, event)
            if event.type() == QEvent.Type.Paint:
                editor = receiver.parent()
                if (
                    isinstance(editor, QPlainTextEdit)
                    and receiver is editor.viewport()
                    and editor.document().characterCount() > 1
                ):
                    window = editor.window()
                    if not until_ready or getattr(window, "ready", True):
                        end()
                    if not self.waiting:  # queued: a label key pressed meanwhile comes first
                        self.waiting = True
                        window.became_ready.connect(end, Qt.ConnectionType.QueuedConnection)
            return handled

    return FirstPaintExit(argv)


class _HookRun(importlib.abc.MetaPathFinder):
    """When ``annotator.gui.app`` has been imported (by the program, when it chooses), wrap its
    ``run`` so the watching ``QApplication`` exists first."""

    def __init__(self, until_ready: bool = False) -> None:
        self.until_ready = until_ready

    def find_spec(self, name: str, path: object, target: object = None) -> object:
        if name != "annotator.gui.app":
            return None
        sys.meta_path.remove(self)
        until_ready = self.until_ready
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            load(module)
            run = module.run

            def watched_run(*args: object) -> int:
                _application(["annotator"], until_ready)
                return run(*args)

            module.run = watched_run

        spec.loader.exec_module = exec_module
        return spec


def app(argv: list[str], until_ready: bool = False) -> int:
    sys.meta_path.insert(0, _HookRun(until_ready))
    from annotator.cli import main

    code = main(argv)
    print("annotator ended without painting a document", file=sys.stderr)
    return code or 1


def bare(project: str) -> int:
    connection = sqlite3.connect(project)
    try:
        (text,) = connection.execute(
            "SELECT t.text FROM documents d JOIN document_texts t ON t.document_id = d.id "
            "ORDER BY d.position LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    qt_app = _application(["bare"])
    from PySide6.QtWidgets import QPlainTextEdit

    edit = QPlainTextEdit()
    edit.resize(*READER_SIZE)
    edit.setPlainText(text)
    edit.show()
    qt_app.exec()
    print("the bare program ended without painting", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["app"]:
        return app(argv[1:])
    if argv[:1] == ["ready"]:
        return app(argv[1:], until_ready=True)
    if argv[:1] == ["bare"] and len(argv) == 2:
        return bare(argv[1])
    print(
        "usage: python -m benchmarks.first_paint app ARG... | ready ARG... | bare PROJECT",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
