"""`annotator suggest`, `evaluate` and `patterns`: the JSON they write, what they store, and
one-line errors for bad input with nothing saved changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.core.suggest.patterns import Pattern
from annotator.service import import_file
from annotator.store import suggestion_store
from annotator.store.project import Project

from .conftest import SAMPLE, sql

GOLD = Path(__file__).resolve().parent / "fixtures" / "suggest"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        import_file(project, SAMPLE)
    return path


def test_suggest_writes_the_suggestions_json(sample: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.json"
    assert main(["suggest", str(sample), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("annotator-suggestions", 1)
    (document,) = data["documents"]
    text = SAMPLE.read_text(encoding="utf-8").strip()
    assert document["title"] == "Cambodia Moves Up on US Trafficking List"
    for s in document["suggestions"]:
        assert set(s) == {"label", "start", "end", "text", "score", "source", "attributes"}
        assert text[s["start"] : s["end"]] == s["text"]
        assert 0 < s["score"] <= 1
    kinds = {(s["label"], s["source"]) for s in document["suggestions"]}
    assert ("Quote", "detector:quotes") in kinds and ("Tier rating", "detector:tiers") in kinds
    miller = next(s for s in document["suggestions"] if s["text"].startswith("“Without going"))
    assert miller["attributes"] == {"speaker": "John Miller"}
    assert sql(sample, "SELECT count(*) FROM annotations") == [(0,)]  # nothing stored


def test_suggest_filters_by_document_and_label(sample: Path, capsys) -> None:
    with Project.open(sample) as project:
        document_id = project.documents()[0].id
    assert main(["suggest", str(sample), "--document", document_id, "--labels", "Tier rating"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["label"] for s in data["documents"][0]["suggestions"]} == {"Tier rating"}


def test_apply_stores_the_layer_suggested_and_evaluate_scores_it(tmp_path: Path, capsys) -> None:
    project = tmp_path / "g.annot"
    articles = [GOLD / f"heldout-{n}.txt" for n in ("thailand", "garment", "faktencheck")]
    assert main(["import", str(project), *map(str, articles)]) == 0
    capsys.readouterr()
    assert main(["suggest", str(project), "--apply", "-o", str(tmp_path / "s.json")]) == 0
    stored = sql(project, "SELECT DISTINCT annotator FROM annotations")
    assert stored == [("suggested",)]
    assert "stored" in capsys.readouterr().err
    assert (
        main(
            [
                "evaluate",
                str(project),
                "--gold",
                str(GOLD / "heldout.json"),
                "--annotator",
                "suggested",
                "--json",
            ]
        )
        == 0
    )
    scores = json.loads(capsys.readouterr().out)
    assert scores["documents"] == 3
    quote = scores["labels"]["Quote"]["exact"]
    assert quote["recall"] >= 0.9 and quote["precision"] >= 0.9
    assert set(scores["labels"]) == {"Quote", "Organisation", "Tier rating"}  # the gold's labels
    # a second run suggests nothing already stored
    assert main(["suggest", str(project)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert sum(len(d["suggestions"]) for d in again["documents"]) == 0
    assert main(["evaluate", str(project), "--gold", str(GOLD / "heldout.json")]) == 0
    assert "Quote" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["suggest", "{p}", "--labels", "Nope"], "no label named 'Nope'"),
        (["suggest", "{p}", "--document", "nope"], "no document with id 'nope'"),
        (["evaluate", "{p}", "--gold", "{missing}"], "missing.json: cannot be read"),
        (["evaluate", "{p}", "--gold", "{gold}"], "none of its documents is in the project"),
        (["patterns", "{p}", "--import", "{bad}"], "bad.jsonl: line 2: not JSON"),
        (["patterns", "{p}", "--import", "{regex}"], "regex.jsonl: line 1: the regular expression"),
        (["patterns", "{p}", "--import", "{unknown}"], "no label named 'ORG' in the codebook"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    sample: Path, tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    (tmp_path / "bad.jsonl").write_text('{"label": "Quote", "pattern": "x"}\n{oops\n')
    (tmp_path / "regex.jsonl").write_text('{"label": "Quote", "pattern": "(", "kind": "regex"}\n')
    (tmp_path / "unknown.jsonl").write_text('{"label": "ORG", "pattern": "World Bank"}\n')
    before = sample.read_bytes()
    values = {
        "p": sample,
        "missing": tmp_path / "missing.json",
        "gold": GOLD / "heldout.json",
        "bad": tmp_path / "bad.jsonl",
        "regex": tmp_path / "regex.jsonl",
        "unknown": tmp_path / "unknown.jsonl",
    }
    assert main([a.format(**values) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: ") and message in err and err.count("\n") == 1
    assert sample.read_bytes() == before


def test_patterns_round_trip_through_prodigy_jsonl(sample: Path, tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        {"label": "Organisation", "pattern": "Afesip"},
        {"label": "Organisation", "pattern": r"\bLic\w+", "kind": "regex"},
        {"label": "Organisation", "pattern": [{"LOWER": "asean"}]},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert main(["patterns", str(sample), "--import", str(source)]) == 0
    assert "added: 3 patterns" in capsys.readouterr().out
    assert main(["patterns", str(sample), "--import", str(source)]) == 0
    assert "added: 0 patterns; 3 already present" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["patterns", str(sample), "--export", str(out)]) == 0
    assert "exported: 3 patterns" in capsys.readouterr().out
    assert [json.loads(line) for line in out.read_text().splitlines()] == lines
    with Project.open(sample) as project:
        assert [p.kind for p in suggestion_store.patterns(project)] == ["phrase", "regex", "tokens"]
    pytest.importorskip("spacy", reason="token patterns need spaCy")
    assert main(["suggest", str(sample), "--labels", "Organisation"]) == 0
    found = json.loads(capsys.readouterr().out)["documents"][0]["suggestions"]
    sources = {s["text"]: s["source"] for s in found}
    assert sources["Afesip"].startswith("pattern:phrase")
    assert sources["Licadho"].startswith("pattern:regex")
    assert sources["Asean"].startswith("pattern:tokens")


def test_rejected_ranges_are_remembered_per_document(sample: Path) -> None:
    with Project.open(sample) as project:
        document_id = project.documents()[0].id
        suggestion_store.reject(project, document_id, [("Quote", 10, 20), ("Claim", 5, 9)])
        suggestion_store.reject(project, document_id, [("Quote", 10, 20)])  # again: harmless
        assert suggestion_store.rejected(project, document_id) == {
            ("Quote", 10, 20),
            ("Claim", 5, 9),
        }
        suggestion_store.unreject(project, document_id, [("Quote", 10, 20)])
        assert suggestion_store.rejected(project, document_id) == {("Claim", 5, 9)}
        project.delete_documents([document_id])
    assert sql(sample, "SELECT count(*) FROM rejected_suggestions") == [(0,)]


def test_a_catastrophic_regex_is_given_up_on_and_named_not_run_for_minutes(
    tmp_path: Path,
) -> None:
    """``(a+)+$`` over 5,000 a's and a '!' backtracks for ever with ``re``; a project saved
    before such patterns were refused still holds it. The suggester stops it and says so."""
    project_path = tmp_path / "p.annot"
    with Project.open(project_path) as project:
        (added,) = project.import_bundle(
            ImportedBundle([ImportedDocument("a" * 5000 + "!", "Many As")])
        ).added
        suggestion_store.replace_patterns(
            project,
            [Pattern("Organisation", "regex", "(a+)+$"), Pattern("Organisation", "phrase", "a")],
        )
    done = subprocess.run(
        [str(Path(sys.executable).with_name("annotator")), "suggest", str(project_path), "-o", "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,  # a safety bound: the fixed version takes a few seconds
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "annotator: the Organisation pattern '(a+)+$' took too long on document "
        f"'Many As' ({added.id}); skipped"
    ]
    (document,) = json.loads(done.stdout)["documents"]
    assert document["suggestions"] == []  # the phrase 'a' is no word here, and the rest skipped


def test_patterns_refuses_a_repeated_repetition_with_one_line(tmp_path: Path, capsys) -> None:
    project_path = tmp_path / "p.annot"
    Project.open(project_path).close()
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text(
        '{"label": "Organisation", "pattern": "(a+)+$", "kind": "regex"}\n', encoding="utf-8"
    )
    assert main(["patterns", str(project_path), "--import", str(patterns)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "(a+)+" in error and "can take forever" in error
    with Project.open(project_path) as project:
        assert suggestion_store.patterns(project) == []


def test_each_document_is_given_the_names_in_it_and_suggests_as_with_all(tmp_path: Path) -> None:
    """The command line looks each document's words up among the corpus's names (looking for
    every name in every document grew with the corpus) and offers exactly what all names
    gave."""
    from annotator import suggest_service
    from annotator.store import known_names

    names = [f"Agency{n} Group" for n in range(40)] + ["Mekong Relief Fund", "UNICEF"]
    labelled = "Named: " + "; ".join(names) + "."
    short = "The Mekong Relief Fund met UNICEF and Agency7 Group on Tuesday."
    with Project.open(tmp_path / "p.annot") as project:
        added = project.import_bundle(
            ImportedBundle([ImportedDocument(labelled, "names"), ImportedDocument(short, "s")])
        ).added
        for name in names:
            start = labelled.index(name)
            project.add_annotation(added[0].id, "Organisation", start, start + len(name))
        ids = [a.id for a in added]
        _json, found = suggest_service.suggestions_json(project, ids, None, None)
        everything = suggest_service.sources(project)
        for document_id in ids:
            assert found[document_id] == suggest_service.suggest_document(
                project, document_id, with_sources=everything
            )
        labels_of, prefixes = known_names.index(known_names.scan(project))
        given = known_names.names_for(short, labels_of, prefixes)["Organisation"]
        assert given == {"Mekong Relief Fund", "UNICEF", "Agency7 Group"}
        assert (short.index("Mekong"), short.index(" met")) in {
            (s.start, s.end) for s in found[ids[1]] if s.source == "project:labelled names"
        }
