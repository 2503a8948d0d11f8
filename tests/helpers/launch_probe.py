"""Start the real program on a project in this process and report, as one JSON line, what the
window was at the reader's first paint and once complete.

``python -m tests.helpers.launch_probe PROJECT REPORT`` runs ``annotator.cli.main([PROJECT])``
and writes the report to the file REPORT (not to standard output: the suggestions' child
processes, left running when the probe ends, would hold a captured pipe open). At the
first paint of the reader's viewport (a ``QPlainTextEdit`` holding text) it records whether
SQLAlchemy is loaded, the reader's text and which ranges of it are highlighted, and selects
``FIRST`` and presses its label key (the window may not be complete yet). Once the window is
complete it records the document list, the panel and the label bar, selects ``SECOND`` and
presses its key, reads the project's annotations and closes the window. Settings and data
folders come from the environment (the test isolates them).
"""

from __future__ import annotations

import json
import sys

FIRST = ("Tier 2", "4")  # the phrase selected at the first paint, and the key then pressed
SECOND = ("Cambodia", "3")  # selected and pressed once the window is complete


def main(project: str, out: str) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    report: dict[str, object] = {}

    def highlighted(reader: QPlainTextEdit) -> list[list[int]]:
        """[start, end) of each highlighted range in the blocks laid out so far, in UTF-16."""
        ranges = []
        block = reader.document().begin()
        while block.isValid():
            for piece in block.layout().formats():
                first = block.position() + piece.start
                ranges.append([first, first + piece.length])
            block = block.next()
        return ranges

    def select_and_press(window: object, phrase: str, key: str) -> None:
        reader = window.reader  # type: ignore[attr-defined]
        start = reader.text.index(phrase)
        reader.select_range(start, start + len(phrase))
        window.activateWindow()  # type: ignore[attr-defined]
        QTest.keyClick(reader, key)

    def finish(window: object) -> None:
        reader = window.reader  # type: ignore[attr-defined]
        report["ready"] = {
            "documents": window.documents.model.rowCount(),  # type: ignore[attr-defined]
            "panel": len(window.panel.model.rows),  # type: ignore[attr-defined]
            "labels": list(window.label_bar.buttons),  # type: ignore[attr-defined]
            "reader_geometry": reader.geometry().getRect(),
            "scroll": reader.verticalScrollBar().value(),
            "highlighted": highlighted(reader),
        }
        select_and_press(window, *SECOND)
        report["stored"] = sorted(
            [a.label, a.text, a.start, a.end]
            for a in window.ctx.project.annotations()  # type: ignore[attr-defined]
        )
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(report, handle)
        # ended as a person ends it, so the suggestions' child processes end with the program
        window.close()  # type: ignore[attr-defined]
        window.suggestions.shutdown()  # type: ignore[attr-defined]
        QApplication.quit()

    class Probe(QApplication):
        painted = False

        def notify(self, receiver: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            handled = super().notify(receiver, event)
            if not self.painted and event.type() == QEvent.Type.Paint:
                editor = receiver.parent()
                if (
                    isinstance(editor, QPlainTextEdit)
                    and receiver is editor.viewport()
                    and editor.document().characterCount() > 1
                ):
                    self.painted = True
                    self.first_paint(editor.window())
            return handled

        def first_paint(self, window: object) -> None:
            reader = window.reader  # type: ignore[attr-defined]
            ready = getattr(window, "ready", True)
            report["first_paint"] = {
                "sqlalchemy_loaded": "sqlalchemy" in sys.modules,
                "ready": ready,
                "text": reader.text,
                "highlighted": highlighted(reader),
                "reader_geometry": reader.geometry().getRect(),
            }
            select_and_press(window, *FIRST)
            report["status_before_ready"] = window.statusBar().currentMessage()  # type: ignore[attr-defined]
            if ready:
                QTimer.singleShot(0, lambda: finish(window))
            else:
                window.became_ready.connect(  # type: ignore[attr-defined]
                    lambda: QTimer.singleShot(0, lambda: finish(window)),
                    Qt.ConnectionType.QueuedConnection,
                )

    Probe(["annotator"])
    from annotator.cli import main as annotator

    annotator([project])
    sys.exit(0 if "stored" in report else 1)  # 1: it ended without painting


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
