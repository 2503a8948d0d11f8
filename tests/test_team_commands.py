"""annotator agreement and annotator adjudicate on real projects: CRLF sources, astral characters,
overlaps; figures checked code point by code point against the krippendorff package and
scikit-learn; the --json object exactly as specified; adjudication idempotent."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.service import adjudicate, agreement, curated_layers, import_file
from annotator.store.project import Project

krippendorff = pytest.importorskip("krippendorff")
sklearn_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
np = pytest.importorskip("numpy")

# CRLF newlines and astral characters (flags, an emoji) before and inside the spans
SOURCE = (
    "Le ministre 🇫🇷 a déclaré 😀 que le rapport était juste.\r\n"
    "Les 𝒪bservateurs de l'ONU ont contesté ce chiffre 🙂 hier.\r\n"
    "Rien d'autre.\r\n"
)


@pytest.fixture
def team(tmp_path: Path) -> Project:
    source = tmp_path / "article.txt"
    source.write_bytes(SOURCE.encode("utf-8"))
    with Project.open(tmp_path / "team.annot") as project:
        import_file(project, source)
        import_file(
            project, Path(__file__).resolve().parent.parent / "resources" / "cambodia-tier2.txt"
        )  # only ann annotates it: left out by default
        doc = project.documents()[0].id
        text = project.document(doc).text
        assert "\r" not in text

        def at(word: str, nth: int = 0) -> tuple[int, int]:
            start = -1
            for _ in range(nth + 1):
                start = text.index(word, start + 1)
            return start, start + len(word)

        layers = {
            "ann": [
                ("Claim", *at("a déclaré 😀 que le rapport")),
                ("Organisation", *at("ONU")),
                ("Quote", *at("𝒪bservateurs de l'ONU")),
                ("Claim", *at("chiffre 🙂 hier")),
            ],
            "bob": [
                ("Claim", *at("a déclaré 😀 que le rapport")),
                ("Organisation", *at("l'ONU")),
                ("Claim", *at("ce chiffre 🙂")),
                ("Claim", *at("Rien")),
            ],
            "cleo": [
                ("Claim", *at("déclaré 😀 que")),
                ("Organisation", *at("ONU")),
                ("Quote", *at("Les 𝒪bservateurs")),
            ],
        }
        for name, spans in layers.items():
            for label, start, end in spans:
                project.add_annotation(
                    doc,
                    label,
                    start,
                    end,
                    annotator=name,
                    attributes={"verdict": "false"} if name != "cleo" else {"verdict": "true"},
                )
        other = project.documents()[1].id
        project.add_annotation(other, "Claim", 0, 8, annotator="ann")
        yield project


def reference(project: Project, names: list[str], labels: list[str]) -> tuple[float, float]:
    doc = project.documents()[0]
    blocks = []
    for label in labels:
        block = np.zeros((len(names), doc.length), dtype=int)
        for a in project.annotations(doc.id):
            if a.label == label and a.annotator in names:
                block[names.index(a.annotator), a.start : a.end] = 1
        blocks.append(block)
    data = np.concatenate(blocks, axis=1)
    alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    if len(names) == 2:
        kappa = sklearn_metrics.cohen_kappa_score(data[0], data[1])
    else:
        kappa = inter_rater.fleiss_kappa(inter_rater.aggregate_raters(data.T)[0])
    return alpha, kappa


def test_figures_equal_the_reference_implementations(team: Project) -> None:
    figures = agreement(team)
    assert figures["annotators"] == ["ann", "bob", "cleo"]
    assert figures["documents"] == 1
    labels = [label.name for label in team.labels()]
    alpha, kappa = reference(team, ["ann", "bob", "cleo"], labels)
    assert figures["overall"]["alpha"] == pytest.approx(alpha)
    assert figures["overall"]["kappa"] == pytest.approx(kappa)
    for label in ("Claim", "Organisation", "Quote"):
        alpha, kappa = reference(team, ["ann", "bob", "cleo"], [label])
        assert figures["labels"][label]["alpha"] == pytest.approx(alpha)
        assert figures["labels"][label]["kappa"] == pytest.approx(kappa)
    for pair in figures["pairs"]:
        alpha, kappa = reference(team, pair["annotators"], labels)
        assert (pair["alpha"], pair["kappa"]) == pytest.approx((alpha, kappa))
    claim = figures["labels"]["Claim"]
    assert claim["spans"] == {"ann": 2, "bob": 3, "cleo": 1}
    # ann/bob: 1 exact of 5 spans; ann/cleo: 0 of 3; bob/cleo: 0 of 4
    assert claim["f1_exact"] == pytest.approx((2 / 5 + 0 + 0) / 3)
    # overlap: ann/bob 2 of 5, ann/cleo 1 of 3, bob/cleo 1 of 4
    assert claim["f1_overlap"] == pytest.approx((4 / 5 + 2 / 3 + 2 / 4) / 3)
    tier = figures["labels"]["Tier rating"]
    assert tier["alpha"] is None and tier["kappa"] is None and tier["f1_exact"] is None


def test_choosing_annotators_labels_and_documents(team: Project) -> None:
    figures = agreement(team, ["ann", "bob"], ["Claim"])
    assert list(figures["labels"]) == ["Claim"] and len(figures["pairs"]) == 1
    alpha, kappa = reference(team, ["ann", "bob"], ["Claim"])
    assert figures["overall"]["alpha"] == pytest.approx(alpha)
    assert figures["overall"]["kappa"] == pytest.approx(kappa)
    assert figures["pairs"][0]["f1_exact"] == pytest.approx(2 / 5)
    both = agreement(team, ["ann", "bob"], document_ids=[d.id for d in team.documents()])
    assert both["documents"] == 2
    for bad, kwargs in (
        (["ann", "zed"], {}),
        (None, {"labels": ["Rumour"]}),
        (None, {"document_ids": ["nope"]}),
        (["ann"], {}),
    ):
        with pytest.raises(AnnotatorError):
            agreement(team, bad, **kwargs)


def test_json_is_exactly_the_specified_object(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(team.path)
    assert main(["agreement", path, "--json"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out
    data = json.loads(out)
    assert data == json.loads(json.dumps(agreement(team)))
    assert set(data) == {"measure", "annotators", "documents", "overall", "labels", "pairs"}
    assert data["measure"] == "ours"
    figures = {"alpha", "kappa", "f1_exact", "f1_overlap"}
    assert set(data["overall"]) == figures
    for label in data["labels"].values():
        assert set(label) == figures | {"spans"}
    for pair in data["pairs"]:
        assert set(pair) == figures | {"annotators"}
    for value in (
        *data["overall"].values(),
        *(v for x in data["pairs"] for k, v in x.items() if k in figures),
    ):
        assert value is None or (isinstance(value, float) and math.isfinite(value))


def test_cli_table_and_errors(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(team.path)
    assert main(["agreement", path, "--annotators", "ann,bob", "--labels", "Claim,Quote"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Annotators: ann, bob; documents: 1")
    assert "Claim" in out and "ann / bob" in out and "Organisation" not in out
    assert main(["agreement", path, "--annotators", "ann,zed"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {team.path}: no annotator named 'zed'")
    assert main(["agreement", path, "--labels", "Rumour"]) == 2
    assert "no label named 'Rumour'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["agreement", path, "--annotators", "ann,,bob"])
    assert exited.value.code == 2


def test_adjudicate_copies_exact_agreement_once(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    report = adjudicate(team, ["ann", "bob"], "lead")
    assert (report.added, report.already) == (1, 0)
    (agreed,) = [a for a in team.annotations() if a.annotator == "lead"]
    assert agreed.label == "Claim" and agreed.text == "a déclaré 😀 que le rapport"
    assert agreed.attributes == {"verdict": "false"}
    assert adjudicate(team, ["ann", "bob"], "lead").added == 0
    # ann and cleo agree on the Organisation "ONU" but not on its verdict
    assert main(["adjudicate", str(team.path), "--annotators", "ann,cleo", "--into", "lead"]) == 0
    assert capsys.readouterr().out.startswith("added: 1 agreed spans to layer 'lead'")
    organisation = [
        a for a in team.annotations() if a.annotator == "lead" and a.label == "Organisation"
    ]
    assert [(o.text, o.attributes) for o in organisation] == [("ONU", {})]
    assert main(["adjudicate", str(team.path), "--annotators", "ann,bob", "--into", "ann"]) == 2
    assert "name a layer of its own" in capsys.readouterr().err
    missing = team.path.with_name("missing.annot")
    assert main(["adjudicate", str(missing), "--annotators", "ann,bob", "--into", "x"]) == 2
    assert not missing.exists() and "no such project file" in capsys.readouterr().err


def test_the_adjudicated_layer_is_not_an_annotator(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26: after adjudication the curated layer counted as a third annotator
    team.delete_annotations(a.id for a in team.annotations() if a.annotator == "cleo")
    before = agreement(team)
    assert before["annotators"] == ["ann", "bob"]
    assert main(["agreement", str(team.path), "--json"]) == 0
    cli_before = json.loads(capsys.readouterr().out)
    assert adjudicate(team, ["ann", "bob"], "lead").added == 1
    assert agreement(team) == before
    assert main(["agreement", str(team.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == cli_before

    with_lead = agreement(team, include_curated=True)
    assert with_lead["annotators"] == ["ann", "bob", "lead"]
    assert with_lead["overall"]["alpha"] != before["overall"]["alpha"]
    assert main(["agreement", str(team.path), "--json", "--include-curated"]) == 0
    assert json.loads(capsys.readouterr().out) == with_lead
    # named, the curated layer counts: comparing an annotator with the adjudication
    assert agreement(team, ["ann", "lead"])["annotators"] == ["ann", "lead"]

    team.delete_annotations(a.id for a in team.annotations() if a.annotator == "bob")
    assert main(["agreement", str(team.path)]) == 2
    assert capsys.readouterr().err.startswith(
        f"annotator: error: {team.path}: agreement needs at least two annotators (the project "
        "has: 'ann', 'lead'; curated, left out unless asked: 'lead')"
    )


def test_merge_carries_the_curated_marks(
    team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26: a copy's curated layer arrived in the merged project unmarked, so agreement
    # there counted the curator's copies as a third annotator
    team.close()
    source, target = str(team.path), str(tmp_path / "merged.annot")
    assert main(["merge", target, source]) == 0
    args = ["--annotators", "ann,bob", "--into", "curation"]
    assert main(["adjudicate", source, *args]) == 0
    assert main(["adjudicate", target, "--annotators", "ann,cleo", "--into", "gold"]) == 0
    capsys.readouterr()

    assert main(["merge", target, source]) == 0
    out = capsys.readouterr().out
    with Project.open(target) as merged:
        assert curated_layers(merged) == ["curation", "gold"]  # the union of both lists
        assert agreement(merged)["annotators"] == ["ann", "bob", "cleo"]
    assert "1 annotations added" in out and "curated layers: curation" in out
    assert main(["agreement", source, "--json"]) == 0
    in_source = json.loads(capsys.readouterr().out)
    assert main(["agreement", target, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == in_source  # both curated layers left out

    assert main(["merge", target, source]) == 0  # again: nothing new, nothing said
    assert "curated layers" not in capsys.readouterr().out


def test_a_damaged_list_of_curated_layers_is_named(
    team: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    team.close()
    with sqlite3.connect(team.path) as connection:
        connection.execute("INSERT INTO project_meta VALUES ('curated_layers', '{\"lead\": 1}')")
    connection.close()
    assert main(["agreement", str(team.path)]) == 2
    assert capsys.readouterr().err == (
        f"annotator: error: {team.path}: the project file is damaged "
        "(project_meta 'curated_layers' is not a list of names)\n"
    )


def test_exports_filter_layers(
    team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(team.path)
    assert main(["export", path, "--annotator", "bob", "--annotator", "cleo"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [a["annotator"] for d in data["documents"] for a in d["annotations"]]
    assert sorted(set(names)) == ["bob", "cleo"] and len(names) == 7
    assert len(data["documents"]) == 2  # every document still comes, with its layers only
    out = tmp_path / "bob.csv"
    assert main(["export", path, "--format", "csv", "-o", str(out), "--annotator", "bob"]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + 4
    assert main(["export", path]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert sum(len(d["annotations"]) for d in everything["documents"]) == 12
    assert main(["export", path, "--annotator", "zed"]) == 2
    out_err = capsys.readouterr()
    assert out_err.out == ""
    assert out_err.err.startswith(f"annotator: error: {team.path}: no annotator named 'zed'")


def test_agreement_json_on_an_ascii_terminal(tmp_path: Path) -> None:
    """JSON is UTF-8 whatever the terminal: a label the terminal cannot show is no crash."""
    from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument

    from .test_cli import run  # the console script, with PYTHONIOENCODING=ascii

    path = tmp_path / "cafe.annot"
    spans = [ImportedAnnotation("Café", 0, 8, annotator=who) for who in ("A", "B")]
    with Project.open(path) as project:
        document = ImportedDocument("Cambodia moved up.", "T", annotations=spans)
        project.import_bundle(ImportedBundle([document]))
    done = run("agreement", path, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["labels"]["Café"]["spans"] == {"A": 1, "B": 1}
