"""doccano's two offset units (issue 13, item 4): UTF-16 code units (the default, for projects
with "Count grapheme clusters as one character" off) and grapheme clusters (``grapheme_mode``
on), declared as the doccano format's ``doccano_offsets`` option."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.graphemes import GraphemeMap
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.service import Outcome, import_file
from annotator.store.project import Project
from tests.helpers.interchange import INTERCHANGE, build, export, spans_of

# flag (2 code points), "e" + combining acute, a ZWJ family (5 code points), a skin-tone thumb
TEXT = "🇰🇭 Cafe\u0301 👨\u200d👩\u200d👧 fled, 👍🏽 ok"


@pytest.fixture
def rich(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Project.open(tmp_path / "rich.annot") as project:
        yield build(project)


@pytest.fixture
def project_with_clusters(project: Project) -> Project:
    def at(piece: str) -> tuple[int, int]:
        start = TEXT.index(piece)
        return start, start + len(piece)

    project.import_bundle(
        ImportedBundle(
            [
                ImportedDocument(
                    TEXT,
                    "Clusters",
                    annotations=[
                        ImportedAnnotation("Place", *at("🇰🇭")),
                        ImportedAnnotation("Quote", *at("Cafe\u0301")),
                        ImportedAnnotation("Claim", *at("fled")),
                        ImportedAnnotation("Claim", *at("👍🏽 ok")),
                    ],
                )
            ]
        )
    )
    return project


def _triples(path: Path) -> list[list]:
    (line,) = [json.loads(x) for x in path.read_text(encoding="utf-8-sig").splitlines()]
    assert line["text"] == TEXT
    return line["label"]


def test_graphemes_count_what_a_reader_sees(project_with_clusters: Project, tmp_path: Path) -> None:
    target = tmp_path / "g.jsonl"
    report = export(project_with_clusters, "doccano", target, doccano_offsets="graphemes")
    # counted by hand: 0 flag, 1 space, 2-5 C a f é, 6 space, 7 family, 8 space, 9-12 fled,
    # 13 comma, 14 space, 15 thumb, 16 space, 17-18 ok
    assert sorted(_triples(target)) == sorted(
        [[0, 1, "Place"], [2, 6, "Quote"], [9, 13, "Claim"], [15, 19, "Claim"]]
    )
    assert not any("widened" in note for note in report.notes)


def test_utf16_stays_the_default(project_with_clusters: Project, tmp_path: Path) -> None:
    target = tmp_path / "u.jsonl"
    export(project_with_clusters, "doccano", target)
    units = TEXT.encode("utf-16-le")
    for start, end, _label in _triples(target):
        assert units[2 * start : 2 * end].decode("utf-16-le") in {
            "🇰🇭",
            "Cafe\u0301",
            "fled",
            "👍🏽 ok",
        }


def test_a_span_inside_a_cluster_is_widened_and_counted(project: Project, tmp_path: Path) -> None:
    start = TEXT.index("e\u0301")
    project.import_bundle(
        ImportedBundle(
            [
                ImportedDocument(
                    TEXT, "Cut", annotations=[ImportedAnnotation("Quote", start + 1, start + 2)]
                )
            ]
        )
    )  # the accent alone
    target = tmp_path / "g.jsonl"
    report = export(project, "doccano", target, doccano_offsets="graphemes")
    assert _triples(target) == [[5, 6, "Quote"]]  # the whole "é"
    assert any("1 spans started or ended inside a grapheme cluster" in n for n in report.notes)


def test_grapheme_option_from_the_command_line(
    project_with_clusters: Project, tmp_path: Path
) -> None:
    path = project_with_clusters.path
    project_with_clusters.close()
    out = tmp_path / "cli.jsonl"
    assert (
        main(
            [
                "export",
                str(path),
                "--format",
                "doccano",
                "--doccano-offsets",
                "graphemes",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert [9, 13, "Claim"] in _triples(out)


def test_grapheme_map_round_trips_boundaries() -> None:
    clusters = GraphemeMap(TEXT)
    assert clusters.length == 19
    for index in range(clusters.length + 1):
        assert clusters.to_graphemes(clusters.from_graphemes(index)) == index
    inside = TEXT.index("\u200d")  # inside the family
    assert not clusters.is_boundary(inside)
    assert clusters.to_graphemes(inside) == 7 and clusters.to_graphemes(inside, end=True) == 8
    with pytest.raises(ValueError, match="outside the text"):
        clusters.from_graphemes(20)


# -- with doccano 1.8.4 (fixtures/interchange/doccano-1.8.4, see make_fixtures.py there) -------

REAL = INTERCHANGE / "doccano-1.8.4"


@pytest.mark.parametrize("unit", ["utf16", "graphemes"])
def test_doccano_kept_every_span_it_was_given(rich: Project, tmp_path: Path, unit: str) -> None:
    """doccano imported our export with a BOM (encoding "Auto") and exported the same offsets
    back."""
    target = tmp_path / "ours.jsonl"
    export(rich, "doccano", target, doccano_offsets=unit, doccano_bom="yes")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf{")  # the BOM doccano's "Auto" needs

    def labels(path: Path) -> dict[str, list]:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        return {item["text"]: sorted(map(tuple, item["label"])) for item in map(json.loads, lines)}

    assert labels(REAL / f"doccano-export-{unit}.jsonl") == labels(target)


def test_doccanos_own_export_imports(rich: Project, tmp_path: Path) -> None:
    with Project.open(tmp_path / "copy.annot") as copy:
        outcome = import_file(copy, REAL / "doccano-export-utf16.jsonl")
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert spans_of(copy) == spans_of(rich)
