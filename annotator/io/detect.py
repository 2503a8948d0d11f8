"""Pick the reader for a file by its extension, or by sniffing its first bytes."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import AllRecordsBad, ImportFailed, OptionNeeded
from annotator.core.file_kinds import check_source
from annotator.core.model import ImportedBundle
from annotator.io.interchange import skipping_bad
from annotator.io.sanitize import check_bundle

MAX_FILE_BYTES = 200 * 1024 * 1024
#: Readers that read a line at a time (no file is in memory whole): their limit is a line's.
STREAMED = {"doccano", "native_json"}

# extension -> module in annotator.io with read(path) -> ImportedDocument | ImportedBundle
READERS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".json": "native_json",
    ".jsonl": "doccano",
    ".ann": "brat",
    ".qdpx": "qdpx_import",
}


def reader_for(path: Path) -> str:
    name = READERS.get(path.suffix.lower())
    if name == "native_json":
        from annotator.io import labelstudio

        return "labelstudio" if labelstudio.sniff(path) else name
    if name:
        return name
    with path.open("rb") as handle:
        head = handle.read(2048)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "qdpx_import" if b"project.qde" in head[:200].lower() else "docx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if stripped.startswith(b"{"):
        return "native_json"
    if stripped.startswith(b"["):
        from annotator.io import labelstudio

        return "labelstudio" if labelstudio.sniff(path) else "native_json"
    return "txt"


def _reader_for_file(path: Path) -> str:
    check_source(path, error=ImportFailed)  # a FIFO would be waited on forever
    if path.suffix.lower() == ".qdc":
        raise ImportFailed(
            path,
            "is a REFI-QDA codebook (labels, no documents): merge it "
            "with 'annotator labels PROJECT --import FILE' or the "
            "codebook's Import button",
        )
    size = path.stat().st_size
    name = reader_for(path) if size > MAX_FILE_BYTES else ""
    if size > MAX_FILE_BYTES and name not in STREAMED:
        raise ImportFailed(
            path,
            f"is {-(-size // 2**20)} MB; files over {MAX_FILE_BYTES // 2**20} MB are refused",
        )
    return name or reader_for(path)


def read_file(
    path: Path, *, skip_bad: bool = False, doccano_offsets: str = "auto"
) -> ImportedBundle:
    """Read any supported file into documents (and, for project JSON, labels).

    A bad record (a region, a line) refuses the file as a ``BadRecord``; with ``skip_bad`` it is
    left out instead and named in the bundle's ``skipped``. When nothing is left, the file is
    refused as ``AllRecordsBad``. ``doccano_offsets``: the unit of a doccano file's offsets
    (``auto``, ``utf16``, ``graphemes``; see :mod:`annotator.io.doccano_units`)."""
    parts = iter(read_parts(path, skip_bad=skip_bad, doccano_offsets=doccano_offsets))
    whole = next(parts)
    for part in parts:
        whole.documents += part.documents
        whole.notes += part.notes
    return whole


#: Documents per part of a file read whole: the store adds (and tells progress of) a part at a time.
PART = 500


def _in_parts(bundle: ImportedBundle) -> Iterator[ImportedBundle]:
    """``bundle`` as parts of :data:`PART` documents; the first carries the labels, relation
    types and notes."""
    documents = bundle.documents
    if len(documents) <= PART:
        yield bundle
        return
    bundle.documents = documents[:PART]
    yield bundle
    for first in range(PART, len(documents), PART):
        yield ImportedBundle(documents[first : first + PART], skipped=bundle.skipped)


def read_parts(
    path: Path, *, skip_bad: bool = False, doccano_offsets: str = "auto"
) -> Iterator[ImportedBundle]:
    """:func:`read_file` in parts, for a store that imports a part at a time: a format read as
    it comes (JSON Lines, a large project JSON) yields a few hundred documents at a time,
    every other format one bundle, cut in parts too. Labels come with the first part; the
    last part's ``skipped`` names every record left out. A file refused after some parts
    were yielded raises then: the import that took them must undo them (one transaction)."""
    try:
        if path.is_dir():
            from annotator.io import brat

            if not brat.is_brat_folder(path):
                raise ImportFailed(
                    path,
                    "is a folder; choose the files inside it (only a "
                    "folder of brat .txt/.ann pairs is read whole)",
                )
            name = "brat"
        else:
            name = _reader_for_file(path)
    except FileNotFoundError as exc:
        raise ImportFailed(path, "no such file") from exc
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from exc
    module = importlib.import_module(f"annotator.io.{name}")
    options = {"offsets": doccano_offsets} if name == "doccano" else {}
    with skipping_bad(skip_bad) as skipped:
        try:
            if hasattr(module, "read_parts"):  # read as it comes
                for part in module.read_parts(path, **options):
                    part.skipped = skipped
                    yield from _in_parts(check_bundle(path, part))  # untrusted input: NULs, …
            else:
                result = module.read(path, **options)
                bundle = result if isinstance(result, ImportedBundle) else ImportedBundle([result])
                if skipped and not bundle.documents:
                    raise AllRecordsBad(path, f"nothing left to import: {skipped.describe()}")
                bundle.skipped = skipped
                yield from _in_parts(check_bundle(path, bundle))
        except ImportFailed as exc:
            # e.g. "holds no documents" once every line was left out
            if skipped and not isinstance(exc, OptionNeeded):
                raise AllRecordsBad(path, f"nothing left to import: {skipped.describe()}") from None
            raise
