"""The report's charts as inline SVG: label counts, annotators' spans, agreement figures.

Plain SVG 1.1 with a ``viewBox`` (it scales to the page), text in the page's font, no script and
no external reference, so the same markup works inline in HTML and rasterised for print.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from annotator.core.report import Report, safe_color

WIDTH = 640
LABEL_W = 170  # the names' column
VALUE_W = 56  # room for the figure after a bar
ROW = 22
BAR = 14
FONT = "font-family:'Noto Sans','DejaVu Sans',system-ui,sans-serif"
INK, MUTED, RULE = "#1f2328", "#59636e", "#d0d7de"
METRIC_COLORS = {
    "alpha": "#3a6ea5",
    "kappa": "#7aa6d6",
    "f1_exact": "#b5651d",
    "f1_overlap": "#e3a869",
}
METRIC_NAMES = {
    "alpha": "Krippendorff α",
    "kappa": "Cohen/Fleiss κ",
    "f1_exact": "F1 exact",
    "f1_overlap": "F1 overlap",
}


def _svg(height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" style="{FONT};max-width:100%;'
        f'height:auto"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 12,
    color: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts_chart(report: Report) -> str:
    """Horizontal bars: for each document, its spans per label (one scale for all)."""
    documents = report.documents
    labels = report.labels
    peak = max((d.counts.get(label.name, 0) for d in documents for label in labels), default=0)
    scale = (WIDTH - LABEL_W - VALUE_W) / max(peak, 1)
    body: list[str] = []
    y = 4
    grouped = len(documents) > 1
    for document in documents:
        if grouped:
            body.append(
                _text(0, y + 14, _short(document.document.title or "Untitled", 70), weight="600")
            )
            y += ROW
        for label in labels:
            count = document.counts.get(label.name, 0)
            width = count * scale
            body.append(_text(LABEL_W - 8, y + 12, _short(label.name), anchor="end"))
            body.append(
                f'<rect x="{LABEL_W}" y="{y + 2}" width="{width:.1f}" height="{BAR}" '
                f'rx="2" fill="{safe_color(label.color)}"/>'
            )
            body.append(_text(LABEL_W + width + 6, y + 13, f"{count:,}", color=MUTED))
            y += ROW
        y += 6 if grouped else 0
    body.insert(0, f'<line x1="{LABEL_W}" y1="0" x2="{LABEL_W}" y2="{y}" stroke="{RULE}"/>')
    return _svg(y + 4, "Spans per label" + (" and document" if grouped else ""), body)


def annotators_chart(report: Report) -> str:
    """One stacked bar per annotator, coloured by label, with a legend."""
    counts = report.annotator_counts
    peak = max((sum(c.values()) for c in counts.values()), default=0)
    scale = (WIDTH - LABEL_W - VALUE_W) / max(peak, 1)
    body: list[str] = []
    y = 4
    for name, by_label in counts.items():
        body.append(_text(LABEL_W - 8, y + 12, _short(name), anchor="end"))
        x = float(LABEL_W)
        for label in report.labels:
            width = by_label.get(label.name, 0) * scale
            if width:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" '
                    f'height="{BAR}" fill="{safe_color(label.color)}"><title>{escape(label.name)}: '
                    f"{by_label[label.name]:,}</title></rect>"
                )
                x += width
        body.append(_text(x + 6, y + 13, f"{sum(by_label.values()):,}", color=MUTED))
        y += ROW
    y = _legend(body, y + 6, [(label.name, label.color) for label in report.labels])
    return _svg(y, "Spans per annotator, by label", body)


def _legend(body: list[str], y: int, items: Sequence[tuple[str, str]]) -> int:
    x = 0.0
    for name, color in items:
        width = 22 + 7 * len(_short(name, 22))
        if x + width > WIDTH:
            x, y = 0.0, y + ROW
        body.append(
            f'<rect x="{x:.1f}" y="{y + 3}" width="12" height="12" rx="2" '
            f'fill="{safe_color(color)}"/>'
        )
        body.append(_text(x + 17, y + 13, _short(name, 22), size=11, color=MUTED))
        x += width + 10
    return y + ROW


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def agreement_chart(agreement: dict[str, object]) -> str:
    """Grouped bars per label (and overall): alpha, kappa, F1 exact, F1 overlap on -1..1 or
    0..1; a missing figure (null) is written as "n/a"."""
    rows: list[tuple[str, dict[str, object]]] = []
    overall = agreement.get("overall")
    if isinstance(overall, dict):
        rows.append(("Overall", overall))
    labels = agreement.get("labels")
    if isinstance(labels, dict):
        rows.extend(
            (str(name), figures) for name, figures in labels.items() if isinstance(figures, dict)
        )
    values = [_number(figures.get(m)) for _, figures in rows for m in METRIC_COLORS]
    low = min([0.0, *(v for v in values if v is not None)])
    low = -1.0 if low < 0 else 0.0
    span = WIDTH - LABEL_W - VALUE_W
    zero = LABEL_W + span * (0 - low) / (1 - low)
    body: list[str] = []
    y = 4
    bar = 9
    for name, figures in rows:
        top = y
        for metric, color in METRIC_COLORS.items():
            value = _number(figures.get(metric))
            if value is None:
                body.append(_text(zero + 4, y + 8, "n/a", size=9, color=MUTED))
            else:
                end = LABEL_W + span * (max(low, min(1.0, value)) - low) / (1 - low)
                x, width = min(zero, end), abs(end - zero)
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar}" '
                    f'fill="{color}"><title>{METRIC_NAMES[metric]}: {value:.3f}'
                    "</title></rect>"
                )
                body.append(_text(max(zero, end) + 4, y + 8, f"{value:.2f}", size=9, color=MUTED))
            y += bar + 1
        body.append(
            _text(
                LABEL_W - 8,
                (top + y) / 2 + 4,
                _short(name),
                anchor="end",
                weight="600" if name == "Overall" and top == 4 else "normal",
            )
        )
        y += 8
    body.insert(0, f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{y}" stroke="{RULE}"/>')
    for tick in (low, 0.5 * (low + 1), 1.0):
        x = LABEL_W + span * (tick - low) / (1 - low)
        body.append(_text(x, y + 10, f"{tick:g}", anchor="middle", size=10, color=MUTED))
    y = _legend(body, y + 18, [(METRIC_NAMES[m], c) for m, c in METRIC_COLORS.items()])
    return _svg(y, "Agreement by label", body)
