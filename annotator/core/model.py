"""Domain types shared by the store, the importers/exporters, the CLI and the GUI."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.labels import LabelDef, RelationTypeDef


def timestamp() -> str:
    """Now, as the ISO 8601 UTC string stored in ``created``/``modified`` fields."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class DocumentStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in progress"
    DONE = "done"


class Annotation(NamedTuple):
    """One stored span. A named tuple, not a dataclass: a document may hold 50,000 of them and
    tuples are built several times faster."""

    id: str
    document_id: str
    label: str
    start: int
    end: int
    text: str
    attributes: dict[str, Any] = {}  # noqa: RUF012 (never mutated: records are replaced whole)
    note: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""


class Relation(NamedTuple):
    """A typed link from one annotation (``source_id``) to another (``target_id``) of the same
    document. ``flagged``: the ends' labels no longer fit the type (a relabel, a codebook edit);
    it is worked out when the relation is read, never stored."""

    id: str
    document_id: str
    type: str
    source_id: str
    target_id: str
    attributes: dict[str, Any] = {}  # noqa: RUF012 (never mutated: records are replaced whole)
    note: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""
    flagged: bool = False


def source_name(source: str) -> str:
    """What a reader outside the desk sees of a document's source: a web address whole, a file
    path (or ``file://`` URL) as its file name only (no folders of the user's), from POSIX or
    Windows paths alike."""
    if re.match(r"(?!file:)[A-Za-z][A-Za-z0-9+.-]*://", source, re.IGNORECASE):
        return source
    return re.split(r"[\\/]", source.rstrip("\\/"))[-1] if source else ""


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str
    source: str
    status: DocumentStatus
    annotation_count: int
    length: int


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    source: str
    metadata: dict[str, Any]
    text: str
    sha256: str
    created: str
    status: DocumentStatus


@dataclass(frozen=True)
class FirstLook:
    """What a project's first screen shows, read before the project is opened in full
    (``store/first_look.py``): the window paints it, then opens the project."""

    path: Path  # the project file, absolute
    labels: list[LabelDef]
    layers: list[str]  # the annotator names the annotations carry, sorted
    #: the first document in list order (None: the project holds none)
    document: Document | None = None
    #: the document's annotations that start before :attr:`known_until`, in text order: every
    #: annotation that touches its text before that code point
    annotations: list[Annotation] = field(default_factory=list)
    known_until: int = 0


@dataclass
class ImportedAnnotation:
    """A span read from a file: code-point offsets into the imported document's canonical text."""

    label: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    annotator: str = ""
    id: str | None = None
    created: str | None = None
    modified: str | None = None


def duplicate_key(span: ImportedAnnotation | Annotation) -> tuple[str, str, int, int, str, str]:
    """What makes two spans of one document the same span: the annotator, label, range,
    attributes and note. The annotator is part of it because each annotator's layer is their
    own: annotators who agree on a span are each one vote in the agreement, not duplicates."""
    attributes = json.dumps(span.attributes, sort_keys=True) if span.attributes else "{}"
    return (span.annotator, span.label, span.start, span.end, attributes, span.note)


@dataclass
class ImportedRelation:
    """A relation read from a file: ``source``/``target`` are the file's ids of two annotations
    of the same document (:attr:`ImportedAnnotation.id`)."""

    type: str
    source: str
    target: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    annotator: str = ""
    id: str | None = None
    created: str | None = None
    modified: str | None = None


@dataclass
class ImportedDocument:
    """What every importer produces: canonical text (newlines ``\\n``) and what is known of it."""

    text: str
    title: str
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    annotations: list[ImportedAnnotation] = field(default_factory=list)
    id: str | None = None
    created: str | None = None
    status: DocumentStatus = DocumentStatus.NEW
    relations: list[ImportedRelation] = field(default_factory=list)


@dataclass
class SkippedRecords:
    """What an import with ``skip_bad`` left out of one file: how many records of each kind
    (``regions``, ``lines``, ...) the file held, and why each skipped one was bad, in file order."""

    seen: dict[str, int] = field(default_factory=dict)
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (kind, reason naming it)

    def __bool__(self) -> bool:
        return bool(self.reasons)

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.reasons if k == kind)

    def describe(self, shown: int = 3) -> str:
        """``skipped 2 of 40 regions: <reason>; <reason>`` (the first ``shown`` reasons)."""
        kinds = list(dict.fromkeys([*self.seen, *(k for k, _ in self.reasons)]))
        counts = " and ".join(
            f"{self.count(k)} of {self.seen.get(k, self.count(k))} {k}"
            for k in kinds
            if self.count(k)
        )
        first = "; ".join(reason for _, reason in self.reasons[:shown])
        more = len(self.reasons) - shown
        return f"skipped {counts}: {first}" + (f"; … and {more} more" if more > 0 else "")


@dataclass
class ImportedBundle:
    """The documents of one file, and the labels it defines (only project files define labels)."""

    documents: list[ImportedDocument]
    labels: list[LabelDef] = field(default_factory=list)
    relation_types: list[RelationTypeDef] = field(default_factory=list)
    #: the bad records left out (read with ``skip_bad``); empty when none were
    skipped: SkippedRecords = field(default_factory=SkippedRecords)
    #: what the person should be told of how the file was read (one line each)
    notes: list[str] = field(default_factory=list)
