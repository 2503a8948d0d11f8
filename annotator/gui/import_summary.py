"""One line saying what an import brought in, for the window's message bar (the command line
prints a line per file; the window sums them up)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.service import ImportOutcome, Outcome


def count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def summary_line(outcomes: Sequence[ImportOutcome]) -> str:
    """``Imported 3 documents, 42 annotations from 2 files; 1 skipped (already in the
    project)``, with what was left out and what failed after it."""
    summaries = [o.summary for o in outcomes if o.summary is not None]
    documents = sum(len(s.added) for s in summaries)
    annotations = sum(s.annotation_count for s in summaries)
    files = sum(1 for o in outcomes if o.outcome is Outcome.IMPORTED)
    if documents:
        parts = [
            f"Imported {count(documents, 'document')}, {count(annotations, 'annotation')} "
            f"from {count(files, 'file')}"
        ]
    else:
        parts = ["Nothing new imported"]
    if skipped := sum(len(s.skipped) for s in summaries):
        parts.append(f"{skipped} skipped (already in the project)")
    if duplicates := sum(s.duplicates_skipped for s in summaries):
        parts.append(f"{count(duplicates, 'duplicate annotation')} skipped")
    if failed := sum(1 for o in outcomes if o.outcome is Outcome.ERROR):
        parts.append(f"{count(failed, 'file')} could not be imported")
    return "; ".join(parts) + "."
