"""Render docs/server-dialog.png (File -> Open Server Project...) offscreen.

Run with `QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_server_screenshots.py`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui.server_dialog import ServerDialog  # noqa: E402

DOCS = Path(__file__).resolve().parent


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    dialog = ServerDialog(url="postgresql://ann@db.newsroom.example:5432/annotations")
    dialog.password_edit.setText("not saved")
    dialog.create_box.setChecked(True)
    dialog.show()
    app.processEvents()
    out = DOCS / "server-dialog.png"
    if not dialog.grab().save(str(out)):
        print(f"cannot write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
