"""Bare programs for ``bench_process``: what an import and an export cost without the app.

``python -m benchmarks.bare_io import FILE.json EMPTY.annot TARGET.annot``: copies the empty
project, reads the Annotator JSON with ``json.load`` and inserts its documents and annotations
with ``sqlite3.executemany`` (same schema, same pragmas, one transaction).

``python -m benchmarks.bare_io export FILE.json OUT.json``: ``json.load`` + ``json.dumps``
(the C encoder) written to the file.

Standard library only: the baseline must not load the app.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path


def bare_import(source: Path, empty: Path, target: Path) -> None:
    shutil.copyfile(empty, target)
    with source.open(encoding="utf-8") as handle:
        data = json.load(handle)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
        label_ids = dict(connection.execute("SELECT name, id FROM labels"))
        connection.execute("BEGIN IMMEDIATE")
        for position, d in enumerate(data["documents"]):
            connection.execute(
                "INSERT INTO documents (id, title, source, metadata, length, sha256, "
                "created, status, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    d["id"],
                    d["title"],
                    d["source"],
                    json.dumps(d["metadata"]),
                    len(d["text"]),
                    d["sha256"],
                    d["created"],
                    d["status"],
                    position,
                ),
            )
            connection.execute(
                "INSERT INTO document_texts (document_id, text) VALUES (?, ?)",
                (d["id"], d["text"]),
            )
            connection.executemany(
                'INSERT INTO annotations (id, document_id, label_id, start, "end", text, '
                "attributes, note, annotator, created, modified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        a["id"],
                        d["id"],
                        label_ids[a["label"]],
                        a["start"],
                        a["end"],
                        a["text"],
                        json.dumps(a["attributes"]),
                        a["note"],
                        a["annotator"],
                        a["created"],
                        a["modified"],
                    )
                    for a in d["annotations"]
                ),
            )
        connection.execute("COMMIT")
    finally:
        connection.close()


def bare_export(source: Path, out: Path) -> None:
    with source.open(encoding="utf-8") as handle:
        data = json.load(handle)
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["import"] and len(argv) == 4:
        bare_import(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    elif argv[:1] == ["export"] and len(argv) == 3:
        bare_export(Path(argv[1]), Path(argv[2]))
    else:
        print(
            "usage: python -m benchmarks.bare_io import FILE.json EMPTY.annot TARGET.annot | "
            "export FILE.json OUT.json",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
