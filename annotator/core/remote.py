"""What another client changed in a shared project (as its server announced it)."""

from __future__ import annotations

from dataclasses import dataclass

#: what kind of thing changed
ANNOTATIONS, STATUS, DOCUMENTS, LABELS = "annotations", "status", "documents", "labels"
RELATIONS = "relations"
KINDS = frozenset({ANNOTATIONS, STATUS, DOCUMENTS, LABELS, RELATIONS})
#: the kinds that name the document they changed
OF_A_DOCUMENT = frozenset({ANNOTATIONS, STATUS, RELATIONS})


@dataclass(frozen=True)
class RemoteChange:
    kind: str  # ANNOTATIONS, RELATIONS, STATUS, DOCUMENTS or LABELS
    document: str | None  # the document (for ANNOTATIONS, RELATIONS and STATUS)
    client: str  # who made it: the writing client's application name
