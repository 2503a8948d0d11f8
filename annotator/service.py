"""One function per user action; the CLI and the GUI both call these."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TypeVar

from annotator.core import agreement as agreement_figures
from annotator.core import inception_agreement
from annotator.core.errors import (
    AnnotatorError,
    BadRecord,
    ImportFailed,
    OptionNeeded,
)
from annotator.core.find import FindMatch, QueryError, check_query, matches_in
from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.core.model import (
    Annotation,
    DocumentStatus,
    ImportedBundle,
    ImportedDocument,
    SkippedRecords,
    timestamp,
)
from annotator.core.progress import Cancelled, Progress, tell
from annotator.core.report import Report, ReportOptions, build_report
from annotator.export_target import check_export_target, protected_as
from annotator.io import codebook_files, native_json, report_html
from annotator.io.detect import read_parts
from annotator.io.registry import (
    EXPORT_FORMATS,
    DocumentExport,
    ExportData,
    ExportOptions,
    ExportReport,
    exporter,
)
from annotator.io.txt import REPLACED_BYTES, first_line, replaced_note
from annotator.store import backups, rescue
from annotator.store.backend import ServerAddress, location
from annotator.store.importing import ImportSummary
from annotator.store.layers import curated_layers as curated_layers_in
from annotator.store.layers import layer_names as layer_names_in
from annotator.store.layers import mark_curated as mark_curated_in
from annotator.store.layers import unmark_curated as unmark_curated_in
from annotator.store.merge import MergeReport, merge_project
from annotator.store.project import Project
from annotator.store.span_batches import documents_with_spans, layer_used, missing_documents

Outcome_ = TypeVar("Outcome_")
Path_ = TypeVar("Path_")  # a file's path, or (merge) a project's path or server address


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
    #: what the user should know of an imported file (e.g. bad bytes replaced), also in message
    notes: list[str] = field(default_factory=list)
    #: refused for one bad record (named in message): ``skip_bad`` would import the rest
    bad_record: bool = False
    #: the bad records left out of an imported file (``skip_bad``); empty when none were
    skipped: SkippedRecords = field(default_factory=SkippedRecords)
    #: refused for want of a setting (e.g. doccano's offset unit): a window asks and imports again
    needs: OptionNeeded | None = None


def import_file(
    project: Project,
    path: Path,
    *,
    skip_bad: bool = False,
    doccano_offsets: str = "auto",
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import one file in one transaction: all of it, or nothing (with ``skip_bad``: all of it
    but its bad records, named in the outcome's ``skipped``). ``doccano_offsets``: see
    :func:`annotator.io.detect.read_file`. The file goes in a part at a time
    (:func:`annotator.io.detect.read_parts`: JSON Lines and a large project JSON are read as
    they come, so memory stays flat); ``progress`` hears the documents stored so far, and its
    "stop" leaves the project as it was.

    Never raises for one bad file: even a bug (an unexpected exception) becomes this file's
    error, so that the rest of a batch is imported and every file reported.
    """
    read = _ReadParts(path, skip_bad, doccano_offsets)
    try:
        refuse_the_project(project, path)
        summary = project.import_parts(read.parts, progress, path)
    except OptionNeeded as exc:
        return ImportOutcome(path, Outcome.ERROR, str(exc), needs=exc)
    except AnnotatorError as exc:
        return ImportOutcome(
            path,
            Outcome.ERROR,
            str(exc),
            bad_record=isinstance(exc, BadRecord) and _something_left(path, doccano_offsets),
        )
    except ValueError as exc:  # a reader produced spans the store refuses
        return ImportOutcome(path, Outcome.ERROR, f"{path}: {exc}")
    except Exception as exc:
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        detail = next(iter(str(exc).splitlines()), "")[:200]
        return ImportOutcome(
            path,
            Outcome.ERROR,
            f"{path}: internal error: "
            f"{type(exc).__name__}: {detail} (a bug in Annotator, please report "
            "it; nothing of this file was saved)",
        )
    message = describe_import(path, summary)
    if read.units:  # e.g. a QDPX file: say how its positions were read
        message += "; positions read as " + " / ".join(sorted(read.units))
    if read.notes:
        message += "; " + "; ".join(read.notes)
    return ImportOutcome(
        path,
        Outcome.IMPORTED if summary.added else Outcome.SKIPPED,
        message,
        summary,
        read.notes,
        skipped=read.skipped,
    )


@dataclass
class _ReadParts:
    """A file's parts as the store takes them, and what the outcome says of how it was read
    (kept from each part, as the parts go by). ``parts`` may be called again (a server's
    transaction run again): it starts over."""

    path: Path
    skip_bad: bool
    doccano_offsets: str
    notes: list[str] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    skipped: SkippedRecords = field(default_factory=SkippedRecords)

    def parts(self) -> Iterator[ImportedBundle]:
        decoding: list[str] = []
        notes: list[str] = []
        self.units = set()
        for part in read_parts(
            self.path, skip_bad=self.skip_bad, doccano_offsets=self.doccano_offsets
        ):
            decoding += _decoding_notes(part)
            notes += part.notes
            self.units |= {
                str(d.metadata["positions"]) for d in part.documents if d.metadata.get("positions")
            }
            self.skipped = part.skipped
            yield part
        self.notes = decoding + notes


def _something_left(path: Path, doccano_offsets: str) -> bool:
    """Whether ``path``, refused for a bad record, has good ones too (read again, skipping):
    only then is importing the rest worth offering."""
    try:
        for _part in read_parts(path, skip_bad=True, doccano_offsets=doccano_offsets):
            pass  # read to the end, a part at a time
    except Exception:  # refused again (or a bug): the first refusal is what the user hears
        return False
    return True


def refuse_the_project(project: Project, path: Path) -> None:
    """Refuse the open project's own file (or its -wal, -shm, backups) as a file to import: it is
    no article, and reading it through a second descriptor would drop SQLite's locks on it (see
    :mod:`annotator.store.descriptors`)."""
    if (what := protected_as(_project_file(project), path)) is not None:
        raise ImportFailed(path, f"is {what}; a project cannot be imported into itself")


def _decoding_notes(bundle: ImportedBundle) -> list[str]:
    """A line for each document whose text had bytes that are not UTF-8 replaced (a note for
    the import, not kept in the document's metadata)."""
    notes = []
    for document in bundle.documents:
        count = document.metadata.pop(REPLACED_BYTES, None)
        if isinstance(count, int) and not isinstance(count, bool) and count > 0:
            where = f" in {document.title!r}" if len(bundle.documents) > 1 else ""
            notes.append(replaced_note(count) + where)
    return notes


def import_files(
    project: Project,
    paths: Sequence[Path],
    progress: Callable[[int, ImportOutcome], bool | None] | None = None,
    *,
    skip_bad: bool = False,
    doccano_offsets: str = "auto",
    documents: Progress | None = None,
) -> list[ImportOutcome]:
    """Import each file in its own transaction. ``progress`` returning False stops early:
    what finished stays, nothing is half-done. ``documents`` hears each file's documents as
    they are read (see :func:`import_file`); its "stop" leaves that file out, whole. The
    options: see :func:`import_file`."""
    return _each_file(
        paths,
        lambda path: import_file(
            project,
            Path(path),
            skip_bad=skip_bad,
            doccano_offsets=doccano_offsets,
            progress=documents,
        ),
        progress,
    )


def _each_file(
    paths: Sequence[Path_],
    one: Callable[[Path_], Outcome_],
    progress: Callable[[int, Outcome_], bool | None] | None,
) -> list[Outcome_]:
    """``one`` for each path in turn (each its own transaction), telling ``progress`` after
    each; ``progress`` returning False stops before the next."""
    outcomes = []
    for index, path in enumerate(paths):
        outcome = one(path)
        outcomes.append(outcome)
        if progress is not None and progress(index, outcome) is False:
            break
    return outcomes


@dataclass
class MergeOutcome:
    path: Path | ServerAddress
    report: MergeReport | None  # None: the source was refused
    message: str


def merge_file(
    project: Project, path: Path | ServerAddress | str, progress: Progress | None = None
) -> MergeOutcome:
    """Merge the project at ``path`` into ``project`` in one transaction (see store.merge).
    ``progress`` hears its documents merged of all; its False stops the merge, which raises
    :class:`Cancelled` with ``project`` as it was."""
    path = location(path)
    try:
        if path.absolute().resolve() == project.path.resolve():
            return MergeOutcome(path, None, f"{path}: is the target project itself")
        with Project.open(path, create=False, read_only=True) as source:
            report = merge_project(project, source, progress)
    except Cancelled:
        raise
    except AnnotatorError as exc:
        return MergeOutcome(path, None, str(exc))
    return MergeOutcome(path, report, describe_merge(path, report))


def merge_files(
    project: Project,
    paths: Sequence[Path | ServerAddress],
    progress: Callable[[int, MergeOutcome], bool | None] | None = None,
) -> list[MergeOutcome]:
    """Merge each source in its own transaction; ``progress`` returning False stops early."""
    return _each_file(paths, lambda path: merge_file(project, path), progress)


def describe_merge(path: Path | ServerAddress, report: MergeReport) -> str:
    parts = [
        f"{report.documents_added} documents added, {report.documents_matched} matched",
        f"{report.annotations_added} annotations added, {report.annotations_skipped} "
        f"skipped, {len(report.conflicts)} in conflict",
    ]
    if report.deletions_applied:
        with_relations = (
            f", with {report.relations_deleted} relations" if report.relations_deleted else ""
        )
        parts.append(f"{report.deletions_applied} deleted (deleted in the source){with_relations}")
    if report.kept_deleted:
        parts.append(f"{report.kept_deleted} not added back (deleted here)")
    if report.relations_added:
        parts.append(f"{report.relations_added} relations added")
    if report.relations_of_deleted:
        parts.append(f"{report.relations_of_deleted} relations not added (an end is deleted here)")
    if report.codebook_replaced:
        parts.append(
            "this project's unused default codebook was replaced by the source's "
            f"({len(report.labels_added)} labels)"
        )
    elif report.labels_added:
        parts.append("new labels: " + ", ".join(report.labels_added))
    if report.label_conflicts:
        parts.append(
            f"{len(report.label_conflicts)} labels defined differently (kept the target's)"
        )
    if report.curated_added:
        parts.append("curated layers: " + ", ".join(report.curated_added))
    return f"{path}: " + "; ".join(parts)


#: Documents an import's message names; the rest are counted.
NAMED = 20


def describe_import(path: Path, summary: ImportSummary) -> str:
    parts = []
    for added in summary.added[:NAMED]:
        spans = f", {added.annotations} annotations" if added.annotations else ""
        parts.append(f"{added.title!r}{spans}")
    if len(summary.added) > NAMED:  # a corpus: one line a person can read, not 100k titles
        more = summary.added[NAMED:]
        spans = sum(a.annotations for a in more)
        parts.append(f"and {len(more):,} more documents, {spans:,} annotations")
    for skipped in summary.skipped[:NAMED]:
        parts.append(
            f"{skipped.title!r} skipped: the same text is already in the project as "
            f"{skipped.existing_title!r}"
        )
    if len(summary.skipped) > NAMED:
        parts.append(
            f"and {len(summary.skipped) - NAMED:,} more documents skipped: their texts are "
            "already in the project"
        )
    if summary.duplicates_skipped:
        n = summary.duplicates_skipped
        parts.append(f"{n} exact duplicate span{'s' if n != 1 else ''} skipped")
    if summary.labels_created and not summary.codebook_replaced:
        parts.append("new labels: " + ", ".join(summary.labels_created))
    if summary.codebook_replaced:
        parts.append("labels taken from the file")
    return f"{path}: " + "; ".join(parts)


def documents_with_annotations(
    project: Project,
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
    where: object = None,
) -> Iterator[DocumentExport]:
    """Each document with its annotations and the relations between them, read a batch of
    documents at a time (:meth:`Project.documents_in_batches`: memory flat in the number of
    documents); with ``annotators``, only those layers' annotations (every document still
    comes), and the relations both of whose ends are kept. ``progress`` hears how many
    documents were handed on; its "stop" raises ``Cancelled`` (naming ``where``) before the
    next one."""
    wanted = None if annotators is None else set(annotators)
    total = project.document_count() if progress is not None else None
    done = 0
    tell(progress, done, total, where)
    for batch in project.documents_in_batches():
        for document, spans, relations in batch:
            if wanted is not None:
                spans = [a for a in spans if a.annotator in wanted]
                kept = {a.id for a in spans}
                relations = [r for r in relations if {r.source_id, r.target_id} <= kept]
            yield DocumentExport(document, spans, relations)
            done += 1
            tell(progress, done, total, where)


def check_layers(project: Project, annotators: Sequence[str] | None) -> None:
    """Refuse a layer name that no annotation in the project carries."""
    if annotators is not None:
        _refuse_unknown(project, "annotator", annotators, layer_names(project))


def export_data(
    project: Project,
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
    where: object = None,
) -> ExportData:
    """What an export writes; ``annotators`` keeps only those layers (None: every layer);
    ``progress``: see :func:`documents_with_annotations`."""
    check_layers(project, annotators)
    return ExportData(
        project.labels(),
        documents_with_annotations(project, annotators, progress, where),
        project.relation_types(),
        project.relation_count() > 0,
    )


def export_project(
    project: Project,
    out: IO[str],
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> None:
    """The project JSON, to a text stream (standard output, or a string in tests)."""
    data = export_data(project, annotators, progress)
    native_json.write_project(out, data.labels, data.documents, data.relation_types)


def export_to(
    project: Project,
    fmt: str,
    target: Path,
    options: ExportOptions | None = None,
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write ``project`` as ``fmt`` to a file (or folder, for formats that need one); with
    ``annotators``, only those layers. A target that is the project itself, its companions or
    backups, a link, a device or a folder that is not empty is refused
    (:mod:`annotator.export_target`). ``progress`` hears documents written of all; its "stop"
    raises ``Cancelled`` and leaves the target as it was (the exporters write through
    :mod:`annotator.io.files`)."""
    options = options or ExportOptions()
    module = exporter(fmt)
    options.check(EXPORT_FORMATS[fmt])
    check_output_target(project, target, folder=not EXPORT_FORMATS[fmt].extension)
    return module.export(export_data(project, annotators, progress, target), target, options)


def export_labels(project: Project, target: Path) -> None:
    """Write the codebook in the format the target's extension names (.json, .qdc, .csv,
    .xml; only .json keeps the relation types), with the same target check as any export."""
    check_output_target(project, target)
    codebook_files.write(target, project.labels(), project.relation_types())


def check_output_target(project: Project, target: Path, folder: bool = False) -> None:
    """The one check of every file the user names for Annotator to write while ``project`` is
    open (an export, a report, suggestions, patterns, labels, a copy): refuse the project itself,
    its companions and backups, a link, a FIFO or device, a folder that is not empty
    (:mod:`annotator.export_target`). Raises ``AnnotatorError`` naming ``target``."""
    check_export_target(_project_file(project), target, folder)


def _project_file(project: Project) -> Path | None:
    """The open project's file, which an export must not overwrite; None on a server."""
    return None if isinstance(project.path, ServerAddress) else project.path


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


# -- the window's own actions (kept here so the GUI reaches io and the store through service) ---


def default_title(text: str) -> str:
    """The title a pasted article gets unless the user types another: its first line."""
    return first_line(text)


def paste_article(project: Project, text: str, title: str) -> ImportSummary:
    """Add pasted text (canonical already) as a new document, in one transaction."""
    document = ImportedDocument(text, title.strip() or default_title(text), source="clipboard")
    return project.import_bundle(ImportedBundle([document]))


def read_label_set(path: Path) -> list[LabelDef]:
    """A codebook file's labels (``annotator labels --import``: label-set JSON, REFI-QDA .qdc,
    Taguette CSV); AnnotatorError if unreadable."""
    return codebook_files.read(path)


def read_codebook(path: Path) -> tuple[list[LabelDef], list[RelationTypeDef]]:
    """A codebook file's labels and relation types (only Annotator's JSON has the latter);
    AnnotatorError if unreadable."""
    return codebook_files.read_codebook(path)


def save_as(project: Project, target: Path) -> Path:
    """Copy the open project, every acknowledged change included, into a new project file at
    ``target`` (also when its own file is gone); returns the new file's path. A project on a
    server is copied by merging it into the new file (its codebook, documents and layers)."""
    check_output_target(project, target)
    if project.on_server:
        target = Path(target).expanduser().absolute()
        if target.exists():
            raise AnnotatorError(target, "already exists; choose a new name for the copy")
        with Project.open(target) as copy:
            merge_project(copy, project)
        return target
    return rescue.save_as(project, target)


# -- team work: layers, agreement, adjudication -------------------------------------------------


def annotator_names(project: Project) -> list[str]:
    """Every named layer (annotator) in the project, sorted; unnamed annotations are left out."""
    return [name for name in layer_names_in(project) if name]


def _refuse_unknown(
    project: Project, kind: str, asked: Sequence[str], known: Sequence[str]
) -> None:
    for name in asked:
        if name not in known:
            have = ", ".join(repr(k) for k in known) or "none"
            raise AnnotatorError(
                project.path, f"no {kind} named {name!r} (the project has: {have})"
            )


def curated_layers(project: Project) -> list[str]:
    """The layers written by ``adjudicate`` or the curation view, sorted: a curator's
    decisions, not an annotator's work."""
    return curated_layers_in(project)


def mark_curated(project: Project, name: str) -> bool:
    """Record that layer ``name`` holds a curator's decisions (see :func:`curated_layers`);
    True if it was not marked before."""
    return mark_curated_in(project, name)


def unmark_curated(project: Project, name: str) -> bool:
    """Take the curated mark off layer ``name`` (an undone curation choice that put it there)."""
    return unmark_curated_in(project, name)


def curation_layer_problem(into: str, compared: Sequence[str]) -> str | None:
    """Why layer ``into`` may not take the curated spans of the ``compared`` layers, or None:
    the one rule of ``adjudicate --into`` and of the curation view's target layer."""
    if not into.strip():
        return "name the layer the curated spans go into"
    if into in compared:
        return "name a layer of its own, not one of the compared annotators"
    return None


def agreement_annotators(project: Project, *, include_curated: bool = False) -> list[str]:
    """The layers agreement compares by default: every named annotator, without the curated
    layers unless ``include_curated``."""
    names = annotator_names(project)
    if include_curated:
        return names
    curated = set(curated_layers(project))
    return [name for name in names if name not in curated]


MEASURE_OURS = "ours"
MEASURES = (
    MEASURE_OURS,
    inception_agreement.INCEPTION_CODING,
    inception_agreement.INCEPTION_UNITIZING,
)


def agreement(
    project: Project,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    document_ids: Sequence[str] | None = None,
    *,
    include_curated: bool = False,
    measure: str = MEASURE_OURS,
    exclude_incomplete: bool = False,
    progress: Progress | None = None,
) -> dict:
    """The agreement figures as ``annotator agreement --json`` prints them, by ``measure``:
    ``ours`` (annotator.core.agreement), ``inception-coding`` (annotator.core.coding_study;
    ``exclude_incomplete`` as INCEpTION's option) or ``inception-unitizing``
    (annotator.core.unitizing); see annotator.core.inception_agreement.

    Defaults: every named annotator but the curated layers (all of them with
    ``include_curated``; a curated layer named in ``annotators`` always counts), every label,
    and the documents in which every compared annotator has at least one annotation or that
    are marked done. Raises :class:`AnnotatorError` for an unknown annotator, label or
    document, or fewer than two annotators. The documents are read a batch at a time and
    counted one at a time (memory does not grow with them); ``progress`` hears the documents
    read of all, and its False stops the work with :class:`Cancelled`.
    """
    if measure not in MEASURES:
        raise AnnotatorError(
            project.path, f"unknown agreement measure {measure!r} (known: {', '.join(MEASURES)})"
        )
    if annotators:
        chosen = list(dict.fromkeys(annotators))
        if not all(name and layer_used(project, name) for name in chosen):
            _refuse_unknown(project, "annotator", chosen, annotator_names(project))
        curated: list[str] = []
        known = annotator_names(project) if len(chosen) < 2 else chosen  # for the message
    else:
        known = annotator_names(project)
        curated = [] if include_curated else [n for n in curated_layers(project) if n in known]
        chosen = [name for name in known if name not in curated]
    if len(chosen) < 2:
        left_out = (
            f"; curated, left out unless asked: {', '.join(map(repr, curated))}"
            if curated and not annotators
            else ""
        )
        raise AnnotatorError(
            project.path,
            "agreement needs at least two annotators (the "
            f"project has: {', '.join(map(repr, known)) or 'none'}{left_out})",
        )
    label_names = [label.name for label in project.labels()]
    chosen_labels = list(dict.fromkeys(labels)) if labels else label_names
    _refuse_unknown(project, "label", chosen_labels, label_names)
    wanted = None
    if document_ids:
        wanted = list(dict.fromkeys(document_ids))
        if missing_documents(project, wanted):
            _refuse_unknown(project, "document", wanted, [d.id for d in project.documents()])
    sums: Any
    if measure == inception_agreement.INCEPTION_CODING:
        sums = inception_agreement.CodingSums(
            chosen, chosen_labels, exclude_incomplete=exclude_incomplete
        )
    elif measure == inception_agreement.INCEPTION_UNITIZING:
        sums = inception_agreement.UnitizingSums(chosen, chosen_labels)
    else:
        sums = agreement_figures.AgreementSums(chosen, chosen_labels)
    every = set(chosen)
    for document, length, status, spans in documents_with_spans(project, wanted, progress):
        if (
            wanted is not None
            or status == DocumentStatus.DONE.value
            or every <= {span[0] for span in spans}  # rows of SpanRecord's fields
        ):
            sums.add(document, length, spans)
    report = sums.report()
    return {"measure": MEASURE_OURS, **report} if measure == MEASURE_OURS else report


@dataclass
class AdjudicationReport:
    added: int
    already: int  # agreed spans the layer already holds


def agreed_annotations(
    project: Project, annotators: Sequence[str], into: str
) -> tuple[list[Annotation], int]:
    """New annotations for layer ``into``: one per span on which every named annotator agrees
    exactly (label, start, end), with the attributes (and note) on which they all agree; and
    how many such spans ``into`` already holds."""
    spans = project.annotations()
    known = sorted({a.annotator for a in spans if a.annotator})
    _refuse_unknown(project, "annotator", annotators, known)
    if len(set(annotators)) < 2:
        raise AnnotatorError(project.path, "adjudication needs at least two annotators")
    if (problem := curation_layer_problem(into, annotators)) is not None:
        raise AnnotatorError(project.path, f"--into {into!r}: {problem}")
    groups: dict[tuple[str, str, int, int], dict[str, Annotation]] = {}
    existing: set[tuple[str, str, int, int]] = set()
    for a in spans:
        key = (a.document_id, a.label, a.start, a.end)
        if a.annotator == into:
            existing.add(key)
        elif a.annotator in annotators:
            groups.setdefault(key, {}).setdefault(a.annotator, a)
    now = timestamp()
    added: list[Annotation] = []
    already = 0
    for key, found in groups.items():
        if len(found) < len(set(annotators)):
            continue
        if key in existing:
            already += 1
            continue
        first, *others = found.values()
        attributes = {
            name: value
            for name, value in first.attributes.items()
            if all(o.attributes.get(name, object()) == value for o in others)
        }
        note = first.note if all(o.note == first.note for o in others) else ""
        added.append(
            Annotation(
                new_annotation_id(),
                first.document_id,
                first.label,
                first.start,
                first.end,
                first.text,
                attributes,
                note,
                into,
                now,
                now,
            )
        )
    return added, already


def new_annotation_id() -> str:
    import uuid

    return str(uuid.uuid4())


def adjudicate(project: Project, annotators: Sequence[str], into: str) -> AdjudicationReport:
    """Copy every span the named annotators agree on into layer ``into``, in one transaction;
    running it again adds nothing. ``into`` is marked curated (:func:`curated_layers`)."""
    added, already = agreed_annotations(project, annotators, into)
    if added or already:  # marked first: the layer never holds copies agreement would count
        mark_curated(project, into)
    if added:
        project.restore_annotations(added)
    return AdjudicationReport(len(added), already)


def layer_names(project: Project) -> list[str]:
    """Every layer (annotator name) in the project, sorted; "" is the unnamed layer."""
    return layer_names_in(project)


def make_backup(path: Path, note: str = "") -> Path:
    """A backup copy of the project at ``path`` now (e.g. before a merge, which has no undo)."""
    return backups.make_backup(path, note=note)


def report(
    project: Project, options: ReportOptions | None = None, figures: dict[str, Any] | None = None
) -> Report:
    """The report of ``project`` as ``options`` narrow it (HTML: ``annotator.io.report_html``;
    PDF: ``annotator.gui.report_pdf``). ``figures``: inter-annotator agreement in the shape
    ``annotator.core.report.build_report`` describes; by default the agreement of the chosen
    annotators (every named one) over the chosen labels, when there are two or more."""
    options = options or ReportOptions()
    if figures is None and options.has("agreement"):
        figures = _report_agreement(project, options)
    try:
        return build_report(
            project.labels(),
            (
                (item.document, item.annotations, item.relations)
                for item in documents_with_annotations(project)
            ),
            options,
            figures if options.has("agreement") else None,
            project.path.stem,
        )
    except AnnotatorError as exc:  # an unknown document, label or annotator: name the project
        if exc.where is not None:
            raise
        raise AnnotatorError(project.path, exc.reason) from None


def _report_agreement(project: Project, options: ReportOptions) -> dict[str, Any] | None:
    """The agreement figures a report shows, or None when fewer than two annotators are in it."""
    named = [name for name in options.annotators if name] or agreement_annotators(project)
    if len(named) < 2:
        return None
    documents = (
        [
            d.id
            for d in project.documents()
            if d.id in options.document_ids or d.title in options.document_ids
        ]
        if options.document_ids
        else None
    )
    try:
        return agreement(project, named, list(options.labels) or None, documents)
    except AnnotatorError:  # e.g. an unknown name: build_report says which, more precisely
        return None


def write_html_report(
    project: Project, target: Path, options: ReportOptions | None = None
) -> Report:
    check_output_target(project, target)
    built = report(project, options)
    report_html.write(built, target)
    return built


# -- find across the corpus ---------------------------------------------------------------------

FIND_ORDERS = ("document", "rank")
_FIND_BATCH = 200  # texts read per statement


def find(
    project: Project,
    query: str,
    *,
    limit: int | None = None,
    case_sensitive: bool = False,
    whole_words: bool = False,
    order: str = "document",
) -> Iterator[FindMatch]:
    """Every match of ``query`` in every document (the find bar's rule, ``core/find.py``), as
    they are found: in list order, or with ``order="rank"`` the documents with the most matches
    first (which reads every candidate before the first match comes). The full-text index
    only says which documents to read; each match's offsets come from the text itself.
    Raises :class:`QueryError` for a query that cannot be searched for."""
    check_query(query)
    if order not in FIND_ORDERS:
        raise QueryError(f"unknown order {order!r} (choose {' or '.join(FIND_ORDERS)})")
    if limit is not None and limit < 1:
        raise QueryError(f"the limit must be at least 1, not {limit}")
    ids = project.search(query)
    found = 0
    per_document: list[list[FindMatch]] = []
    for at in range(0, len(ids), _FIND_BATCH):
        for id, title, text in project.texts(ids[at : at + _FIND_BATCH]):
            matches = matches_in(id, title, text, query, case_sensitive, whole_words)
            if order == "rank":
                if matches:
                    per_document.append(matches)
                continue
            for match in matches:
                yield match
                found += 1
                if found == limit:
                    return
    per_document.sort(key=len, reverse=True)  # stable: list order among equals
    for match in (m for matches in per_document for m in matches):
        yield match
        found += 1
        if found == limit:
            return
