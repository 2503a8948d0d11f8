"""Suggestions as user actions, shared by the CLI and the GUI: suggest, apply, evaluate, and the
patterns file. The suggesters themselves live in :mod:`annotator.core.suggest`."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError, ImportFailed
from annotator.core.file_kinds import check_source
from annotator.core.suggest import learner
from annotator.core.suggest.engine import SuggestionSources, suggest, too_slow_message
from annotator.core.suggest.evaluation import Evaluation, evaluate
from annotator.core.suggest.learner import SpanModel
from annotator.core.suggest.patterns import Pattern, PatternError, parse_jsonl, to_jsonl
from annotator.core.suggest.types import Suggestion
from annotator.io import native_json
from annotator.io.files import atomic_text_writer
from annotator.store import known_names as names
from annotator.store import suggestion_store
from annotator.store.backend import ServerAddress
from annotator.store.known_names import KnownNames as KnownNames  # the window's, kept up
from annotator.store.project import Project
from annotator.store.suggestion_store import SUGGESTED, UnknownLabels

FORMAT = "annotator-suggestions"
VERSION = 1


def sources(
    project: Project,
    model: SpanModel | None = None,
    known_names: dict[str, set[str]] | None = None,
) -> SuggestionSources:
    return SuggestionSources(
        labels=[label.name for label in project.labels()],
        known_names=(suggestion_store.known_names(project) if known_names is None else known_names),
        patterns=suggestion_store.patterns(project),
        model=model,
    )


def train(project: Project, should_stop: Callable[[], bool] = lambda: False) -> SpanModel | None:
    """A model of the project's accepted annotations, or None while there are too few."""
    return learner.train(suggestion_store.training_documents(project), should_stop)


def train_from(location: Path | ServerAddress) -> SpanModel | None:
    """Open the project at ``location`` read-only and learn from it: what the window's child
    process runs, so that the window never reads every text of the project itself."""
    with Project.open(location, create=False, read_only=True) as project:
        return train(project)


def suggest_document(
    project: Project,
    document_id: str,
    *,
    labels: Collection[str] | None = None,
    with_sources: SuggestionSources | None = None,
    too_slow: list[Pattern] | None = None,
) -> list[Suggestion]:
    """What to offer in one document: never an existing annotation's range, never a rejected
    one, never one overlapping an annotation of its label. Patterns given up on as too slow
    for the document are added to ``too_slow``."""
    text = project.document(document_id).text
    existing = [(a.label, a.start, a.end) for a in project.annotations(document_id)]
    return suggest(
        text,
        with_sources or sources(project),
        existing=existing,
        rejected=suggestion_store.rejected(project, document_id),
        only=labels,
        too_slow=too_slow,
    )


def check_labels(project: Project, labels: Sequence[str]) -> None:
    known = {label.name for label in project.labels()}
    unknown = [name for name in labels if name not in known]
    if unknown:
        raise AnnotatorError(project.path, "no label named " + ", ".join(map(repr, unknown)))


def suggestions_json(
    project: Project,
    document_ids: Sequence[str],
    labels: Collection[str] | None,
    model: SpanModel | None,
    notes: list[str] | None = None,
) -> tuple[dict[str, Any], dict[str, list[Suggestion]]]:
    """The ``annotator-suggestions`` JSON, and the suggestions per document; a line for each
    pattern given up on in a document is added to ``notes``."""
    # each document is given the names that may occur in it: looking for every name of a
    # corpus in every document grew with the corpus
    labels_of, prefixes = names.index(names.scan(project))
    shared = sources(project, model, known_names={})
    documents, found = [], {}
    for document_id in document_ids:
        document = project.document(document_id)
        in_it = replace(shared, known_names=names.names_for(document.text, labels_of, prefixes))
        too_slow: list[Pattern] = []
        suggestions = suggest_document(
            project, document_id, labels=labels, with_sources=in_it, too_slow=too_slow
        )
        if notes is not None:
            where = f"document {document.title!r} ({document.id})"
            notes += [too_slow_message(p, where) for p in too_slow]
        found[document_id] = suggestions
        documents.append(
            {
                "id": document.id,
                "title": document.title,
                "suggestions": [
                    {
                        "label": s.label,
                        "start": s.start,
                        "end": s.end,
                        "text": document.text[s.start : s.end],
                        "score": s.score,
                        "source": s.source,
                        "attributes": dict(s.attributes),
                    }
                    for s in suggestions
                ],
            }
        )
    return {"format": FORMAT, "version": VERSION, "documents": documents}, found


def apply(project: Project, found: dict[str, list[Suggestion]]) -> int:
    """Store suggestions as annotations of the layer ``suggested`` (their annotator), one
    transaction per document and label; returns how many were stored."""
    count = 0
    for document_id, suggestions in found.items():
        by_label: dict[tuple[str, str], list[Suggestion]] = {}
        for s in suggestions:
            by_label.setdefault((s.label, json.dumps(s.attributes, sort_keys=True)), []).append(s)
        for (label, _), group in by_label.items():
            project.add_annotations(
                document_id,
                label,
                [(s.start, s.end) for s in group],
                attributes=dict(group[0].attributes),
                annotator=SUGGESTED,
            )
            count += len(group)
    return count


def evaluate_project(
    project: Project,
    gold_path: Path,
    annotator: str | None = None,
) -> tuple[Evaluation, int, int]:
    """Score the project's annotations (only ``annotator``'s, if given) against a native JSON
    file; documents are matched by their text. Returns (scores, matched, gold documents)."""
    check_source(gold_path, error=ImportFailed)  # a FIFO would be waited on forever
    bundle = native_json.read(gold_path)
    by_text = {}
    for summary in project.documents():
        # an importer may have dropped the file's last newline: spans never reach it
        by_text[project.document(summary.id).text.rstrip()] = summary.id
    gold, predicted = {}, {}
    for index, document in enumerate(bundle.documents):
        document_id = by_text.get(document.text.rstrip())
        if document_id is None:
            continue
        key = f"{index}:{document_id}"
        length = len(document.text.rstrip())
        gold[key] = [(a.label, a.start, a.end) for a in document.annotations if a.end <= length]
        predicted[key] = [
            (a.label, a.start, a.end)
            for a in project.annotations(document_id)
            if annotator is None or a.annotator == annotator
        ]
    if not gold:
        raise ImportFailed(
            gold_path,
            "none of its documents is in the project (documents are matched by their text)",
        )
    # only labels the gold speaks of: for any other, nobody said which spans are right
    labels = {label.name for label in bundle.labels} | {
        a.label for d in bundle.documents for a in d.annotations
    }
    return evaluate(gold, predicted, labels), len(gold), len(bundle.documents)


def import_patterns(project: Project, path: Path) -> tuple[int, int]:
    """Add a patterns JSONL file's patterns; returns (added, already present)."""
    check_source(path, error=ImportFailed)  # a FIFO would be waited on forever
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise ImportFailed(path, f"not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise ImportFailed(path, exc.strerror or str(exc)) from exc
    try:
        patterns = parse_jsonl(lines)
    except PatternError as exc:
        raise ImportFailed(path, str(exc)) from exc
    if not patterns:
        raise ImportFailed(path, "holds no patterns")
    try:
        return suggestion_store.add_patterns(project, patterns)
    except UnknownLabels as exc:
        raise ImportFailed(
            path, f"{exc} (add the labels first, or rename them in the file)"
        ) from exc


def export_patterns(project: Project, path: Path) -> int:
    """Write the project's patterns as JSONL to ``path``; returns how many."""
    patterns = suggestion_store.patterns(project)
    write_patterns(project, path, patterns)
    return len(patterns)


def write_patterns(project: Project, path: Path, patterns: Sequence[Pattern]) -> None:
    """Write ``patterns`` as JSONL to ``path``, through the one check of every output of an open
    project (never onto the project, its companions, a link or a FIFO) and never half a file."""
    from annotator.service import check_output_target  # the service imports much; only now

    check_output_target(project, path)
    with atomic_text_writer(path) as out:
        out.write(to_jsonl(patterns))
