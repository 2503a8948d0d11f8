"""Team work: agreement over three annotators' layers, and merging a copy of a project."""

from __future__ import annotations

import random
from pathlib import Path

from annotator import service
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store.project import Project
from benchmarks.generate import Size, article_text, word_spans
from benchmarks.harness import Workspace, copy_database, elapsed_ms
from benchmarks.rows import Row, Scenario, Target, median

ANNOTATORS = ("ann", "bob", "cleo")
AGREEMENT_TARGET = Target(max_value=2000)
MERGE_DOCUMENTS = 10  # of a tenth of the size each: the size's text and spans in all
MERGE_TARGET = Target(max_ratio=3)


def layers(text: str, spans: int, seed: int = 7) -> list[ImportedAnnotation]:
    """Three annotators' layers of ``spans`` spans each: from the same reading, each keeps about
    six in ten spans as they are, moves one edge of two in ten, and marks two in ten elsewhere."""
    rng = random.Random(seed)
    shared = word_spans(text, spans, seed)
    own = {name: word_spans(text, spans, seed + 1 + n) for n, name in enumerate(ANNOTATORS)}
    result = []
    for name in ANNOTATORS:
        for n, span in enumerate(shared):
            roll = rng.random()
            if roll < 0.6:
                start, end, label = span.start, span.end, span.label
            elif roll < 0.8:
                start = max(0, span.start + rng.randint(-3, 3))
                end, label = max(start + 1, span.end), span.label
            else:
                other = own[name][n]
                start, end, label = other.start, other.end, other.label
            result.append(ImportedAnnotation(label, start, end, annotator=name))
    return result


def agreement_project(ws: Workspace, size: Size) -> Path:
    path = ws.fresh_dir("agreement") / "team.annot"
    text = article_text(size.characters, 3)
    document = ImportedDocument(
        text, f"Team article ({size.name})", annotations=layers(text, size.spans)
    )
    with Project.open(path) as project:
        project.import_bundle(ImportedBundle([document]))
    return path


def run_agreement(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """service.agreement (every label, every figure, three pairs) by each measure vs reading
    the same spans."""
    measures = ("ours", "inception-coding", "inception-unitizing")
    app_ms: dict[str, list[float]] = {measure: [] for measure in measures}
    bare_ms: list[float] = []
    with Project.open(agreement_project(ws, size)) as project:
        for n in range(repeat + 1):
            times = {
                measure: elapsed_ms(lambda: service.agreement(project, measure=measure))  # noqa: B023
                for measure in measures
            }
            bare = elapsed_ms(project.annotations)
            if n:
                for measure, ms in times.items():
                    app_ms[measure].append(ms)
                bare_ms.append(bare)
        figures = {measure: service.agreement(project, measure=measure) for measure in measures}
    ours = figures["ours"]["overall"]
    notes = {
        "ours": f"α {ours['alpha']:.2f}, κ {ours['kappa']:.2f}, "
        f"F1 overlap {ours['f1_overlap']:.2f}",
        "inception-coding": f"α {_figure(figures['inception-coding'], 'alpha')}",
        "inception-unitizing": f"αu {_figure(figures['inception-unitizing'], 'alpha_u')}",
    }
    return [
        Row(
            f"agreement --measure {measure} (service.agreement)",
            f"3 annotators × {size.label} each",
            repeat,
            median(app_ms[measure]),
            baseline=median(bare_ms),
            target=AGREEMENT_TARGET,
            note=f"baseline: Project.annotations() alone; {notes[measure]}",
        )
        for measure in measures
    ]


def _figure(report: dict, name: str) -> str:
    value = (report.get("overall") or {}).get(name)
    return f"{value:.2f}" if isinstance(value, float) else "-"


def copy_of_project(ws: Workspace, size: Size) -> Path:
    """A colleague's copy: MERGE_DOCUMENTS documents, every annotation stamped "bob"."""
    path = ws.project(size.split(MERGE_DOCUMENTS), MERGE_DOCUMENTS)
    with Project.open(path) as project:
        project.restore_annotations(a._replace(annotator="bob") for a in project.annotations())
    return path


def run_merge(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """service.merge_file of a copy into a new project vs service.import_file of the same
    project as Annotator JSON into a new project; and merging the copy a second time."""
    source = copy_of_project(ws, size)
    exported = ws.fresh_dir("merge-json") / "copy.json"
    with Project.open(source) as project, exported.open("w", encoding="utf-8") as out:
        service.export_project(project, out)
        annotations = len(project.annotations())
    empty = ws.fresh_dir("merge-empty") / "empty.annot"
    Project.open(empty).close()
    merge_ms: list[float] = []
    import_ms: list[float] = []
    again_ms: list[float] = []
    for n in range(repeat + 1):
        target = ws.fresh_dir("merge") / "team.annot"
        copy_database(empty, target)
        with Project.open(target) as project:
            outcomes: list[service.MergeOutcome] = []
            merge = elapsed_ms(lambda: outcomes.append(service.merge_file(project, source)))  # noqa: B023
            report = outcomes[0].report
            assert report is not None and report.annotations_added == annotations, outcomes
            again = elapsed_ms(lambda: service.merge_file(project, source))  # noqa: B023
        imported = ws.fresh_dir("merge-import") / "imported.annot"
        copy_database(empty, imported)
        with Project.open(imported) as project:
            done = elapsed_ms(lambda: service.import_file(project, exported))  # noqa: B023
        if n:
            merge_ms.append(merge)
            import_ms.append(done)
            again_ms.append(again)
    label = f"{MERGE_DOCUMENTS} documents, {annotations:,} annotations"
    return [
        Row(
            "merge a copy into a new project (service.merge_file)",
            label,
            repeat,
            median(merge_ms),
            baseline=median(import_ms),
            target=MERGE_TARGET,
            note="baseline: service.import_file of the same project as Annotator JSON",
        ),
        Row(
            "merge the same copy again (all skipped)",
            label,
            repeat,
            median(again_ms),
            baseline=median(import_ms),
            note="baseline: the same JSON import",
        ),
    ]


SCENARIOS = [
    Scenario("agreement", run_agreement, ("medium",), 5),
    Scenario("merge", run_merge, ("large",), 3),
]
