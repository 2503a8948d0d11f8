"""How suggestions look in the reader: a dashed outline in the label's colour, never a fill.

Annotations are filled with their label's colour; a suggestion is only outlined (dashed) and
underlined with dashes, so the two never read alike. The current suggestion (the one Enter
accepts) gets a faint tint as well. Both come from a per-line span index: the highlighter sets
the dashed underline and tint for each block as it shows, and :func:`paint_outlines` draws the
dashed boxes of the lines in view after the text is painted. No extra selections are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QTextCharFormat

from annotator.core.spans import Span, SpanIndex, segments

if TYPE_CHECKING:
    from annotator.gui.reader import ReaderView, SpanHighlighter

CURRENT_TINT = 0.22


INCREMENTAL = 500  # fewer changes than this update the index in place


def set_suggestions(reader: ReaderView, spans: list[Span], current: Span | None) -> None:
    """Show ``spans`` (ids are the suggestions' keys) and mark ``current``; repaint the lines
    that changed and are in view. An accepted or rejected suggestion changes one entry of the
    index, not the whole of it (a long article has thousands)."""
    old = reader.suggestion_index
    lines: set[int] = set()
    if old is not None:
        wanted = {span.id for span in spans}
        removed = [span.id for span in old if span.id not in wanted]
        added = [span for span in spans if span.id not in old]
        if len(removed) + len(added) < INCREMENTAL:
            for span_id in removed:
                lines.update(old.remove(span_id))
            for span in added:
                lines.update(old.add(span))
            if not len(old):
                reader.suggestion_index = None
            _rehighlight(reader, lines)
            set_current(reader, current)
            return
        for span in old:
            lines.update(old._lines_of(span))
    reader.suggestion_index = SpanIndex(reader.lines, spans) if spans else None
    reader.current_suggestion = current
    for span in spans:
        lines.update(
            range(reader.lines.line_of(span.start), reader.lines.line_of(span.end - 1) + 1)
        )
    _rehighlight(reader, lines)


def remove(reader: ReaderView, span_ids: list[str], current: Span | None) -> None:
    """Take a few suggestions out of the reader's index (accepted, rejected, covered)."""
    index = reader.suggestion_index
    lines: set[int] = set()
    if index is not None:
        for span_id in span_ids:
            lines.update(index.remove(span_id))
    _rehighlight(reader, lines)
    set_current(reader, current)


def add(reader: ReaderView, spans: list[Span]) -> None:
    """Put a few suggestions back into the reader's index (an undo)."""
    if reader.suggestion_index is None:
        reader.suggestion_index = SpanIndex(reader.lines, [])
    lines: set[int] = set()
    for span in spans:
        if span.id not in reader.suggestion_index:
            lines.update(reader.suggestion_index.add(span))
    _rehighlight(reader, lines)


def set_current(reader: ReaderView, current: Span | None) -> None:
    if current == reader.current_suggestion:
        return
    lines: set[int] = set()
    for span in (reader.current_suggestion, current):
        if span is not None:
            lines.update(
                range(reader.lines.line_of(span.start), reader.lines.line_of(span.end - 1) + 1)
            )
    reader.current_suggestion = current
    _rehighlight(reader, lines)


def _rehighlight(reader: ReaderView, lines: set[int]) -> None:
    document = reader.document()
    for line in sorted(lines):
        if reader.wants(line):
            reader.highlighter.rehighlightBlock(document.findBlockByNumber(line))
    reader.viewport().update()


def highlight_line(highlighter: SpanHighlighter, reader: ReaderView, line: int) -> None:
    """Add the suggestions' dashed underline (and the current one's tint) to one block, over
    the annotation formats the highlighter has just set (recomputed from the annotation index,
    not read back character by character)."""
    index = reader.suggestion_index
    if index is None:
        return
    spans = index.in_line(line)
    if not spans:
        return
    line_start, line_end = reader.lines.span(line)
    annotations = reader.index.in_line(line) if reader.index is not None else []
    pieces = list(segments(annotations, line_start, line_end))
    to_utf16 = reader.offsets.to_utf16
    origin = to_utf16(line_start)  # Qt boundary
    for span in spans:
        start, end = max(span.start, line_start), min(span.end, line_end)
        if start >= end:
            continue
        current = span == reader.current_suggestion
        cuts = sorted({start, end, *(p for a, b, _ in pieces for p in (a, b) if start < p < end)})
        for a, b in zip(cuts, cuts[1:], strict=False):
            labels = next((ls for s, e, ls in pieces if s <= a < e), frozenset())
            fmt = _merged(highlighter, reader, labels, span.label, current)
            first = to_utf16(a) - origin
            highlighter.setFormat(first, to_utf16(b) - origin - first, fmt)


def _merged(
    highlighter: SpanHighlighter,
    reader: ReaderView,
    labels: frozenset[str],
    label: str,
    current: bool,
) -> QTextCharFormat:
    fmt = QTextCharFormat(highlighter.format_for(labels)) if labels else QTextCharFormat()
    color = QColor(reader.label_color(label))
    fmt.setFontUnderline(True)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(color)
    if current and not labels:
        from annotator.gui.reader import blend

        base = reader.palette().color(QPalette.ColorRole.Base)
        fmt.setBackground(blend([color], base, CURRENT_TINT))
    return fmt


MAX_OUTLINES = 80  # more boxes than this in view: only the current one is boxed


def paint_outlines(reader: ReaderView) -> None:
    """Dashed boxes around the suggestions on the lines in view, in their label's colour.

    A page crowded with suggestions (a model or pattern matching every other word) keeps only
    the highlighter's dashed underlines and boxes the current suggestion alone: dashed boxes
    are the slowest thing Qt draws here, and a keystroke must stay quick.
    """
    index = reader.suggestion_index
    if index is None:
        return
    boxes: list[tuple[Span, QRectF]] = []
    offset = reader.contentOffset()
    height = reader.viewport().height()
    block = reader.firstVisibleBlock()
    to_utf16 = reader.offsets.to_utf16
    while block.isValid():
        geometry = reader.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > height:
            break
        line = block.blockNumber()
        spans = index.in_line(line)
        if spans and block.isVisible():
            line_start, line_end = reader.lines.span(line)
            origin = to_utf16(line_start)  # Qt boundary
            layout = block.layout()
            for span in spans:
                first = to_utf16(max(span.start, line_start)) - origin
                last = to_utf16(min(span.end, line_end)) - origin
                for n in range(layout.lineCount() if first < last else 0):
                    text_line = layout.lineAt(n)
                    a = max(first, text_line.textStart())
                    b = min(last, text_line.textStart() + text_line.textLength())
                    if a >= b:
                        continue
                    x1, _ = text_line.cursorToX(a)
                    x2, _ = text_line.cursorToX(b)
                    rect = QRectF(
                        min(x1, x2), text_line.y(), abs(x2 - x1), text_line.height()
                    ).translated(geometry.topLeft())
                    boxes.append((span, rect.adjusted(0.5, 0.5, -0.5, -0.5)))
        block = block.next()
    if len(boxes) > MAX_OUTLINES:
        boxes = [(span, rect) for span, rect in boxes if span == reader.current_suggestion]
    if not boxes:
        return
    painter = QPainter(reader.viewport())
    try:
        for span, rect in boxes:
            pen = QPen(QColor(reader.label_color(span.label)))
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidthF(2.0 if span == reader.current_suggestion else 1.2)
            painter.setPen(pen)
            painter.drawRect(rect)
    finally:
        painter.end()
