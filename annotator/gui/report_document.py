"""The report as a QTextDocument, for the PDF and the dialog's preview.

Built with a QTextCursor rather than from HTML: Qt's HTML parser needs seconds per megabyte of
styled spans, while inserting text with a few cached formats is fast. The small parts (document
metadata, legends, count tables and charts) come from the HTML writer's Qt flavour.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtSvg import QSvgRenderer

from annotator.core.report import (
    NEUTRAL,
    QUOTE,
    Context,
    DocumentReport,
    Report,
    highlight,
    quoted,
    safe_color,
)
from annotator.io.report_html import PRINT_CSS, HtmlWriter, show_value

SERIF = ["Noto Serif", "DejaVu Serif", "Noto Sans CJK SC", "Noto Naskh Arabic", "Noto Color Emoji"]
SANS = ["Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Noto Naskh Arabic", "Noto Color Emoji"]
INK, MUTED = QColor("#1f2328"), QColor("#59636e")
CHART_SCALE = 3  # charts are rasterised at three times their size


# Qt draws a page by walking every line of each block on it: one paragraph of megabytes made
# each page cost as much as the whole paragraph (a 20 MB article took hours). A paragraph
# longer than this continues in a new block, after a sentence end or a space.
BLOCK = 4000  # code points
_SENTENCE_ENDS = (". ", "! ", "? ", "\u3002", "\uff01", "\uff1f", "\u061f", "\u06d4", "\u0964")
_JOINERS = "\u200d\ufe0e\ufe0f"


def _break_before(text: str, low: int, high: int) -> int:
    """Where in ``text[low:high]`` a block may end: after the last sentence end, else after
    the last space, else (a script without spaces) between two characters of different
    graphemes as far as is cheap to tell."""
    ends = [text.rfind(end, low, high) + len(end) for end in _SENTENCE_ENDS]
    best = max(ends)
    if best > low:
        return best
    space = max(text.rfind(" ", low, high), text.rfind("\t", low, high))
    if space >= 0:
        return space + 1
    at = high
    while at > low and (
        unicodedata.combining(text[at])
        or text[at] in _JOINERS
        or text[at - 1] == "\u200d"
        or 0x1F3FB <= ord(text[at]) <= 0x1F3FF  # a skin tone
        or 0x1F1E6 <= ord(text[at]) <= 0x1F1FF  # a regional indicator (a flag's half)
        or 0xDC00 <= ord(text[at]) <= 0xDFFF
    ):
        at -= 1
    return at if at > low else high


def block_breaks(text: str, limit: int = BLOCK) -> list[int]:
    """The positions before which the article starts a new block (beyond its own line breaks),
    so that no block is much longer than ``limit`` code points. Linear in the text."""
    breaks: list[int] = []
    start = 0
    while len(text) - start > limit:
        newline = text.find("\n", start, start + limit + 1)
        if newline >= 0:
            start = newline + 1
            continue
        start = _break_before(text, start + limit // 2, start + limit)
        breaks.append(start)
    return breaks


@dataclass(frozen=True)
class Preview:
    """How much of a big report the dialog's preview lays out (the saved file holds it all)."""

    characters: int = 30_000  # of each article
    items: int = 150  # notes per document, claims, segments per label


def chart_image(svg: str) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize() * CHART_SCALE
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image.setDotsPerMeterX(image.dotsPerMeterX() * CHART_SCALE)
    image.setDotsPerMeterY(image.dotsPerMeterY() * CHART_SCALE)
    return image


def _font(
    families: Sequence[str],
    points: float,
    weight: QFont.Weight = QFont.Weight.Normal,
    italic: bool = False,
) -> QFont:
    font = QFont()
    font.setFamilies(list(families))
    font.setPointSizeF(points)
    font.setWeight(weight)
    font.setItalic(italic)
    return font


def _char(font: QFont, color: QColor = INK, background: str | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFont(font)
    fmt.setForeground(QBrush(color))
    if background:
        fmt.setBackground(QBrush(QColor(background)))
    return fmt


def _block(
    top: float = 0, bottom: float = 0, indent: float = 0, line: int = 0, page_break: bool = False
) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setTopMargin(top)
    fmt.setBottomMargin(bottom)
    fmt.setLeftMargin(indent)
    if line:
        fmt.setLineHeight(line, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    if page_break:
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    return fmt


class _Builder:
    def __init__(
        self, report: Report, document: QTextDocument, preview: Preview | None = None
    ) -> None:
        self.r = report
        self.preview = preview
        self._pending = ""  # what a preview left out of the list being written
        self.doc = document
        self.cursor = QTextCursor(document)
        self.html = HtmlWriter(report, qt=True)
        device = document.documentLayout().paintDevice()
        if device is not None and document.pageSize().width() > 0:
            # Qt sizes images in 96-dpi pixels and scales them up for a printer.
            self.html.chart_width = int(
                document.pageSize().width() * 96 / device.logicalDpiX() * 0.85
            )
        self.colors = {label.name: safe_color(label.color) for label in report.labels}
        self.text = _char(_font(SERIF, 10.5))
        self.small_serif = _char(_font(SERIF, 9))
        self.small = _char(_font(SANS, 8.5))
        self.muted = _char(_font(SANS, 8.5), MUTED)
        self.bold = _char(_font(SANS, 8.5, QFont.Weight.DemiBold))
        self.number = _char(_font(SANS, 8.5, QFont.Weight.DemiBold), MUTED)
        self.italic = _char(_font(SANS, 8.5, italic=True))
        self.sup = _char(_font(SANS, 10.5, QFont.Weight.DemiBold), MUTED)
        self.sup.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        self._marks: dict[tuple[frozenset[str], bool, bool], QTextCharFormat] = {}
        self.first_block = True
        self.parts = 0  # sections written after the title: each later one starts a page

    # --- formats --------------------------------------------------------------------------

    def mark_format(
        self, labels: frozenset[str], overlap: bool, small: bool = False
    ) -> QTextCharFormat:
        key = (labels, overlap, small)
        fmt = self._marks.get(key)
        if fmt is None:
            fmt = QTextCharFormat(self.small_serif if small else self.text)
            fmt.setBackground(
                QBrush(QColor(highlight([self.colors.get(n, NEUTRAL) for n in sorted(labels)])))
            )
            if overlap:
                fmt.setFontUnderline(True)
            self._marks[key] = fmt
        return fmt

    def chip(self, label: str) -> QTextCharFormat:
        return _char(_font(SANS, 8.5), QColor(self.colors.get(label, NEUTRAL)))

    # --- blocks ---------------------------------------------------------------------------

    def block(self, fmt: QTextBlockFormat, char: QTextCharFormat | None = None) -> None:
        if self.first_block:
            self.cursor.setBlockFormat(fmt)
            self.first_block = False
        else:
            self.cursor.insertBlock(fmt, char or self.text)
        if char is not None:
            self.cursor.setCharFormat(char)

    def heading(self, text: str, level: int, page_break: bool = False, chip: str = "") -> None:
        size, top = {1: (20, 0), 2: (14.5, 14), 3: (11.5, 12), 4: (9.5, 8)}[level]
        fmt = _block(top=top, bottom=4, page_break=page_break)
        fmt.setHeadingLevel(level)
        char = _char(_font(SANS, size, QFont.Weight.DemiBold), MUTED if level == 4 else INK)
        self.block(fmt, char)
        if chip:
            colored = QTextCharFormat(char)
            colored.setForeground(QBrush(QColor(self.colors.get(chip, NEUTRAL))))
            self.cursor.insertText("■ ", colored)
        self.cursor.insertText(text, char)

    def html_block(self, markup: str, top: float = 0) -> None:
        self.block(_block(top=top))
        self.cursor.insertHtml(markup)

    def context(self, c: Context, label: str, small: bool = True) -> None:
        base = self.small_serif if small else self.text
        muted = QTextCharFormat(base)
        muted.setForeground(QBrush(MUTED))
        self.cursor.insertText(c.before, muted)
        self.cursor.insertText(
            " ".join(c.text.split()), self.mark_format(frozenset({label}), False, small=small)
        )
        self.cursor.insertText(c.after, muted)

    # --- sections -------------------------------------------------------------------------

    def build(self) -> None:
        r = self.r
        has = r.options.has
        self.heading(r.title, 1)
        if r.subtitle:
            self.block(_block(bottom=4), self.text)
            self.cursor.insertText(r.subtitle, _char(_font(SANS, 12.5)))
        spans = sum(len(d.annotations) for d in r.documents)
        lede = (
            f"{len(r.documents):,} document{'s' if len(r.documents) != 1 else ''} · "
            f"{spans:,} annotation{'s' if spans != 1 else ''} · labels: "
            + (", ".join(label.name for label in r.labels) or "none")
        )
        self.block(_block(bottom=8), self.muted)
        self.cursor.insertText(lede, self.muted)
        if has("articles"):
            for index, d in enumerate(r.documents):
                self.document(d, page_break=index > 0 and r.options.page_break_per_article)
            self.parts += 1
        if has("claims"):
            self.claims()
        if has("coded"):
            self.coded()
        if has("counts"):
            self.heading("Counts", 2, page_break=self.new_part())
            self.html_block(self.html.counts_body())
        if has("agreement") and r.agreement is not None:
            self.heading("Agreement", 2, page_break=self.new_part())
            self.html_block(self.html.agreement(r.agreement))
        for name, svg in self.html.charts.items():
            self.doc.addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(name), chart_image(svg)
            )

    def new_part(self) -> bool:
        """Whether the section starting now begins a page (not when it is the first)."""
        self.parts += 1
        return self.parts > 1

    def document(self, d: DocumentReport, page_break: bool) -> None:
        """As in the HTML: the title (or the article's own headline), the text, its source and
        the colours' key, the notes."""
        if not d.headline:
            self.heading(d.document.title or "Untitled", 2, page_break=page_break)
        self.article(d, page_break=page_break and bool(d.headline))
        if meta := self.html.meta(d):
            self.html_block(meta, top=8)
        self.html_block(self.html.legend(d), top=0 if meta else 8)
        self.notes(d)

    def article(self, d: DocumentReport, page_break: bool = False) -> None:
        text = d.document.text
        self.block(_block(top=14 if d.headline else 6, line=118), self.text)
        first = self.cursor.block()
        plain, sup = self.text, self.sup
        position = 0
        cut = self.preview.characters if self.preview else len(text)
        breaks = block_breaks(text[:cut])
        next_break = 0
        continued = _block(line=118)

        def insert(start: int, end: int, fmt: QTextCharFormat) -> None:
            nonlocal next_break
            while next_break < len(breaks) and breaks[next_break] < end:
                at = breaks[next_break]
                if at > start:
                    self.cursor.insertText(text[start:at], fmt)
                    start = at
                self.cursor.insertBlock(continued, fmt)
                next_break += 1
            self.cursor.insertText(text[start:end], fmt)

        for m in d.marks:
            if m.end > cut:
                break
            if m.start > position:
                insert(position, m.start, plain)
            insert(m.start, m.end, self.mark_format(m.labels, len(m.ids) > 1))
            if m.closes:
                self.cursor.insertText(",".join(map(str, m.closes)), sup)
            position = m.end
        insert(position, max(position, cut), plain)
        self.narrow_blank_lines(first, self.cursor.block())
        if d.headline:
            self.headline(first, page_break)
        if cut < len(text):
            self.more(f"the preview shows the first {cut:,} of {len(text):,} characters")

    def headline(self, block: QTextBlock, page_break: bool) -> None:
        """The article's first line, its title, set as the document's heading."""
        fmt = _block(top=14, bottom=6, page_break=page_break)
        fmt.setHeadingLevel(2)
        heading = QTextCharFormat()
        heading.setFontFamilies(SANS)
        heading.setFontPointSize(14.5)
        heading.setFontWeight(QFont.Weight.DemiBold)
        cursor = QTextCursor(block)
        cursor.setBlockFormat(fmt)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(heading)  # the highlights and note numbers stay

    def more(self, what: str) -> None:
        """Say where the preview stops (never in a saved report)."""
        self.block(_block(top=4, bottom=4), self.italic)
        self.cursor.insertText(f"… {what}; the saved report holds everything.", self.muted)

    def shown(self, items: list, what: str) -> list:  # type: ignore[type-arg]
        """``items``, or in a preview the first few (with a line saying so afterwards)."""
        if self.preview is None or len(items) <= self.preview.items:
            return items
        self._pending = f"{len(items) - self.preview.items:,} more {what}"
        return items[: self.preview.items]

    def after_list(self) -> None:
        if self._pending:
            self.more(self._pending)
            self._pending = ""

    def narrow_blank_lines(self, block: QTextBlock, last: QTextBlock) -> None:
        """The blank line between paragraphs as a gap of under half a line (fewer pages)."""
        gap = _block(line=40)
        cursor = QTextCursor(self.doc)
        while block.isValid():
            if block.length() == 1:
                cursor.setPosition(block.position())
                cursor.setBlockFormat(gap)
            if block == last:
                break
            block = block.next()

    def notes(self, d: DocumentReport) -> None:
        if not d.annotations:
            return
        self.heading("Notes", 4)
        insert = self.cursor.insertText
        fmt = _block(bottom=2, indent=18)
        fmt.setTextIndent(-18)
        for n, a in enumerate(self.shown(d.annotations, "notes"), 1):
            self.block(fmt, self.small)
            insert(f"{n}.  ", self.number)
            insert("■ ", self.chip(a.label))
            insert(a.label, self.bold)
            quote = " ".join(a.text.split())
            if len(quote) > QUOTE:
                quote = quote[: QUOTE - 1] + "…"
            insert(f" {quoted(quote)}", self.small_serif)
            attrs = "; ".join(
                f"{k}: {show_value(v)}" for k, v in a.attributes.items() if v not in (None, "")
            )
            if attrs:
                insert(f" · {attrs}", self.small)
            if a.note:
                insert(" · ", self.small)
                insert(" ".join(a.note.split()), self.italic)
            if a.annotator:
                insert(f" — {a.annotator}", self.muted)
        self.after_list()

    def claims(self) -> None:
        label = self.r.claim_label
        if label is None:
            return
        self.heading("Claims", 2, page_break=self.new_part())
        if not self.r.claims:
            self.block(_block(), self.muted)
            self.cursor.insertText(f"No {label.name} annotations.", self.muted)
            return
        several = len(self.r.documents) > 1
        insert = self.cursor.insertText
        head = _block(top=6, bottom=1)
        body = _block(bottom=4, indent=18)
        for row in self.shown(self.r.claims, "claims"):
            a = row.annotation
            self.block(head, self.small)
            insert(f"#{row.number}  ", self.number)
            if several:
                insert(f"{row.document.document.title}  ", self.muted)
            shown = [("Claimant", row.claimant), ("Verdict", row.verdict)]
            for i, (n, v) in enumerate((n, v) for n, v in shown if v):
                insert(("  ·  " if i else "") + f"{n}: ", self.muted)
                insert(v, self.bold)
                if n == "Claimant" and row.claimant_number:
                    insert(f" #{row.claimant_number}", self.number)
            self.block(body, self.small_serif)
            self.context(row.sentence, a.label)
            if row.rationale:
                self.block(body, self.small)
                insert("Rationale: ", self.muted)
                insert(row.rationale, self.italic)
            for kind, number, other in row.evidence:  # e.g. a quote as evidence for it
                self.block(body, self.small)
                insert(f"{kind} ", self.muted)
                insert(f"#{number} ", self.number)
                insert(" ".join(other.text.split())[:160], self.italic)
        self.after_list()

    def coded(self) -> None:
        self.heading("Coded segments", 2, page_break=self.new_part())
        several = len(self.r.documents) > 1
        insert = self.cursor.insertText
        fmt = _block(bottom=4, indent=12)
        for label, segments in self.r.coded:
            self.heading(f"{label.name} ({len(segments):,})", 3, chip=label.name)
            if not segments:
                self.block(_block(), self.muted)
                insert("No segments.", self.muted)
                continue
            current = None
            for s in self.shown(segments, "segments"):
                if several and s.document is not current:
                    current = s.document
                    self.heading(s.document.document.title or "Untitled", 4)
                self.block(fmt, self.small_serif)
                self.context(s.context, label.name)
                ref = f"  #{s.number}"
                if s.annotation.annotator:
                    ref += f" · {s.annotation.annotator}"
                attrs = "; ".join(
                    f"{k}: {show_value(v)}"
                    for k, v in s.annotation.attributes.items()
                    if v not in (None, "")
                )
                insert(ref + (f" · {attrs}" if attrs else ""), self.muted)
            self.after_list()


def build_document(
    report: Report,
    device: QPagedPaintDevice | None = None,
    page: QSizeF | None = None,
    preview: Preview | None = None,
) -> QTextDocument:
    """The report laid out for ``device`` (a PDF writer) in pages of ``page`` (device pixels),
    or, without them, for the screen; ``preview`` lays out only the start of long lists."""
    document = QTextDocument()
    if device is not None:
        document.documentLayout().setPaintDevice(device)
    if page is not None:
        document.setPageSize(page)  # before the text: laid out once
    document.setDefaultFont(_font(SERIF, 10.5))
    document.setDocumentMargin(0 if device is not None else 16)
    document.setUndoRedoEnabled(False)
    document.setUseDesignMetrics(True)  # glyph advances as designed, not hinted to pixels
    document.setDefaultStyleSheet(PRINT_CSS)  # for the parts inserted as HTML
    builder = _Builder(report, document, preview)
    builder.cursor.beginEditBlock()  # one layout pass at the end, not one per insertion
    builder.build()
    builder.cursor.endEditBlock()
    return document
