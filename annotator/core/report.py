"""What a report shows, computed once for every renderer (HTML for browsers, PDF for print).

A report covers chosen documents, annotators and labels. Per document it holds the text cut into
*marks*: pieces covered by the same set of annotations, which never nest, so the text of a span
is the concatenation of the marks that list it. Beside that: numbered notes, the claims table,
coded segments with context (grouped by label, then document), label counts per document and,
with several annotators, their span counts and (when given) agreement figures.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from annotator.core.errors import AnnotatorError
from annotator.core.labels import LabelDef
from annotator.core.model import Annotation, Document, Relation

CLAIM_LABEL = "claim"  # compared case-insensitively: the label whose spans fill the claims table
CONTEXT = 40  # code points of context either side of a coded segment
QUOTE = 80  # a note quotes at most this much of its span (the text itself is marked above)
UNNAMED = "(unnamed)"  # how an annotation without an annotator name is counted

# Where a sentence ends: terminal punctuation (Latin, CJK, Arabic, Devanagari) and line breaks.
_SENTENCE_END = re.compile(
    r"[.!?\u2026]+[\"'”’»)\]]*(?=\s+[^\sa-z]|\s*$)|[\u3002\uff01\uff1f\u061f\u06d4\u0964]+|\n"
)


#: The parts a report may hold, in the order it shows them.
SECTIONS = ("articles", "claims", "coded", "counts", "agreement")
SECTION_NAMES = {
    "articles": "Annotated articles",
    "claims": "Claims table",
    "coded": "Coded segments",
    "counts": "Counts",
    "agreement": "Agreement",
}
NOTE = "note"  # the rationale of a claim, unless an attribute is chosen
VERDICTS = ("verdict", "rating")  # claim attributes read as its verdict (the first one set)
SPEAKERS = ("claimant", "speaker")  # claim attributes read as who made it
#: Relation types that name who made a claim (compared case-insensitively): the other end is
#: the claimant; every other relation of a claim is evidence.
SAID_BY = ("said by", "claimed by", "claimant", "speaker", "made by")


@dataclass(frozen=True)
class ReportOptions:
    """Which part of the project a report covers and how it reads; empty means everything.

    Without ``details`` a report is for readers outside the desk: a document's source shows
    as its file name or URL only, and nothing of the desk's (status, the date added, the
    length, the importer's metadata such as a file's encoding or a template's author).
    """

    document_ids: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    title: str = ""  # default: the project's name
    subtitle: str = ""
    sections: tuple[str, ...] = SECTIONS
    details: bool = False
    page_break_per_article: bool = False
    rationale: str = NOTE  # the claim's note, or the name of one of its attributes

    def has(self, section: str) -> bool:
        return section in self.sections


@dataclass(frozen=True, slots=True)  # hundreds of thousands in a big report
class Mark:
    """``text[start:end]``, covered by ``ids`` (in note order); ``closes`` are the note numbers
    of the annotations that end here."""

    start: int
    end: int
    ids: tuple[str, ...]
    labels: frozenset[str]
    closes: tuple[int, ...] = ()


class Context(NamedTuple):
    """A span with a little of the text around it (``…`` where it was cut)."""

    before: str
    text: str
    after: str


@dataclass
class DocumentReport:
    document: Document
    annotations: list[Annotation]  # in text order; note n is annotations[n - 1]
    marks: list[Mark]
    counts: Counter[str]
    relations: list[Relation] = field(default_factory=list)  # between kept annotations only

    @property
    def numbers(self) -> dict[str, int]:
        return {a.id: n for n, a in enumerate(self.annotations, 1)}

    @property
    def headline(self) -> int:
        """Where the article's headline ends when its first line is its title (0: it does not
        start with it): the report shows that line as the heading, not the title twice."""
        text, title = self.document.text, _flat(self.document.title)
        end = text.find("\n")
        end = len(text) if end < 0 else end
        line = _flat(text[:end])
        if title and (line == title or (title.endswith("…") and line.startswith(title[:-1]))):
            return end
        return 0


@dataclass(frozen=True, slots=True)  # hundreds of thousands in a big report
class CodedSegment:
    document: DocumentReport
    number: int
    annotation: Annotation
    context: Context


@dataclass(frozen=True, slots=True)  # hundreds of thousands in a big report
class ClaimRow:
    document: DocumentReport
    number: int
    annotation: Annotation
    sentence: Context
    #: the annotations related to the claim (a quote as evidence for it): type, note number, span
    linked: tuple[tuple[str, int, Annotation], ...] = ()
    #: who made the claim: its speaker attribute, else the other end of a "said by" relation
    claimant: str = ""
    claimant_number: int = 0  # the note number of the claimant's span (0: an attribute)
    verdict: str = ""
    rationale: str = ""  # the note, or the attribute the report's options name

    @property
    def evidence(self) -> tuple[tuple[str, int, Annotation], ...]:
        """The linked annotations other than the claimant."""
        return tuple(
            link
            for link in self.linked
            if not (link[1] == self.claimant_number and link[0].casefold() in SAID_BY)
        )


@dataclass
class Report:
    title: str
    labels: list[LabelDef]  # the chosen labels, in codebook order
    documents: list[DocumentReport]
    claims: list[ClaimRow]
    claim_label: LabelDef | None
    coded: list[tuple[LabelDef, list[CodedSegment]]]  # by label, each in document order
    annotator_counts: dict[str, Counter[str]]  # annotator -> label -> spans
    agreement: dict[str, Any] | None = None
    options: ReportOptions = field(default_factory=ReportOptions)

    @property
    def subtitle(self) -> str:
        return self.options.subtitle

    @property
    def several_annotators(self) -> bool:
        return len(self.annotator_counts) > 1

    def label(self, name: str) -> LabelDef | None:
        return next((label for label in self.labels if label.name == name), None)


def mark_segments(
    annotations: Sequence[Annotation], numbers: dict[str, int] | None = None
) -> list[Mark]:
    """The covered pieces of the text, in order, each with the annotations covering all of it.

    Adjacent pieces differ in their set of annotations; uncovered text gets no mark. Linear in
    the number of boundaries times the overlap depth.
    """
    numbers = numbers if numbers is not None else {a.id: n for n, a in enumerate(annotations, 1)}
    starts: dict[int, list[Annotation]] = {}
    ends: dict[int, list[Annotation]] = {}
    for a in annotations:
        if a.end > a.start:
            starts.setdefault(a.start, []).append(a)
            ends.setdefault(a.end, []).append(a)
    # Starts are visited in note order, so the dict keeps the active ids in note order too.
    active: dict[str, Annotation] = {}
    label_sets: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct set
    marks: list[Mark] = []
    previous = 0
    for position in sorted(starts.keys() | ends.keys()):
        closing = ends.get(position, ())
        if active and position > previous:
            marks.append(
                Mark(
                    previous,
                    position,
                    tuple(active),
                    _one(label_sets, frozenset([a.label for a in active.values()])),
                    tuple([numbers[a.id] for a in closing]),
                )
            )
        for a in closing:
            del active[a.id]
        for a in starts.get(position, ()):
            active[a.id] = a
        previous = position
    return marks


_OPENING = "\"'“‘«»„‚‹›「『"
_CLOSING = "\"'”’»«“‟›‹」』"


def quoted(text: str) -> str:
    """``text`` in quotation marks, adding none where the span holds its own."""
    opening = "" if text[:1] in _OPENING else "“"
    closing = "" if text[-1:] in _CLOSING and (len(text) > 1 or opening) else "”"
    return f"{opening}{text}{closing}"


def _one(known: dict[frozenset[str], frozenset[str]], labels: frozenset[str]) -> frozenset[str]:
    return known.setdefault(labels, labels)


def _flat(text: str) -> str:
    return " ".join(text.split())


def context(text: str, start: int, end: int, width: int = CONTEXT) -> Context:
    """``text[start:end]`` with up to ``width`` code points either side, cut at a space and
    kept within its paragraph."""
    left = max(0, start - width)
    paragraph = text.rfind("\n\n", left, start)
    if paragraph >= 0:
        left = paragraph + 2
    elif left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    right = min(len(text), end + width)
    paragraph = text.find("\n\n", end, right)
    if paragraph >= 0:
        right = paragraph
    elif right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    before = ("…" if left > 0 and text[left - 1] not in "\n" else "") + _flat(text[left:start])
    after = _flat(text[end:right]) + ("…" if right < len(text) and text[right] != "\n" else "")
    if before and text[start - 1 : start].isspace():
        before += " "
    if after and text[end : end + 1].isspace():
        after = " " + after
    return Context(before, text[start:end], after)


class Sentences:
    """Where the sentences of one text end, found once; claims look theirs up by bisection."""

    WINDOW = 2000  # a "sentence" longer than this is cut

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.breaks: list[bool] = []  # the end is a line break (not part of the sentence)
        for match in _SENTENCE_END.finditer(text):
            self.starts.append(match.start())
            self.ends.append(match.end())
            self.breaks.append(match.group() == "\n")

    def around(self, start: int, end: int) -> Context:
        """The sentence(s) holding ``text[start:end]``, split around it."""
        text = self.text
        window = max(0, start - self.WINDOW)
        before_start = bisect_right(self.ends, start) - 1
        left = max(window, self.ends[before_start]) if before_start >= 0 else window
        position = max(start, end - 1)
        limit = min(len(text), end + self.WINDOW)
        found = bisect_left(self.starts, position)
        if found and self.ends[found - 1] > position:  # an end like "..." that starts earlier
            right = self.ends[found - 1]
        elif found < len(self.starts) and self.ends[found] <= limit:
            right = self.starts[found] if self.breaks[found] else self.ends[found]
        else:
            right = limit
        right = max(right, end)
        before, after = text[left:start], text[end:right]
        return Context(
            _flat(before) + (" " if before[-1:].isspace() and before.strip() else ""),
            text[start:end],
            (" " if after[:1].isspace() and after.strip() else "") + _flat(after),
        )


def sentence(text: str, start: int, end: int) -> Context:
    """The sentence(s) holding ``text[start:end]``, split around it."""
    return Sentences(text).around(start, end)


def _choose(wanted: Iterable[str], known: Sequence[str], what: str) -> set[str]:
    chosen = set(wanted)
    unknown = sorted(chosen - set(known))
    if unknown:
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        raise AnnotatorError(
            None, f"unknown {what} {unknown[0]!r} (the project has: {listed or 'none'})"
        )
    return chosen


def build_report(
    labels: Sequence[LabelDef],
    documents: Iterable[
        tuple[Document, list[Annotation]] | tuple[Document, list[Annotation], list[Relation]]
    ],
    options: ReportOptions = ReportOptions(),  # noqa: B008 (frozen, never mutated)
    agreement: dict[str, Any] | None = None,
    name: str = "",
) -> Report:
    """The report of ``documents`` (each with its annotations, and its relations when given) as
    ``options`` narrow it. A claim's row lists the annotations related to it. ``name``: the
    project's, the title when the options give none.

    ``agreement``, when given, is shown as a table and a chart; any figure may be None::

        {"annotators": [...], "documents": N,
         "overall": {"alpha", "kappa", "f1_exact", "f1_overlap"},
         "labels": {"<label>": {"alpha", "kappa", "f1_exact", "f1_overlap",
                                "spans": {"<annotator>": n}}},
         "pairs": [{"annotators": [A, B], "alpha", "kappa", "f1_exact", "f1_overlap"}]}

    Raises :class:`AnnotatorError` naming an unknown document, label or annotator.
    """
    chosen_labels = _choose(options.labels, [label.name for label in labels], "label")
    report_labels = [label for label in labels if not chosen_labels or label.name in chosen_labels]
    wanted_labels = {label.name for label in report_labels}
    wanted_docs = set(options.document_ids)
    wanted_annotators = {name or UNNAMED for name in options.annotators}
    seen_docs: list[str] = []
    seen_annotators: set[str] = set()
    reports: list[DocumentReport] = []
    for document, spans, *more in documents:
        relations: list[Relation] = more[0] if more else []
        seen_docs.append(document.id)
        seen_annotators.update(a.annotator or UNNAMED for a in spans)
        if wanted_docs and document.id not in wanted_docs and document.title not in wanted_docs:
            continue
        kept = [
            a
            for a in spans
            if a.label in wanted_labels
            and (not wanted_annotators or (a.annotator or UNNAMED) in wanted_annotators)
        ]
        kept.sort(key=lambda a: (a.start, a.end))
        numbers = {a.id: n for n, a in enumerate(kept, 1)}
        linked = [r for r in relations if r.source_id in numbers and r.target_id in numbers]
        reports.append(
            DocumentReport(
                document,
                kept,
                mark_segments(kept, numbers),
                Counter(a.label for a in kept),
                linked,
            )
        )
    missing = wanted_docs - set(seen_docs) - {r.document.title for r in reports}
    if missing:
        raise AnnotatorError(
            None,
            f"no document {sorted(missing)[0]!r} in the project "
            "(give its exact title, or its id as in the JSON export)",
        )
    _choose(wanted_annotators, sorted(seen_annotators), "annotator")
    unknown = [s for s in options.sections if s not in SECTIONS]
    if unknown:
        raise AnnotatorError(
            None, f"unknown report section {unknown[0]!r} (choose from {', '.join(SECTIONS)})"
        )
    _check_rationale(options.rationale, report_labels, reports)
    return _assemble(options, report_labels, reports, agreement, name)


def _check_rationale(
    rationale: str, labels: Sequence[LabelDef], reports: Sequence[DocumentReport]
) -> None:
    """Refuse a rationale that is neither the note nor an attribute claims have."""
    claim = next((label for label in labels if label.name.casefold() == CLAIM_LABEL), None)
    if rationale == NOTE or claim is None:
        return
    known = [attribute.name for attribute in claim.attributes]
    for report in reports:
        for a in report.annotations:
            if a.label == claim.name:
                known += [k for k in a.attributes if k not in known]
    if rationale not in known:
        raise AnnotatorError(
            None,
            f"no claim attribute {rationale!r} for the rationale "
            f"(choose {NOTE!r} or one of: {', '.join(known) or 'none'})",
        )


def _assemble(
    options: ReportOptions,
    labels: list[LabelDef],
    documents: list[DocumentReport],
    agreement: dict[str, Any] | None,
    name: str = "",
) -> Report:
    claim_label = next((label for label in labels if label.name.casefold() == CLAIM_LABEL), None)
    claims: list[ClaimRow] = []
    by_label: dict[str, list[CodedSegment]] = {label.name: [] for label in labels}
    annotators: dict[str, Counter[str]] = {}
    for report in documents:
        text = report.document.text
        sentences: Sentences | None = None
        numbers = report.numbers
        by_id = {a.id: a for a in report.annotations}
        links: dict[str, list[tuple[str, int, Annotation]]] = {}
        said: dict[str, tuple[int, Annotation]] = {}  # a span -> who said it (a said-by end)
        for r in report.relations:
            for end, other in ((r.source_id, r.target_id), (r.target_id, r.source_id)):
                links.setdefault(end, []).append((r.type, numbers[other], by_id[other]))
            if r.type.casefold() in SAID_BY:
                said.setdefault(r.source_id, (numbers[r.target_id], by_id[r.target_id]))
        # Spans that say who speaks (a quote with its speaker): a claim inside one is theirs.
        speakers = [
            (a, *_speaker(a, said))
            for a in report.annotations
            if a.id in said or _value(a.attributes, SPEAKERS)
        ]
        coded = options.has("coded")
        for number, a in enumerate(report.annotations, 1):
            if coded:
                segment = CodedSegment(report, number, a, context(text, a.start, a.end))
                by_label[a.label].append(segment)
            if claim_label is not None and a.label == claim_label.name:
                sentences = sentences or Sentences(text)
                claims.append(
                    _claim_row(
                        report,
                        number,
                        a,
                        sentences.around(a.start, a.end),
                        tuple(sorted(links.get(a.id, ()), key=lambda link: link[1])),
                        options.rationale,
                        speakers,
                    )
                )
            counts = annotators.get(a.annotator or UNNAMED)
            if counts is None:  # not setdefault: that would make a Counter per annotation
                counts = annotators[a.annotator or UNNAMED] = Counter()
            counts[a.label] += 1
    title = (
        options.title
        or name
        or (documents[0].document.title if len(documents) == 1 else f"{len(documents)} documents")
    )
    return Report(
        title,
        labels,
        documents,
        claims,
        claim_label,
        [(label, by_label[label.name]) for label in labels],
        dict(sorted(annotators.items())),
        agreement,
        options,
    )


def _claim_row(
    report: DocumentReport,
    number: int,
    a: Annotation,
    in_sentence: Context,
    linked: tuple[tuple[str, int, Annotation], ...],
    rationale: str,
    speakers: Sequence[tuple[Annotation, str, int]] = (),
) -> ClaimRow:
    """A claim with who made it, its verdict and why, read from its attributes and relations.

    The claimant: the claim's own speaker attribute, else the other end of a said-by relation
    of the claim's, else the speaker of the span holding it (the quote it is part of)."""
    claimant, claimant_number = _value(a.attributes, SPEAKERS), 0
    if not claimant:
        said = next((link for link in linked if link[0].casefold() in SAID_BY), None)
        if said is not None:
            claimant, claimant_number = _flat(said[2].text), said[1]
    if not claimant:
        holder = next(
            (
                (name, number)
                for span, name, number in speakers
                if span.id != a.id and span.start <= a.start and a.end <= span.end
            ),
            None,
        )
        if holder is not None:
            claimant, claimant_number = holder
    why = a.note if rationale == NOTE else _value(a.attributes, (rationale,))
    return ClaimRow(
        report,
        number,
        a,
        in_sentence,
        linked,
        claimant,
        claimant_number,
        _value(a.attributes, VERDICTS),
        _flat(why),
    )


def _speaker(a: Annotation, said: dict[str, tuple[int, Annotation]]) -> tuple[str, int]:
    """Who said ``a``: its said-by relation's end (and that span's note number), else its
    speaker attribute (number 0)."""
    if a.id in said:
        number, other = said[a.id]
        return _flat(other.text), number
    return _value(a.attributes, SPEAKERS), 0


def _value(attributes: dict[str, Any], names: Sequence[str]) -> str:
    """The first of ``names`` set in ``attributes`` (any case), as text."""
    folded = {str(k).casefold(): v for k, v in attributes.items()}
    for name in names:
        value = folded.get(name.casefold())
        if value not in (None, "", [], False):
            if value is True:
                return "yes"  # as the notes show a ticked box
            if isinstance(value, list | tuple):
                return ", ".join(map(str, value))
            return str(value)
    return ""


# --- colours, shared by the renderers -------------------------------------------------------

PAGE = (255, 255, 255)
NEUTRAL = "#808080"  # the colour of a label without a usable one
_PLAIN_COLOR = re.compile("#[0-9a-fA-F]{6}")


def safe_color(color: object) -> str:
    """``color`` if it is a plain ``#rrggbb`` (the codebook's format), else a neutral grey.

    Every renderer writes colours into markup, style sheets and Qt formats through this: a
    colour that arrived by a merge or a direct write to a shared database may hold anything
    (a quote and an event handler, ``url(...)`` of a local file), and must never reach the page.
    """
    return color if isinstance(color, str) and _PLAIN_COLOR.fullmatch(color) else NEUTRAL


def _rgb(color: str) -> tuple[int, int, int]:
    value = safe_color(color)
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def blend(colors: Sequence[str], amount: float, base: tuple[int, int, int] = PAGE) -> str:
    """The average of ``colors`` mixed into ``base`` by ``amount`` (0..1): the reader's blend."""
    rgbs = [_rgb(c) for c in colors] or [base]
    mixed = (
        round(base[i] + (sum(c[i] for c in rgbs) / len(rgbs) - base[i]) * amount) for i in range(3)
    )
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def highlight(colors: Sequence[str]) -> str:
    """A highlight's background on a white page: overlaps a little stronger, as in the reader."""
    return _highlight(tuple(colors))


@lru_cache(maxsize=1024)
def _highlight(colors: tuple[str, ...]) -> str:
    return blend(colors, 0.34 + (0.12 if len(colors) > 1 else 0.0))
