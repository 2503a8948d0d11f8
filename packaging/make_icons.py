"""Render Annotator's PNG icons from its SVG (run after editing the SVG; the PNGs are committed).

    .venv/bin/python packaging/make_icons.py          # or: make icons

Writes resources/icons/org.annotator.Annotator-N.png for every size in SIZES, drawn by Qt's own
SVG renderer (QtSvg is part of PySide6-Essentials), on a transparent background.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

APP_ID = "org.annotator.Annotator"
SIZES = (16, 32, 48, 64, 128, 256)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICONS / f"{APP_ID}.svg"
    for size in SIZES:
        out = ICONS / f"{APP_ID}-{size}.png"
        if not render(svg, size).save(str(out), "PNG"):
            raise SystemExit(f"make_icons: cannot write {out}")
        print(out.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
