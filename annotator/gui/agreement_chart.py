"""A per-label bar chart of agreement figures, painted by hand (QtCharts is not in
PySide6-Essentials): for each label, one bar per figure; undefined figures are marked "n/a"."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

# (key in the figures, legend, colour)
SERIES = (
    ("alpha", "α (Krippendorff)", "#3b6ea8"),
    ("kappa", "κ (Cohen/Fleiss)", "#7aa95c"),
    ("f1_overlap", "F1 overlap", "#d08a2e"),
)


class AgreementChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, dict[str, float | None]]] = []
        self.series = SERIES
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setObjectName("agreement-chart")

    def set_figures(
        self, labels: dict[str, dict], series: tuple[tuple[str, str, str], ...] = SERIES
    ) -> None:
        self.series = series
        self.rows = [
            (name, {key: figures.get(key) for key, _, _ in series})
            for name, figures in labels.items()
        ]
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() * len(self.series) + 10

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        legend = self.fontMetrics().height() + 12
        return QSize(420, legend + 28 + self._row_height() * max(1, len(self.rows)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        line = metrics.height()
        # legend
        x = 4.0
        for _key, legend, colour in self.series:
            painter.fillRect(QRectF(x, 4, 12, 12), QColor(colour))
            painter.setPen(text)
            painter.drawText(
                QRectF(x + 16, 0, 200, line + 6), Qt.AlignmentFlag.AlignVCenter, legend
            )
            x += 16 + metrics.horizontalAdvance(legend) + 18
        if not self.rows:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No figures yet")
            return
        name_width = min(160, max(metrics.horizontalAdvance(n) for n, _ in self.rows) + 12)
        left = name_width + 8
        right = self.width() - 52
        top = line + 16
        values = [v for _, f in self.rows for v in f.values() if v is not None]
        low = min(0.0, min(values, default=0.0))
        span = (1.0 - low) or 1.0

        def x_of(value: float) -> float:
            return left + (value - low) / span * (right - left)

        bottom = top + self._row_height() * len(self.rows)
        grid = QColor(text)
        grid.setAlphaF(0.25)
        for tick in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
            painter.setPen(grid)
            painter.drawLine(int(x_of(tick)), top - 4, int(x_of(tick)), bottom)
            painter.setPen(text)
            painter.drawText(
                QRectF(x_of(tick) - 20, bottom + 2, 40, line),
                Qt.AlignmentFlag.AlignHCenter,
                f"{tick:.1f}",
            )
        for row, (name, figures) in enumerate(self.rows):
            y = top + row * self._row_height()
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, name_width, line * len(self.series)),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width),
            )
            for i, (key, _legend, colour) in enumerate(self.series):
                value = figures[key]
                bar_top = y + i * line + 1
                if value is None:
                    painter.setPen(grid)
                    painter.drawText(
                        QRectF(left + 4, bar_top, 60, line - 2),
                        Qt.AlignmentFlag.AlignVCenter,
                        "n/a",
                    )
                    continue
                start, end = sorted((x_of(0.0), x_of(value)))
                painter.fillRect(
                    QRectF(start, bar_top, max(1.0, end - start), line - 3), QColor(colour)
                )
                painter.setPen(text)
                painter.drawText(  # as the table shows it: 0.755 is not 0.75 beside 0.76
                    QRectF(end + 4, bar_top - 1, 52, line),
                    Qt.AlignmentFlag.AlignVCenter,
                    f"{value:.3f}",
                )
        painter.end()
