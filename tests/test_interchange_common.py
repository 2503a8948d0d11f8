"""Shared builders for the interchange tests (no tests here): a project whose texts hold emoji,
ZWJ sequences, combining marks, CJK, right-to-left scripts and a CRLF source, with overlapping,
multi-line and word-internal spans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.io.registry import ExportOptions, ExportReport
from annotator.service import export_to, import_file
from annotator.store.project import Project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INTERCHANGE = FIXTURES / "interchange"

NEWS = (
    "Cambodia 🇰🇭 moved to Tier 2, said the Ministry of Women’s Affairs.\n"
    "“We are proud,” said Naly Pilorge of Licadho.\n"
    "A ZWJ family 👨\u200d👩\u200d👧 joined; the café\u0301 owner agreed.\n"
    "東京都に住む人は多い。 العربية: تقرير عن الاتجار بالبشر"
)


@dataclass(frozen=True)
class Span:
    label: str
    start: int
    end: int
    text: str


def spans_of(project: Project) -> list[tuple[str, str, int, int, str]]:
    """(document title, label, start, end, text) of every annotation, sorted."""
    titles = {d.id: d.title for d in project.documents()}
    return sorted(
        (titles[a.document_id], a.label, a.start, a.end, a.text) for a in project.annotations()
    )


def texts_of(project: Project) -> list[str]:
    return sorted(project.document(d.id).text for d in project.documents())


def build(project: Project) -> Project:
    """Fill ``project``: the news text (from a bundle) and the CRLF fixture (via the importer)."""
    doc = (
        project.import_bundle(
            ImportedBundle(
                [
                    ImportedDocument(
                        text=NEWS,
                        title="News: Cambodia/Tier 2",
                        source="https://example.org/cambodia",
                        metadata={"author": "Kim Sok", "date": "2024-06-24"},
                    )
                ]
            )
        )
        .added[0]
        .id
    )

    def span(label: str, piece: str, occurrence: int = 0, **kwargs: object) -> None:
        start = -1
        for _ in range(occurrence + 1):
            start = NEWS.index(piece, start + 1)
        project.add_annotation(doc, label, start, start + len(piece), **kwargs)

    span(
        "Claim",
        "Cambodia 🇰🇭 moved to Tier 2",
        annotator="ana",
        note="checked\nwith the report",
        attributes={"verdict": "mostly true", "checkworthy": True},
    )
    span(
        "Tier rating", "Tier 2", attributes={"tier": "Tier 2", "year": 2024, "subject": "Cambodia"}
    )
    span(
        "Organisation",
        "Ministry of Women’s Affairs",
        attributes={"type": "government"},
        annotator="bo",
    )
    span("Quote", "“We are proud,”", attributes={"speaker": "Naly Pilorge"})
    span("Organisation", "Licadho", attributes={"type": "NGO"})
    span("Claim", "👨\u200d👩\u200d👧", attributes={"verdict": "unverified"})
    span("Claim", "café\u0301 owner agreed", attributes={"verdict": "false"})
    span("Organisation", "東京")  # inside a CJK run: no word boundary around it
    span("Quote", "تقرير عن الاتجار")
    span(
        "Claim",
        "proud,” said Naly Pilorge of Licadho.\nA ZWJ family",
        attributes={"verdict": "true"},
    )  # crosses a line break, overlaps two spans

    import_file(project, FIXTURES / "emoji-crlf.txt")
    crlf = next(d for d in project.documents() if d.id != doc)
    text = project.document(crlf.id).text

    def crlf_span(label: str, piece: str) -> None:
        start = text.index(piece)
        project.add_annotation(crlf.id, label, start, start + len(piece))

    crlf_span("Claim", "🇰🇭, thumbs up: 👍🏽")
    crlf_span("Quote", "Cafe\u0301 written")
    crlf_span("Organisation", "柬埔寨")
    crlf_span("Quote", "דוח על סחר")
    crlf_span("Claim", "(one ZWJ sequence).\nCafe\u0301")
    return project


def export(project: Project, fmt: str, target: Path, **options: str) -> ExportReport:
    return export_to(project, fmt, target, ExportOptions(**options))


@contextmanager
def round_trip(project: Project, fmt: str, exported: Path, tmp_path: Path) -> Iterator[Project]:
    """Export ``project`` as ``fmt`` to ``exported`` and import that into a new project."""
    export(project, fmt, exported)
    with Project.open(tmp_path / f"{fmt}-copy.annot") as copy:
        outcome = import_file(copy, exported)
        assert outcome.outcome.value == "imported", outcome.message
        yield copy
