"""Merge and agreement over a corpus (issue 29): 1k, 10k, 100k short two-annotator articles.

``python -m benchmarks.bench_team_corpus [SIZE ...] [--repeat N]`` prints, per size, the median
seconds and the peak RSS (each run in a child process of its own) of

- ``merge``: ``service.merge_files`` of a colleague's copy into a fresh copy of the corpus. The
  copy is the corpus changed with the store: a layer ``cy`` (three spans) added to every tenth
  document, one of ben's spans deleted in every seventh (a tombstone), a note added to one of
  ana's spans in every thirteenth (a conflict the copy wins);
- ``bare merge``: plain ``sqlite3`` reading what a merge must read: every row of the copy
  (documents with their text, annotations, tombstones) and the corpus's annotation ids and times;
- ``agreement``: ``service.agreement`` of ana and ben (every label, every figure);
- ``bare agreement``: plain ``sqlite3`` reading the (document, annotator, label, start, end) rows.

The changed copies are kept in ``ANNOTATOR_TEAM_BENCH`` (default ``/tmp/annotator-team-bench``).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import cached_corpus

KEPT = Path(os.environ.get("ANNOTATOR_TEAM_BENCH") or "/tmp/annotator-team-bench")
BATCH = 500


def colleague_copy(documents: int) -> Path:
    """The corpus of ``documents`` as a colleague changed it (built once, then kept)."""
    from annotator.store.project import Project

    KEPT.mkdir(parents=True, exist_ok=True)
    kept = KEPT / f"copy-{documents}.annot"
    if kept.exists():
        return kept
    building = KEPT / f"copy-{documents}.building.annot"
    for leftover in KEPT.glob(f"copy-{documents}.building.annot*"):
        leftover.unlink()
    cached_corpus(documents, building)
    plain = sqlite3.connect(building)
    ordered = [row[0] for row in plain.execute("SELECT id FROM documents ORDER BY position")]
    touched = {d for n, d in enumerate(ordered) if n % 10 == 0 or n % 7 == 0 or n % 13 == 0}
    spans: dict[str, list[tuple[str, str, str, int, int]]] = {}
    for document, id, annotator, label, start, end in plain.execute(
        'SELECT a.document_id, a.id, a.annotator, l.name, a.start, a."end" FROM annotations a '
        "JOIN labels l ON l.id = a.label_id ORDER BY a.document_id, a.start, a.id"
    ):
        if document in touched:
            spans.setdefault(document, []).append((id, annotator, label, start, end))
    plain.close()
    with Project.open(building) as project:
        for first in range(0, len(ordered), BATCH):
            chunk = list(enumerate(ordered))[first : first + BATCH]

            def change(chunk: list[tuple[int, str]] = chunk) -> None:
                doomed = []
                for n, document in chunk:
                    own = spans.get(document, [])
                    ana = [s for s in own if s[1] == "ana"]
                    ben = [s for s in own if s[1] == "ben"]
                    if n % 10 == 0:
                        for _id, _who, label, start, end in ana[:3]:
                            project.add_annotations(document, label, [(start, end)], annotator="cy")
                    if n % 7 == 0 and ben:
                        doomed.append(ben[0][0])
                    if n % 13 == 0 and len(ana) > 1:
                        project.update_annotation(ana[1][0], note="checked")
                if doomed:
                    project.delete_annotations_and_relations(doomed)

            project.together(change)
    building.rename(kept)
    return kept


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(what: str, documents: int) -> dict[str, float]:
    """Run ``what`` once, in this process; seconds and peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = cached_corpus(documents, Path(folder) / "corpus.annot")
        if what == "merge":
            from annotator import service
            from annotator.store.project import Project

            copy = colleague_copy(documents)
            with Project.open(corpus) as project:
                began = time.perf_counter()
                outcomes = service.merge_files(project, [copy])
                seconds = time.perf_counter() - began
            assert outcomes[0].report is not None, outcomes[0].message
        elif what == "bare-merge":
            copy = colleague_copy(documents)
            began = time.perf_counter()
            source = sqlite3.connect(copy)
            for statement in (
                "SELECT d.*, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id",
                "SELECT * FROM annotations",
                "SELECT * FROM annotation_deletions",
            ):
                for _row in source.execute(statement):
                    pass
            target = sqlite3.connect(corpus)
            for _row in target.execute("SELECT id, modified FROM annotations"):
                pass
            seconds = time.perf_counter() - began
        elif what == "agreement":
            from annotator import service
            from annotator.store.project import Project

            with Project.open(corpus) as project:
                began = time.perf_counter()
                figures = service.agreement(project, ["ana", "ben"])
                seconds = time.perf_counter() - began
            assert figures["documents"] == documents
        elif what == "bare-agreement":
            began = time.perf_counter()
            plain = sqlite3.connect(corpus)
            for _row in plain.execute(
                'SELECT a.document_id, a.annotator, l.name, a.start, a."end" '
                "FROM annotations a JOIN labels l ON l.id = a.label_id"
            ):
                pass
            seconds = time.perf_counter() - began
        else:
            raise SystemExit(f"unknown measurement {what!r}")
    return {"seconds": seconds, "rss_mb": _rss_mb()}


def measure(what: str, documents: int, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_team_corpus", "--one", what, str(documents)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(one(argv[1], int(argv[2]))))
        return
    repeat = 3
    if "--repeat" in argv:
        at = argv.index("--repeat")
        repeat = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    print("| what | documents | median s | bare s | ratio | peak RSS MB | bare RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for documents in sizes:
        colleague_copy(documents)
        for what in ("merge", "agreement"):
            app = measure(what, documents, repeat)
            bare = measure(f"bare-{what}", documents, repeat)
            print(
                f"| {what} | {documents:,} | {app['seconds']:.2f} | {bare['seconds']:.2f} | "
                f"{app['seconds'] / bare['seconds']:.1f}× | {app['rss_mb']:.0f} | "
                f"{bare['rss_mb']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
