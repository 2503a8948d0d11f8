"""A three-annotator team project (no tests here): owners A, B and C label the same three
documents. Most spans they agree on exactly (same label, range, attributes and note), so a
duplicate check that left out the annotator would collapse them; others one of them leaves out,
labels otherwise or cuts a word longer; each also has spans of their own, some with notes.

The spans are drawn once from a fixed seed, so the project (and the QualCoder fixture made
from it, tests/fixtures/interchange/qualcoder/make_fixtures.py) is the same every time."""

from __future__ import annotations

import random
import re

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store.project import Project

TEAM = ("A", "B", "C")
LABELS = ("Claim", "Quote", "Organisation", "Tier rating")

TEXTS = {
    "Cambodia moves up": (
        "Cambodia moved up to Tier 2 in the 2024 Trafficking in Persons report, "
        "the Ministry of Women’s Affairs said on Monday.\n"
        "“We are proud of the work of our police,” said the minister, Ing Kantha Phavi.\n"
        "Licadho and ADHOC said that the courts still let recruiters go free, "
        "and that 1,200 workers 🇰🇭 came back from Thailand without pay."
    ),
    "Thailand stays": (
        "Thailand stayed on the Tier 2 Watch List for the third year.\n"
        "The Labour Rights Promotion Network counted 340 fishermen held at sea, "
        "and the Department of Fisheries said the count was too high.\n"
        "“Inspections doubled since 2022,” a spokesman told reporters in Bangkok; "
        "the International Labour Organization called the figures plausible."
    ),
    "Café owners": (
        "The café\u0301 owners’ association of Phnom Penh said 15 of its members "
        "had hired workers through unlicensed agencies.\n"
        "“Nobody checks the agencies,” said Sok Chea, who runs two cafés.\n"
        "The Ministry of Labour promised an audit by March; Human Rights Watch "
        "said similar audits in 2019 found nothing."
    ),
}

_WORD = re.compile(r"\S+")


def _candidates(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """``count`` different ranges of one to four whole words (trailing punctuation kept)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found: dict[tuple[int, int], None] = {}
    while len(found) < count:
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randrange(4))
        found.setdefault((words[first][0], words[last][1]))
    return list(found)


def team_spans() -> list[tuple[str, str, str, int, int, dict, str]]:
    """(annotator, document title, label, start, end, attributes, note) of every span."""
    rng = random.Random(26)
    spans: list[tuple[str, str, str, int, int, dict, str]] = []
    for title, text in TEXTS.items():
        ranges = _candidates(text, rng, 30)
        shared, own = ranges[:22], ranges[22:]
        for start, end in shared:
            label = rng.choice(LABELS)
            attributes = {"verdict": "unverified"} if label == "Claim" else {}
            roll, who = rng.random(), rng.choice(TEAM)
            for name in TEAM:
                if name != who or roll < 0.6:  # all three agree exactly
                    spans.append((name, title, label, start, end, attributes, ""))
                elif roll < 0.75:
                    continue  # one of them leaves it out
                elif roll < 0.88:  # one of them labels it otherwise
                    other = rng.choice([x for x in LABELS if x != label])
                    spans.append((name, title, other, start, end, {}, "not sure of the label"))
                else:  # one of them takes the next word too
                    longer = _WORD.search(text, end)
                    spans.append(
                        (name, title, label, start, longer.end() if longer else end, {}, "")
                    )
        for n, (start, end) in enumerate(own):
            name = TEAM[n % len(TEAM)]
            note = "checked\nagainst the report" if n % 3 == 0 else ""
            attributes = {"checkworthy": True, "year": 2024} if n % 4 == 1 else {}
            spans.append((name, title, rng.choice(LABELS), start, end, attributes, note))
    return spans


def build_team(project: Project) -> Project:
    """Fill ``project`` with :data:`TEXTS` and :func:`team_spans`."""
    added = project.import_bundle(
        ImportedBundle([ImportedDocument(text, title) for title, text in TEXTS.items()])
    ).added
    ids = {document.title: document.id for document in added}
    for name, title, label, start, end, attributes, note in team_spans():
        project.add_annotation(
            ids[title], label, start, end, attributes=attributes, note=note, annotator=name
        )
    return project


def layers(project: Project) -> dict[str, set[tuple[str, str, int, int]]]:
    """Each annotator's spans as (document title, label, start, end)."""
    titles = {d.id: d.title for d in project.documents()}
    found: dict[str, set[tuple[str, str, int, int]]] = {}
    for a in project.annotations():
        found.setdefault(a.annotator, set()).add((titles[a.document_id], a.label, a.start, a.end))
    return found
