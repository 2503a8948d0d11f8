"""Annotator JSON export and import of a many-document project (100k annotations at full size)."""

from __future__ import annotations

import io
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from annotator import service
from annotator.io import native_json
from annotator.store.project import Project
from benchmarks.generate import Size
from benchmarks.harness import Workspace, copy_database, elapsed_ms
from benchmarks.rows import Row, Scenario, Target, median

DOCUMENTS = 10  # of a fifth of the size each: twice the size's text and spans in all
EXPORT_TARGET = Target(max_ratio=2, max_value=1000)
IMPORT_TARGET = Target(max_ratio=3)


def corpus(ws: Workspace, size: Size) -> Path:
    return ws.project(size.split(DOCUMENTS // 2), DOCUMENTS)


def corpus_label(size: Size) -> str:
    each = size.split(DOCUMENTS // 2)
    return f"{DOCUMENTS} documents, {DOCUMENTS * each.spans:,} annotations"


def plain_dicts(project: Project) -> dict[str, Any]:
    """The whole project as the plain dicts the JSON holds (built untimed, for json.dumps)."""
    documents = []
    for each in service.documents_with_annotations(project):
        item = native_json.document_to_json(each.document)
        item["annotations"] = [native_json.annotation_to_json(a) for a in each.annotations]
        documents.append(item)
    return {
        "format": native_json.FORMAT,
        "version": native_json.VERSION,
        "labels": [native_json.label_to_json(label) for label in project.labels()],
        "documents": documents,
    }


def run_export(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """service.export_project to a StringIO vs json.dumps of the same dicts (1 warm-up each)."""
    app_ms: list[float] = []
    bare_ms: list[float] = []
    with Project.open(corpus(ws, size)) as project:
        data = plain_dicts(project)
        for n in range(repeat + 1):
            app = elapsed_ms(lambda: service.export_project(project, io.StringIO()))
            bare = elapsed_ms(lambda: json.dumps(data, ensure_ascii=False))
            if n:
                app_ms.append(app)
                bare_ms.append(bare)
    return [
        Row(
            "JSON export (service.export_project)",
            corpus_label(size),
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=EXPORT_TARGET,
            note="baseline: json.dumps of the same plain dicts",
        )
    ]


def exported_file(ws: Workspace, size: Size) -> Path:
    path = ws.fresh_dir("export") / "project.json"
    with Project.open(corpus(ws, size)) as project, path.open("w", encoding="utf-8") as out:
        service.export_project(project, out)
    return path


def bare_rows(data: dict[str, Any], label_ids: dict[str, int]) -> tuple[list[tuple], ...]:
    """The documents and annotations table rows for the file's content (prepared untimed)."""
    documents = []
    texts = []
    annotations = []
    for position, d in enumerate(data["documents"]):
        texts.append((d["id"], d["text"]))
        documents.append(
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
            )
        )
        annotations.extend(
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
        )
    return documents, texts, annotations


def bare_insert(
    target: Path, documents: list[tuple], texts: list[tuple], annotations: list[tuple]
) -> float:
    """Raw sqlite3 executemany into an empty project's tables (same schema, same pragmas)."""
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")

        def insert() -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                "INSERT INTO documents (id, title, source, metadata, length, sha256, "
                "created, status, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            connection.execute("COMMIT")

        return elapsed_ms(insert)
    finally:
        connection.close()


def run_import(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    """service.import_file into a new project vs raw executemany of the same rows."""
    source = exported_file(ws, size)
    empty = ws.fresh_dir("empty") / "empty.annot"
    Project.open(empty).close()
    data = json.loads(source.read_text(encoding="utf-8"))
    with sqlite3.connect(empty) as connection:
        label_ids = dict(connection.execute("SELECT name, id FROM labels"))
    documents, texts, annotations = bare_rows(data, label_ids)
    app_ms: list[float] = []
    bare_ms: list[float] = []
    parse_ms: list[float] = []
    for n in range(repeat + 1):
        target = ws.fresh_dir("import") / "imported.annot"
        copy_database(empty, target)
        with Project.open(target) as project:
            outcomes: list[service.ImportOutcome] = []
            app = elapsed_ms(lambda: outcomes.append(service.import_file(project, source)))  # noqa: B023
            assert outcomes[0].outcome is service.Outcome.IMPORTED, outcomes[0].message
        bare_target = ws.fresh_dir("bare-import") / "bare.annot"
        copy_database(empty, bare_target)
        bare = bare_insert(bare_target, documents, texts, annotations)
        start = time.perf_counter()
        json.loads(source.read_bytes())
        parse = (time.perf_counter() - start) * 1000
        if n:
            app_ms.append(app)
            bare_ms.append(bare)
            parse_ms.append(parse)
    return [
        Row(
            "JSON import (service.import_file)",
            corpus_label(size),
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=IMPORT_TARGET,
            note=f"baseline: executemany only; json.loads of the file alone takes "
            f"{median(parse_ms):.0f} ms",
        )
    ]


SCENARIOS = [
    Scenario("export", run_export, ("large",), 5),
    Scenario("import", run_import, ("large",), 3),
]
