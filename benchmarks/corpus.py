"""Corpora of many short articles (issue 29): 2–5 KB of news-like text each, about 20 spans a
document over two annotators' layers (``ana`` and ``ben``) that mostly agree, every label.
Deterministic for a given size. Built by the store's own import, in batches so that building
100k documents keeps memory flat (about two minutes here).

``cached_corpus(n)`` builds a corpus once under ``benchmarks/.cache/`` and returns a fresh copy
for the caller to change as it likes."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store.project import Project
from annotator.store.schema import current_version

from .generate import article_text, word_spans

SIZES = (10, 1_000, 10_000, 100_000)
ANNOTATORS = ("ana", "ben")
SPANS_PER_DOCUMENT = 20
BATCH = 1_000
# Worktrees share one cache through ANNOTATOR_BENCH_CACHE: building 100k documents takes minutes.
CACHE = Path(os.environ.get("ANNOTATOR_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")


def corpus_document(seed: int) -> ImportedDocument:
    """Document ``seed``: ana's ten spans, and ben's, who agrees on about seven of them, moves
    one boundary and labels two others differently."""
    rng = random.Random(seed)
    text = article_text(rng.randint(2_000, 5_000), seed)
    spans = word_spans(text, SPANS_PER_DOCUMENT // 2, seed + 1)
    annotations: list[ImportedAnnotation] = []
    for n, span in enumerate(spans):
        annotations.append(ImportedAnnotation(span.label, span.start, span.end, annotator="ana"))
        start, end, label = span.start, span.end, span.label
        if n % 10 == 3:
            end = max(start + 1, end - 2)
        elif n % 10 in (5, 8):
            label = spans[(n + 1) % len(spans)].label
        annotations.append(ImportedAnnotation(label, start, end, annotator="ben"))
    return ImportedDocument(text, f"Article {seed:06d}", annotations=annotations)


def build_corpus(path: Path, documents: int) -> None:
    """Create ``path`` with ``documents`` articles, imported ``BATCH`` at a time."""
    with Project.open(path) as project:
        for first in range(1, documents + 1, BATCH):
            last = min(documents, first + BATCH - 1)
            bundle = ImportedBundle([corpus_document(seed) for seed in range(first, last + 1)])
            project.import_bundle(bundle)


def cached_corpus(documents: int, into: Path) -> Path:
    """A copy at ``into`` of the corpus of ``documents`` articles, built once and kept in
    ``benchmarks/.cache`` (one file, checkpointed)."""
    CACHE.mkdir(exist_ok=True)
    name = f"corpus-{documents}-schema{current_version()}"
    kept = CACHE / f"{name}.annot"
    if not kept.exists():
        building = CACHE / f"{name}.building.annot"
        for leftover in CACHE.glob(f"{name}.building.annot*"):
            leftover.unlink()
        build_corpus(building, documents)
        building.rename(kept)
    shutil.copyfile(kept, into)
    return into


if __name__ == "__main__":
    import sys
    import tempfile
    import time

    for size in [int(arg) for arg in sys.argv[1:]] or SIZES:
        began = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            cached_corpus(size, Path(folder) / "copy.annot")
        print(f"{size} documents: {time.perf_counter() - began:.1f} s", flush=True)
