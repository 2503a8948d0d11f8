"""One function per user action; the CLI and the GUI both call these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, Document
from annotator.io import native_json
from annotator.io.detect import read_file
from annotator.io.registry import ExportData, ExportOptions, ExportReport, exporter
from annotator.store.importing import ImportSummary
from annotator.store.project import Project


class Outcome(StrEnum):
    IMPORTED = "imported"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass
class ImportOutcome:
    path: Path
    outcome: Outcome
    message: str
    summary: ImportSummary | None = None


def import_file(project: Project, path: Path) -> ImportOutcome:
    """Import one file in one transaction: all of it, or nothing."""
    try:
        bundle = read_file(path)
        summary = project.import_bundle(bundle)
    except AnnotatorError as exc:
        return ImportOutcome(path, Outcome.ERROR, str(exc))
    except ValueError as exc:  # a reader produced spans the store refuses
        return ImportOutcome(path, Outcome.ERROR, f"{path}: {exc}")
    message = describe_import(path, summary)
    units = sorted(
        {str(d.metadata["positions"]) for d in bundle.documents if d.metadata.get("positions")}
    )
    if units:  # e.g. a QDPX file: say how its positions were read
        message += "; positions read as " + " / ".join(units)
    return ImportOutcome(
        path, Outcome.IMPORTED if summary.added else Outcome.SKIPPED, message, summary
    )


def import_files(
    project: Project,
    paths: Sequence[Path],
    progress: Callable[[int, ImportOutcome], bool | None] | None = None,
) -> list[ImportOutcome]:
    """Import each file in its own transaction. ``progress`` returning False stops early:
    what finished stays, nothing is half-done."""
    outcomes = []
    for index, path in enumerate(paths):
        outcome = import_file(project, Path(path))
        outcomes.append(outcome)
        if progress is not None and progress(index, outcome) is False:
            break
    return outcomes


def describe_import(path: Path, summary: ImportSummary) -> str:
    parts = []
    for added in summary.added:
        spans = f", {added.annotations} annotations" if added.annotations else ""
        parts.append(f"{added.title!r}{spans}")
    for skipped in summary.skipped:
        parts.append(
            f"{skipped.title!r} skipped: the same text is already in the project as "
            f"{skipped.existing_title!r}"
        )
    if summary.labels_created and not summary.codebook_replaced:
        parts.append("new labels: " + ", ".join(summary.labels_created))
    if summary.codebook_replaced:
        parts.append("labels taken from the file")
    return f"{path}: " + "; ".join(parts)


def documents_with_annotations(project: Project) -> Iterator[tuple[Document, list[Annotation]]]:
    """Each document with its annotations, one document in memory at a time."""
    for summary in project.documents():
        yield project.document(summary.id), project.annotations(summary.id)


def export_data(project: Project) -> ExportData:
    return ExportData(project.labels(), documents_with_annotations(project))


def export_project(project: Project, out: IO[str]) -> None:
    """The project JSON, to a text stream (standard output, or a string in tests)."""
    native_json.write_project(out, project.labels(), documents_with_annotations(project))


def export_to(
    project: Project, fmt: str, target: Path, options: ExportOptions | None = None
) -> ExportReport:
    """Write ``project`` as ``fmt`` to a file (or folder, for formats that need one)."""
    return exporter(fmt).export(export_data(project), target, options or ExportOptions())


def info_lines(project: Project) -> Iterable[str]:
    meta = project.meta()
    documents = project.documents()
    counts = project.annotation_counts()
    yield f"Project: {project.path}"
    yield f"Schema version: {meta.get('schema_version', '?')}, created {meta.get('created', '?')}"
    yield f"Documents: {len(documents)}"
    for d in documents:
        yield (
            f"  {d.title[:70]}  ({d.length} characters, {d.annotation_count} annotations, "
            f"{d.status})"
        )
    yield f"Labels: {len(counts)}"
    for label in project.labels():
        key = f"[{label.shortcut}] " if label.shortcut else ""
        attributes = ", ".join(f"{a.name}: {a.kind}" for a in label.attributes)
        yield f"  {key}{label.name}: {counts.get(label.name, 0)} annotations" + (
            f"  ({attributes})" if attributes else ""
        )
    yield f"Annotations: {sum(counts.values())}"


def label_lines(project: Project) -> Iterable[str]:
    """The codebook as a person reads it: one line per label, one per attribute."""
    for label in project.labels():
        key = f"  key {label.shortcut}" if label.shortcut else ""
        yield f"{label.name}  {label.color}{key}" + (
            f"  — {label.description}" if label.description else ""
        )
        for a in label.attributes:
            choices = f": {' / '.join(a.choices)}" if a.choices else ""
            extra = (" (required)" if a.required else "") + (
                f" (default {a.default})" if a.default is not None else ""
            )
            yield f"    {a.name} [{a.kind}]{choices}{extra}"
