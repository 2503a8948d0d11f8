"""What one operation changed (Anki's ``OpChanges`` is the model).

Every edit, undo, redo and import publishes one :class:`Changes` through the application context
(``AppContext.publish``); each view subscribes to ``ctx.events.changed`` and looks at the fields
it shows, instead of each operation calling the views it thinks are concerned.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Annotation, DocumentStatus, Relation


@dataclass(frozen=True)
class Changes:
    #: the document whose annotations changed (``removed``/``added``; an update is both)
    document_id: str | None = None
    removed: tuple[Annotation, ...] = ()
    added: tuple[Annotation, ...] = ()
    #: documents whose status changed
    status: frozenset[str] = frozenset()
    #: their status now, when the operation knows it (a local edit); None: read it again
    status_now: DocumentStatus | None = None
    #: documents whose annotation counts must be read again (changed by someone else, in
    #: layers this window may not show); a local edit's count follows from removed/added
    recount: frozenset[str] = frozenset()
    #: documents were added or removed
    documents: bool = False
    #: the document whose text was replaced (a re-import): shown anew where it is shown
    text_of: str | None = None
    #: the codebook changed (labels, colours, keys, attribute definitions)
    labels: bool = False
    #: annotations changed with the codebook (a label renamed, deleted or merged): re-read them
    relabelled: bool = False
    #: the document the operation wants shown (an undo in another document shows it)
    reveal: str | None = None
    #: which layers the reader shows, or how it colours them, changed (no data changed)
    layers: bool = False
    #: the document whose rejected suggestions changed
    rejections: str | None = None
    #: the user's suggestion patterns changed
    patterns: bool = False
    #: relations of ``document_id`` were added, removed or changed (these, when known)
    relations: bool = False
    relations_removed: tuple[Relation, ...] = ()
    relations_added: tuple[Relation, ...] = ()
    #: one line for the status bar: what the operation could not do (an undo that could not
    #: bring everything back, because someone else deleted part of it meanwhile)
    note: str = ""

    @property
    def annotations(self) -> bool:
        return bool(self.removed or self.added)

    def annotations_of(self, document_id: str | None) -> bool:
        """Whether annotations of ``document_id`` were removed or added."""
        return document_id is not None and document_id == self.document_id and self.annotations

    def relations_of(self, document_id: str | None) -> bool:
        """Whether relations of ``document_id`` changed."""
        return document_id is not None and document_id == self.document_id and self.relations

    @classmethod
    def of_relations(
        cls,
        document_id: str,
        removed: list[Relation] | tuple[Relation, ...] = (),
        added: list[Relation] | tuple[Relation, ...] = (),
        *,
        annotations_removed: tuple[Annotation, ...] = (),
        annotations_added: tuple[Annotation, ...] = (),
    ) -> Changes:
        """A relation edit (with the annotations it changed, if any), which shows its document."""
        return cls(
            document_id,
            annotations_removed,
            annotations_added,
            relations=True,
            relations_removed=tuple(removed),
            relations_added=tuple(added),
            reveal=document_id,
        )

    @classmethod
    def of_annotations(
        cls,
        document_id: str,
        removed: list[Annotation] | tuple[Annotation, ...] = (),
        added: list[Annotation] | tuple[Annotation, ...] = (),
    ) -> Changes:
        """An annotation edit, which shows its document."""
        return cls(document_id, tuple(removed), tuple(added), reveal=document_id)
