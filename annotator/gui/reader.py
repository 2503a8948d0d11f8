"""The reader pane: a read-only text view whose highlights come from a per-line span index.

Lines are highlighted when they come into view (and a screen ahead), not all at once: on a
5 MB article with 50,000 spans that is the difference between a third of a second and nothing
noticeable when the document opens.

Everything here speaks code points except the few lines marked "Qt boundary", which convert
through the document's :class:`OffsetMap` (Qt counts UTF-16 code units).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.core.model import Annotation, Document, Relation
from annotator.core.offsets import OffsetMap
from annotator.core.spans import LineIndex, Span, SpanIndex, segments
from annotator.gui import relation_arcs, suggestion_painting
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.formatting import escape_html, show_value

READING_FONTS = ("Source Serif 4", "Noto Serif", "Georgia", "Charter", "DejaVu Serif", "Serif")
COLUMN_CHARACTERS = 78
BASE_POINT_SIZE = 13
LAYER_SEPARATOR = "\x1f"  # a span's key is "label" or, coloured by layer, "label\x1flayer"


def span_label(span: Span) -> str:
    """The label name of a reader span (its key may carry the layer too)."""
    return span.label.split(LAYER_SEPARATOR, 1)[0]


def blend(colors: list[QColor], base: QColor, amount: float) -> QColor:
    """Mix the average of ``colors`` into ``base`` (``amount`` 0..1), opaque."""
    r = sum(c.redF() for c in colors) / len(colors)
    g = sum(c.greenF() for c in colors) / len(colors)
    b = sum(c.blueF() for c in colors) / len(colors)
    return QColor.fromRgbF(
        base.redF() + (r - base.redF()) * amount,
        base.greenF() + (g - base.greenF()) * amount,
        base.blueF() + (b - base.blueF()) * amount,
    )


class SpanHighlighter(QObject):
    """Paints each line that has been in view from the span index: one cached format per set of
    active labels, set on the line's layout (what a QSyntaxHighlighter does, line by line).

    Not a QSyntaxHighlighter: attaching one to a document makes Qt call Python once for every
    line (40,000 for a 5 MB article) before the first paint, and again after each colour change.
    Here only the lines the reader wants are touched. The reader's text never changes in place
    (it is read-only; a new document is a new ``setPlainText``), so no other pass is needed.

    Overlaps blend their labels' colours and get an underline, so two labels on the same words
    read as "both" rather than one hiding the other.
    """

    def __init__(self, reader: ReaderView) -> None:
        super().__init__(reader)
        self.reader = reader
        self._document: QTextDocument | None = None  # set by ReaderView.show_document
        self._formats: dict[frozenset[str], QTextCharFormat] = {}
        self._pending: list[QTextLayout.FormatRange] = []  # the line being highlighted

    def setDocument(self, document: QTextDocument | None) -> None:  # noqa: N802 (Qt's name)
        self._document = document

    def reset_formats(self) -> None:
        self._formats.clear()

    def format_for(self, labels: frozenset[str]) -> QTextCharFormat:
        cached = self._formats.get(labels)
        if cached is None:
            cached = self._formats[labels] = self._make_format(labels)
        return cached

    def _make_format(self, labels: frozenset[str]) -> QTextCharFormat:
        palette = self.reader.palette()
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightnessF() < 0.5
        colors = [QColor(self.reader.label_color(name)) for name in sorted(labels)]
        fmt = QTextCharFormat()
        amount = (0.42 if dark else 0.34) + (0.12 if len(labels) > 1 else 0.0)
        fmt.setBackground(blend(colors, base, amount))
        if len(labels) > 1:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(palette.color(QPalette.ColorRole.Text))
        layers = {key.split(LAYER_SEPARATOR, 1)[1] for key in labels if LAYER_SEPARATOR in key}
        if len(layers) == 1:  # one layer's words: underlined in that layer's colour
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(QColor(self.reader.layer_colors.get(layers.pop(), "#808080")))
        elif layers:  # several layers on the same words: a wave in the text colour
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(palette.color(QPalette.ColorRole.Text))
        return fmt

    def rehighlight(self) -> None:
        """Paint again every line that has been in view (after a label or colour change)."""
        document, wanted = self._document, self.reader.wanted_lines()
        if document is None:
            return
        line = wanted.find(1)
        while line >= 0:
            self.rehighlightBlock(document.findBlockByNumber(line))
            line = wanted.find(1, line + 1)

    def rehighlightBlock(self, block: QTextBlock) -> None:  # noqa: N802 (Qt's name)
        """Paint one line from the span index (nothing if the reader does not want it yet)."""
        document = self._document
        if document is None or not block.isValid():
            return
        ranges = self._ranges(block.blockNumber())
        layout = block.layout()
        if not ranges and not layout.formats():
            return
        layout.setFormats(ranges)
        document.markContentsDirty(block.position(), block.length())

    def _ranges(self, line: int) -> list[QTextLayout.FormatRange]:
        reader = self.reader
        if not reader.wants(line):
            return []
        self._pending = ranges = []
        spans = reader.index.in_line(line) if reader.index is not None else ()
        if spans:
            line_start, line_end = reader.lines.span(line)
            to_utf16 = reader.offsets.to_utf16
            origin = to_utf16(line_start)  # Qt boundary
            for start, end, labels in segments(spans, line_start, line_end):
                first = to_utf16(start) - origin
                self.setFormat(first, to_utf16(end) - origin - first, self.format_for(labels))
        suggestion_painting.highlight_line(self, reader, line)
        self._pending = []
        return ranges

    def setFormat(self, start: int, count: int, fmt: QTextCharFormat) -> None:  # noqa: N802
        """Format ``count`` UTF-16 units from ``start`` of the line being highlighted, over what
        is set there already (QSyntaxHighlighter's name: suggestion_painting uses it too)."""
        piece = QTextLayout.FormatRange()
        piece.start, piece.length, piece.format = start, count, fmt
        self._pending.append(piece)


class ReaderView(QPlainTextEdit):
    """Shows one document; knows its spans; reports clicks on them."""

    annotation_clicked = Signal(str)
    relation_clicked = Signal(str)
    # an edge handle of the current annotation was dragged: id, start, end (code points)
    edges_dragged = Signal(str, int, int)
    HANDLE_SIZE = 8  # px, the knobs of the current annotation's edges

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(18)
        self._zoom = 0
        self._apply_font()
        self.text = ""
        self.offsets = OffsetMap("")
        self.lines = LineIndex("")
        self.index: SpanIndex | None = None
        self.document_id: str | None = None
        self._label_colors: dict[str, str] = {}
        self._annotations: dict[str, Annotation] = {}
        self.current_id: str | None = None
        self.candidate_id: str | None = None  # the other end offered while relating
        self.relations = relation_arcs.RelationIndex()
        self.current_relation_id: str | None = None
        self._hovered_relation: str | None = None
        self._relation_types: dict[str, RelationTypeDef] = {}
        self._arcs: list[relation_arcs.Arc] = []
        #: the last selection was made with Alt held: store it exactly, once
        self.exact_once = False
        self._edge_drag: tuple[str, str] | None = None  # (annotation id, "start" or "end")
        self._drag_range: tuple[int, int] | None = None
        self._flash_left = 0
        self._flash_timer = QTimer(self, interval=160, timeout=self._flash_step)
        self._wanted = bytearray()  # per line: 1 once it has been in view
        #: None: the index holds every span of the document. A code point: it holds only those
        #: touching the text before it (a first look); lines past it wait for :meth:`complete`.
        self.known_until: int | None = None
        #: which annotations show (the chosen layers; None: all); set_layers changes it
        self.shows: Callable[[Annotation], bool] | None = None
        #: layer name -> colour, when each layer has its own colour treatment; else empty
        self.layer_colors: dict[str, str] = {}
        # suggestions (gui/suggestion_painting.py): drawn outlined, apart from the annotations
        self.suggestion_index: SpanIndex | None = None
        self.current_suggestion: Span | None = None
        self.highlighter = SpanHighlighter(self)
        self.verticalScrollBar().valueChanged.connect(self._highlight_visible)
        ctx.events.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.labels:
            self.set_labels(self.ctx.labels())
        if changes.annotations_of(self.document_id):
            self.apply_change(list(changes.removed), list(changes.added))

    # -- lazy highlighting ---------------------------------------------------------------------

    def wants(self, line: int) -> bool:
        return line < len(self._wanted) and bool(self._wanted[line])

    def wanted_lines(self) -> bytearray:
        """Per line: 1 once it has been in view (and so is highlighted)."""
        return self._wanted

    def highlight_lines(self, lines: Iterable[int]) -> None:
        """Highlight these lines now if they are not yet (the view does this as they show)."""
        document = self.document()
        for line in lines:
            if 0 <= line < len(self._wanted) and not self._wanted[line] and self._known(line):
                self._wanted[line] = 1
                self.highlighter.rehighlightBlock(document.findBlockByNumber(line))

    def _known(self, line: int) -> bool:
        """Whether the index holds every span touching ``line`` (its newline included)."""
        if self.known_until is None:
            return True
        starts = self.lines.starts
        return (starts[line + 1] if line + 1 < len(starts) else self.lines.length) <= (
            self.known_until
        )

    def _highlight_visible(self) -> None:
        if self.index is None:
            return
        block = self.firstVisibleBlock()
        first = last = block.blockNumber()
        offset = self.contentOffset()
        reach = 2 * max(self.viewport().height(), 400)  # this screen and the next
        while (
            block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() < reach
        ):
            last = block.blockNumber()
            block = block.next()
        self.highlight_lines(range(max(0, 2 * first - last), last + 1))

    # -- labels and colours ------------------------------------------------------------------

    def set_labels(self, labels: list[LabelDef]) -> None:
        self._label_colors = {label.name: label.color for label in labels}
        self.highlighter.reset_formats()
        if self.index is not None:
            self.highlighter.rehighlight()
        self._update_current_selection()

    def set_relation_types(self, relation_types: list[RelationTypeDef]) -> None:
        self._relation_types = {t.name: t for t in relation_types}
        self.viewport().update()

    def relation_style(self, type_name: str) -> tuple[str, bool]:
        """The colour and directedness a relation of ``type_name`` is drawn with."""
        found = self._relation_types.get(type_name)
        return (found.color, found.directed) if found else ("#808080", False)

    def label_color(self, name: str) -> str:
        return self._label_colors.get(name.split(LAYER_SEPARATOR, 1)[0], "#808080")

    # -- layers ----------------------------------------------------------------------------------

    def set_layers(
        self, shows: Callable[[Annotation], bool] | None, layer_colors: dict[str, str]
    ) -> None:
        """Show only the annotations ``shows`` accepts (None: all); with ``layer_colors``,
        underline each layer's spans in its colour. Takes effect when a document is next shown."""
        self.shows = shows
        self.layer_colors = dict(layer_colors)
        self.highlighter.reset_formats()

    def _span(self, a: Annotation) -> Span:
        key = f"{a.label}{LAYER_SEPARATOR}{a.annotator}" if self.layer_colors else a.label
        return Span(a.start, a.end, key, a.id)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.index is not None:
            self.highlighter.reset_formats()
            self.highlighter.rehighlight()

    # -- the document --------------------------------------------------------------------------

    def show_document(
        self,
        document: Document,
        annotations: list[Annotation],
        known_until: int | None = None,
    ) -> None:
        """Show ``document`` with its ``annotations``; ``known_until``: they are only those
        touching the text before that code point (a first look), and :meth:`complete` brings
        the rest."""
        self.highlighter.setDocument(None)
        self.document_id = document.id
        self.text = document.text
        self.offsets = OffsetMap(document.text)
        self.lines = LineIndex(document.text)
        self._annotations, spans = self._shown(annotations)
        self.index = SpanIndex(self.lines, spans)
        self.known_until = known_until
        self.current_id = None
        self.suggestion_index, self.current_suggestion = None, None
        self.candidate_id = None
        self.relations = relation_arcs.RelationIndex()
        self.current_relation_id = self._hovered_relation = None
        self._wanted = bytearray(len(self.lines))
        self.setExtraSelections([])
        self.setPlainText(document.text)
        self.highlighter.setDocument(self.document())
        self._highlight_visible()  # the lines in view, before the first paint; others as they show

    def complete(self, annotations: list[Annotation]) -> None:
        """Every annotation of the document shown from a first look: the text, its layout, the
        scroll position and the selection stay as they are; a line already highlighted is
        painted again only if its spans differ (someone changed them in between)."""
        before = self.index
        self._annotations, spans = self._shown(annotations)
        self.index = SpanIndex(self.lines, spans)
        self.known_until = None
        if before is not None:
            document, wanted = self.document(), self._wanted
            line = wanted.find(1)
            while line >= 0:
                if before.in_line(line) != self.index.in_line(line):
                    self.highlighter.rehighlightBlock(document.findBlockByNumber(line))
                line = wanted.find(1, line + 1)
        self._highlight_visible()  # the lines in view that waited for the rest
        self._update_current_selection()

    def _shown(self, annotations: list[Annotation]) -> tuple[dict[str, Annotation], list[Span]]:
        """The annotations the chosen layers show, by id, and their spans."""
        shows = self.shows
        visible = annotations if shows is None else [a for a in annotations if shows(a)]
        if self.layer_colors:
            spans = [self._span(a) for a in visible]
        else:  # the common case, kept free of method calls (50k spans on a big document)
            spans = [Span(a.start, a.end, a.label, a.id) for a in visible]
        return {a.id: a for a in visible}, spans

    def clear_document(self) -> None:
        self.highlighter.setDocument(None)
        self.document_id, self.index, self.text = None, None, ""
        self.known_until = None
        self.suggestion_index, self.current_suggestion = None, None
        self._wanted = bytearray()
        self.offsets, self.lines = OffsetMap(""), LineIndex("")
        self._annotations = {}
        self.relations = relation_arcs.RelationIndex()
        self.current_relation_id = self._hovered_relation = self.candidate_id = None
        self._arcs = []
        self.setPlainText("")

    # -- relations -----------------------------------------------------------------------------

    def set_relations(self, relations: list[Relation]) -> None:
        """Draw these relations of the shown document (they replace the previous ones)."""
        self.relations.reset(relations, self._annotations, self.lines)
        if self.current_relation_id not in self.relations.relations:
            self.current_relation_id = None
        self.viewport().update()

    def update_relations(self, removed: Iterable[Relation], added: Iterable[Relation]) -> None:
        """Draw one edit's relations: ``removed`` go, ``added`` come (see :meth:`set_relations`)."""
        self.relations.update(removed, added)
        if self.current_relation_id not in self.relations.relations:
            self.current_relation_id = None
        self.viewport().update()

    def set_current_relation(self, relation_id: str | None) -> None:
        self.current_relation_id = relation_id
        self.viewport().update()

    def set_candidate(self, annotation_id: str | None) -> None:
        """Mark the annotation offered as the other end of a relation (None: no offer)."""
        self.candidate_id = annotation_id
        if annotation_id and (a := self._annotations.get(annotation_id)):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(a.start))  # Qt boundary
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self._update_current_selection()

    def _end_point(self, annotation_id: str) -> QPointF | None:
        a = self._annotations.get(annotation_id)
        if a is None:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(a.start))  # Qt boundary
        rect = self.cursorRect(cursor)
        return QPointF(rect.left() + 4, rect.top() + 1)

    def _visible_lines(self) -> tuple[int, int]:
        """The first and last lines (blocks) in view: the block at the viewport's bottom is
        one hit test, not a walk over every block on screen."""
        first = self.firstVisibleBlock().blockNumber()
        bottom = self.cursorForPosition(QPoint(0, self.viewport().height() - 1)).blockNumber()
        return first, max(first, bottom)

    def _paint_arcs(self) -> None:
        """Draw the relations with an end on the lines in view (see :mod:`relation_arcs`)."""
        if not len(self.relations):
            self._arcs = []
            return
        self._arcs = relation_arcs.layout(
            self.relations.in_lines(*self._visible_lines()),
            self._end_point,
            self.relation_style,
            self.viewport().height(),
        )
        painter = QPainter(self.viewport())
        try:
            relation_arcs.paint(
                painter, self._arcs, self.current_relation_id, self._hovered_relation
            )
        finally:
            painter.end()

    def relation_at(self, point: QPoint) -> str | None:
        return relation_arcs.hit(self._arcs, QPointF(point))

    def relation_text(self, relation: Relation) -> str:
        """``Quote “…” said by Organisation “…”``: what a relation joins, in words."""
        source = self._annotations.get(relation.source_id)
        target = self._annotations.get(relation.target_id)

        def end(a: Annotation | None) -> str:
            if a is None:
                return "?"
            words = a.text.strip("“”\"'‘’ ")  # a quote's own marks are not doubled
            words = words if len(words) <= 40 else words[:39] + "…"
            return f"{a.label} “{words}”"

        flag = " (its labels no longer fit the type)" if relation.flagged else ""
        return f"{end(source)} {relation.type} {end(target)}{flag}"

    def annotation(self, annotation_id: str) -> Annotation | None:
        return self._annotations.get(annotation_id)

    def annotations(self) -> Iterable[Annotation]:
        """The annotations shown (those of the chosen layers)."""
        return self._annotations.values()

    def annotations_in_order(self) -> list[Annotation]:
        """The annotations shown, in text order."""
        return sorted(self._annotations.values(), key=lambda a: (a.start, a.end, a.id))

    def apply_change(self, removed: list[Annotation], added: list[Annotation]) -> None:
        """Update the index and repaint only the lines the change touched."""
        if self.index is None:
            return
        lines: set[int] = set()
        for a in removed:
            lines.update(self.index.remove(a.id))
            self._annotations.pop(a.id, None)
        for a in added:
            lines.update(self.index.remove(a.id))  # applying a change twice is harmless
            self._annotations.pop(a.id, None)
            if self.shows is None or self.shows(a):
                lines.update(self.index.add(self._span(a)))
                self._annotations[a.id] = a
        document = self.document()
        for line in sorted(lines):
            if self.wants(line):  # the others are highlighted from the index when they show
                self.highlighter.rehighlightBlock(document.findBlockByNumber(line))
        if self.current_id is not None and self.current_id not in self.index:
            self.current_id = None
        self._update_current_selection()

    # -- selection in code points --------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.offsets.from_utf16(cursor.selectionStart(), "before")  # Qt boundary
        end = self.offsets.from_utf16(cursor.selectionEnd(), "after")
        return (start, end) if start < end else None

    def select_range(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))  # Qt boundary
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def position_at(self, point: QPoint) -> int:
        unit = self.cursorForPosition(point).position()  # Qt boundary
        return self.offsets.from_utf16(min(unit, self.offsets.utf16_length), "before")

    def spans_at(self, point: QPoint) -> list[Span]:
        if self.index is None or not self.text:
            return []
        position = self.position_at(point)
        # cursorForPosition rounds to the nearest gap: check the character under the pointer
        rect = self.cursorRect(self.cursorForPosition(point))
        if point.x() < rect.x() and position > 0:
            position -= 1
        return self.index.at(position) if position < len(self.text) else []

    # -- the current annotation ----------------------------------------------------------------

    def set_current(self, annotation_id: str | None, *, reveal: bool = False) -> None:
        self.current_id = annotation_id
        if reveal and annotation_id and (a := self._annotations.get(annotation_id)):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(a.start))
            self.setTextCursor(cursor)
            self.centerCursor()
            self._flash_left = 4
            self._flash_timer.start()
        self._update_current_selection()

    def _flash_step(self) -> None:
        self._flash_left -= 1
        if self._flash_left <= 0:
            self._flash_timer.stop()
        self._update_current_selection(dimmed=self._flash_left % 2 == 1)

    def _update_current_selection(self, dimmed: bool = False) -> None:
        """Underline the current annotation; while flashing, also fill it strongly. A candidate
        end of a relation gets a strong outline-like fill.

        The steady state leaves the fill alone so that overlapping labels stay visible.
        """
        selections = []
        candidate = self._annotations.get(self.candidate_id or "")
        if candidate is not None:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(candidate.start))  # Qt boundary
            cursor.setPosition(
                self.offsets.to_utf16(candidate.end), QTextCursor.MoveMode.KeepAnchor
            )
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(self.label_color(candidate.label)))
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Base))
            selection.format = fmt
            selections.append(selection)
        a = self._annotations.get(self.current_id or "")
        if a is None:
            self.setExtraSelections(selections)
            return
        start, end = self._drag_range or (a.start, a.end)
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))  # Qt boundary
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        base = self.palette().color(QPalette.ColorRole.Base)
        color = QColor(self.label_color(a.label))
        if self._flash_timer.isActive() and not dimmed:
            fmt.setBackground(blend([color], base, 0.8))
        fmt.setFontUnderline(True)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(color.darker(150) if base.lightnessF() > 0.5 else color.lighter(130))
        selection.format = fmt
        self.setExtraSelections([selection, *selections])
        self.viewport().update()  # the edge handles follow

    # -- reading comfort -----------------------------------------------------------------------

    def _apply_font(self) -> None:
        families = set(QFontDatabase.families())
        family = next((f for f in READING_FONTS if f in families), None)
        font = QFont(family) if family else QFont()
        if not family:
            font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(max(6.0, BASE_POINT_SIZE * (1.1**self._zoom)))
        self.setFont(font)
        self._update_margins()

    def zoom(self, steps: int) -> None:
        """+1/-1 zoom a step; 0 resets."""
        self._zoom = 0 if steps == 0 else max(-6, min(12, self._zoom + steps))
        self._apply_font()
        self._highlight_visible()

    @property
    def zoom_level(self) -> int:
        return self._zoom

    def _update_margins(self) -> None:
        column = self.fontMetrics().averageCharWidth() * COLUMN_CHARACTERS
        side = max(0, (self.width() - column - self.verticalScrollBar().sizeHint().width()) // 2)
        self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self._update_margins()
        super().resizeEvent(event)
        self._highlight_visible()

    # -- pointer -------------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ToolTip:
            relation_id = self.relation_at(event.pos())  # type: ignore[attr-defined]
            relation = self.relations.relations.get(relation_id or "")
            if relation is not None:
                QToolTip.showText(event.globalPos(), self.relation_text(relation), self)  # type: ignore[attr-defined]
                return True
            spans = self.spans_at(event.pos())  # type: ignore[attr-defined]
            if spans:
                QToolTip.showText(event.globalPos(), self._tooltip(spans), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, spans: list[Span]) -> str:
        parts = []
        for span in spans:
            a = self._annotations[span.id]
            rows = "".join(
                f"<br>&nbsp;&nbsp;{escape_html(k)}: <b>{escape_html(show_value(v))}</b>"
                for k, v in a.attributes.items()
                if v not in (None, "")
            )
            note = f"<br>&nbsp;&nbsp;<i>{escape_html(a.note[:200])}</i>" if a.note else ""
            swatch = f"<span style='color:{self.label_color(a.label)}'>■</span>"
            by = f" <small>by {escape_html(a.annotator)}</small>" if a.annotator else ""
            parts.append(f"{swatch} <b>{escape_html(a.label)}</b>{by}{rows}{note}")
        return "<br>".join(parts)

    def handle_rects(self) -> dict[str, QRect]:
        """The current annotation's edge handles, in viewport coordinates: a knob above the
        start and one below the end, off the text, so a press on the words still selects."""
        a = self._annotations.get(self.current_id or "")
        if a is None:
            return {}
        start, end = self._drag_range or (a.start, a.end)
        size = self.HANDLE_SIZE
        rects = {}
        for edge, position in (("start", start), ("end", end)):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(position))  # Qt boundary
            caret = self.cursorRect(cursor)
            top = caret.top() - size + 1 if edge == "start" else caret.bottom()
            rects[edge] = QRect(caret.center().x() - size // 2, top, size, size)
        return rects

    def _edge_at(self, point: QPoint) -> str | None:
        for edge, rect in self.handle_rects().items():
            if rect.adjusted(-2, -2, 2, 2).contains(point):
                return edge
        return None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        suggestion_painting.paint_outlines(self)
        self._paint_arcs()
        self._paint_handles()

    def _paint_handles(self) -> None:
        rects = self.handle_rects()
        if not rects:
            return
        a = self._annotations[self.current_id or ""]
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(self.label_color(a.label)).darker(140)
        painter.setPen(color)
        painter.setBrush(color)
        for edge, rect in rects.items():
            x = rect.center().x()
            line_end = (
                rect.bottom() + self.fontMetrics().height()
                if edge == "start"
                else rect.top() - self.fontMetrics().height()
            )
            painter.drawLine(x, rect.center().y(), x, line_end)
            painter.drawEllipse(rect)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            edge = self._edge_at(event.position().toPoint())
            a = self._annotations.get(self.current_id or "")
            if edge is not None and a is not None:
                self._edge_drag, self._drag_range = (a.id, edge), (a.start, a.end)
                event.accept()
                return
            self.exact_once = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            # The reader is read-only: there is nothing to drag. A press inside the selection
            # starts a new selection instead of Qt's text drag-and-drop (Shift+press still
            # extends it).
            cursor = self.textCursor()
            extending = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if cursor.hasSelection() and not extending:
                cursor.clearSelection()
                self.setTextCursor(cursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._edge_drag is not None and self._drag_range is not None:
            position = self.position_at(event.position().toPoint())
            start, end = self._drag_range
            if self._edge_drag[1] == "start":
                start = min(position, end - 1)
            else:
                end = max(position, start + 1)
            self._drag_range = (start, end)
            self._update_current_selection()
            return
        super().mouseMoveEvent(event)
        hovered = self.relation_at(event.position().toPoint()) if self._arcs else None
        if hovered != self._hovered_relation:
            self._hovered_relation = hovered
            self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._edge_drag is not None:
            (annotation_id, _edge), dragged = self._edge_drag, self._drag_range
            self._edge_drag = self._drag_range = None
            self._update_current_selection()
            if dragged is not None:
                self.edges_dragged.emit(annotation_id, *dragged)
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            relation_id = self.relation_at(event.position().toPoint())
            if relation_id is not None:
                self.relation_clicked.emit(relation_id)
                return
            spans = self.spans_at(event.position().toPoint())
            # a click on plain text lets go of the current annotation ("" = none)
            self.annotation_clicked.emit(spans[0].id if spans else "")
