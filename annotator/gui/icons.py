"""The small pictures on tool buttons, drawn for Annotator (resources/icons/NAME.svg) in the
palette's button text colour. A symbol character on a button is an empty box where no installed
font has it (⌖ with Debian's DejaVu only); a picture that ships with the app looks the same on
every system.

Rendered here with QtSvg (as packaging/make_icons.py does) rather than through Qt's SVG image
plugin, which a bundle may leave out.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QToolButton

from annotator.resources_path import resource

#: pixel sizes drawn: a tool button's 16 px at scales 1 to 3, and a few between
SIZES = (16, 20, 24, 32, 48)


def icon(name: str) -> QIcon:
    """The picture ``resources/icons/<name>.svg``, in the button text colour; enabled and
    disabled look differ as Qt greys any icon."""
    palette = QGuiApplication.palette()
    return _drawn(name, palette.color(QPalette.ColorRole.ButtonText).name())


@cache
def _drawn(name: str, color: str) -> QIcon:
    svg = resource(f"icons/{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode("utf-8")))
    drawn = QIcon()
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        drawn.addPixmap(QPixmap.fromImage(image))
    return drawn


def icon_button(picture: str, name: str, tip: str, **options: object) -> QToolButton:
    """A tool button showing ``picture`` instead of text; ``name`` is what a screen reader says
    for it."""
    button = QToolButton(toolTip=tip, **options)  # type: ignore[call-overload]
    button.setIcon(icon(picture))
    button.setAccessibleName(name)
    return button
