"""Run the real program on a project in this process and label through its window on command,
so a test can put other Annotator processes beside a window and kill it as a crash would.

``python -m tests.helpers.window_driver PROJECT`` starts ``annotator.cli.main([PROJECT])`` and,
once the window is complete, prints ``ready``. Then it reads commands, one a line, on standard
input:

- ``label N``: select the N-th word of the reader's text, press the Claim key (``1``) as a person
  does, and print ``saved N`` once the window says every change is saved (the write is
  acknowledged), or ``failed N <what the window says>``;
- ``close``: close the window as a person does; the program ends normally.

Besides, it prints ``checkpointed`` whenever the window has checkpointed its project after a few
idle seconds (``gui/idle_checkpoint.py``), between any two of the lines above.

Settings and data folders come from the environment (the test isolates them).
"""

from __future__ import annotations

import re
import sys


def main(project: str) -> None:
    from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication(["annotator"])
    state: dict[str, object] = {}

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def window() -> object:
        return state["window"]

    def label(n: int) -> None:
        main_window = window()
        reader = main_window.reader  # type: ignore[attr-defined]
        words = list(re.finditer(r"\w+", reader.text))
        word = words[n % len(words)]
        reader.select_range(word.start(), word.end())
        main_window.activateWindow()  # type: ignore[attr-defined]
        QTest.keyClick(reader, "1")
        saved = main_window.saved.text()  # type: ignore[attr-defined]
        say(f"saved {n}" if saved == "All changes saved" else f"failed {n} {saved}")

    def command() -> None:
        line = sys.stdin.readline()
        if not line or line.strip() == "close":
            notifier.setEnabled(False)
            main_window = window()
            main_window.close()  # type: ignore[attr-defined]
            main_window.suggestions.shutdown()  # type: ignore[attr-defined]
            QApplication.quit()
            return
        verb, argument = line.split()
        assert verb == "label", line
        label(int(argument))

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.setEnabled(False)
    notifier.activated.connect(command)

    def when_ready(main_window: QObject) -> None:
        state["window"] = main_window
        main_window.idle_checkpoint.checkpointed.connect(  # type: ignore[attr-defined]
            lambda: say("checkpointed")
        )
        notifier.setEnabled(True)
        say("ready")

    def look_for_the_window() -> None:
        from annotator.gui.main_window import MainWindow

        found = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not found:
            QTimer.singleShot(10, look_for_the_window)
            return
        (main_window,) = found
        if getattr(main_window, "ready", True):
            when_ready(main_window)
        else:
            main_window.became_ready.connect(  # type: ignore[attr-defined]
                lambda: when_ready(main_window), Qt.ConnectionType.QueuedConnection
            )

    QTimer.singleShot(0, look_for_the_window)
    from annotator.cli import main as annotator

    sys.exit(annotator([project]))


if __name__ == "__main__":
    main(sys.argv[1])
