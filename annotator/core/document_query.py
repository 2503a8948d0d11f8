"""Which documents the document list shows, and in which order: a filter and a sort key, which
the store turns into SQL (``store/document_query.py``) so that the list reads only the rows it
shows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from annotator.core.model import DocumentStatus


class DocumentOrder(StrEnum):
    LIST = "list"  # the project's own order (import order): the first look's first document
    TITLE = "title"
    COUNT = "count"
    STATUS = "status"


@dataclass(frozen=True)
class DocumentFilter:
    """Every condition set must hold. ``label`` and ``annotator`` together: a span of that label
    in that layer. A document has disagreements when two layers hold spans in it and a span
    (start, end, label) of one is not in the other."""

    title: str = ""  # a part of the title, any case
    status: DocumentStatus | None = None
    label: str | None = None
    annotator: str | None = None  # a layer ("" is the unnamed one)
    disagreements: bool = False

    @property
    def active(self) -> bool:
        return self != DocumentFilter()


@dataclass(frozen=True)
class DocumentQuery:
    filter: DocumentFilter = DocumentFilter()
    order: DocumentOrder = DocumentOrder.LIST
    descending: bool = False
