"""The ``suggest``, ``evaluate`` and ``patterns`` commands (see :mod:`annotator.cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.store.project import Project

COMMANDS = ("suggest", "evaluate", "patterns")


def add_parsers(commands: Any) -> None:
    from annotator.cli import project_location  # a file path or a server's URL

    suggest = commands.add_parser(
        "suggest",
        help="suggest spans (quotes, tier ratings, organisations, claims, patterns)",
        description="Suggest spans with the built-in detectors, the project's patterns and a "
        "model learned from its annotations. Writes the annotator-suggestions JSON (code "
        "points, end exclusive). Ranges already annotated or rejected are never suggested.",
    )
    suggest.add_argument("project", type=project_location, metavar="PROJECT")
    suggest.add_argument("--document", metavar="ID", help="only this document (its id)")
    suggest.add_argument("--labels", metavar="L,...", help="only these labels (comma-separated)")
    suggest.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUT.json",
        help="where to write the JSON; '-' or omitted: standard output",
    )
    suggest.add_argument(
        "--apply",
        action="store_true",
        help="also store the suggestions as annotations of the layer 'suggested' (their annotator)",
    )

    evaluate = commands.add_parser(
        "evaluate",
        help="precision, recall and F1 per label against a gold JSON file",
        description="Score the project's annotations against the annotations of an Annotator "
        "JSON file (documents matched by their text): per label, exact spans and overlapping "
        "spans.",
    )
    evaluate.add_argument("project", type=project_location, metavar="PROJECT")
    evaluate.add_argument("--gold", type=Path, required=True, metavar="GOLD.json")
    evaluate.add_argument(
        "--annotator",
        metavar="NAME",
        help="score only this annotator's annotations (e.g. 'suggested')",
    )
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")

    patterns = commands.add_parser(
        "patterns",
        help="import or export suggestion patterns (Prodigy/EntityRuler JSONL)",
        description='Patterns are JSONL lines {"label": …, "pattern": …}: a string is an exact '
        'phrase, a list is a spaCy token pattern, and "kind": "regex" makes the string a '
        "regular expression. With no option, list them.",
    )
    patterns.add_argument("project", type=project_location, metavar="PROJECT")
    action = patterns.add_mutually_exclusive_group()
    action.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="F",
        help="add the patterns of a JSONL file (duplicates are skipped)",
    )
    action.add_argument("--export", type=Path, metavar="F", help="write the patterns as JSONL")


def writes(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "apply", False) or getattr(args, "import_file", None))


def run(project: Project, args: argparse.Namespace) -> int:
    if args.command == "suggest":
        return _suggest(project, args)
    if args.command == "evaluate":
        return _evaluate(project, args)
    return _patterns(project, args)


def _suggest(project: Project, args: argparse.Namespace) -> int:
    from annotator import suggest_service
    from annotator.io.files import atomic_text_writer
    from annotator.service import check_output_target

    target = None if args.output == "-" else Path(args.output)
    if target is not None:
        check_output_target(project, target)  # before the work: a bad target is refused at once
    labels = [n.strip() for n in args.labels.split(",") if n.strip()] if args.labels else None
    if labels is not None:
        suggest_service.check_labels(project, labels)
    ids = [d.id for d in project.documents()]
    if args.document is not None:
        if args.document not in ids:
            raise AnnotatorError(project.path, f"no document with id {args.document!r}")
        ids = [args.document]
    model = suggest_service.train(project)
    notes: list[str] = []
    data, found = suggest_service.suggestions_json(project, ids, labels, model, notes)
    for note in notes:
        print(f"annotator: {note}", file=sys.stderr)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if target is None:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stdout.write(text)
    else:
        with atomic_text_writer(target) as out:
            out.write(text)
    if args.apply:
        count = suggest_service.apply(project, found)
        print(
            f"stored {count} suggestions as annotations of the layer 'suggested'", file=sys.stderr
        )
    return 0


def _evaluate(project: Project, args: argparse.Namespace) -> int:
    from annotator import suggest_service

    scores, matched, total = suggest_service.evaluate_project(project, args.gold, args.annotator)
    if args.json:
        print(json.dumps({**scores.as_dict(), "documents": matched}, indent=1))
    else:
        print(
            f"{matched} of {total} gold documents found in the project"
            + (f"; annotations by {args.annotator!r}" if args.annotator else "")
        )
        for line in scores.table():
            print(line)
    return 0


def _patterns(project: Project, args: argparse.Namespace) -> int:
    from annotator import suggest_service
    from annotator.store import suggestion_store

    if args.import_file:
        added, present = suggest_service.import_patterns(project, args.import_file)
        print(f"added: {added} patterns" + (f"; {present} already present" if present else ""))
        return 0
    if args.export:
        count = suggest_service.export_patterns(project, args.export)
        print(f"exported: {count} patterns to {args.export}")
        return 0
    for p in suggestion_store.patterns(project):
        print(f"{p.label}\t{p.kind}\t{json.dumps(p.pattern, ensure_ascii=False)}")
    return 0
