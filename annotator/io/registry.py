"""The export formats, by name: what the CLI's --format and File -> Export offer.

An exporter module has ``export(data: ExportData, target: Path, options: ExportOptions) ->
ExportReport``. ``target`` is a file, or a folder for formats that write several files. Writers
must not leave half a file behind on failure (see ``annotator.io.files.atomic_text_writer``).

``ExportData.documents`` is an iterator of :class:`DocumentExport`, one document in memory at a
time: an exporter that can write document by document should (it is called once). A format's
settings are declared here as :class:`FormatOption`\\ s; the CLI's flags and the export dialog's
fields are made from these declarations, and the exporter reads them with ``options["name"]``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from annotator.core.errors import AnnotatorError
from annotator.core.labels import LabelDef, RelationTypeDef
from annotator.core.model import Annotation, Document, Relation, source_name


@dataclass(frozen=True)
class DocumentExport:
    """One document and what belongs to it, as every exporter receives it.

    Data added to projects later (relations, annotator layers) becomes a new field with a
    default here, so the exporters that do not write it need no change.
    """

    document: Document
    annotations: list[Annotation]
    #: relations whose both ends are among ``annotations``
    relations: list[Relation] = field(default_factory=list)


@dataclass
class ExportData:
    labels: list[LabelDef]
    documents: Iterable[DocumentExport]
    relation_types: list[RelationTypeDef] = field(default_factory=list)
    #: whether the project has relations (formats with a relation form of their own use it)
    has_relations: bool = False


@dataclass(frozen=True)
class FormatOption:
    """One setting of a format: ``--<name with dashes>`` on the CLI, a field in the dialog.

    ``choices`` empty: free text; else one of them (a drop-down). The name is unique across
    formats (prefix it with the format's name, or share one declaration between formats, as
    :data:`SOURCE_PATHS`) and is also the setting's key in the GUI.
    """

    name: str
    label: str  # the dialog's field label
    help: str
    default: str = ""
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str
    description: str
    extension: str  # "" for a folder
    stdout_ok: bool = True  # can be written to standard output
    options: tuple[FormatOption, ...] = ()


#: Dataset exports write a document's source as its file name (or URL) by default: a dataset
#: is shared, and a path like /home/ana/leaks/… tells readers about the user's folders. The
#: project's own JSON export keeps the whole path (it is the project, restored from it).
SOURCE_PATHS = FormatOption(
    "source_paths",
    "Document sources",
    "name: each document's source as its file name or URL, no folders of yours; full: the "
    "path it was imported from",
    default="name",
    choices=("name", "full"),
)


def exported_document(document: Document, options: ExportOptions) -> Document:
    """``document`` as a dataset export writes it (see :data:`SOURCE_PATHS`)."""
    if options[SOURCE_PATHS.name] == "full":
        return document
    return replace(document, source=source_name(document.source))


class ExportOptions(Mapping[str, str]):
    """The values of format options by name; an option not given has its declared default."""

    def __init__(self, values: Mapping[str, str] | None = None, **more: str) -> None:
        self._values = {**(values or {}), **more}
        unknown = sorted(set(self._values) - set(ALL_OPTIONS))
        if unknown:
            raise AnnotatorError(None, f"unknown export option {unknown[0]!r}")

    def __getitem__(self, name: str) -> str:
        if name in self._values:
            return self._values[name]
        return ALL_OPTIONS[name].default

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def check(self, fmt: ExportFormat) -> list[str]:
        """Refuse a value outside an option's choices; name the options ``fmt`` ignores (those
        of other formats), as notes."""
        own = {option.name for option in fmt.options}
        ignored = []
        for name, value in self._values.items():
            option = ALL_OPTIONS[name]
            if option.choices and value not in option.choices:
                raise AnnotatorError(
                    None,
                    f"{option.flag} must be one of {', '.join(option.choices)} (not {value!r})",
                )
            if name not in own and value != option.default:
                ignored.append(f"{option.flag} is not an option of the {fmt.name} format; ignored")
        return ignored


@dataclass
class ExportReport:
    """What the user should hear about the export besides "done" (e.g. spans a format dropped)."""

    notes: list[str] = field(default_factory=list)
    # Files written beside the target (e.g. Label Studio's labelling config).
    companions: list[Path] = field(default_factory=list)


class Exporter(Protocol):
    def export(self, data: ExportData, target: Path, options: ExportOptions) -> ExportReport: ...


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("json", "native_json", "Annotator project JSON (everything)", ".json"),
        ExportFormat(
            "jsonl",
            "jsonl",
            "JSON Lines, one document per line, code-point spans",
            ".jsonl",
            options=(SOURCE_PATHS,),
        ),
        ExportFormat(
            "spacy",
            "spacy_docbin",
            "spaCy DocBin for training (needs spaCy)",
            ".spacy",
            stdout_ok=False,
            options=(SOURCE_PATHS,),
        ),
        ExportFormat("conll", "conll", "CoNLL-2003-style IOB2 tokens and tags", ".conll"),
        ExportFormat("brat", "brat", "brat standoff folder (.txt/.ann pairs)", "", stdout_ok=False),
        ExportFormat(
            "w3c",
            "w3c",
            "W3C Web Annotation JSON-LD collection",
            ".jsonld",
            options=(
                FormatOption(
                    "w3c_context",
                    "JSON-LD context",
                    "remote: the context's URL (processors fetch it, or map it to "
                    "resources/anno.jsonld); embedded: the context written into the file, "
                    "for processing offline",
                    default="remote",
                    choices=("remote", "embedded"),
                ),
            ),
        ),
        ExportFormat(
            "claimreview",
            "claimreview",
            "schema.org ClaimReview JSON-LD of verdicts",
            ".jsonld",
            options=(
                FormatOption("org_name", "Organisation", "the fact-checking organisation"),
                FormatOption("org_url", "Organisation URL", "the organisation's web site"),
                FormatOption(
                    "review_url_base", "Review URL base", "base URL of the published reviews"
                ),
            ),
        ),
        ExportFormat(
            "qdpx",
            "qdpx",
            "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder",
            ".qdpx",
            stdout_ok=False,
        ),
        ExportFormat(
            "qdc",
            "qdc",
            "REFI-QDA codebook (labels only) for Taguette, QualCoder, NVivo, ATLAS.ti",
            ".qdc",
        ),
        ExportFormat("taguette", "taguette", "Taguette codebook CSV (labels only)", ".csv"),
        ExportFormat("csv", "csv_table", "CSV, one row per annotation (UTF-8 with BOM)", ".csv"),
        ExportFormat(
            "xlsx", "xlsx_table", "Excel workbook, one row per annotation", ".xlsx", stdout_ok=False
        ),
        ExportFormat(
            "doccano",
            "doccano",
            "doccano JSONL",
            ".jsonl",
            options=(
                FormatOption(
                    "doccano_offsets",
                    "Offsets",
                    "what the doccano project counts: utf16 with 'Count grapheme clusters "
                    "as one character' off, graphemes with it on",
                    default="utf16",
                    choices=("utf16", "graphemes"),
                ),
                FormatOption(
                    "doccano_bom",
                    "Byte-order mark",
                    "no: for doccano's import encoding utf_8 (its form's preselection); yes: "
                    "the file starts with a UTF-8 byte-order mark, for encoding 'Auto'",
                    default="no",
                    choices=("no", "yes"),
                ),
                SOURCE_PATHS,
            ),
        ),
        ExportFormat(
            "labelstudio",
            "labelstudio",
            "Label Studio tasks JSON (code points)",
            ".json",
            options=(SOURCE_PATHS,),
        ),
    )
}

ALL_OPTIONS: dict[str, FormatOption] = {
    option.name: option for spec in EXPORT_FORMATS.values() for option in spec.options
}
assert all(
    ALL_OPTIONS[option.name] is option for f in EXPORT_FORMATS.values() for option in f.options
), "format option names must be unique across formats (or the options shared)"


def formats_with(option: FormatOption) -> list[str]:
    """The names of the formats that have ``option``."""
    return [f.name for f in EXPORT_FORMATS.values() if option in f.options]


def exporter(name: str) -> Exporter:
    try:
        spec = EXPORT_FORMATS[name]
    except KeyError:
        raise AnnotatorError(
            None, f"unknown export format {name!r} (choose from {', '.join(EXPORT_FORMATS)})"
        ) from None
    return importlib.import_module(f"annotator.io.{spec.module}")  # type: ignore[return-value]
