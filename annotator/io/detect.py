"""Pick the reader for a file by its extension, or by sniffing its first bytes."""

from __future__ import annotations

import importlib
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.file_kinds import check_source
from annotator.core.model import ImportedBundle
from annotator.io.sanitize import check_bundle

MAX_FILE_BYTES = 200 * 1024 * 1024

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


def read_file(path: Path, doccano_offsets: str = "auto") -> ImportedBundle:
    """Read any supported file into documents (and, for project JSON, labels).

    ``doccano_offsets``: the unit of a doccano file's offsets (``auto``, ``utf16``,
    ``graphemes``; see :mod:`annotator.io.doccano_units`)."""
    try:
        if path.is_dir():
            from annotator.io import brat

            if not brat.is_brat_folder(path):
                raise ImportFailed(
                    path,
                    "is a folder; choose the files inside it (only a "
                    "folder of brat .txt/.ann pairs is read whole)",
                )
            return check_bundle(path, brat.read(path))
        check_source(path, error=ImportFailed)  # a FIFO would be waited on forever
        if path.suffix.lower() == ".qdc":
            raise ImportFailed(
                path,
                "is a REFI-QDA codebook (labels, no documents): merge it "
                "with 'annotator labels PROJECT --import FILE' or the "
                "codebook's Import button",
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFailed(
                path,
                f"is {-(-size // 2**20)} MB; files over {MAX_FILE_BYTES // 2**20} MB are refused",
            )
        name = reader_for(path)
    except FileNotFoundError as exc:
        raise ImportFailed(path, "no such file") from exc
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from exc
    module = importlib.import_module(f"annotator.io.{name}")
    result = module.read(path, doccano_offsets) if name == "doccano" else module.read(path)
    bundle = result if isinstance(result, ImportedBundle) else ImportedBundle([result])
    return check_bundle(path, bundle)  # untrusted input: NULs, controls, bad Unicode
