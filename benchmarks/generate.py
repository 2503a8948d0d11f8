"""Realistic benchmark projects: news-like paragraphs, emoji sprinkled in, spans of every label
with overlaps. Deterministic for a given seed."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.labels import DEFAULT_LABELS, RelationTypeDef
from annotator.core.model import (
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
    ImportedRelation,
)
from annotator.resources_path import SAMPLE_ARTICLE, resource
from annotator.store.project import Project

EMOJI = ["👍", "🇰🇭", "👨\u200d👩\u200d👧", "🙂", "📰", "e\u0301", "中文"]
_WORD_START = re.compile(r"(?<= )[^ ]")


@dataclass(frozen=True)
class Size:
    name: str
    characters: int
    spans: int

    @property
    def label(self) -> str:
        """E.g. "large (5 MB / 50k spans)"."""
        if self.characters >= 1_000_000:
            chars = f"{self.characters / 1_000_000:g} MB"
        else:
            chars = f"{self.characters / 1000:g} KB"
        spans = f"{self.spans / 1000:g}k" if self.spans >= 1000 else str(self.spans)
        return f"{self.name} ({chars} / {spans} spans)"

    def split(self, parts: int) -> Size:
        """One of ``parts`` equal documents of this size."""
        return Size(f"{self.name}/{parts}", self.characters // parts, self.spans // parts)


SIZES = {
    "small": Size("small", 100_000, 1_000),
    "medium": Size("medium", 1_000_000, 10_000),
    "large": Size("large", 5_000_000, 50_000),
    # issue 25's window with 100k relations: one relation per two spans (bench_relations)
    "huge": Size("huge", 10_000_000, 200_000),
}
SMALLEST = SIZES["small"]
LARGEST = SIZES["large"]


def _paragraphs() -> list[str]:
    text = resource(SAMPLE_ARTICLE).read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if len(p) > 80]


def article_text(characters: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    out: list[str] = []
    total = 0
    while total < characters:
        words = rng.choice(paragraphs).split(" ")
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
        paragraph = " ".join(words)
        out.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(out)[:characters]


def word_spans(text: str, count: int, seed: int = 2) -> list[ImportedAnnotation]:
    """``count`` spans on word boundaries, every label, about one in five overlapping another."""
    rng = random.Random(seed)
    starts = [m.start() for m in _WORD_START.finditer(text)]
    labels = [label.name for label in DEFAULT_LABELS]
    spans: list[ImportedAnnotation] = []
    step = max(1, len(starts) // count)
    for n in range(count):
        index = min(len(starts) - 1, n * step + rng.randrange(step))
        start = starts[index]
        words = rng.randint(1, 6) if n % 5 else rng.randint(8, 14)  # long ones overlap others
        end_index = min(len(starts) - 1, index + words)
        end = starts[end_index] - 1 if end_index > index else start + 1
        while end > start + 1 and not text[end - 1].isalnum():
            end -= 1
        spans.append(ImportedAnnotation(labels[n % len(labels)], start, max(end, start + 1)))
    return spans


def document(size: Size, seed: int = 1) -> ImportedDocument:
    text = article_text(size.characters, seed)
    return ImportedDocument(
        text,
        f"Benchmark article ({size.name}, #{seed})",
        annotations=word_spans(text, size.spans, seed + 1),
    )


def build_project(path: Path, size: Size) -> str:
    """Create ``path`` with one document of ``size``; returns the document id."""
    return build_corpus(path, size, 1)[0]


def build_corpus(path: Path, each: Size, documents: int) -> list[str]:
    """Create ``path`` with ``documents`` different documents of size ``each``; returns ids."""
    bundle = ImportedBundle([document(each, seed) for seed in range(1, documents + 1)])
    with Project.open(path) as project:
        return [added.id for added in project.import_bundle(bundle).added]


RELATED = RelationTypeDef("related", "#e05a5a", description="Any two spans (benchmark)")


def build_related(path: Path, size: Size, related: bool) -> int:
    """Create ``path`` with one document of ``size`` and the type :data:`RELATED`; with
    ``related``, a relation from every other span to the next one (neighbours, as most relations
    in articles are), written by the store's bulk import. Returns how many relations."""
    doc = document(size)
    for n, span in enumerate(doc.annotations):
        span.id = f"span-{n}"
    if related:
        doc.relations = [
            ImportedRelation(RELATED.name, f"span-{n}", f"span-{n + 1}")
            for n in range(0, len(doc.annotations) - 1, 2)
        ]
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([doc], relation_types=[RELATED]))
    return len(doc.relations)


def write_articles(folder: Path, count: int, seed: int = 100) -> list[Path]:
    """``count`` different short news articles (2–6 KB of UTF-8 text) as ``.txt`` files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        text = article_text(rng.randint(2_000, 6_000), seed + n)
        path = folder / f"article-{n:04d}.txt"
        path.write_text(f"Article {n}: {text}\n", encoding="utf-8")
        paths.append(path)
    return paths
