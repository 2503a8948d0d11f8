"""Relations drawn over the reader's text: an arc from one span to the other, in the type's
colour, with an arrowhead when the type is directed, dashed when the relation is flagged.

Only relations with an end on the lines in view are drawn, so a document with thousands of
relations scrolls as fast as one with none: the arcs of a screen are found through a per-line
index (:class:`RelationIndex`) and laid out from Qt's cursor rectangles of their ends.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
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
    """Relations of one document, found by where their ends start.

    A window opening on a document with 100k relations needs the few dozen of its first screen:
    :meth:`reset` only keeps the relations; the text-order index :meth:`in_lines` looks them up
    in, and the by-annotation one :meth:`of_annotation` uses, are each built on first use, with
    no per-relation object but a list entry."""

    def __init__(self) -> None:
        self.relations: dict[str, Relation] = {}
        self._annotations: dict[str, Annotation] = {}
        self._lines = LineIndex("")
        self._starts: list[int] | None = None  # where each entry of _in_text has an end start
        self._in_text: list[Relation] = []
        self._by_annotation: dict[str, list[Relation]] | None = None

    def reset(
        self, relations: Iterable[Relation], annotations: dict[str, Annotation], lines: LineIndex
    ) -> None:
        """These relations of the document whose ``annotations`` (those shown) and ``lines``
        are given; a relation with an end not shown is left out."""
        self.relations = {
            r.id: r for r in relations if r.source_id in annotations and r.target_id in annotations
        }
        self._annotations, self._lines = annotations, lines
        self._starts, self._in_text, self._by_annotation = None, [], None

    def update(self, removed: Iterable[Relation], added: Iterable[Relation]) -> None:
        """One edit's relations out and in (a relation made, deleted, edited, undone): the
        indexes already built follow it, without reading or sorting every relation again."""
        for relation in removed:
            if self.relations.pop(relation.id, None) is None:
                continue
            if self._starts is not None and not self._drop_in_text(relation):
                self._starts, self._in_text = None, []  # an end moved: rebuilt on next use
            if self._by_annotation is not None:
                for end in (relation.source_id, relation.target_id):
                    ends = self._by_annotation.get(end, [])
                    ends[:] = [r for r in ends if r.id != relation.id]
        annotations = self._annotations
        for relation in added:
            source = annotations.get(relation.source_id)
            target = annotations.get(relation.target_id)
            if source is None or target is None:
                continue
            self.relations[relation.id] = relation
            if self._starts is not None:
                for start in (source.start, target.start):  # each end once, as when built
                    at = bisect_right(self._starts, start)
                    self._starts.insert(at, start)
                    self._in_text.insert(at, relation)
            if self._by_annotation is not None:
                for end in (relation.source_id, relation.target_id):
                    self._by_annotation.setdefault(end, []).append(relation)

    def _drop_in_text(self, relation: Relation) -> bool:
        """Take ``relation`` out of the text-order index at its ends' starts; False when an end
        is no longer where it was indexed (so the index must be built again)."""
        assert self._starts is not None
        for end in (relation.source_id, relation.target_id):
            annotation = self._annotations.get(end)
            if annotation is None:
                return False
            at = bisect_left(self._starts, annotation.start)
            while at < len(self._starts) and self._starts[at] == annotation.start:
                if self._in_text[at].id == relation.id:
                    del self._starts[at], self._in_text[at]
                    break
                at += 1
            else:
                return False
        return True

    def __len__(self) -> int:
        return len(self.relations)

    def in_lines(self, first: int, last: int) -> list[Relation]:
        """Relations with an end starting on a line in ``first..last``, each once."""
        if not self.relations:
            return []
        if self._starts is None:
            self._index_in_text()
        assert self._starts is not None
        starts = self._lines.starts
        low = starts[first] if first < len(starts) else self._lines.length + 1
        high = starts[last + 1] if last + 1 < len(starts) else self._lines.length + 1
        found = self._in_text[bisect_left(self._starts, low) : bisect_left(self._starts, high)]
        return list({r.id: r for r in found}.values())

    def _index_in_text(self) -> None:
        """Each relation twice, once at each end's start, in text order (sorted through a
        permutation of plain ints: no tuple per end)."""
        annotations = self._annotations
        relations = [  # an end gone from the reader meanwhile: its relation is not drawn
            r
            for r in self.relations.values()
            if r.source_id in annotations and r.target_id in annotations
        ]
        starts = [annotations[r.source_id].start for r in relations]
        starts += [annotations[r.target_id].start for r in relations]
        order = sorted(range(len(starts)), key=starts.__getitem__)
        ends = relations + relations
        self._starts = [starts[i] for i in order]
        self._in_text = [ends[i] for i in order]

    def of_annotation(self, annotation_id: str) -> list[Relation]:
        """Relations with ``annotation_id`` at an end."""
        if self._by_annotation is None:
            by_annotation: dict[str, list[Relation]] = {}
            for relation in self.relations.values():
                by_annotation.setdefault(relation.source_id, []).append(relation)
                by_annotation.setdefault(relation.target_id, []).append(relation)
            self._by_annotation = by_annotation
        return list(self._by_annotation.get(annotation_id, ()))


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
