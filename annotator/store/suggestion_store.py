"""What suggestions need from a project file: the user's patterns, the rejected ranges, the names
already labelled and the annotated documents a model learns from. One transaction per write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, tuple_

from annotator.core import model
from annotator.core.suggest.patterns import Pattern
from annotator.store.models import (
    Annotation,
    DocumentText,
    Label,
    RejectedSuggestion,
    SuggestionPattern,
)
from annotator.store.project import Project
from annotator.store.retry import retrying

Key = tuple[str, int, int]  # label, start, end
#: The annotator (the layer) of suggestions stored unreviewed by ``annotator suggest --apply``;
#: they are not learned from, since nobody accepted them.
SUGGESTED = "suggested"
MAX_NAME_LENGTH = 80
# longer labelled strings are passages, not names to look for again


class UnknownLabels(KeyError):
    """Patterns name labels the codebook does not have."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(names)
        self.names = list(names)

    def __str__(self) -> str:
        return "no label named " + ", ".join(repr(n) for n in self.names) + " in the codebook"


def _label_ids(session, names: Iterable[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    wanted = set(names)
    rows = session.execute(select(Label.name, Label.id).where(Label.name.in_(wanted))).all()
    found = dict(rows)
    missing = sorted(wanted - set(found))
    if missing:
        raise UnknownLabels(missing)
    return found


def patterns(project: Project) -> list[Pattern]:
    """The project's patterns in their order."""
    with project.reading() as s:
        rows = s.execute(
            select(
                SuggestionPattern.id, Label.name, SuggestionPattern.kind, SuggestionPattern.pattern
            )
            .join(Label, Label.id == SuggestionPattern.label_id)
            .order_by(SuggestionPattern.position, SuggestionPattern.id)
        ).all()
    return [Pattern(label, kind, pattern, id) for id, label, kind, pattern in rows]


@retrying
def replace_patterns(project: Project, new: Sequence[Pattern]) -> list[Pattern]:
    """Make ``new`` the project's patterns (the Patterns page saves, undo restores); returns the
    patterns as stored. Raises :class:`UnknownLabels` (nothing changed) for unknown labels."""
    now = model.timestamp()
    with project.transaction() as s:
        ids = _label_ids(s, (p.label for p in new))
        s.execute(delete(SuggestionPattern))
        rows = [
            SuggestionPattern(
                label_id=ids[p.label], kind=p.kind, pattern=p.pattern, position=n, created=now
            )
            for n, p in enumerate(new)
        ]
        s.add_all(rows)
        s.flush()
        return [
            Pattern(p.label, p.kind, p.pattern, row.id) for p, row in zip(new, rows, strict=True)
        ]


def add_patterns(project: Project, new: Sequence[Pattern]) -> tuple[int, int]:
    """Append the patterns not already there; returns (added, already present)."""
    existing = {(p.label, p.kind, _frozen(p.pattern)) for p in patterns(project)}
    fresh, seen = [], set(existing)
    for p in new:
        key = (p.label, p.kind, _frozen(p.pattern))
        if key not in seen:
            seen.add(key)
            fresh.append(p)
    replace_patterns(project, [*patterns(project), *fresh])
    return len(fresh), len(new) - len(fresh)


def _frozen(pattern: object) -> str:
    import json

    return json.dumps(pattern, sort_keys=True, ensure_ascii=False)


def rejected(project: Project, document_id: str) -> set[Key]:
    with project.reading() as s:
        rows = s.execute(
            select(Label.name, RejectedSuggestion.start, RejectedSuggestion.end)
            .join(Label, Label.id == RejectedSuggestion.label_id)
            .where(RejectedSuggestion.document_id == document_id)
        ).all()
    return {(label, start, end) for label, start, end in rows}


@retrying
def reject(project: Project, document_id: str, keys: Iterable[Key]) -> None:
    """Remember that these ranges were rejected (already remembered ones are kept)."""
    keys = set(keys) - rejected(project, document_id)
    if not keys:
        return
    now = model.timestamp()
    with project.transaction(shared=True) as s:
        ids = _label_ids(s, (label for label, _, _ in keys))
        s.add_all(
            RejectedSuggestion(
                document_id=document_id, label_id=ids[label], start=start, end=end, created=now
            )
            for label, start, end in keys
        )


@retrying
def unreject(project: Project, document_id: str, keys: Iterable[Key]) -> None:
    """Forget rejections (the undo of a reject)."""
    keys = list(keys)
    if not keys:
        return
    with project.transaction(shared=True) as s:
        ids = _label_ids(s, {label for label, _, _ in keys})
        s.execute(
            delete(RejectedSuggestion).where(
                RejectedSuggestion.document_id == document_id,
                tuple_(
                    RejectedSuggestion.label_id, RejectedSuggestion.start, RejectedSuggestion.end
                ).in_([(ids[label], start, end) for label, start, end in keys]),
            )
        )


def known_names(project: Project) -> dict[str, set[str]]:
    """Per label, every short name labelled with it anywhere in the project (the rule:
    :func:`annotator.store.known_names.is_name`), read once; a window keeps them up to date in a
    :class:`annotator.store.known_names.KnownNames` instead."""
    from annotator.store import known_names as names  # it builds on this module's constants

    return names.by_label(names.scan(project))


def training_documents(project: Project) -> list[tuple[str, list[Key]]]:
    """Every document that has annotations, with them: what a model learns from."""
    with project.reading() as s:
        rows = s.execute(
            select(Annotation.document_id, Label.name, Annotation.start, Annotation.end).join(
                Label, Label.id == Annotation.label_id
            )
        ).all()
        spans: dict[str, list[Key]] = {}
        for document_id, label, start, end in rows:
            spans.setdefault(document_id, []).append((label, start, end))
        texts = (
            dict(
                s.execute(
                    select(DocumentText.document_id, DocumentText.text).where(
                        DocumentText.document_id.in_(list(spans))
                    )
                ).all()
            )
            if spans
            else {}
        )
    return [(texts[d], sorted(spans[d], key=lambda k: (k[1], k[2]))) for d in texts]


def annotation_count(project: Project) -> int:
    from sqlalchemy import func

    with project.reading() as s:
        return int(s.scalar(select(func.count(Annotation.id))) or 0)
