"""The command line: ``annotator [PROJECT] [FILE...]`` opens the window; commands run headless."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import errno
import json
import linecache
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from annotator import __version__
from annotator.cli_suggest import COMMANDS as SUGGEST_COMMANDS
from annotator.core.errors import AnnotatorError
from annotator.core.file_kinds import check_source

if TYPE_CHECKING:
    from annotator.store.backend import ServerAddress
    from annotator.store.project import Project

COMMANDS = (
    "import",
    "export",
    "info",
    "labels",
    "merge",
    "agreement",
    "adjudicate",
    "report",
    "reimport",
    "find",
    *SUGGEST_COMMANDS,
)
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _parser(prog: str = "annotator", **kwargs: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, **kwargs)  # type: ignore[arg-type]
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def gui_parser() -> argparse.ArgumentParser:
    parser = _parser(
        description="Annotate articles. With no PROJECT, reopens the last project (or, on first "
        "run, a sample project).",
        epilog="Commands that work without the window: "
        + ", ".join(f"'annotator {c} --help'" for c in COMMANDS),
    )
    parser.add_argument(
        "project",
        nargs="?",
        type=project_location,
        metavar="PROJECT",
        help="the project file to open (created if missing; e.g. news.annot), or a project on "
        "a PostgreSQL server (postgresql://user@host:port/database)",
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="articles to import into the project on opening",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help="render the window offscreen with PROJECT (first document shown), "
        "save it as OUT.png and exit",
    )
    return parser


def command_parser() -> argparse.ArgumentParser:
    parser = _parser(description="Annotator commands that work without the window.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    imp = commands.add_parser(
        "import",
        help="import articles or project JSON into a project",
        description="Import articles (txt, md, html, docx, pdf) or Annotator JSON. Creates "
        "PROJECT if it does not exist. Each file is imported whole or not at all. "
        "Exit status: 0 all imported (or skipped as already present), 1 some failed (with "
        "--skip-bad: a file whose every record was bad is one that failed), 2 none could be "
        "imported (a new PROJECT is then not created) or usage.",
    )
    imp.add_argument("project", type=project_location, metavar="PROJECT")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument(
        "--skip-bad",
        action="store_true",
        help="leave out the bad records of a file (a Label Studio region or task, a JSONL "
        "line, a brat line, a span) and import the rest, saying on stderr what was skipped",
    )
    imp.add_argument(
        "--doccano-offsets",
        choices=("auto", "utf16", "graphemes"),
        default="auto",
        help="what a doccano file's offsets count: utf16 (its project's 'Count grapheme "
        "clusters as one character' off), graphemes (on), or auto (default): the unit its "
        "spans fit; a file that fits both differently is refused and asks for this",
    )

    exp = commands.add_parser(
        "export",
        help="export a project",
        description="Export the whole project. Offsets are Unicode code points, end exclusive.",
    )
    exp.add_argument("project", type=project_location, metavar="PROJECT")
    from annotator.io.registry import EXPORT_FORMATS

    exp.add_argument(
        "--format",
        default="json",
        choices=list(EXPORT_FORMATS),
        help="; ".join(f"{f.name}: {f.description}" for f in EXPORT_FORMATS.values()),
    )
    exp.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUT",
        help="file (or folder, for formats of several files) to write; '-' or "
        "omitted: standard output",
    )
    exp.add_argument(
        "--annotator",
        action="append",
        dest="annotators",
        metavar="NAME",
        help="only this annotator's layer (repeatable); default: every layer",
    )
    from annotator.io.registry import ALL_OPTIONS, formats_with

    for option in ALL_OPTIONS.values():  # the formats' own settings, as they declare them
        default = f" (default {option.default})" if option.default else ""
        exp.add_argument(
            option.flag,
            dest=f"option_{option.name}",
            default=None,
            choices=option.choices or None,
            metavar=None if option.choices else option.name.upper(),
            help=f"{', '.join(formats_with(option))}: {option.help}{default}",
        )

    merge = commands.add_parser(
        "merge",
        help="merge copies of a project (each person's annotations) into one",
        description="Merge SOURCE projects into TARGET (created if missing), each in one "
        "transaction. Documents match by the SHA-256 of their text, labels by name, annotations "
        "by id; an id with different content keeps the newer version and is reported as a "
        "conflict. Merging the same source again changes nothing. Exit status: 0 all merged, "
        "1 some sources refused, 2 all refused (a new TARGET is then not created) or usage.",
    )
    merge.add_argument("project", type=project_location, metavar="TARGET")
    merge.add_argument("sources", nargs="+", type=project_location, metavar="SOURCE")

    agree = commands.add_parser(
        "agreement",
        help="inter-annotator agreement: Krippendorff's alpha, kappa, span F1",
        description="Agreement between annotators at character level per label (Krippendorff's "
        "alpha, nominal; Cohen's kappa for two annotators, Fleiss' for more) and span F1 "
        "(exact and overlapping). Defaults: every annotator, every label, the documents in "
        "which every compared annotator has an annotation or that are marked done. A curated "
        "layer (written by adjudicate or the curation view) is not an annotator: it is left out "
        "unless named in --annotators or --include-curated is given. An undefined figure prints "
        "as '-' (null in --json).",
    )
    agree.add_argument("project", type=project_location, metavar="PROJECT")
    agree.add_argument("--annotators", type=_names, metavar="A,B[,...]")
    agree.add_argument("--labels", type=_names, metavar="L,...")
    agree.add_argument("--documents", type=_names, metavar="ID,...")
    agree.add_argument(
        "--include-curated",
        action="store_true",
        help="count the curated (adjudicated) layers as annotators too",
    )
    agree.add_argument(
        "--measure",
        choices=("ours", "inception-coding", "inception-unitizing"),
        default="ours",
        help="ours (default): character-level alpha/kappa and span F1; inception-coding: "
        "INCEpTION's alpha/kappa over annotated positions; inception-unitizing: Krippendorff's "
        "unitizing alpha per document, as INCEpTION computes it (see the README)",
    )
    agree.add_argument(
        "--exclude-incomplete",
        action="store_true",
        help="inception-coding only: leave out the positions some annotator did not annotate "
        "(INCEpTION's 'exclude incomplete'; its kappa always does)",
    )
    agree.add_argument("--json", action="store_true", help="print one JSON object")

    adjudicate = commands.add_parser(
        "adjudicate",
        help="copy the spans annotators agree on into a layer of its own",
        description="Copy into layer NAME every span on which all the named annotators agree "
        "exactly (label, start, end), with the attributes on which they agree. Running it "
        "again adds nothing.",
    )
    adjudicate.add_argument("project", type=project_location, metavar="PROJECT")
    adjudicate.add_argument("--annotators", type=_names, metavar="A,B[,...]", required=True)
    adjudicate.add_argument(
        "--into",
        required=True,
        metavar="NAME",
        help="the layer the agreed spans go into, marked curated (not one of --annotators; "
        "the curation view's 'writing into layer' box takes the same names)",
    )

    reimport = commands.add_parser(
        "reimport",
        help="read a document's source file again with today's readers, keeping its annotations",
        description="Read DOC's source file again (a PDF reflowed into paragraphs, a DOCX "
        "table as rows), replace its text and carry each annotation to where its text is "
        "found again. If any is not found, nothing changes and each is listed.",
    )
    reimport.add_argument("project", type=project_location, metavar="PROJECT")
    reimport.add_argument("document", metavar="DOC", help="the document's id or exact title")

    find = commands.add_parser(
        "find",
        help="find a string in every document",
        description="List every match of QUERY in every document (any case unless "
        "--case-sensitive), in list order: the document, the match's code-point offsets in "
        "its text and a line of context. A full-text index picks the documents to read.",
    )
    find.add_argument("project", type=project_location, metavar="PROJECT")
    find.add_argument("query", metavar="QUERY", help="the text to find (a phrase as it is)")
    find.add_argument(
        "--limit", type=int, default=100, metavar="N", help="at most N matches (default: 100)"
    )
    find.add_argument("--case-sensitive", action="store_true", help="match case")
    find.add_argument("--whole-words", action="store_true", help="only whole words")
    find.add_argument(
        "--order",
        choices=("document", "rank"),
        default="document",
        help="list order (default), or the documents with the most matches first",
    )
    find.add_argument("--json", action="store_true", help="one JSON object on standard output")

    info = commands.add_parser(
        "info",
        help="show documents, labels and annotation counts",
        description="Show documents, labels and annotations per label.",
    )
    info.add_argument("project", type=project_location, metavar="PROJECT")

    labels = commands.add_parser(
        "labels",
        help="list, export or import the codebook (labels and their attributes)",
        description="With no option, list the labels with their keys and attributes. "
        "--import merges by name (a fresh project with the default labels takes the file's "
        "labels as they are) and reports conflicts.",
    )
    labels.add_argument("project", type=project_location, metavar="PROJECT")
    action = labels.add_mutually_exclusive_group()
    action.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the labels; by extension: .json label set (everything), "
        ".qdc REFI-QDA codebook, .csv Taguette codebook, .xml Label Studio "
        "labelling config",
    )
    action.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="merge labels from a label-set or project JSON file, a REFI-QDA "
        "codebook (.qdc) or a Taguette codebook CSV (.csv)",
    )
    from annotator.core.templates import TEMPLATES

    action.add_argument("--template", choices=list(TEMPLATES), help="merge a built-in label set")
    _report_parser(commands)
    from annotator import cli_suggest

    cli_suggest.add_parsers(commands)
    return parser


def project_location(value: str) -> Path | ServerAddress:
    """A project argument: a file path, or a PostgreSQL URL naming a project on a server."""
    from annotator.store.backend import location

    try:
        return location(value)
    except AnnotatorError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"{value!r}: an empty name in the list")
    return names


def _sections(value: str) -> list[str]:
    from annotator.core.report import SECTIONS

    names = _names(value)
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section {unknown[0]!r} (choose from {', '.join(SECTIONS)})"
        )
    return names


def _report_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rep = commands.add_parser(
        "report",
        help="write a report people read (HTML or PDF)",
        description="Write the annotated articles, their numbered notes, a claims table, coded "
        "segments by label and label counts with charts, as one self-contained HTML file or a "
        "PDF. An existing OUT is replaced only once the new report is complete.",
    )
    rep.add_argument("project", type=project_location, metavar="PROJECT")
    rep.add_argument(
        "--document",
        action="append",
        default=[],
        metavar="TITLE|ID",
        help="only this document (its exact title, or its id as in the JSON "
        "export); repeat for several",
    )
    rep.add_argument(
        "--annotator",
        action="append",
        default=[],
        metavar="NAME",
        help="only this annotator's annotations; repeat for several",
    )
    rep.add_argument(
        "--labels", default="", metavar="L,...", help="only these labels (comma-separated names)"
    )
    rep.add_argument(
        "--format", choices=("html", "pdf"), help="default: from OUT's extension, else html"
    )
    rep.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT", help="the file to write"
    )
    rep.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="PDF page size (default: from the locale, A4 or US Letter)",
    )
    rep.add_argument("--title", default="", help="the report's title (default: the project's name)")
    rep.add_argument("--subtitle", default="", help="a line under the title")
    from annotator.core.report import NOTE, SECTIONS

    rep.add_argument(
        "--sections",
        type=_sections,
        default=list(SECTIONS),
        metavar="S,...",
        help=f"the parts to include, comma-separated, from {', '.join(SECTIONS)} (default: all; "
        "e.g. 'coded' for the coded segments alone)",
    )
    rep.add_argument(
        "--details",
        action="store_true",
        help="show the desk's records of each document: the source's full path, status, date "
        "added, length and the importer's metadata (default: the source's file name or URL only)",
    )
    rep.add_argument(
        "--page-break-per-article",
        action="store_true",
        help="start each article on a new page when printed (default: they follow each other)",
    )
    rep.add_argument(
        "--rationale",
        default=NOTE,
        metavar="NOTE|ATTRIBUTE",
        help="the claims table's rationale column: each claim's note (default) or one of its "
        "attributes",
    )


def _fail(message: str) -> int:
    print(f"annotator: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def open_project(where: Path | ServerAddress, *, create: bool, read_only: bool | None) -> Project:
    """``Project.open``; on a terminal, asks for the password a server wants and was not given
    (once: a wrong one is refused as such)."""
    from annotator.core.errors import NoPassword
    from annotator.store.project import Project

    try:
        return Project.open(where, create=create, read_only=read_only)
    except NoPassword:
        if not sys.stdin.isatty():
            raise
    import getpass

    assert not isinstance(where, Path)  # only a server asks for a password
    try:
        password = getpass.getpass(f"Password for {where}: ")
    except EOFError:
        password = ""
    if not password:  # nothing typed: the same one line, saying how to give it
        return Project.open(where, create=create, read_only=read_only)
    return Project.open(where.with_password(password), create=create, read_only=read_only)


def run_command(args: argparse.Namespace) -> int:
    if args.command == "find" and (problem := find_problem(args)):
        return _fail(f"find: {problem}")  # before the project is opened
    create = args.command in ("import", "labels", "merge") and not (
        args.command == "labels" and not (args.import_file or args.template)
    )
    new_file = create and isinstance(args.project, Path) and not os.path.lexists(args.project)
    try:
        code = _run_on_project(args, create)
    except BaseException:
        if new_file:
            _remove_unused_project(args.project)
        raise
    if new_file and code == EXIT_USAGE:
        _remove_unused_project(args.project)
    return code


def _remove_unused_project(path: Path) -> None:
    """A command that made a new project and then put nothing in it leaves no empty file."""
    for name in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()


def _run_on_project(args: argparse.Namespace, create: bool) -> int:
    from annotator.service import ImportOutcome, Outcome, import_files, info_lines

    if args.command in SUGGEST_COMMANDS:
        from annotator import cli_suggest

        with open_project(
            args.project, create=False, read_only=False if cli_suggest.writes(args) else None
        ) as project:
            return cli_suggest.run(project, args)
    existed = (
        isinstance(args.project, Path)
        and args.project.is_file()
        and args.project.stat().st_size > 0
    )
    # Commands that only read work on a read-only project too; those that write say so at once.
    with open_project(args.project, create=create, read_only=False if create else None) as project:
        if project.migrated_from is not None:
            print(
                f"note: {project.path}: upgraded from schema {project.migrated_from} to "
                f"{project.meta().get('schema_version')}",
                file=sys.stderr,
            )
        if args.command == "import":
            if existed:
                _backup_before_import(project)
            # A title the terminal cannot show must not stop the import after the first file.
            sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]

            from annotator.terminal_progress import TerminalProgress

            bar = TerminalProgress("Importing")

            def report(_index: int, outcome: ImportOutcome) -> None:  # as each file finishes
                bar.close()  # the line is the terminal's again; the next file draws anew
                stream = sys.stderr if outcome.outcome is Outcome.ERROR else sys.stdout
                hint = " (use --skip-bad to import the rest)" if outcome.bad_record else ""
                print(f"{outcome.outcome}: {outcome.message}{hint}", file=stream, flush=True)
                if outcome.skipped:
                    print(f"{outcome.path}: {outcome.skipped.describe()}", file=sys.stderr)

            with bar:
                outcomes = import_files(
                    project,
                    args.files,
                    report,
                    skip_bad=args.skip_bad,
                    doccano_offsets=args.doccano_offsets,
                    documents=bar,
                )
            failed = sum(o.outcome is Outcome.ERROR for o in outcomes)
            if failed and failed == len(outcomes):
                return EXIT_USAGE
            return EXIT_SOME_FAILED if failed else EXIT_OK
        if args.command == "merge":
            if existed:
                _backup_before_import(project)
            return merge_command(project, args)
        if args.command == "export":
            return export(project, args)
        if args.command == "agreement":
            return agreement_command(project, args)
        if args.command == "adjudicate":
            from annotator.service import adjudicate

            _backup_before_import(project)  # no undo on the command line
            report = adjudicate(project, args.annotators, args.into)
            print(
                f"added: {report.added} agreed spans to layer {args.into!r}"
                + (f" ({report.already} already there)" if report.already else "")
            )
            return EXIT_OK
        if args.command == "labels":
            return labels_command(project, args)
        if args.command == "report":
            return report_command(project, args)
        if args.command == "reimport":
            return reimport_command(project, args)
        if args.command == "find":
            return find_command(project, args)
        for line in info_lines(project):
            print(line)
        return EXIT_OK


def find_problem(args: argparse.Namespace) -> str | None:
    from annotator.core.find import QueryError, check_query

    if args.limit < 1:
        return f"--limit must be at least 1, not {args.limit}"
    try:
        check_query(args.query)
    except QueryError as exc:
        return str(exc)
    return None


def find_command(project: Project, args: argparse.Namespace) -> int:
    from annotator.service import find

    found = find(
        project,
        args.query,
        limit=args.limit + 1,  # one more tells whether there are more
        case_sensitive=args.case_sensitive,
        whole_words=args.whole_words,
        order=args.order,
    )
    matches = list(found)
    more = len(matches) > args.limit
    matches = matches[: args.limit]
    if args.json:
        rows = [
            {
                "document_id": m.document_id,
                "title": m.title,
                "start": m.start,
                "end": m.end,
                "left": m.left,
                "match": m.match,
                "right": m.right,
            }
            for m in matches
        ]
        print(json.dumps({"query": args.query, "matches": rows, "more": more}, ensure_ascii=False))
        return EXIT_OK
    sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    for m in matches:
        print(f"{m.title}\t{m.start}-{m.end}\t{m.context}")
    if more:
        print(f"(the first {args.limit} matches; --limit N for more)", file=sys.stderr)
    elif not matches:
        print(f"no match for {args.query!r}", file=sys.stderr)
    return EXIT_OK


def reimport_command(project: Project, args: argparse.Namespace) -> int:
    from annotator import reimport_service as reimport

    plan = reimport.plan_reimport(project, reimport.find_document(project, args.document))
    if plan.missing:
        print(f"annotator: error: {plan.describe()}:", file=sys.stderr)
        for line in plan.missing_lines():
            print(line, file=sys.stderr)
        return EXIT_USAGE
    if plan.changed:
        _backup_before_import(project)  # no undo on the command line
        reimport.apply_reimport(project, plan)
    print(plan.describe())
    return EXIT_OK


def _backup_before_import(project: Project) -> None:
    """The rolling backup (annotator.store.backups) a window makes on opening; a bulk import
    has no undo on the command line."""
    from annotator.store import backups

    try:
        backups.rolling_backup(project)
    except AnnotatorError as exc:
        print(f"note: no backup made before the import: {exc}", file=sys.stderr)


def merge_command(project: Project, args: argparse.Namespace) -> int:
    from annotator.service import merge_file
    from annotator.terminal_progress import TerminalProgress

    outcomes = []
    for source in args.sources:  # each in its own transaction, with a bar on a terminal
        with TerminalProgress(f"Merging {getattr(source, 'name', '') or source}") as bar:
            outcomes.append(merge_file(project, source, bar))
    for outcome in outcomes:
        if outcome.report is None:
            print(f"annotator: error: {outcome.message}", file=sys.stderr)
            continue
        print(f"merged: {outcome.message}")
        for conflict in outcome.report.label_conflicts:
            print(f"  conflict: {conflict}")
        for conflict in outcome.report.conflicts:
            print(f"  conflict: {conflict}")
    refused = sum(o.report is None for o in outcomes)
    if refused and refused == len(outcomes):
        return EXIT_USAGE
    return EXIT_SOME_FAILED if refused else EXIT_OK


def agreement_command(project: Project, args: argparse.Namespace) -> int:
    import json

    from annotator.service import agreement
    from annotator.terminal_progress import TerminalProgress

    with TerminalProgress("Agreement") as bar:
        figures = agreement(
            project,
            args.annotators,
            args.labels,
            args.documents,
            include_curated=args.include_curated,
            measure=args.measure,
            exclude_incomplete=args.exclude_incomplete,
            progress=bar,
        )
    if args.json:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # as JSON is
        print(json.dumps(figures, ensure_ascii=False, allow_nan=False, indent=1))
        return EXIT_OK
    sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    names = figures["annotators"]
    excluded = bool(figures.get("exclude_incomplete"))
    print(
        f"Annotators: {', '.join(names)}; documents: {figures['documents']}; "
        f"measure: {MEASURE_TITLES[figures['measure'] + '+exclude' * excluded]}"
    )
    if figures["measure"] != "ours":
        _print_inception(figures)
        return EXIT_OK
    header = f"{'':24} {'alpha':>7} {'kappa':>7} {'F1 exact':>9} {'F1 overlap':>11}"
    print(header + "  spans (" + ", ".join(names) + ")")
    rows = [("overall", figures["overall"], None)]
    rows += [(label, f, f["spans"]) for label, f in figures["labels"].items()]
    rows += [(" / ".join(p["annotators"]), p, None) for p in figures["pairs"]]
    for name, f, spans in rows:
        cells = " ".join(
            _figure(f[key], width)
            for key, width in (("alpha", 7), ("kappa", 7), ("f1_exact", 9), ("f1_overlap", 11))
        )
        counts = "  " + ", ".join(str(spans[n]) for n in names) if spans else ""
        print(f"{name[:24]:24} {cells}{counts}")
    return EXIT_OK


MEASURE_TITLES = {
    "ours": "ours (character-level alpha and kappa per label, span F1)",
    "inception-coding": "inception-coding (INCEpTION's alpha and kappa over annotated "
    "positions, absence = missing)",
    "inception-coding+exclude": "inception-coding (INCEpTION's alpha and kappa over the "
    "positions every annotator annotated: exclude incomplete)",
    "inception-unitizing": "inception-unitizing (Krippendorff's unitizing alpha per document, "
    "as INCEpTION computes it)",
}


def _print_inception(figures: dict) -> None:
    """Figures of an INCEpTION measure: overall, per pair, per label (unitizing), per
    document; each pair or overall figure is the mean over the documents where it is
    defined."""
    keys = ("alpha", "kappa") if figures["measure"] == "inception-coding" else ("alpha_u",)
    rows = [("overall", figures["overall"])]
    rows += [(" / ".join(p["annotators"]), p) for p in figures["pairs"]]
    rows += [(f"label {label}", f) for label, f in figures.get("labels", {}).items()]
    rows += [(f"document {d}", f) for d, f in figures["per_document"].items()]
    width = max(24, *(len(name) for name, _ in rows))  # whole document ids: --documents takes them
    print(f"{'':{width}} " + " ".join(f"{key:>7}" for key in keys) + "  (mean over documents)")
    for name, f in rows:
        print(f"{name:{width}} " + " ".join(_figure(f[key], 7) for key in keys))


def _figure(value: float | None, width: int) -> str:
    return f"{'-' if value is None else f'{value:.3f}':>{width}}"


def labels_command(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.templates import TEMPLATES, relation_types_for
    from annotator.io import codebook_files
    from annotator.service import export_labels, label_lines
    from annotator.store.codebook import merge_labels, merge_relation_types

    if args.export:
        export_labels(project, args.export)
        return EXIT_OK
    if args.import_file or args.template:
        if args.import_file:
            labels, relation_types = codebook_files.read_codebook(args.import_file)
        else:
            labels = list(TEMPLATES[args.template][1])
            relation_types = list(relation_types_for(labels))
        report = merge_labels(project, labels)
        merge_relation_types(project, relation_types, report)
        if report.replaced:
            print("labels taken from the file: " + ", ".join(report.added))
        else:
            print("added: " + (", ".join(report.added) or "none"))
            if report.extended:
                print("extended: " + ", ".join(report.extended))
        for conflict in report.conflicts:
            print(f"conflict: {conflict}", file=sys.stderr)
        return EXIT_OK
    for line in label_lines(project):
        print(line)
    return EXIT_OK


def export(project: Project, args: argparse.Namespace) -> int:
    from annotator.io.registry import ALL_OPTIONS, EXPORT_FORMATS, ExportOptions
    from annotator.service import export_project, export_to

    fmt = EXPORT_FORMATS[args.format]
    options = ExportOptions(
        {
            name: value
            for name in ALL_OPTIONS
            if (value := getattr(args, f"option_{name}")) is not None
        }
    )
    for note in options.check(fmt):
        print(f"note: {note}", file=sys.stderr)
    from annotator.terminal_progress import TerminalProgress

    if args.output != "-":
        with TerminalProgress("Exporting") as bar:
            report = export_to(project, fmt.name, Path(args.output), options, args.annotators, bar)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        return EXIT_OK
    if fmt.name == "json":
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        from annotator.service import check_layers

        check_layers(project, args.annotators)  # before the first byte is written
        with TerminalProgress("Exporting") as bar:  # not over the JSON on the same terminal
            export_project(project, sys.stdout, args.annotators, None if _tty(sys.stdout) else bar)
        return EXIT_OK
    if not fmt.stdout_ok:
        what = "a binary file" if fmt.extension else "a folder"
        return _fail(f"the {fmt.name} export writes {what}; name it with -o")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"export{fmt.extension}"
        with TerminalProgress("Exporting") as bar:
            report = export_to(project, fmt.name, target, options, args.annotators, bar)
        names = [companion.name for companion in report.companions]
        for note in report.notes:
            if not any(name in note for name in names):  # it was written to a temporary folder
                print(f"note: {note}", file=sys.stderr)
        for name in names:
            print(
                f"note: {name.replace('export', 'OUT', 1)} was not written (standard output "
                "holds one file); export with -o OUT to get it beside OUT",
                file=sys.stderr,
            )
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stdout.write(target.read_text(encoding="utf-8"))
    return EXIT_OK


def _tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _may_start_on_first_look(args: argparse.Namespace) -> bool:
    """Whether the window may paint its project's first look before the store is imported
    (``gui/app.py`` decides; with no PROJECT, the last project is known from the settings)."""
    if args.screenshot or args.files:
        return False
    if args.project is None:
        return True
    from annotator.store import first_look

    return first_look.reading_uri(args.project) is not None


def import_store_before_qt() -> None:
    """Import the store (SQLAlchemy) and the service before PySide6 is imported.

    PySide6's ``__feature__`` import hook reads the source of every module imported after
    PySide6 (it looks for the word "PySide6" in it) and ``linecache`` keeps those sources: for
    SQLAlchemy that is ~17 MiB held for the whole session, and the time to read them at start.
    """
    import annotator.service  # noqa: F401
    import annotator.store.backups  # noqa: F401


SERVER_SCHEMES = ("http://", "https://")


def unknown_command(word: str) -> str:
    """The error for a word where a command goes, naming the closest command."""
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f" (commands: {', '.join(COMMANDS)})"
    return f"unknown command '{word}'{hint}"


def project_argument_problem(argument: str) -> str | None:
    """Why ``argument`` cannot be the window's PROJECT, or None when it can.

    PROJECT is an existing file, a path ending in ``.annot`` (created if missing) or a server
    URL; a bare word is taken for a mistyped command.
    """
    from annotator.store.backend import is_server

    if is_server(argument):
        return None
    if argument.startswith(SERVER_SCHEMES):
        return (
            f"{argument}: not a project address; a project on a server is opened with its "
            "PostgreSQL URL (postgresql://user@host:port/database)"
        )
    path = Path(argument).expanduser()
    try:
        check_source(path, "a project file")  # a folder, or a FIFO the window would wait on
    except AnnotatorError as exc:
        return f"{argument}: {exc.reason}"
    if path.is_file() or path.suffix == ".annot":
        return None
    if os.sep not in argument and "." not in argument:
        return unknown_command(argument)
    return (
        f"{argument}: no such project file (a new project's name must end in .annot; "
        "articles to import go after PROJECT)"
    )


def report_command(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.report import ReportOptions
    from annotator.io.files import check_output_file
    from annotator.service import check_output_target, report

    target: Path = args.output
    fmt = args.format or ("pdf" if target.suffix.lower() == ".pdf" else "html")
    check_output_file(target)  # before the work: a bad path is refused at once
    check_output_target(project, target)
    labels = tuple(name.strip() for name in args.labels.split(",") if name.strip())
    options = ReportOptions(
        tuple(args.document),
        tuple(args.annotator),
        labels,
        args.title.strip(),
        args.subtitle.strip(),
        tuple(args.sections),
        args.details,
        args.page_break_per_article,
        args.rationale,
    )
    built = report(project, options)
    if fmt == "pdf":
        from annotator import qt_libraries

        # the paper follows Qt's locale (offscreen unless QT_QPA_PLATFORM says otherwise)
        if missing := qt_libraries.problem({"QT_QPA_PLATFORM": "offscreen", **os.environ}):
            return _fail(missing)
        from annotator.gui.report_pdf import Paper, write_pdf

        write_pdf(built, target, Paper(args.paper) if args.paper else None)
    else:
        from annotator.io import report_html

        report_html.write(built, target)
    return EXIT_OK


def run_gui(args: argparse.Namespace) -> int:
    if args.project is not None and (problem := project_argument_problem(str(args.project))):
        return _fail(problem)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from annotator import qt_libraries

    if missing := qt_libraries.problem():
        return _fail(missing)
    if not _may_start_on_first_look(args):
        import_store_before_qt()
    from annotator.gui.app import run

    linecache.clearcache()  # the sources PySide6's hook read of the modules imported after it
    return run(args)


_SIGNALLED: list[int] = []  # the signal that is stopping the command


def _stop_on_sigterm() -> None:
    """SIGTERM (a service manager, ``kill``, a closed session) ends a command as Ctrl+C does:
    by an exception, so that every ``finally`` runs and no temporary file is left behind."""

    def stop(signum: int, _frame: object) -> None:
        _SIGNALLED.append(signum)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def main(argv: Sequence[str] | None = None) -> int:
    as_program = argv is None  # not called by another program (a test) that owns its signals
    argv = list(sys.argv[1:] if argv is None else argv)
    is_command = bool(argv) and argv[0] in COMMANDS
    parser = command_parser() if is_command else gui_parser()
    args = parser.parse_args(argv)
    if getattr(args, "exclude_incomplete", False) and args.measure != "inception-coding":
        parser.error("--exclude-incomplete goes with --measure inception-coding")
    if is_command and as_program:
        _stop_on_sigterm()
    try:
        try:
            code = run_command(args) if is_command else run_gui(args)
        except BaseException:
            # Raised inside a Qt call, the SystemExit may come out as another exception.
            if _SIGNALLED:
                return 128 + _SIGNALLED[0]
            raise
        # ... or not at all (a Qt call swallowed it): the command ran to its end, whole.
        return 128 + _SIGNALLED[0] if _SIGNALLED else code
    except AnnotatorError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:  # Ctrl+C: what was being written was removed (io/files.py)
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # e.g. standard output on a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        if exc.errno == errno.ENAMETOOLONG:
            return _fail(f"{where}the name is too long for the filesystem; choose a shorter name")
        return _fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:  # a bug, not bad input: one line, never a traceback
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        from annotator import qt_libraries

        if missing := qt_libraries.explain(exc):  # a system library, not a bug
            return _fail(missing)
        detail = next(iter(str(exc).splitlines()), "")[:200]
        print(
            f"annotator: internal error: {type(exc).__name__}: {detail} (a bug in Annotator: "
            "run again with ANNOTATOR_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
