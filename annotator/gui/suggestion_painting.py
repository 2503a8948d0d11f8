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
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QSyntaxHighlighter, QTextCharFormat

from annotator.core.spans import Span, SpanIndex

if TYPE_CHECKING:
    from annotator.gui.reader import ReaderView

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


def highlight_line(highlighter: QSyntaxHighlighter, reader: ReaderView, line: int) -> None:
    """Add the suggestions' dashed underline (and the current one's tint) to one block, over
    whatever annotation formats it already has."""
    index = reader.suggestion_index
    if index is None:
        return
    spans = index.in_line(line)
    if not spans:
        return
    line_start, line_end = reader.lines.span(line)
    to_utf16 = reader.offsets.to_utf16
    origin = to_utf16(line_start)  # Qt boundary
    base = reader.palette().color(QPalette.ColorRole.Base)
    for span in spans:
        start, end = max(span.start, line_start), min(span.end, line_end)
        if start >= end:
            continue
        color = QColor(reader.label_color(span.label))
        current = span == reader.current_suggestion
        first, last = to_utf16(start) - origin, to_utf16(end) - origin
        position = first
        while position < last:  # runs of one existing format, each merged with ours
            existing = highlighter.format(position)
            run = position + 1
            while run < last and highlighter.format(run) == existing:
                run += 1
            fmt = QTextCharFormat(existing)
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(color)
            if current and not existing.hasProperty(QTextCharFormat.Property.BackgroundBrush):
                from annotator.gui.reader import blend

                fmt.setBackground(blend([color], base, CURRENT_TINT))
            highlighter.setFormat(position, run - position, fmt)
            position = run


def paint_outlines(reader: ReaderView) -> None:
    """Dashed boxes around the suggestions on the lines in view, in their label's colour."""
    index = reader.suggestion_index
    if index is None:
        return
    painter = QPainter(reader.viewport())
    try:
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
                    if first >= last:
                        continue
                    pen = QPen(QColor(reader.label_color(span.label)))
                    pen.setStyle(Qt.PenStyle.DashLine)
                    pen.setWidthF(2.0 if span == reader.current_suggestion else 1.2)
                    painter.setPen(pen)
                    for n in range(layout.lineCount()):
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
                        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            block = block.next()
    finally:
        painter.end()
