"""Export and import of a corpus (issue 29), each against a bare read-and-write of the same rows.

``python -m benchmarks.bulk_io [SIZE ...] [--repeat N] [--only "import json"]``: for each corpus
size (``benchmarks/corpus.py``), in child processes (wall time, and peak RSS as
``/usr/bin/time`` reports it):

- ``annotator export --format jsonl`` and ``--format json``, against a bare export: ``sqlite3``
  reading the same rows (documents with their texts, annotations with their label names, in
  list order, on two cursors walked side by side) and writing them with ``json.dumps``, one
  document at a time, in the same shape;
- ``annotator import`` of those two files into a new project, against a bare import:
  ``json.loads`` of the same file and ``executemany`` of the same rows into an empty project
  (same schema, one transaction). Above 10k documents the bare project-JSON import is left
  out: its ``json.load`` of the whole file would take about 8 GB.

The bare programs use the standard library only (they are this module's ``bare-*`` commands).
Not a ``bench_*`` module: ``make bench`` runs the corpus scenarios of ``bench_corpus.py``; this
one is run by hand (it takes minutes at 100k documents) and its figures are in
``results-bulk-io.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Above this many documents the bare import of the project JSON (one json.load) is not run.
WHOLE_JSON_UP_TO = 10_000
ONLY: list[str] = []
ANNOTATOR = str(Path(sys.executable).with_name("annotator"))

_DOCUMENTS = (
    "SELECT d.id, d.title, d.source, d.metadata, d.status, d.sha256, d.created, t.text "
    "FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.position"
)
_ANNOTATIONS = (
    'SELECT a.document_id, l.name, a.start, a."end", a.text, a.attributes, a.note, '
    "a.annotator, a.id, a.created, a.modified FROM annotations a "
    "JOIN labels l ON l.id = a.label_id JOIN documents d ON d.id = a.document_id "
    'ORDER BY d.position, a.start, a."end", a.id'
)


def _rows(project: Path):  # type: ignore[no-untyped-def]
    """Each document row with its annotation rows, from two cursors walked side by side."""
    connection = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    spans = connection.execute(_ANNOTATIONS)
    pending = next(spans, None)
    for document in connection.execute(_DOCUMENTS):
        mine = []
        while pending is not None and pending[0] == document[0]:
            mine.append(pending)
            pending = next(spans, None)
        yield document, mine
    connection.close()


def bare_export(project: Path, out: Path, shape: str) -> None:
    with out.open("w", encoding="utf-8") as handle:
        if shape == "json":
            handle.write('{"documents": [\n')
        first = True
        for (id, title, source, metadata, status, sha, created, text), spans in _rows(project):
            if shape == "jsonl":
                line = {
                    "text": text,
                    "meta": {"id": id, "title": title, "source": source, "status": status}
                    | json.loads(metadata),
                    "spans": [
                        {
                            "start": s[2],
                            "end": s[3],
                            "label": s[1],
                            "text": s[4],
                            "attributes": json.loads(s[5]),
                        }
                        for s in spans
                    ],
                }
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                continue
            document = {
                "id": id,
                "title": title,
                "source": source,
                "metadata": json.loads(metadata),
                "status": status,
                "sha256": sha,
                "created": created,
                "text": text,
                "annotations": [
                    {
                        "id": s[8],
                        "label": s[1],
                        "start": s[2],
                        "end": s[3],
                        "text": s[4],
                        "attributes": json.loads(s[5]),
                        "note": s[6],
                        "annotator": s[7],
                        "created": s[9],
                        "modified": s[10],
                    }
                    for s in spans
                ],
            }
            handle.write(("" if first else ",\n") + json.dumps(document, ensure_ascii=False))
            first = False
        if shape == "json":
            handle.write("\n]}\n")


def _documents_of(source: Path):  # type: ignore[no-untyped-def]
    if source.suffix == ".jsonl":
        with source.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)
    else:
        with source.open(encoding="utf-8") as handle:
            yield from json.load(handle)["documents"]


def bare_import(source: Path, empty: Path, target: Path) -> None:
    shutil.copyfile(empty, target)
    connection = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    label_ids = dict(connection.execute("SELECT name, id FROM labels"))
    connection.execute("BEGIN IMMEDIATE")
    documents, texts, annotations = [], [], []

    def flush() -> None:
        connection.executemany(
            "INSERT INTO documents (id, title, source, metadata, length, sha256, created, "
            "status, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            documents,
        )
        connection.executemany(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", texts
        )
        connection.executemany(
            'INSERT INTO annotations (id, document_id, label_id, start, "end", text, '
            "attributes, note, annotator, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            annotations,
        )
        documents.clear(), texts.clear(), annotations.clear()

    for position, d in enumerate(_documents_of(source)):
        meta = d.get("meta") or {}
        id = d.get("id") or meta.get("id") or f"d{position}"
        spans = d.get("annotations") or d.get("spans") or []
        documents.append(
            (
                id,
                d.get("title") or meta.get("title", ""),
                d.get("source") or meta.get("source", ""),
                json.dumps(d.get("metadata") or {}),
                len(d["text"]),
                d.get("sha256") or f"{position}",
                d.get("created") or "2026-01-01T00:00:00Z",
                d.get("status") or meta.get("status", "new"),
                position,
            )
        )
        texts.append((id, d["text"]))
        for n, a in enumerate(spans):
            if a["label"] not in label_ids:
                label_ids[a["label"]] = connection.execute(
                    "INSERT INTO labels (name, color, description, position) "
                    "VALUES (?, '#888888', '', ?) RETURNING id",
                    (a["label"], len(label_ids)),
                ).fetchone()[0]
            annotations.append(
                (
                    a.get("id") or f"{id}-{n}",
                    id,
                    label_ids[a["label"]],
                    a["start"],
                    a["end"],
                    a["text"],
                    json.dumps(a.get("attributes") or {}),
                    a.get("note", ""),
                    a.get("annotator", ""),
                    a.get("created") or "2026-01-01T00:00:00Z",
                    a.get("modified") or "2026-01-01T00:00:00Z",
                )
            )
        if len(documents) >= 500:
            flush()
    flush()
    connection.execute("COMMIT")
    connection.close()


def measure(command: list[str], folder: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of ``command`` in a child process; it must succeed. The peak
    comes from ``/usr/bin/time``: a child forked from this process would inherit its peak."""
    figures = folder / "time.txt"
    began = time.perf_counter()
    child = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(figures), *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    seconds = time.perf_counter() - began
    if child.returncode != 0:
        error = child.stderr.decode(errors="replace").strip()[-500:]
        raise RuntimeError(f"{command}: exit {child.returncode}: {error}")
    return seconds, int(figures.read_text().split()[-1])


def _bare(*args: object) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bulk_io", *map(str, args)]


def run(size: int, repeat: int, folder: Path) -> list[dict[str, object]]:
    from annotator.store.project import Project
    from benchmarks.corpus import cached_corpus

    project = cached_corpus(size, folder / "corpus.annot")
    empty = folder / "empty.annot"
    with Project.open(empty):
        pass
    results = []
    for fmt in ("jsonl", "json"):
        out = folder / f"out.{fmt}"
        bare_out = folder / f"bare.{fmt}"
        cases = {
            "export": (
                [ANNOTATOR, "export", project, "--format", fmt, "-o", out],
                _bare("bare-export", project, bare_out, fmt),
            ),
            "import": (
                [ANNOTATOR, "import", folder / "imported.annot", out],
                _bare("bare-import", bare_out, empty, folder / "bare-imported.annot"),
            ),
        }
        for what, (real, bare) in cases.items():
            if ONLY and f"{what} {fmt}" not in ONLY:
                if what == "export" and f"import {fmt}" in ONLY:  # the files it imports
                    measure([str(part) for part in real], folder)
                    measure([str(part) for part in bare], folder)
                continue
            figures: dict[str, list[tuple[float, int]]] = {"real": [], "bare": []}
            kinds = [("real", real), ("bare", bare)]
            if what == "import" and fmt == "json" and size > WHOLE_JSON_UP_TO:
                kinds = kinds[:1]  # json.load of a 900 MB file takes about 8 GB here
                figures["bare"].append((float("nan"), 0))
            for _ in range(repeat):
                for kind, command in kinds:
                    for leftover in folder.glob("*imported.annot*"):
                        leftover.unlink()
                    shutil.rmtree(folder / "imported.annot.backups", ignore_errors=True)
                    try:
                        figures[kind].append(measure([str(part) for part in command], folder))
                    except RuntimeError as exc:
                        print(f"{size} {what} {fmt} {kind}: {exc}", file=sys.stderr)
                        figures[kind].append((float("nan"), 0))
            real_s = statistics.median(s for s, _ in figures["real"])
            bare_s = statistics.median(s for s, _ in figures["bare"])
            row = {
                "size": size,
                "what": f"{what} {fmt}",
                "seconds": real_s,
                "bare": bare_s,
                "ratio": real_s / bare_s,
                "rss_mb": max(r for _, r in figures["real"]) / 1024,
                "bare_rss_mb": max(r for _, r in figures["bare"]) / 1024,
                "file_mb": out.stat().st_size / 2**20 if out.exists() else 0.0,
            }
            print(
                f"{size:>7} {row['what']:<13} {real_s:8.2f} s  bare {bare_s:7.2f} s  "
                f"ratio {row['ratio']:5.2f}  peak RSS {row['rss_mb']:6.0f} MB "
                f"(bare {row['bare_rss_mb']:.0f})  file {row['file_mb']:.0f} MB",
                flush=True,
            )
            results.append(row)
    return results


def main(argv: list[str]) -> int:
    if argv[:1] == ["bare-export"]:
        bare_export(Path(argv[1]), Path(argv[2]), argv[3])
        return 0
    if argv[:1] == ["bare-import"]:
        bare_import(Path(argv[1]), Path(argv[2]), Path(argv[3]))
        return 0
    repeat = 3
    while "--only" in argv:  # e.g. --only "import json": that case alone (its file is made)
        at = argv.index("--only")
        ONLY.append(argv[at + 1])
        del argv[at : at + 2]
    if "--repeat" in argv:
        at = argv.index("--repeat")
        repeat = int(argv[at + 1])
        del argv[at : at + 2]
    sizes = [int(arg) for arg in argv] or [1_000, 10_000]
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=os.environ.get("ANNOTATOR_BENCH_TMP")) as folder:
            run(size, repeat if size < 100_000 else 1, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
