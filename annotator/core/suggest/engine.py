"""All suggesters over one text, merged: no duplicate of an existing annotation, nothing the user
rejected for that range, no two suggestions of one label for the same words."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.suggest.claims import detect_claims
from annotator.core.suggest.learner import SpanModel
from annotator.core.suggest.organisations import SOURCE_PROJECT, detect_organisations
from annotator.core.suggest.patterns import Pattern, match_patterns
from annotator.core.suggest.quotes import detect_quotes
from annotator.core.suggest.text_tools import find_names
from annotator.core.suggest.tiers import detect_tiers
from annotator.core.suggest.types import DETECTOR_LABELS, Suggestion

Key = tuple[str, int, int]  # label, start, end
MAX_KNOWN_NAME = 80  # longer labelled strings are passages, not names to look for again


@dataclass(frozen=True)
class SuggestionSources:
    """What the suggesters know of the project besides the text."""

    labels: Sequence[str]  # the codebook's label names, in order
    known_names: Mapping[str, Collection[str]] = field(default_factory=dict)  # label -> strings
    patterns: Sequence[Pattern] = ()
    model: SpanModel | None = None


def detector_label(detector: str, labels: Sequence[str]) -> str | None:
    """The codebook label a built-in detector fills, or None when the codebook has none."""
    return next((name for name in DETECTOR_LABELS[detector] if name in labels), None)


def suggest(
    text: str,
    sources: SuggestionSources,
    *,
    existing: Iterable[Key] = (),
    rejected: Collection[Key] = (),
    only: Collection[str] | None = None,
    too_slow: list[Pattern] | None = None,
) -> list[Suggestion]:
    """Suggestions for ``text`` in text order (code points, end exclusive); the patterns given
    up on as too slow for it are added to ``too_slow``."""
    labels = [name for name in sources.labels if only is None or name in only]
    found: list[Suggestion] = []
    quote = detector_label("quotes", labels)
    tier = detector_label("tiers", labels)
    organisation = detector_label("organisations", labels)
    claim = detector_label("claims", labels)
    if quote:
        found += detect_quotes(text, quote)
    if tier:
        found += detect_tiers(text, tier)
    if organisation:
        found += detect_organisations(text, organisation, sources.known_names.get(organisation, ()))
    if claim:
        found += detect_claims(text, claim)
    for label, names in sources.known_names.items():
        if label in labels and label not in (organisation, quote, claim):
            short = [name for name in names if 0 < len(name) <= MAX_KNOWN_NAME]
            found += [
                Suggestion(label, s, e, 0.9, SOURCE_PROJECT, {}) for s, e in find_names(text, short)
            ]
    found += match_patterns(text, [p for p in sources.patterns if p.label in labels], too_slow)
    if sources.model is not None:
        found += sources.model.predict(
            text, [name for name in labels if name not in (quote, claim)]
        )
    return merge(found, existing, rejected)


def merge(
    found: Iterable[Suggestion], existing: Iterable[Key] = (), rejected: Collection[Key] = ()
) -> list[Suggestion]:
    """One suggestion per label and range (the best score, its attributes kept); none that an
    annotation of the same label already covers or overlaps; none rejected; and none inside a
    longer suggestion of its label."""
    best: dict[Key, Suggestion] = {}
    for s in found:
        if s.end <= s.start or s.key in rejected:
            continue
        held = best.get(s.key)
        if held is None or s.score > held.score:
            attributes = s.attributes or (held.attributes if held else {})
            best[s.key] = s._replace(attributes=attributes)
    taken: dict[str, list[tuple[int, int]]] = {}
    for label, start, end in existing:
        taken.setdefault(label, []).append((start, end))
    for spans in taken.values():
        spans.sort()
    kept: list[Suggestion] = []
    by_label: dict[str, list[Suggestion]] = {}
    for s in sorted(best.values(), key=lambda s: (s.start, -s.end)):
        if _overlaps_any(taken.get(s.label, ()), s.start, s.end):
            continue
        siblings = by_label.setdefault(s.label, [])
        if siblings and siblings[-1].start <= s.start and s.end <= siblings[-1].end:
            continue  # inside a longer suggestion of the same label
        siblings.append(s)
        kept.append(s)
    return kept


def _overlaps_any(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    from bisect import bisect_left

    index = bisect_left(spans, (end, end))
    return any(s < end and start < e for s, e in spans[max(0, index - 64) : index])


def suggest_positional(
    text: str, sources: SuggestionSources, existing: list[Key], rejected: set[Key]
) -> tuple[list[Suggestion], list[Pattern]]:
    """:func:`suggest` with positional arguments, what a child process is handed; returns the
    suggestions and the patterns given up on as too slow."""
    too_slow: list[Pattern] = []
    found = suggest(text, sources, existing=existing, rejected=rejected, too_slow=too_slow)
    return found, too_slow


def too_slow_message(pattern: Pattern, document: str) -> str:
    """One line for a pattern given up on in one document."""
    shown = pattern.source.split(":", 2)[2]
    return f"the {pattern.label} pattern {shown!r} took too long on {document}; skipped"
