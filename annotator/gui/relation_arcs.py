"""Relations drawn over the reader's text: an arc from one span to the other, in the type's
colour, with an arrowhead when the type is directed, dashed when the relation is flagged.

Only relations with an end on the lines in view are drawn, so a document with thousands of
relations scrolls as fast as one with none: the arcs of a screen are found through a per-line
index (:class:`RelationIndex`) and laid out from Qt's cursor rectangles of their ends.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF

from annotator.core.model import Annotation, Relation
from annotator.core.spans import LineIndex

ARC_WIDTH = 1.6
SELECTED_WIDTH = 3.2
HIT_WIDTH = 8.0
ARROW = 7.0


class RelationIndex:
    """Relations of one document, found by the lines their ends start on."""

    def __init__(self) -> None:
        self.relations: dict[str, Relation] = {}
        self._by_line: dict[int, list[str]] = {}

    def reset(
        self, relations: Iterable[Relation], annotations: dict[str, Annotation], lines: LineIndex
    ) -> None:
        self.relations = {}
        self._by_line = {}
        for relation in relations:
            source = annotations.get(relation.source_id)
            target = annotations.get(relation.target_id)
            if source is None or target is None:
                continue
            self.relations[relation.id] = relation
            for line in {lines.line_of(source.start), lines.line_of(target.start)}:
                self._by_line.setdefault(line, []).append(relation.id)

    def __len__(self) -> int:
        return len(self.relations)

    def in_lines(self, first: int, last: int) -> list[Relation]:
        """Relations with an end starting on a line in ``first..last``, each once."""
        seen: dict[str, Relation] = {}
        if last - first > len(self._by_line):  # fewer indexed lines than lines in view
            lines: Iterable[int] = (n for n in self._by_line if first <= n <= last)
        else:
            lines = range(first, last + 1)
        for line in lines:
            for id in self._by_line.get(line, ()):
                seen.setdefault(id, self.relations[id])
        return list(seen.values())

    def of_annotation(self, annotation_id: str) -> list[Relation]:
        return [r for r in self.relations.values() if annotation_id in (r.source_id, r.target_id)]


@dataclass(frozen=True)
class Arc:
    relation_id: str
    name: str  # the relation type, written at the apex of a selected or hovered arc
    path: QPainterPath
    color: QColor
    directed: bool
    flagged: bool
    head: QPointF  # where the arrowhead points
    tail: QPointF  # the control point the arrowhead's direction comes from


def layout(
    relations: Iterable[Relation],
    point_of: Callable[[str], QPointF | None],
    color_of: Callable[[str], tuple[str, bool]],
    height: float = math.inf,
) -> list[Arc]:
    """An arc per relation: from the top of its source span to the top of its target, rising
    with the distance it spans (so nested arcs do not cover each other). An end beyond the
    ``height`` of the view is drawn at its edge (the arc leaves the screen there): stroking a
    curve that runs pages off-screen costs a frame's worth of time."""
    arcs = []
    for relation in relations:
        start = point_of(relation.source_id)
        end = point_of(relation.target_id)
        if start is None or end is None:
            continue
        start, end = _on_screen(start, height), _on_screen(end, height)
        color, directed = color_of(relation.type)
        rise = 10.0 + min(60.0, 0.12 * math.hypot(end.x() - start.x(), end.y() - start.y()))
        top = min(start.y(), end.y()) - rise
        control1 = QPointF(start.x(), top)
        control2 = QPointF(end.x(), top)
        path = QPainterPath(start)
        path.cubicTo(control1, control2, end)
        arcs.append(
            Arc(
                relation.id,
                relation.type,
                path,
                QColor(color),
                directed,
                relation.flagged,
                end,
                control2,
            )
        )
    return arcs


def _on_screen(point: QPointF, height: float) -> QPointF:
    margin = 2 * ARROW
    return QPointF(point.x(), min(max(point.y(), -margin), height + margin))


def paint(painter: QPainter, arcs: list[Arc], selected: str | None, hovered: str | None) -> None:
    """Draw ``arcs``, the selected and hovered ones stronger and named; the others a little
    transparent so the text under them stays readable."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    named = []
    for arc in arcs:
        strong = arc.relation_id in (selected, hovered)
        color = QColor(arc.color)
        if not strong:
            color.setAlpha(170)
        else:
            named.append(arc)
        pen = QPen(color, SELECTED_WIDTH if strong else ARC_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if arc.flagged:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(arc.path)
        if arc.directed:
            painter.setBrush(color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(_arrowhead(arc.tail, arc.head, ARROW * (1.3 if strong else 1.0)))

    for arc in named:
        _name(painter, arc)


def _name(painter: QPainter, arc: Arc) -> None:
    """The type's name on a small plate at the top of the arc."""
    apex = arc.path.pointAtPercent(0.5)
    metrics = painter.fontMetrics()
    width = metrics.horizontalAdvance(arc.name) + 8
    plate = QRectF(apex.x() - width / 2, apex.y() - metrics.height() - 2, width, metrics.height())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(arc.color)
    painter.drawRoundedRect(plate, 3, 3)
    painter.setPen(QColor("#ffffff") if arc.color.lightnessF() < 0.6 else QColor("#000000"))
    painter.drawText(plate, Qt.AlignmentFlag.AlignCenter, arc.name)


def _arrowhead(tail: QPointF, head: QPointF, size: float) -> QPolygonF:
    angle = math.atan2(head.y() - tail.y(), head.x() - tail.x())
    left = QPointF(
        head.x() - size * math.cos(angle - 0.45), head.y() - size * math.sin(angle - 0.45)
    )
    right = QPointF(
        head.x() - size * math.cos(angle + 0.45), head.y() - size * math.sin(angle + 0.45)
    )
    return QPolygonF([head, left, right])


def hit(arcs: list[Arc], point: QPointF) -> str | None:
    """The relation whose arc passes under ``point`` (the topmost: drawn last)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(HIT_WIDTH)
    area = QRectF(point.x() - HIT_WIDTH, point.y() - HIT_WIDTH, 2 * HIT_WIDTH, 2 * HIT_WIDTH)
    for arc in reversed(arcs):
        near = arc.path.controlPointRect().adjusted(-4, -4, 4, 4).intersects(area)
        if near and stroker.createStroke(arc.path).contains(point):
            return arc.relation_id
    return None
