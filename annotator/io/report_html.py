"""The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.

Each highlighted piece of an article is a ``<mark data-annotations="ID ID…">`` listing the
annotations that cover it. Marks never nest, so an annotation's text is the concatenation of the
marks that list its id, and the article's text content is the document's text, whole (note
numbers are drawn by CSS from ``data-n``, not written into the text).

With ``qt=True`` the writer gives the small parts (metadata, legends, count tables, charts as
named images) in the HTML subset Qt's rich text understands, for the PDF and the preview built by
``annotator.gui.report_document``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Set
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from annotator.core.model import source_name
from annotator.core.report import (
    NEUTRAL,
    QUOTE,
    ClaimRow,
    CodedSegment,
    Context,
    DocumentReport,
    Mark,
    Report,
    highlight,
    quoted,
    safe_color,
)
from annotator.io import report_svg
from annotator.io.files import atomic_text_writer, check_output_file
from annotator.io.html_parts import CUT

METRICS = ("alpha", "kappa", "f1_exact", "f1_overlap")

PAGE_CSS = """@page { size: auto; margin: 18mm 16mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages);
    font: 8pt "Noto Sans", "DejaVu Sans", sans-serif; color: #59636e; } }
"""

CSS = (
    """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d8dee4;
  --paper: #ffffff; --tint: #f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 17px/1.62 "Noto Serif", "Source Serif Pro", Charter, Georgia, "DejaVu Serif", serif; }
main { max-width: 44rem; margin: 0 auto; padding: 2.5rem 1.25rem 4rem; }
h1, h2, h3, h4, .sans, table, figcaption, .meta, .notes, .legend, .toc {
  font-family: "Noto Sans", "Source Sans Pro", system-ui, -apple-system, "Segoe UI",
  "DejaVu Sans", sans-serif; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .4rem; font-weight: 650;
  letter-spacing: -.01em; }
h2 { font-size: 1.35rem; margin: 3rem 0 .8rem; padding-top: 1rem; border-top: 1px solid
  var(--rule); font-weight: 600; }
h3 { font-size: 1.08rem; margin: 2rem 0 .5rem; font-weight: 600; }
h4 { font-size: .95rem; margin: 1.2rem 0 .3rem; color: var(--muted); font-weight: 600; }
.subtitle { font-size: 1.2rem; line-height: 1.35; margin: 0 0 .6rem; color: var(--ink); }
.lede { color: var(--muted); font-size: .9rem; margin: 0 0 1.5rem; }
.headline { font-family: "Noto Sans", "Source Sans Pro", system-ui, -apple-system, "Segoe UI",
  "DejaVu Sans", sans-serif; font-size: 1.4rem; font-weight: 650; line-height: 1.3;
  letter-spacing: -.005em; }
section.document + section.document { border-top: 1px solid var(--rule); margin-top: 2.5rem;
  padding-top: 1.5rem; }
.toc { font-size: .92rem; margin: 0 0 2rem; padding: 0; list-style: none; }
.toc li { display: inline; }
.toc li + li::before { content: " · "; color: var(--muted); }
a { color: #0b5cad; text-decoration-thickness: 1px; text-underline-offset: .15em; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  font-size: .85rem; color: var(--muted); margin: .4rem 0 1rem; }
.meta dt { font-weight: 600; } .meta dd { margin: 0; overflow-wrap: anywhere; }
.legend { font-size: .85rem; margin: .5rem 0 1.25rem; display: flex; flex-wrap: wrap;
  gap: .3rem .9rem; color: var(--muted); }
.chip { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  vertical-align: -.05em; margin-right: .3em; }
.article { white-space: pre-wrap; overflow-wrap: break-word; hyphens: manual;
  margin: 0 0 1.5rem; unicode-bidi: plaintext; }  /* each paragraph takes its own direction */
mark { color: inherit; border-radius: 2px; padding: .08em 0; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
.hl { border-radius: 2px; padding: .08em 0; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
mark.o { text-decoration: underline; text-decoration-thickness: 1px;
  text-underline-offset: .22em; }
mark[data-n]::after { content: attr(data-n); font: 600 .6em/1 "Noto Sans", "DejaVu Sans",
  sans-serif; vertical-align: .75em; margin-left: .12em; color: var(--muted); }
.notes { font-size: .86rem; line-height: 1.5; padding-left: 2.6em; margin: 0; }
.notes li { margin: 0 0 .45rem; padding-left: .2em; }
.notes li::marker { color: var(--muted); font-weight: 600; }
.notes .q { font-family: "Noto Serif", Georgia, "DejaVu Serif", serif; }
.notes .lab { font-weight: 600; }
.notes .who, .dim { color: var(--muted); }
.notes .note { font-style: italic; }
.attrs { color: var(--ink); }
.scroll { overflow-x: auto; margin: .5rem 0 1rem; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: .84rem; line-height: 1.45; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem .4rem 0;
  border-bottom: 1px solid var(--rule); }
th { font-weight: 600; color: var(--muted); border-bottom: 1.5px solid var(--ink);
  white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-right: .2rem;
  padding-left: .6rem; }
tr.total td { font-weight: 600; border-top: 1.5px solid var(--ink); border-bottom: 0; }
td.serif { font-family: "Noto Serif", Georgia, "DejaVu Serif", serif; font-size: .92rem; }
.verdict { display: inline-block; padding: 0 .45em; border-radius: 1em; background: var(--tint);
  border: 1px solid var(--rule); white-space: nowrap; }
.segments { list-style: none; padding: 0; margin: 0; }
.segments li { margin: 0 0 .55rem; padding-left: .8rem; border-left: 3px solid var(--rule);
  font-size: .93rem; }
.segments .ref { font: .78rem "Noto Sans", "DejaVu Sans", sans-serif; color: var(--muted); }
.ctx { color: var(--muted); }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-size: .82rem; color: var(--muted); margin-top: .3rem; }
svg { display: block; max-width: 100%; height: auto; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; font: .78rem "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--muted); }
@media (max-width: 36rem) {
  body { font-size: 16px; }
  main { padding: 1.25rem 1rem 3rem; }
  h1 { font-size: 1.5rem; }
  .notes { padding-left: 2.1em; }
}
@media print {
  body { font-size: 10.5pt; line-height: 1.5; }
  main { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { border-top: 0; padding-top: 0; margin-top: 0; }
  section.part:not(:first-of-type), section.document.break:not(:first-of-type) {
    break-before: page; }
  section.document + section.document { border-top: 0; }
  h2, h3, h4 { break-after: avoid; }
  tr, .notes li, .segments li, figure { break-inside: avoid; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  .toc { display: none; }
}
"""
    + PAGE_CSS
)

# Qt's rich text knows a small CSS subset (no grid, flex, variables or media queries).
PRINT_CSS = """
h3 { font-family: "Noto Sans", "DejaVu Sans"; font-size: 11.5pt; font-weight: 600;
  margin-top: 18pt; margin-bottom: 4pt; }
h4 { font-family: "Noto Sans", "DejaVu Sans"; font-size: 9.5pt; font-weight: 600;
  color: #59636e; margin-top: 10pt; margin-bottom: 2pt; }
p { margin-top: 0; margin-bottom: 0; }
.dim, .meta, .legend { font-family: "Noto Sans", "DejaVu Sans"; color: #59636e; }
.meta { font-size: 8pt; margin-bottom: 2pt; }
.legend { font-size: 8.5pt; margin-top: 2pt; margin-bottom: 6pt; }
.dim { font-size: 8pt; margin-bottom: 10pt; }
table { font-family: "Noto Sans", "DejaVu Sans"; font-size: 8.5pt; margin-bottom: 8pt; }
th { font-weight: 600; color: #59636e; text-align: left; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: 600; }
.empty { color: #59636e; font-style: italic; }
"""


_SPECIAL = re.compile("[&<>\"']")
_STRONG = frozenset({"L", "R", "AL"})
RTL_OPEN = '<div dir="rtl">'
HEADLINE_OPEN = '<span class="headline">'


def _e(text: object) -> str:
    value = str(text)
    return escape(value, quote=True) if _SPECIAL.search(value) else value


def show_value(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(show_value(v) for v in value)
    return str(value)


def _figure(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "n/a"
    return f"{value:.3f}"


def _flat(text: str, limit: int = 0) -> str:
    flat = " ".join(text.split())
    return flat if not limit or len(flat) <= limit else flat[: limit - 1] + "…"


class HtmlWriter:
    """Builds either flavour; ``qt`` selects the subset for Qt's rich text (the PDF)."""

    def __init__(self, report: Report, qt: bool, cuts: bool = False) -> None:
        self.r = report
        self.qt = qt
        self.cut = CUT if cuts else ""  # marks where the PDF may print in parts (html_parts)
        self.colors = {label.name: safe_color(label.color) for label in report.labels}
        self.classes: dict[frozenset[str], str] = {}
        self.charts: dict[str, str] = {}
        self.chart_width = 560  # Qt flavour: the charts' width in the target's pixels

    # --- pieces ---------------------------------------------------------------------------

    def chip(self, label: str) -> str:
        color = self.colors.get(label, NEUTRAL)
        if self.qt:
            return f'<span style="color:{color}">■</span> '
        return f'<span class="chip" style="background:{color}"></span>'

    def chart(self, name: str, svg: str, caption: str) -> str:
        if self.qt:
            self.charts[name] = svg
            return (
                f'<p><img src="{name}" width="{self.chart_width}"/></p>'
                f'<p class="dim">{_e(caption)}</p><p>&nbsp;</p>'  # Qt drops margins here
            )
        return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"

    def table(
        self,
        head: list[str],
        rows: Iterable[list[str]],
        numeric: Set[int] = frozenset(),
        total: list[str] | None = None,
    ) -> str:
        return "".join(self.table_parts(head, rows, numeric, total))

    def table_parts(
        self,
        head: list[str],
        rows: Iterable[list[str]],
        numeric: Set[int] = frozenset(),
        total: list[str] | None = None,
    ) -> Iterator[str]:
        """The table, a row at a time; every cell is markup already (escaped by the caller)."""
        attrs = ' border="0" cellspacing="0" cellpadding="3" width="100%"' if self.qt else ""

        def cell(tag: str, i: int, value: str) -> str:
            return (
                f'<{tag} class="num">{value}</{tag}>' if i in numeric else f"<{tag}>{value}</{tag}>"
            )

        yield (
            f'<div class="scroll"><table{attrs}><thead><tr>'
            + "".join(cell("th", i, h) for i, h in enumerate(head))
            + "</tr></thead><tbody>"
        )
        for row in rows:
            yield "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
        if total is not None:
            yield (
                '<tr class="total">'
                + "".join(cell("td", i, v) for i, v in enumerate(total))
                + "</tr>"
            )
        yield "</tbody></table></div>"

    def attributes(self, attributes: dict[str, Any], skip: tuple[str, ...] = ()) -> str:
        return "; ".join(
            f"{_e(k)}: {_e(show_value(v))}"
            for k, v in attributes.items()
            if k not in skip and v not in (None, "")
        )

    def context(self, c: Context, label: str) -> str:
        return (
            f'<span class="ctx">{_e(c.before)}</span>'
            f"{self.mark_text(_flat(c.text), frozenset({label}))}"
            f'<span class="ctx">{_e(c.after)}</span>'
        )

    def mark_text(self, text: str, labels: frozenset[str]) -> str:
        """A quoted span highlighted outside the article: not a <mark>, so that every <mark>
        in the file is a piece of an article listing its annotations."""
        return f'<span class="hl" style="background:{self.background(labels)}">{_e(text)}</span>'

    def background(self, labels: frozenset[str]) -> str:
        return highlight([self.colors.get(n, NEUTRAL) for n in sorted(labels)])

    def label_class(self, labels: frozenset[str]) -> str:
        name = self.classes.get(labels)
        if name is None:
            name = self.classes[labels] = f"h{len(self.classes)}"
        return name

    # --- the article ----------------------------------------------------------------------

    def article(self, d: DocumentReport) -> str:
        """The text, whole; its first line in a ``span.headline`` when it is the title, and
        each line that starts right-to-left in a ``div dir="rtl"`` (with its line break)."""
        text = d.document.text
        # (position, order, markup): at one position, what closes comes before what opens
        events = [(start, 1, RTL_OPEN) for start, _ in right_to_left_lines(text)]
        events += [(end, 0, "</div>") for _, end in right_to_left_lines(text)]
        if d.headline:
            events += [(0, 2, HEADLINE_OPEN), (d.headline, -1, "</span>")]
        events.sort()
        out: list[str] = ['<div class="article">']
        append = out.append
        position = 0
        next_event = 0
        in_head = False

        def text_to(limit: int) -> None:
            nonlocal position, next_event, in_head
            while next_event < len(events) and events[next_event][0] <= limit:
                at, _, markup = events[next_event]
                if at > position:
                    append(self.between(text[position:at], in_head))
                    position = at
                append(markup)
                in_head = markup == HEADLINE_OPEN or (in_head and markup != "</span>")
                next_event += 1
            if limit > position:
                append(self.between(text[position:limit], in_head))
                position = limit

        for m in _split_at(d.marks, sorted({at for at, _, _ in events})):
            text_to(m.start)
            css = self.label_class(m.labels) + (" o" if len(m.ids) > 1 else "")
            number = f' data-n="{",".join(map(str, m.closes))}"' if m.closes else ""
            append(
                f'<mark class="{css}" data-annotations="{_e(" ".join(m.ids))}"{number} '
                f'title="{_e(", ".join(sorted(m.labels)))}">{_e(text[m.start : m.end])}</mark>'
            )
            position = m.end
        text_to(len(text))
        append("</div>")
        return "".join(out)

    def between(self, text: str, in_head: bool) -> str:
        """Article text outside the marks; for the PDF, a cut may fall after each line break
        (not in the headline)."""
        if not self.cut or in_head:
            return _e(text)
        return _e(text).replace("\n", "\n" + self.cut)

    def notes(self, d: DocumentReport) -> str:
        if not d.annotations:
            return ""
        items = []
        for n, a in enumerate(d.annotations, 1):
            attrs = self.attributes(a.attributes)
            extra = [f'<span class="attrs">{attrs}</span>'] if attrs else []
            if a.note:
                extra.append(f'<span class="note">{_e(_flat(a.note))}</span>')
            if a.annotator:
                extra.append(f'<span class="who">— {_e(a.annotator)}</span>')
            value = f' value="{n}"'
            items.append(
                f"<li{value}>{self.chip(a.label)}<span class='lab'>{_e(a.label)}"
                f"</span> <span class='q'>{_e(quoted(_flat(a.text, QUOTE)))}</span>"
                + ("" if not extra else " · " + " · ".join(extra))
                + "</li>"
            )
        return f'<h4>Notes</h4><ol class="notes">{self.cut.join(items)}</ol>'

    def legend(self, d: DocumentReport) -> str:
        items = [
            f"<span>{self.chip(label.name)}{_e(label.name)} "
            f"<span class='dim'>{d.counts.get(label.name, 0):,}</span></span>"
            for label in self.r.labels
            if d.counts.get(label.name)
        ]
        if not items:
            return '<p class="empty">No annotations chosen in this document.</p>'
        return (
            '<p class="legend">' + " &nbsp; ".join(items) + "</p>"
            if self.qt
            else '<div class="legend">' + "".join(items) + "</div>"
        )

    def meta_rows(self, d: DocumentReport) -> list[tuple[str, str]]:
        """The source's file name or URL; with ``details``, the desk's own records too: the
        whole path, status, date added, length and what the importer read from the file."""
        doc = d.document
        if not self.r.options.details:
            return [("Source", source_name(doc.source))] if doc.source else []
        rows = [
            ("Source", doc.source),
            ("Status", str(doc.status)),
            ("Added", doc.created[:10]),
            ("Length", f"{len(doc.text):,} characters"),
        ]
        rows += [
            (str(k).replace("_", " ").capitalize(), show_value(v))
            for k, v in doc.metadata.items()
            if v not in (None, "", [], {})
        ]
        return [(k, v) for k, v in rows if v]

    def meta(self, d: DocumentReport) -> str:
        rows = self.meta_rows(d)
        if not rows:
            return ""
        if self.qt:
            return (
                '<p class="meta">' + " · ".join(f"<b>{_e(k)}</b> {_e(v)}" for k, v in rows) + "</p>"
            )
        return (
            '<dl class="meta">'
            + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
            + "</dl>"
        )

    # --- sections -------------------------------------------------------------------------

    def document(self, index: int, d: DocumentReport) -> str:
        title = d.document.title or "Untitled"
        # The headline is the article's first line when it is the title: shown there, once.
        heading = "" if d.headline else f"<h2>{_e(title)}</h2>"
        css = "document break" if self.r.options.page_break_per_article else "document"
        # The source and the colours' key follow the article, as a byline and above the notes.
        return (
            f'<section class="{css}" id="doc-{index}">{heading}'
            f"{self.article(d)}{self.meta(d)}{self.legend(d)}{self.notes(d)}</section>"
        )

    def claims(self) -> Iterator[str]:
        """The claims table, a row at a time (nothing without a claim label)."""
        label = self.r.claim_label
        if label is None:
            return
        rows: list[ClaimRow] = self.r.claims
        yield '<section class="part" id="claims"><h2>Claims</h2>'
        if not rows:
            yield f'<p class="empty">No {_e(label.name)} annotations.</p></section>'
            return
        several = len(self.r.documents) > 1
        # A column no claim fills is left out (a reader would only wonder about it).
        shown = (
            any(row.claimant for row in rows),
            any(row.rationale for row in rows),
            any(row.evidence for row in rows),
        )
        head = [
            "#",
            *(["Document"] if several else []),
            "Claim, in its sentence",
            *(["Claimant"] if shown[0] else []),
            "Verdict",
            *(["Rationale"] if shown[1] else []),
            *(["Evidence"] if shown[2] else []),
        ]
        yield from self.table_parts(head, self._claim_rows(*shown), numeric={0})
        yield "</section>"

    def _claim_rows(
        self, with_claimant: bool, with_rationale: bool, with_links: bool
    ) -> Iterator[list[str]]:
        """One row per claim: who made it, the verdict, why, and the evidence linked to it —
        with the ClaimReview export, the fact-check a desk publishes."""
        several = len(self.r.documents) > 1
        for row in self.r.claims:
            a = row.annotation
            claimant = _e(row.claimant)
            if row.claimant_number:
                claimant += f' <span class="dim">#{row.claimant_number}</span>'
            verdict = f'<span class="verdict">{_e(row.verdict)}</span>' if row.verdict else ""
            yield [
                str(row.number),
                *([_e(_short(row.document.document.title))] if several else []),
                self.context(row.sentence, a.label),
                *([claimant] if with_claimant else []),
                verdict,
                *([_e(row.rationale)] if with_rationale else []),
                *([self.linked(row)] if with_links else []),
            ]

    def linked(self, row: ClaimRow) -> str:
        """The evidence of a claim: the relation, the other end's note number and its words
        (a quote as evidence for the claim)."""
        return "<br>".join(
            f"{_e(kind)} <b>#{number}</b> "
            + self.mark_text(_short(_flat(a.text)), frozenset({a.label}))
            for kind, number, a in row.evidence
        )

    def coded(self) -> Iterator[str]:
        """The coded segments by label, then document, a segment at a time."""
        yield '<section class="part" id="coded"><h2>Coded segments</h2>'
        several = len(self.r.documents) > 1
        for label, segments in self.r.coded:
            yield (
                f"<h3>{self.chip(label.name)}{_e(label.name)} "
                f"<span class='dim'>({len(segments):,})</span></h3>"
            )
            if not segments:
                yield '<p class="empty">No segments.</p>'
                continue
            current = None
            for s in segments:
                if several and s.document is not current:
                    if current is not None:
                        yield "</ul>"
                    current = s.document
                    yield f"<h4>{_e(s.document.document.title or 'Untitled')}</h4>"
                    yield '<ul class="segments">'
                elif current is None:
                    current = s.document
                    yield '<ul class="segments">'
                yield self._segment(s)
            yield "</ul>"
        yield "</section>"

    def _segment(self, s: CodedSegment) -> str:
        a = s.annotation
        ref = f"#{s.number}"
        if a.annotator:
            ref += f" · {_e(a.annotator)}"
        attrs = self.attributes(a.attributes)  # escaped already
        if attrs:
            ref += f" · {attrs}"
        return f'<li>{self.context(s.context, a.label)} <span class="ref">{ref}</span></li>'

    def counts(self) -> str:
        return f'<section class="part" id="counts"><h2>Counts</h2>{self.counts_body()}</section>'

    def counts_body(self) -> str:
        r = self.r
        out: list[str] = []
        head = ["Document", *[_e(label.name) for label in r.labels], "All"]
        numeric = set(range(1, len(head)))
        rows = [
            [
                _e(_short(d.document.title or "Untitled")),
                *[f"{d.counts.get(label.name, 0):,}" for label in r.labels],
                f"{sum(d.counts.values()):,}",
            ]
            for d in r.documents
        ]
        totals = [
            "All documents",
            *[f"{sum(d.counts.get(label.name, 0) for d in r.documents):,}" for label in r.labels],
            f"{sum(sum(d.counts.values()) for d in r.documents):,}",
        ]
        out.append("<h3>Labels per document</h3>")
        out.append(self.table(head, rows, numeric, totals if len(r.documents) > 1 else None))
        out.append(
            self.chart(
                "counts.svg",
                report_svg.counts_chart(r),
                "Spans per label" + (", by document" if len(r.documents) > 1 else ""),
            )
        )
        if r.several_annotators:
            out.append("<h3>Annotators</h3>")
            head = ["Annotator", *[_e(label.name) for label in r.labels], "All"]
            rows = [
                [
                    _e(name),
                    *[f"{c.get(label.name, 0):,}" for label in r.labels],
                    f"{sum(c.values()):,}",
                ]
                for name, c in r.annotator_counts.items()
            ]
            out.append(self.table(head, rows, set(range(1, len(head)))))
            out.append(
                self.chart(
                    "annotators.svg",
                    report_svg.annotators_chart(r),
                    "Spans per annotator, coloured by label",
                )
            )
        return "".join(out)

    def agreement_section(self, agreement: dict[str, Any]) -> str:
        return (
            f'<section class="part" id="agreement"><h2>Agreement</h2>'
            f"{self.agreement(agreement)}</section>"
        )

    def agreement(self, agreement: dict[str, Any]) -> str:
        out = []
        annotators = agreement.get("annotators") or []
        documents = agreement.get("documents")
        out.append(
            f'<p class="dim">Between {_e(", ".join(map(str, annotators)) or "—")}'
            + (f", over {_e(documents)} documents" if documents is not None else "")
            + ".</p>"
        )
        head = ["", "α", "κ", "F1 exact", "F1 overlap", "Spans"]
        rows = []
        overall = agreement.get("overall") or {}
        rows.append(["<b>Overall</b>", *[_figure(overall.get(m)) for m in METRICS], ""])
        for name, figures in (agreement.get("labels") or {}).items():
            figures = figures or {}
            spans = figures.get("spans") or {}
            rows.append(
                [
                    f"{self.chip(str(name))}{_e(name)}",
                    *[_figure(figures.get(m)) for m in METRICS],
                    _e(", ".join(f"{k} {v}" for k, v in spans.items())),
                ]
            )
        out.append(self.table(head, rows, {1, 2, 3, 4}))
        pairs = agreement.get("pairs") or []
        if pairs:
            out.append("<h4>Pairs</h4>")
            out.append(
                self.table(
                    ["Annotators", "α", "κ", "F1 exact", "F1 overlap"],
                    [
                        [
                            _e(" × ".join(map(str, p.get("annotators") or []))),
                            *[_figure(p.get(m)) for m in METRICS],
                        ]
                        for p in pairs
                    ],
                    {1, 2, 3, 4},
                )
            )
        out.append(
            self.chart(
                "agreement.svg",
                report_svg.agreement_chart(agreement),
                "Agreement by label: Krippendorff's α, κ, and F1 of exact and overlapping spans",
            )
        )
        return "".join(out)

    # --- the page -------------------------------------------------------------------------

    def page(self) -> Iterator[str]:
        """The whole file in parts, each written out before the next is made: no more than one
        document's markup (or one table row, or one segment) is held at a time."""
        r = self.r
        created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        spans = sum(len(d.annotations) for d in r.documents)
        lede = (
            f"{len(r.documents):,} document{'s' if len(r.documents) != 1 else ''} · "
            f"{spans:,} annotation{'s' if spans != 1 else ''} · labels: "
            + (_e(", ".join(label.name for label in r.labels)) or "none")
        )
        if r.options.annotators:
            lede += " · annotators: " + _e(", ".join(r.options.annotators))
        has = r.options.has
        toc = "".join(
            f'<li><a href="#doc-{i}">{_e(_short(d.document.title or "Untitled"))}</a></li>'
            for i, d in enumerate(r.documents, 1)
            if has("articles")
        )
        toc += (
            '<li><a href="#claims">Claims</a></li>'
            if has("claims") and r.claim_label is not None
            else ""
        )
        toc += '<li><a href="#coded">Coded segments</a></li>' if has("coded") else ""
        toc += '<li><a href="#counts">Counts</a></li>' if has("counts") else ""
        with_agreement = has("agreement") and r.agreement is not None
        toc += '<li><a href="#agreement">Agreement</a></li>' if with_agreement else ""
        subtitle = f'<p class="subtitle">{_e(r.subtitle)}</p>' if r.subtitle else ""
        # The style sheet comes first, so every combination of labels gets its class now.
        for d in r.documents if has("articles") else ():
            for m in d.marks:
                self.label_class(m.labels)
        marks = "".join(
            f"mark.{name}{{background:{self.background(labels)}}}"
            for labels, name in self.classes.items()
        )
        yield (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="Annotator">'
            f"<title>{_e(r.title)}</title><style>{CSS}{marks}</style></head><body><main>"
            f'<header><h1>{_e(r.title)}</h1>{subtitle}<p class="lede">{lede}</p>'
            f'<ul class="toc">{toc}</ul></header>'
        )
        if has("articles"):
            for i, d in enumerate(r.documents, 1):
                yield self.document(i, d)
        if has("claims"):
            yield from self.claims()
        if has("coded"):
            yield from self.coded()
        if has("counts"):
            yield self.counts()
        if with_agreement and r.agreement is not None:
            yield self.agreement_section(r.agreement)
        yield f"<footer>Made with Annotator on {created}.</footer></main></body></html>\n"


def _split_at(marks: list[Mark], cuts: list[int]) -> Iterator[Mark]:
    """``marks``, each cut in pieces at the (sorted) positions ``cuts`` inside it (its note
    numbers on the last piece)."""
    for m in marks:
        first = bisect.bisect_right(cuts, m.start)
        if first == len(cuts) or cuts[first] >= m.end:
            yield m
            continue
        start = m.start
        for at in cuts[first:]:
            if at >= m.end:
                break
            yield Mark(start, at, m.ids, m.labels)
            start = at
        yield Mark(start, m.end, m.ids, m.labels, m.closes)


def right_to_left_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line whose first strong character is right-to-left (Hebrew,
    Arabic…), its line break included: such a line is a paragraph of its own direction, which
    WeasyPrint does not find by itself (it ignores ``unicode-bidi: plaintext``)."""
    found: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        for character in line:
            kind = unicodedata.bidirectional(character)
            if kind in _STRONG:
                if kind != "L":
                    found.append((start, min(end + 1, len(text))))
                break
        start = end + 1
    return found


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(report: Report) -> str:
    """The self-contained HTML report."""
    return "".join(HtmlWriter(report, qt=False).page())


def pieces_for_print(report: Report) -> Iterator[str]:
    """The page in pieces marked where it may be cut (see :mod:`annotator.io.html_parts`)."""
    return HtmlWriter(report, qt=False, cuts=True).page()


def write(report: Report, target: Path) -> None:
    """Write the HTML report to ``target`` as it is made, replacing an existing file only once
    complete."""
    check_output_file(target)
    with atomic_text_writer(target) as out:
        for part in HtmlWriter(report, qt=False).page():
            out.write(part)
