"""Patterns the user writes: exact phrases, regular expressions and spaCy token patterns.

They travel as the patterns JSONL that Prodigy and spaCy's EntityRuler read, one object a line:
``{"label": "ORG", "pattern": "World Bank"}`` (a phrase) or
``{"label": "ORG", "pattern": [{"LOWER": "world"}, {"LOWER": "bank"}]}`` (token patterns, spaCy
Matcher syntax). A regular expression, which those tools lack, is written
``{"label": "ORG", "pattern": "\\\\bMinistry of \\\\w+", "kind": "regex"}``: they read its
``pattern`` as a phrase that will not occur, so the file stays loadable there.

Regular expressions run with the ``regex`` module (``regex.V0``: the semantics of ``re``) and a
time limit per document: a catastrophic pattern such as ``(a+)+$`` is stopped and reported,
never left to run for minutes. The most obvious of them, a quantified group holding nothing
but one quantified item, is refused when the pattern is made.

Token patterns need spaCy (``optional_packages.install_hint`` says how to install it); without
it they are kept and exported but match nothing, and :func:`token_patterns_available` says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from annotator.core.json_input import NotJson, loads
from annotator.core.suggest.types import Suggestion

KINDS = ("phrase", "regex", "tokens")
MAX_PATTERN_LENGTH = 2000
#: Seconds one regular expression may spend on one document before it is given up.
PATTERN_TIMEOUT = 2.0
# A group holding only one quantified item, itself quantified: (a+)+, (?:\w*)*, ([ab]+){2,}.
# Every way of splitting a run between the two quantifiers is tried again when the rest fails.
_NESTED_QUANTIFIERS = re.compile(
    r"\((?:\?(?::|P?<\w+>))?(?:\\.|\[(?:\\.|[^\]\\])+\]|[^()\\|])[+*]\??\)(?:[+*]|\{\d*,)"
)


class PatternError(ValueError):
    """A pattern that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Pattern:
    label: str
    kind: str  # one of KINDS
    pattern: str | list[dict[str, Any]]
    id: int | None = None

    @property
    def source(self) -> str:
        shown = (
            self.pattern
            if isinstance(self.pattern, str)
            else json.dumps(self.pattern, ensure_ascii=False)
        )
        return f"pattern:{self.kind}:{shown[:60]}"

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"label": self.label, "pattern": self.pattern}
        if self.kind == "regex":
            entry["kind"] = "regex"
        return entry


def make_pattern(label: str, kind: str, pattern: Any) -> Pattern:
    """A checked pattern; :class:`PatternError` names what is wrong."""
    if not isinstance(label, str) or not label.strip():
        raise PatternError("a pattern needs a label")
    if kind not in KINDS:
        raise PatternError(f"unknown pattern kind {kind!r} (expected {', '.join(KINDS)})")
    if kind == "tokens":
        if (
            not isinstance(pattern, list)
            or not pattern
            or not all(isinstance(t, dict) for t in pattern)
        ):
            raise PatternError("a token pattern is a non-empty list of objects")
        if len(json.dumps(pattern)) > MAX_PATTERN_LENGTH:
            raise PatternError("the token pattern is too long")
        if token_patterns_available():
            _check_tokens(pattern)
        return Pattern(label, kind, pattern)
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError(f"a {kind} pattern is a non-empty string")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"the {kind} pattern is longer than {MAX_PATTERN_LENGTH} characters")
    if kind == "regex":
        try:
            compiled = compile_regex(pattern)
        except regex.error as exc:
            raise PatternError(f"the regular expression {pattern!r} is invalid ({exc})") from exc
        if compiled.match(""):
            raise PatternError(f"the regular expression {pattern!r} matches empty text")
        nested = _NESTED_QUANTIFIERS.search(pattern)
        if nested:
            raise PatternError(
                f"the regular expression {pattern!r} repeats a repetition ({nested.group()}), "
                "which can take forever on a long text; write it without the outer repetition"
            )
    return Pattern(label, kind, pattern)


def parse_jsonl(lines: Iterable[str]) -> list[Pattern]:
    """Patterns from JSONL lines; :class:`PatternError` names the first bad line."""
    patterns = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"line {number}: not JSON ({exc.msg})") from exc
        except NotJson as exc:
            raise PatternError(f"line {number}: {exc}") from None
        except ValueError:  # Python's limit on integer digits
            raise PatternError(f"line {number}: it holds a number too long to read") from None
        if not isinstance(entry, dict) or "label" not in entry or "pattern" not in entry:
            raise PatternError(f'line {number}: expected {{"label": …, "pattern": …}}')
        raw = entry["pattern"]
        kind = entry.get("kind") or ("tokens" if isinstance(raw, list) else "phrase")
        try:
            patterns.append(make_pattern(entry["label"], kind, raw))
        except PatternError as exc:
            raise PatternError(f"line {number}: {exc}") from exc
    return patterns


def to_jsonl(patterns: Sequence[Pattern]) -> str:
    return "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in patterns)


def token_patterns_available() -> bool:
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


def compile_regex(pattern: str) -> regex.Pattern[str]:
    """A user's regular expression as ``re`` reads it, but one that can be given a time limit."""
    return regex.compile(pattern, flags=regex.V0)


def match_patterns(
    text: str, patterns: Sequence[Pattern], too_slow: list[Pattern] | None = None
) -> list[Suggestion]:
    """The matches of ``patterns`` in ``text``. A regular expression still searching after
    :data:`PATTERN_TIMEOUT` is given up: it finds nothing here, and is added to ``too_slow``."""
    found: list[Suggestion] = []
    tokens = [p for p in patterns if p.kind == "tokens"]
    for p in patterns:
        if p.kind == "phrase":
            assert isinstance(p.pattern, str)
            expression = compile_regex(r"(?<!\w)" + regex.escape(p.pattern) + r"(?!\w)")
        elif p.kind == "regex":
            assert isinstance(p.pattern, str)
            expression = compile_regex(p.pattern)
        else:
            continue
        try:
            spans = [m.span() for m in expression.finditer(text, timeout=PATTERN_TIMEOUT)]
        except TimeoutError:
            if too_slow is not None:
                too_slow.append(p)
            continue
        found += [Suggestion(p.label, s, e, 1.0, p.source, {}) for s, e in spans if e > s]
    if tokens and token_patterns_available():
        found.extend(_match_tokens(text, tokens))
    return found


def _check_tokens(pattern: list[dict[str, Any]]) -> None:
    """spaCy's own validation of a token pattern (only where spaCy is installed)."""
    import spacy
    from spacy.matcher import Matcher

    try:
        Matcher(spacy.blank("xx").vocab, validate=True).add("check", [pattern])
    except (ValueError, KeyError, TypeError) as exc:
        detail = " ".join(str(exc).split())[:160]
        raise PatternError(f"spaCy refuses the token pattern ({detail})") from exc


def _match_tokens(text: str, patterns: Sequence[Pattern]) -> list[Suggestion]:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("xx")
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    matcher = Matcher(nlp.vocab, validate=True)
    for index, p in enumerate(patterns):
        try:
            matcher.add(str(index), [p.pattern])
        except (ValueError, KeyError) as exc:  # spaCy's validation of the pattern
            raise PatternError(f"token pattern {p.source}: {str(exc).splitlines()[0]}") from exc
    doc = nlp.make_doc(text)
    found = []
    for match_id, start, end in matcher(doc):
        p = patterns[int(nlp.vocab.strings[match_id])]
        span = doc[start:end]
        found.append(Suggestion(p.label, span.start_char, span.end_char, 1.0, p.source, {}))
    return found
