"""The command line: ``annotator [PROJECT] [FILE...]`` opens the window; commands run headless."""

from __future__ import annotations

import argparse
import linecache
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import __version__
from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.store.project import Project

COMMANDS = ("import", "export", "info", "labels")
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
        type=Path,
        metavar="PROJECT",
        help="the project file to open (created if missing; e.g. news.annot)",
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
        "Exit status: 0 all imported (or skipped as already present), 1 some failed, 2 usage.",
    )
    imp.add_argument("project", type=Path, metavar="PROJECT")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")

    exp = commands.add_parser(
        "export",
        help="export a project",
        description="Export the whole project. Offsets are Unicode code points, end exclusive.",
    )
    exp.add_argument("project", type=Path, metavar="PROJECT")
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
    exp.add_argument("--org-name", default="", help="claimreview: the fact-checking organisation")
    exp.add_argument("--org-url", default="", help="claimreview: the organisation's web site")
    exp.add_argument(
        "--review-url-base", default="", help="claimreview: base URL of the published reviews"
    )

    info = commands.add_parser(
        "info",
        help="show documents, labels and annotation counts",
        description="Show documents, labels and annotations per label.",
    )
    info.add_argument("project", type=Path, metavar="PROJECT")

    labels = commands.add_parser(
        "labels",
        help="list, export or import the codebook (labels and their attributes)",
        description="With no option, list the labels with their keys and attributes. "
        "--import merges by name (a fresh project with the default labels takes the file's "
        "labels as they are) and reports conflicts.",
    )
    labels.add_argument("project", type=Path, metavar="PROJECT")
    action = labels.add_mutually_exclusive_group()
    action.add_argument("--export", type=Path, metavar="FILE", help="write the labels as JSON")
    action.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="merge labels from a label-set or project JSON file",
    )
    from annotator.core.templates import TEMPLATES

    action.add_argument("--template", choices=list(TEMPLATES), help="merge a built-in label set")
    return parser


def _fail(message: str) -> int:
    print(f"annotator: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run_command(args: argparse.Namespace) -> int:
    from annotator.service import Outcome, import_files, info_lines
    from annotator.store.project import Project

    create = args.command in ("import", "labels") and not (
        args.command == "labels" and not (args.import_file or args.template)
    )
    existed = args.project.is_file() and args.project.stat().st_size > 0
    # Commands that only read work on a read-only project too; those that write say so at once.
    with Project.open(args.project, create=create, read_only=False if create else None) as project:
        if args.command == "import":
            if existed:
                _backup_before_import(project)
            outcomes = import_files(project, args.files)
            for outcome in outcomes:
                stream = sys.stderr if outcome.outcome is Outcome.ERROR else sys.stdout
                print(f"{outcome.outcome}: {outcome.message}", file=stream)
            failed = any(o.outcome is Outcome.ERROR for o in outcomes)
            return EXIT_SOME_FAILED if failed else EXIT_OK
        if args.command == "export":
            return export(project, args)
        if args.command == "labels":
            return labels_command(project, args)
        for line in info_lines(project):
            print(line)
        return EXIT_OK


def _backup_before_import(project: Project) -> None:
    """The rolling backup (annotator.store.backups) a window makes on opening; a bulk import
    has no undo on the command line."""
    from annotator.store import backups

    try:
        backups.rolling_backup(project)
    except AnnotatorError as exc:
        print(f"note: no backup made before the import: {exc}", file=sys.stderr)


def labels_command(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.templates import TEMPLATES
    from annotator.io import labelset
    from annotator.service import label_lines
    from annotator.store.codebook import merge_labels

    if args.export:
        labelset.write(args.export, project.labels())
        return EXIT_OK
    if args.import_file or args.template:
        labels = (
            labelset.read(args.import_file)
            if args.import_file
            else list(TEMPLATES[args.template][1])
        )
        report = merge_labels(project, labels)
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
    from annotator.io.registry import EXPORT_FORMATS, ExportOptions
    from annotator.service import export_project, export_to

    fmt = EXPORT_FORMATS[args.format]
    if args.output != "-":
        options = ExportOptions(args.org_name, args.org_url, args.review_url_base)
        report = export_to(project, fmt.name, Path(args.output), options)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        return EXIT_OK
    if fmt.name == "json":
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        export_project(project, sys.stdout)
        return EXIT_OK
    if not fmt.stdout_ok:
        what = "a binary file" if fmt.extension else "a folder"
        return _fail(f"the {fmt.name} export writes {what}; name it with -o")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"export{fmt.extension}"
        options = ExportOptions(args.org_name, args.org_url, args.review_url_base)
        for note in export_to(project, fmt.name, target, options).notes:
            print(f"note: {note}", file=sys.stderr)
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stdout.write(target.read_text(encoding="utf-8"))
    return EXIT_OK


def import_store_before_qt() -> None:
    """Import the store (SQLAlchemy) and the service before PySide6 is imported.

    PySide6's ``__feature__`` import hook reads the source of every module imported after
    PySide6 (it looks for the word "PySide6" in it) and ``linecache`` keeps those sources: for
    SQLAlchemy that is ~17 MiB held for the whole session, and the time to read them at start.
    """
    import annotator.service  # noqa: F401
    import annotator.store.backups  # noqa: F401


def run_gui(args: argparse.Namespace) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import_store_before_qt()
    from annotator.gui.app import run

    linecache.clearcache()  # the sources PySide6's hook read of the modules imported after it
    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    is_command = bool(argv) and argv[0] in COMMANDS
    args = (command_parser() if is_command else gui_parser()).parse_args(argv)
    try:
        return run_command(args) if is_command else run_gui(args)
    except AnnotatorError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # e.g. standard output on a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:  # a bug, not bad input: one line, never a traceback
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        detail = next(iter(str(exc).splitlines()), "")[:200]
        print(
            f"annotator: internal error: {type(exc).__name__}: {detail} (a bug in Annotator: "
            "run again with ANNOTATOR_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
