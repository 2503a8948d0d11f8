"""Suggestions: how good they are on the gold articles (recall and precision per label, exact
spans), how long suggesting takes over a 1 MB article, and whether label keystrokes stay as fast
while a model of the project learns in the background."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from annotator.core.suggest.engine import SuggestionSources, suggest
from annotator.core.suggest.evaluation import evaluate
from benchmarks.bench_edit import WARMUP, app_edits, phrases
from benchmarks.generate import Size
from benchmarks.harness import Workspace, document_text, elapsed_ms, main_window, qt_app
from benchmarks.rows import Row, Scenario, Target, median

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "suggest"
LABELS = ["Claim", "Quote", "Organisation", "Tier rating"]
TARGETS = {  # label: (recall at least, precision at least), exact spans, a fresh project
    "Quote": (0.90, 0.90),
    "Tier rating": (0.90, None),
    "Organisation": (0.75, 0.80),
}
SUGGEST_TIME = Target(max_value=2000)
_WORD = re.compile(r"\w+")
KEYSTROKE = Target(max_ratio=1.5, max_value=16)


def _gold(name: str) -> list[dict]:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))["documents"]


NAIVE = {  # the baseline: what a one-line regular expression per label finds
    "Quote": re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»"),
    "Tier rating": re.compile(r"Tier [123]"),
    "Organisation": re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+"),
}


def _naive(text: str) -> list[tuple[str, int, int]]:
    return [(label, m.start(), m.end()) for label, rx in NAIVE.items() for m in rx.finditer(text)]


def quality_rows() -> list[Row]:
    """A fresh project's suggestions (built-in detectors only) against the gold articles; the
    baseline is one naive regular expression per label."""
    rows = []
    for name, title in (("dev", "dev"), ("heldout", "held-out")):
        documents = _gold(name)
        gold, predicted, naive = {}, {}, {}
        for d in documents:
            gold[d["id"]] = [(a["label"], a["start"], a["end"]) for a in d["annotations"]]
            predicted[d["id"]] = [s.key for s in suggest(d["text"], SuggestionSources(LABELS))]
            naive[d["id"]] = _naive(d["text"])
        scores = evaluate(gold, predicted, list(TARGETS))
        plain = evaluate(gold, naive, list(TARGETS))
        for label, (want_recall, want_precision) in TARGETS.items():
            exact, loose = scores.exact[label], scores.overlap[label]
            holds = exact.recall >= want_recall and (
                want_precision is None or exact.precision >= want_precision
            )
            wanted = f"target R ≥ {want_recall:.0%}" + (
                f" at P ≥ {want_precision:.0%}" if want_precision else ""
            )
            rows.append(
                Row(
                    f"suggestions, {label}: recall (exact)",
                    f"{title}: {len(documents)} articles, {exact.gold} spans",
                    1,
                    round(exact.recall * 100, 1),
                    unit="%",
                    baseline=round(plain.exact[label].recall * 100, 1),
                    note=f"precision {exact.precision:.1%} (baseline "
                    f"{plain.exact[label].precision:.1%}), F1 {exact.f1:.1%}; overlap R "
                    f"{loose.recall:.1%} P {loose.precision:.1%}; {wanted}: "
                    + ("holds" if holds else "DOES NOT HOLD"),
                )
            )
    rows.append(later_mentions_row())
    return rows


def later_mentions_row() -> Row:
    """Label the first mention of each organisation of the held-out articles, as a person would:
    what share of the later mentions of those names are then suggested?"""
    later = found = fresh = 0
    for d in _gold("heldout"):
        organisations = [a for a in d["annotations"] if a["label"] == "Organisation"]
        first: dict[str, dict] = {}
        for a in organisations:
            first.setdefault(a["text"], a)
        labelled = list(first.values())
        sources = SuggestionSources(LABELS, {"Organisation": set(first)})
        existing = [("Organisation", a["start"], a["end"]) for a in labelled]
        keys = {s.key for s in suggest(d["text"], sources, existing=existing)}
        plain = {s.key for s in suggest(d["text"], SuggestionSources(LABELS))}
        for a in organisations:
            if a is not first[a["text"]]:
                later += 1
                found += ("Organisation", a["start"], a["end"]) in keys
                fresh += ("Organisation", a["start"], a["end"]) in plain
    return Row(
        "later mentions of labelled organisations suggested",
        f"held-out: {later} mentions",
        1,
        round(100 * found / later, 1) if later else 0.0,
        unit="%",
        baseline=round(100 * fresh / later, 1) if later else None,
        note="after labelling each name's first mention; baseline: a fresh project",
    )


def time_rows(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    _document_id, text = document_text(ws.project(size))
    sources = SuggestionSources(LABELS)
    suggest(text, sources)  # warm-up, untimed
    times = [elapsed_ms(lambda: suggest(text, sources)) for _ in range(repeat)]
    words = [elapsed_ms(lambda: _WORD.findall(text)) for _ in range(repeat)]
    count = len(suggest(text, sources))
    return [
        Row(
            "suggest over one article (all built-in detectors)",
            size.label,
            repeat,
            median(times),
            baseline=median(words),
            target=SUGGEST_TIME,
            note=f"{count:,} suggestions; slowest {max(times):,.0f} ms; baseline: one "
            "regular-expression pass over its words",
        )
    ]


def keystroke_rows(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """Label keystrokes with the window idle, then the same while the model trains (and the
    suggestions of the document are recomputed) in the background."""
    path = ws.project(size)
    _document_id, text = document_text(path)
    repeat = repeat * 3 if repeat > 1 else 1  # keystrokes are quick: more of them
    ranges = phrases(text, 2 * (WARMUP + repeat))
    first, second = ranges[: WARMUP + repeat], ranges[WARMUP + repeat :]
    settings = ws.settings()
    settings.setValue("suggestions/show", True)
    with main_window(ws, path, settings) as window:
        controller = window.suggestions
        _wait(lambda: not controller.computing and not controller.trainer.training)
        idle, _ = app_edits(window, first)
        controller.trainer.start()
        started = time.perf_counter()
        busy, _ = app_edits(window, second)
        still = controller.trainer.training
        elapsed = time.perf_counter() - started
        controller.trainer.stop()
        controller.trainer.wait(60)
    return [
        Row(
            "label keystroke while the model trains",
            size.label,
            repeat,
            median(busy[WARMUP:]),
            baseline=median(idle[WARMUP:]),
            target=KEYSTROKE,
            note=f"baseline: the same window idle; slowest {max(busy[WARMUP:]):.1f} ms; "
            f"training {'still running' if still else 'finished'} after the {elapsed:.1f} s "
            "of keystrokes",
        )
    ]


def _wait(done, timeout: float = 300) -> None:  # type: ignore[no-untyped-def]
    app = qt_app()
    limit = time.perf_counter() + timeout
    while not done() and time.perf_counter() < limit:
        app.processEvents()
        time.sleep(0.01)


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    return quality_rows() + time_rows(ws, size, repeat) + keystroke_rows(ws, size, repeat)


SCENARIOS = [Scenario("suggest", run, ("medium",), 5)]
