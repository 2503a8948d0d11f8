"""Organisations: names built like organisations, acronyms defined in the text and their later
uses, acronyms spelling the initials of a name found, and names the project already labelled."""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.core.suggest.text_tools import find_names
from annotator.core.suggest.types import Suggestion

SOURCE_NAMES = "detector:organisations"
SOURCE_ACRONYMS = "detector:acronyms"
SOURCE_PROJECT = "project:labelled names"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


HEADS = _word_set("""
Ministry Department Association Center Centre Organization Organisation Bank Mission
International Administration Agency Authority Council Office Commission Committee Foundation
Institute Institution University College Union Society Federation Group Network Secretariat
Programme Program Court Police Army Navy Party Fund Corporation Company Inc Ltd LLC PLC Coalition
Alliance Service Services Bureau Parliament Assembly Board Trust Cross Crescent Watch Forum
Consortium Directorate Inspectorate Tribunal Senate Congress Cabinet Embassy Consulate Chamber
Syndicate Cooperative Partnership Initiative Campaign Institute Laboratory Agency Movement League
""")
# connectors allowed inside a name when a capitalised word follows them
_CONNECTORS = _word_set("of for and the to in on de des du la le sans für et y")
# words that open a sentence or a phrase without being part of the name after them
LEADING_WORDS = _word_set("""
The A An According Its His Her Their Our Your This That These Those Also But And Yet So Then
Neighbouring Neighboring Asked Speaking Following Despite However While When Although Both
Former Acting Deputy Under Outside Inside Meanwhile In On At By For With From To Of As If
""")
_CAPITALISED = re.compile(r"(?<![\w’'])[A-Z](?:[\w&\-]|\.(?=\w))*(?:[’'][sS]?)?")
_GAP = re.compile(
    r"[ \u00a0](?:(?:of|for|and|the|to|in|on|de|des|du|la|le|sans|für|et|y)"
    r"[ \u00a0]){0,2}"
)
_ACRONYM_DEFINITION = re.compile(r"\(\s*(?P<acronym>[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*)\s*\)")
_TOKEN = re.compile(r"\S+")


def name_runs(text: str) -> Iterable[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of capitalised words (with up to two connectors between two of them) on one line,
    as (start, end, word spans); a run breaks at punctuation, at line ends, at "and the", and
    after a possessive head ("State Department’s Office" is two names)."""
    run: list[tuple[int, int]] = []
    previous_end = -1
    for match in _CAPITALISED.finditer(text):
        start = match.start()
        if run:
            gap = _GAP.fullmatch(text, previous_end, start)
            if gap is None or gap.group().split() == ["and", "the"]:
                yield run[0][0], run[-1][1], run
                run = []
            else:
                run.extend(_connectors(gap.start(), gap.group()))
        head, possessive = _possessive(match.group())
        run.append((start, start + len(head)))
        previous_end = match.end()
        if possessive and head in HEADS:
            yield run[0][0], run[-1][1], run
            run = []
    if run:
        yield run[0][0], run[-1][1], run


def _connectors(offset: int, gap: str) -> list[tuple[int, int]]:
    spans = []
    for word in re.finditer(r"\S+", gap):
        spans.append((offset + word.start(), offset + word.end()))
    return spans


def _possessive(word: str) -> tuple[str, bool]:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)], True
    return word, False


def _name_spans(text: str) -> list[tuple[int, int]]:
    found = []
    for _start, _end, spans in name_runs(text):
        words = [text[s:e] for s, e in spans]
        while words and (words[0] in LEADING_WORDS or words[0].lower() in _CONNECTORS):
            words.pop(0)
            spans.pop(0)
        while words and words[-1].lower() in _CONNECTORS:
            words.pop()
            spans.pop()
        if not words or not any(w in HEADS for w in words):
            continue
        start, end = spans[0][0], spans[-1][1]
        if len(words) == 1 and _sentence_initial(text, start):
            continue  # "Department officials said": a capital that only opens a sentence
        found.append((start, end))
    return found


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].rstrip(" “\"'‘«(")
    return not before or before[-1] in ".!?\n:"


def _initials(name: str) -> str:
    return "".join(
        w[0]
        for w in name.replace("-", " ").split()
        if w[0].isupper() and w.lower() not in _CONNECTORS
    )


def _long_form(text: str, paren: int, acronym: str) -> tuple[int, int] | None:
    """Schwartz & Hearst (2003): the words before ``(ACRONYM)`` that spell it."""
    window_start = max(text.rfind("\n", 0, paren) + 1, paren - 12 * (len(acronym) + 5))
    before = text[window_start:paren].rstrip()
    letters = [c.lower() for c in acronym if c.isalnum()]
    s, i = len(letters) - 1, len(before) - 1
    while s >= 0:
        c = letters[s]
        while i >= 0 and (before[i].lower() != c or (s == 0 and i > 0 and before[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = i + 1
    while start > 0 and before[start - 1].isalnum():
        start -= 1
    long_form = before[start:]
    if not long_form[:1].isupper() or len(long_form.split()) > len(letters) + 3:
        return None
    return window_start + start, window_start + len(before)


def words_of(text: str, name: str) -> list[tuple[int, int]]:
    return find_names(text, (name,))


def detect_organisations(
    text: str, label: str = "Organisation", known_names: Iterable[str] = ()
) -> list[Suggestion]:
    """Every organisation-like span; ``known_names`` are names the project labelled already."""
    spans: dict[tuple[int, int], tuple[float, str]] = {}
    names = _name_spans(text)
    for start, end in names:
        spans[(start, end)] = (0.85, SOURCE_NAMES)
    acronyms: set[str] = set()
    for match in _ACRONYM_DEFINITION.finditer(text):
        acronym = match.group("acronym")
        long_form = _long_form(text, match.start(), acronym)
        chunk = next(
            (
                (s, e)
                for s, e in names
                if e == match.start() - 1 or (long_form is not None and e == long_form[1])
            ),
            None,
        )
        if long_form is None and chunk is None:
            continue
        if chunk and (long_form is None or chunk[0] <= long_form[0]):
            long_form = chunk
        assert long_form is not None
        spans[long_form] = (0.9, SOURCE_ACRONYMS)
        acronyms.add(acronym)
        acronyms.add(text[long_form[0] : long_form[1]])
    # an acronym that spells the initials of a name found ("International Justice Mission": IJM)
    initials = {_initials(text[s:e]): text[s:e] for s, e in names if len(_initials(text[s:e])) > 1}
    for match in re.finditer(r"\b[A-Z]{2,6}\b", text):
        if match.group() in initials:
            acronyms.add(match.group())
            acronyms.add(initials[match.group()])
    for span in find_names(text, acronyms):
        spans.setdefault(span, (0.85, SOURCE_ACRONYMS))
    for span in find_names(text, known_names):
        spans[span] = (0.9, SOURCE_PROJECT)
    return [
        Suggestion(label, s, e, score, source, {})
        for (s, e), (score, source) in sorted(spans.items())
    ]
