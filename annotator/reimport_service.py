"""Re-import: read a document's source file again with today's readers (a PDF reflowed, a
DOCX table as rows), replace its text, and carry each annotation to where its text is found
again (:mod:`annotator.core.carry`).

Nothing is lost: if any annotation's text is not found in the new text, the re-import is
refused as a whole and the report names each one; the document stays as it was. The person
can then look at those annotations (delete or adjust them, or keep the old text). Documents
imported before keep their text until someone asks for this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.carry import SpanToCarry, carry
from annotator.core.errors import AnnotatorError, ImportFailed
from annotator.core.model import Annotation
from annotator.io.detect import read_file
from annotator.service import refuse_the_project
from annotator.store import suggestion_store
from annotator.store.project import Project

Rejection = tuple[str, int, int]  # a rejected suggestion: label, start, end

ARTICLE_ONLY = "only an article file (text, Markdown, HTML, DOCX or PDF) can be read again"


class ReimportRefused(AnnotatorError):
    """The new text would lose annotations: nothing was changed."""


@dataclass(frozen=True)
class Reimport:
    """What a re-import would do: both texts, every annotation's old and new place."""

    document_id: str
    title: str
    source: str
    old_text: str
    new_text: str
    old_metadata: dict[str, Any]
    new_metadata: dict[str, Any]
    old_spans: dict[str, tuple[int, int]]
    new_spans: dict[str, tuple[int, int]]
    missing: Sequence[Annotation]  # not found in the new text
    # rejected suggestions, carried like annotations; one not found is let go (at worst the
    # suggestion is offered again)
    old_rejections: frozenset[Rejection] = frozenset()
    new_rejections: frozenset[Rejection] = frozenset()

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text

    def describe(self) -> str:
        total = len(self.old_spans)
        if not self.changed:
            return f"{self.source}: the text is the same as before; nothing to do"
        if self.missing:
            return (
                f"{self.source}: {len(self.missing)} of {total} annotations not found in the "
                "new text; nothing was changed"
            )
        return f"{self.source}: re-imported; carried {total} of {total} annotations"

    def missing_lines(self) -> list[str]:
        """One line per annotation not found: label, old place, its text (clipped)."""
        lines = []
        for a in self.missing:
            text = " ".join(self.old_text[a.start : a.end].split())
            text = text if len(text) <= 60 else text[:59] + "\u2026"
            lines.append(f"  {a.label} at {a.start}..{a.end}: \u201c{text}\u201d")
        return lines


def plan_reimport(project: Project, document_id: str) -> Reimport:
    """Read the document's source again and find each annotation in the new text; changes
    nothing (``apply_reimport`` does)."""
    document = project.document(document_id)
    if not document.source:
        raise ImportFailed(document.title, "the document has no source file to read again")
    path = Path(document.source)
    if not path.is_file():
        raise ImportFailed(path, "the source file is not there any more")
    refuse_the_project(project, path)
    bundle = read_file(path)
    if len(bundle.documents) != 1 or bundle.documents[0].annotations:
        raise ImportFailed(path, ARTICLE_ONLY)
    new = bundle.documents[0]
    annotations = project.annotations(document_id)
    carried = carry(
        document.text, new.text, [SpanToCarry(a.id, a.start, a.end) for a in annotations]
    )
    missing = set(carried.missing)
    old_rejections = suggestion_store.rejected(project, document_id)
    keys = {f"{n}": key for n, key in enumerate(sorted(old_rejections))}
    moved = carry(
        document.text,
        new.text,
        [SpanToCarry(id, start, end) for id, (_label, start, end) in keys.items()],
    ).moved
    return Reimport(
        document_id=document_id,
        title=document.title,
        source=document.source,
        old_text=document.text,
        new_text=new.text,
        old_metadata=dict(document.metadata),
        new_metadata=dict(new.metadata),
        old_spans={a.id: (a.start, a.end) for a in annotations},
        new_spans=carried.moved,
        missing=[a for a in annotations if a.id in missing],
        old_rejections=frozenset(old_rejections),
        new_rejections=frozenset((keys[id][0], *place) for id, place in moved.items()),
    )


def apply_reimport(project: Project, plan: Reimport) -> None:
    """The new text and places, in one transaction; refused (nothing changed) if any
    annotation was not found."""
    if plan.missing:
        raise ReimportRefused(
            plan.source,
            f"{len(plan.missing)} of {len(plan.old_spans)} annotations not found in the new "
            "text; nothing was changed",
        )
    if plan.changed:
        _replace(project, plan, forward=True)


def undo_reimport(project: Project, plan: Reimport) -> None:
    """The old text and places back (the window's undo)."""
    if plan.changed:
        _replace(project, plan, forward=False)


def _replace(project: Project, plan: Reimport, *, forward: bool) -> None:
    text, spans, metadata = (
        (plan.new_text, plan.new_spans, plan.new_metadata)
        if forward
        else (plan.old_text, plan.old_spans, plan.old_metadata)
    )
    gone, come = (
        (plan.old_rejections, plan.new_rejections)
        if forward
        else (plan.new_rejections, plan.old_rejections)
    )

    def together() -> None:
        project.replace_text(plan.document_id, text, spans, metadata)
        # only the differences: reject() reads what is there outside this transaction
        suggestion_store.unreject(project, plan.document_id, gone - come)
        suggestion_store.reject(project, plan.document_id, come - gone)

    project.together(together)


def find_document(project: Project, wanted: str) -> str:
    """A document's id from its id or its exact title (which must be unique)."""
    documents = project.documents()
    if any(d.id == wanted for d in documents):
        return wanted
    titled = [d.id for d in documents if d.title == wanted]
    if len(titled) == 1:
        return titled[0]
    problem = "several documents have that title; give its id" if titled else "no such document"
    raise AnnotatorError(project.path, f"{problem} ({wanted!r})")
