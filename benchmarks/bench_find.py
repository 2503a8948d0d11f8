"""Find across the corpus and the concordance at corpus scale (issue 29): medians at 10k and
100k documents, each beside a bare baseline in the same run.

    python -m benchmarks.bench_find [10000 100000]

The corpora (``benchmarks/corpus.py``) repeat twenty paragraphs, so most strings are in most
documents: ten more documents mentioning "Kampot" give the index a rare word to narrow to.
Writes ``benchmarks/results-find.md``."""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.service import find
from annotator.store.project import Project
from benchmarks.corpus import cached_corpus

RUNS = 5
RESULTS = Path(__file__).with_name("results-find.md")


def median_ms(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def scan(path: Path, needle: str) -> int:
    """The bare baseline of a find: every text read and searched by SQLite, no index."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT count(*) FROM document_texts WHERE instr(lower(text), ?) > 0",
            (needle.lower(),),
        ).fetchone()[0]


def label_rows(path: Path, label: str) -> int:
    """The bare baseline of the concordance: the label's spans read, with no context."""
    with sqlite3.connect(path) as connection:
        return len(
            connection.execute(
                'SELECT a.id, a.document_id, a.start, a."end", a.text FROM annotations a'
                " JOIN labels l ON l.id = a.label_id WHERE l.name = ?",
                (label,),
            ).fetchall()
        )


def concordance_before(project: Project, label: str, needle: str) -> int:
    """What the concordance did on main for each keystroke: every document's annotations, and
    the text of each document holding the label."""
    rows = 0
    for summary in project.documents():
        spans = [a for a in project.annotations(summary.id) if a.label == label]
        if spans:
            text = project.document(summary.id).text
            rows += sum(needle in a.text.lower() for a in spans) + 0 * len(text)
    return rows


def measure(documents: int, folder: Path) -> list[tuple[str, float, float | None]]:
    path = cached_corpus(documents, folder / f"find-{documents}.annot")
    rows: list[tuple[str, float, float | None]] = []
    with Project.open(path) as project:
        project.import_bundle(
            ImportedBundle(
                [
                    ImportedDocument(f"Floods reached Kampot province, report {n}.", f"K{n}")
                    for n in range(10)
                ]
            )
        )
        rare = median_ms(lambda: list(find(project, "Kampot")))
        rows.append(("find a rare word, every match (10 documents)", rare, None))
        absent = median_ms(lambda: list(find(project, "Battambang")))
        rows.append(
            (
                "find a word no document holds",
                absent,
                median_ms(lambda: scan(path, "Battambang"), 3),
            )
        )
        common = median_ms(lambda: list(find(project, "State Department", limit=100)))
        rows.append(("find a common phrase, first 100 (the CLI's default)", common, None))
        short = median_ms(lambda: list(find(project, "中文", limit=100)))
        rows.append(("find 2 code points (no index), first 100", short, None))
        everything = median_ms(lambda: sum(1 for _ in find(project, "State Department")), 1)
        rows.append(
            (
                "find a common phrase, every match (reads most texts)",
                everything,
                median_ms(lambda: scan(path, "State Department"), 1),
            )
        )
        first_page = median_ms(lambda: project.label_spans("Claim"))
        rows.append(
            (
                "concordance: first page (500) of a label",
                first_page,
                median_ms(lambda: label_rows(path, "Claim"), 3),
            )
        )
        if documents <= 10_000:  # main's way: one read per document, per keystroke
            before = median_ms(lambda: concordance_before(project, "Claim", "camb"), 1)
            rows.append(("concordance before (main): a filter keystroke", before, None))
        keystroke = median_ms(lambda: project.label_spans("Claim", "camb"))
        rows.append(("concordance: a filter keystroke (first page)", keystroke, None))
        last = project.label_spans("Claim")[-1].key
        scroll = median_ms(lambda: project.label_spans("Claim", "", last))
        rows.append(("concordance: the next page as the list scrolls", scroll, None))
    return rows


def main(sizes: list[int]) -> None:
    lines = [
        "# Find across the corpus and the concordance (issue 29)",
        "",
        "Medians of 5 runs (1 for the every-match rows) on the corpora of `benchmarks/corpus.py`,",
        "milliseconds; the baseline is plain `sqlite3` in the same run (a find: every text",
        "scanned with `instr`; the concordance: the label's spans read, no context, no order).",
        "",
        "| what | documents | Annotator | bare baseline |",
        "|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for documents in sizes:
            for what, ms, baseline in measure(documents, Path(folder)):
                base = f"{baseline:,.0f}" if baseline is not None else "–"
                line = f"| {what} | {documents:,} | {ms:,.0f} | {base} |"
                print(line, flush=True)
                lines.append(line)
            (Path(folder) / f"find-{documents}.annot").unlink()
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
