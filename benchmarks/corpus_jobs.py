"""One figure of ``bench_corpus`` in a process of its own, the app's and its bare baseline's.

``python -m benchmarks.corpus_jobs JOB RESULT ARG...`` does JOB and writes what it measured as
one JSON object to the file RESULT (not to standard output: the suggestions' child processes,
left running when a job ends, would hold a captured pipe open). ``bench_corpus`` starts each
job through a launcher that reads its peak RSS and kills it (and its children) at the
figure's time limit. Times here are of the work alone (the project opened, the interpreter and
the app imported beforehand, untimed); the launcher's wall time includes them.

App jobs use the app's own calls, as a person's action reaches them:

- ``switch PROJECT SETTINGS COUNT``: the real main window on the project (settings as on a
  first run: suggestions on), ready, its suggestion model trained; then COUNT+1 steps to the
  next document in the document list (``DocumentList.step``) and jumps to documents far down
  it (``DocumentList.select``), each timed through the reader's repaint and the events it
  posts, the suggestions of the document before computed first (untimed). Interleaved with
  each, its baseline in the same process: sqlite3 reads of that document's text and spans and
  a plain ``QPlainTextEdit`` of the reader's size showing the text, repainted.
- ``export PROJECT OUT``: ``service.export_to(project, "jsonl", OUT)``.
- ``import FILE NEW``: ``service.import_file`` of FILE into the new project NEW (made untimed).
- ``agreement PROJECT``: ``service.agreement(project)`` (every label, the two annotators).
- ``concordance PROJECT SETTINGS LABEL``: the concordance view shown (on the codebook's first
  label), then LABEL (not the first) chosen in it, then a character typed into its filter.
- ``merge PROJECT SOURCE``: ``service.merge_file(project, SOURCE)``.

Bare jobs (standard library only: they must not load the app): ``bare-export PROJECT OUT``
(sqlite3 reads of each document's row, text and spans, ``json.dumps`` of the same line the
app writes), ``bare-import FILE EMPTY NEW`` (a copy of an empty project, ``json.loads`` of each
line, ``executemany`` of its rows in one transaction), ``bare-agreement PROJECT`` (the spans
read), ``bare-concordance PROJECT LABEL`` (that label's spans with their documents' texts and
the same context cut), ``bare-merge SOURCE`` (every row of the colleague's copy read).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

READER_SIZE = (618, 720)  # the reader's size in the default window layout (first_paint)
CONTEXT = 50  # characters each side in a concordance line (gui/concordance.py)
JUMPS = 4  # far documents selected in the switch job (at most COUNT)
READY_WAIT_S = 600.0
SETTLE_S = 60.0  # at most, for the suggestions' child processes (once: then not again)

SPANS_SQL = (
    'SELECT a.id, a.start, a."end", a.text, a.attributes, a.note, a.annotator, a.created, '
    "a.modified, l.name FROM annotations a JOIN labels l ON l.id = a.label_id "
    'WHERE a.document_id = ? ORDER BY a.start, a."end", a.created'
)


_RESULT: list[Path] = []  # the job's result file


def keep(result: dict[str, Any]) -> None:
    """Write what a job of several figures has measured so far: ended at its time limit, the
    figures it finished are still reported."""
    if _RESULT:
        partial = _RESULT[0].with_suffix(".partial")
        partial.write_text(json.dumps(result), encoding="utf-8")
        os.replace(partial, _RESULT[0])


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA query_only=ON")
    return connection


def document_ids(path: str) -> list[str]:
    connection = _connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT id FROM documents ORDER BY position")]
    finally:
        connection.close()


# -- app jobs ----------------------------------------------------------------------------------


def _window(project_path: str, settings_path: str) -> tuple[Any, Any, Any]:
    """(QApplication, project, MainWindow) on the project, shown and ready."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    from annotator.gui.context import AppContext
    from annotator.gui.main_window import MainWindow
    from annotator.store.project import Project
    from benchmarks.harness import paint, qt_app

    app = qt_app()
    project = Project.open(Path(project_path), create=False)
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    window = MainWindow(AppContext(project, settings, QUndoStack()))
    paint(window)
    _wait(app, lambda: not getattr(window, "ready", True), READY_WAIT_S)
    return app, project, window


def _wait(app: Any, busy: Callable[[], bool], seconds: float) -> float:
    """Run events while ``busy()``, for at most ``seconds``; the milliseconds waited."""
    start = time.perf_counter()
    while busy() and time.perf_counter() - start < seconds:
        app.processEvents()
        time.sleep(0.002)
    return _ms(start)


def _suggesting(window: Any) -> Callable[[], bool]:
    """Whether the window's suggestions are being computed (or their model trained) in their
    child processes: a switch waits for the last one's, untimed, as a person reading does."""
    suggestions = getattr(window, "suggestions", None)
    trainer = getattr(suggestions, "trainer", None)
    return lambda: bool(
        getattr(suggestions, "computing", False) or getattr(trainer, "training", False)
    )


def _bare_show(connection: sqlite3.Connection, editor: Any, app: Any, document_id: str) -> None:
    (text,) = connection.execute(
        "SELECT text FROM document_texts WHERE document_id = ?", (document_id,)
    ).fetchone()
    connection.execute(SPANS_SQL, (document_id,)).fetchall()
    editor.setPlainText(text)
    editor.viewport().repaint()
    app.processEvents()


def switch(project_path: str, settings_path: str, count: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QPlainTextEdit

    ids = document_ids(project_path)
    app, _project, window = _window(project_path, settings_path)
    reader, documents = window.reader, window.documents
    connection = _connect(project_path)
    editor = QPlainTextEdit()
    editor.resize(*READER_SIZE)
    editor.show()
    app.processEvents()

    suggesting = _suggesting(window)
    settled_ms = _wait(app, suggesting, SETTLE_S)  # the model trained at launch, first
    stuck = [settled_ms >= SETTLE_S * 1000]  # then waiting again would only slow the run

    def shown(action: Callable[[], object]) -> float:
        if not stuck[0]:
            stuck[0] = _wait(app, suggesting, SETTLE_S) >= SETTLE_S * 1000
        start = time.perf_counter()
        action()
        reader.viewport().repaint()
        app.processEvents()
        return _ms(start)

    steps: list[float] = []
    bare_steps: list[float] = []
    wrong: list[str] = []
    result: dict[str, Any] = {
        "wrong": wrong,
        "documents_listed": documents.model.rowCount(),
        "settled_ms": settled_ms,
    }
    # the first step is a warm-up; the list starts at the first document
    for n in range(1, min(int(count) + 2, len(ids))):
        took = shown(lambda: documents.step(1))
        if reader.document_id != ids[n]:
            wrong.append(f"step {n}: {reader.document_id} shown, {ids[n]} expected")
        start = time.perf_counter()
        _bare_show(connection, editor, app, ids[n])
        bare = _ms(start)
        if n > 1:
            steps.append(took)
            bare_steps.append(bare)
    keep({**result, "steps": steps, "bare_steps": bare_steps})
    jumps: list[float] = []
    bare_jumps: list[float] = []
    jumps_made = min(JUMPS, int(count))
    far = [ids[(len(ids) - 1) * k // jumps_made] for k in range(jumps_made, 0, -1)]
    for document_id in dict.fromkeys(far):
        if document_id == reader.document_id:
            continue
        jumps.append(shown(lambda d=document_id: documents.select(d)))
        if reader.document_id != document_id:
            wrong.append(f"select: {reader.document_id} shown, {document_id} expected")
        start = time.perf_counter()
        _bare_show(connection, editor, app, document_id)
        bare_jumps.append(_ms(start))
    window.suggestions.shutdown()
    return {
        **result,
        "steps": steps,
        "bare_steps": bare_steps,
        "jumps": jumps,
        "bare_jumps": bare_jumps,
    }


def export(project_path: str, out: str) -> dict[str, Any]:
    from annotator import service
    from annotator.store.project import Project

    with Project.open(Path(project_path), create=False) as project:
        start = time.perf_counter()
        service.export_to(project, "jsonl", Path(out))
        took = _ms(start)
    return {"ms": took, "lines": _lines(out)}


def _lines(path: str) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def import_(source: str, new: str) -> dict[str, Any]:
    from annotator import service
    from annotator.store.project import Project

    with Project.open(Path(new)) as project:
        start = time.perf_counter()
        outcome = service.import_file(project, Path(source))
        took = _ms(start)
        documents = len(project.documents())
    if outcome.summary is None:  # refused: a figure of nothing imported is no figure
        raise RuntimeError(outcome.message.rpartition(".jsonl: ")[2])
    return {"ms": took, "documents": documents, "message": outcome.message[:300]}


def agreement(project_path: str) -> dict[str, Any]:
    from annotator import service
    from annotator.store.project import Project

    with Project.open(Path(project_path), create=False) as project:
        start = time.perf_counter()
        report = service.agreement(project)
        took = _ms(start)
    overall = report.get("overall") or {}
    return {"ms": took, "alpha": overall.get("alpha")}


def concordance(project_path: str, settings_path: str, label: str) -> dict[str, Any]:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QUndoStack

    from annotator.gui.concordance import ConcordanceView
    from annotator.gui.context import AppContext
    from annotator.store.project import Project
    from benchmarks.harness import qt_app

    app = qt_app()
    project = Project.open(Path(project_path), create=False)
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    view = ConcordanceView(AppContext(project, settings, QUndoStack()))
    view.resize(1000, 300)
    app.processEvents()

    def timed(action: Callable[[], object]) -> float:
        """``action`` through the view's repaint, its single-shot timers (a refresh put off to
        the end of a burst of keys, say) run out."""
        start = time.perf_counter()
        action()
        view.repaint()
        app.processEvents()
        while any(t.isSingleShot() and t.isActive() for t in view.findChildren(QTimer)):
            app.processEvents()
            time.sleep(0.001)
        view.repaint()
        app.processEvents()
        return _ms(start)

    result: dict[str, Any] = {}
    # View → Concordance: the dock shown on the codebook's first label
    result["shown_ms"] = timed(view.show)
    result["first_rows"] = view.model.rowCount()
    keep(result)
    result["ms"] = timed(lambda: view.label_box.setCurrentIndex(view.label_box.findData(label)))
    result["rows"] = view.model.rowCount()
    keep(result)
    result["typed_ms"] = timed(lambda: view.filter.insert("e"))  # a character typed in its filter
    result["filtered"] = view.model.rowCount()
    return result


def merge(project_path: str, source: str) -> dict[str, Any]:
    from annotator import service
    from annotator.store.project import Project

    with Project.open(Path(project_path), create=False) as project:
        start = time.perf_counter()
        outcome = service.merge_file(project, Path(source))
        took = _ms(start)
    if outcome.report is None:
        raise RuntimeError(outcome.message)
    return {"ms": took, "message": outcome.message[:300]}


# -- bare jobs (standard library only) ---------------------------------------------------------


def bare_export(project_path: str, out: str) -> dict[str, Any]:
    start = time.perf_counter()
    connection = _connect(project_path)
    lines = 0
    try:
        documents = connection.execute(
            "SELECT d.id, d.title, d.source, d.status, d.metadata, t.text FROM documents d "
            "JOIN document_texts t ON t.document_id = d.id ORDER BY d.position"
        )
        with open(out, "w", encoding="utf-8") as handle:
            for document_id, title, source, status, metadata, text in documents:
                meta = {"id": document_id, "title": title, "source": source, "status": status}
                meta.update({k: v for k, v in json.loads(metadata).items() if k not in meta})
                spans = [
                    {
                        "start": row[1],
                        "end": row[2],
                        "label": row[9],
                        "text": row[3],
                        "attributes": json.loads(row[4]),
                    }
                    for row in connection.execute(SPANS_SQL, (document_id,))
                ]
                line = {"text": text, "meta": meta, "spans": spans}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                lines += 1
    finally:
        connection.close()
    return {"ms": _ms(start), "lines": lines}


def bare_import(source: str, empty: str, new: str) -> dict[str, Any]:
    shutil.copyfile(empty, new)
    start = time.perf_counter()
    connection = sqlite3.connect(new, isolation_level=None)
    now = datetime.now(UTC).isoformat()
    documents = 0
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
        label_ids = dict(connection.execute("SELECT name, id FROM labels"))
        connection.execute("BEGIN IMMEDIATE")
        with open(source, encoding="utf-8") as handle:
            for position, line in enumerate(handle):
                record = json.loads(line)
                text, meta = record["text"], record["meta"]
                document_id = uuid.uuid4().hex
                connection.execute(
                    "INSERT INTO documents (id, title, source, metadata, length, sha256, "
                    "created, status, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        document_id,
                        meta["title"],
                        meta["source"],
                        "{}",
                        len(text),
                        hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        now,
                        meta["status"],
                        position,
                    ),
                )
                connection.execute(
                    "INSERT INTO document_texts (document_id, text) VALUES (?, ?)",
                    (document_id, text),
                )
                connection.executemany(
                    'INSERT INTO annotations (id, document_id, label_id, start, "end", text, '
                    "attributes, note, annotator, created, modified) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            uuid.uuid4().hex,
                            document_id,
                            label_ids[s["label"]],
                            s["start"],
                            s["end"],
                            s["text"],
                            json.dumps(s["attributes"]),
                            "",
                            "",
                            now,
                            now,
                        )
                        for s in record["spans"]
                    ),
                )
                documents += 1
        connection.execute("COMMIT")
    finally:
        connection.close()
    return {"ms": _ms(start), "documents": documents}


def bare_agreement(project_path: str) -> dict[str, Any]:
    start = time.perf_counter()
    connection = _connect(project_path)
    try:
        spans = connection.execute(
            'SELECT a.annotator, a.document_id, l.name, a.start, a."end" FROM annotations a '
            "JOIN labels l ON l.id = a.label_id"
        ).fetchall()
    finally:
        connection.close()
    return {"ms": _ms(start), "spans": len(spans)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def bare_concordance(project_path: str, label: str) -> dict[str, Any]:
    start = time.perf_counter()
    connection = _connect(project_path)
    lines = []
    try:
        rows = connection.execute(
            'SELECT d.id, a.id, d.title, a.start, a."end", a.text, t.text FROM annotations a '
            "JOIN labels l ON l.id = a.label_id JOIN documents d ON d.id = a.document_id "
            "JOIN document_texts t ON t.document_id = d.id WHERE l.name = ? "
            "ORDER BY d.position, a.start",
            (label,),
        )
        for document_id, annotation_id, title, first, end, span, text in rows:
            left = _flat(text[max(0, first - CONTEXT) : first])[-CONTEXT:]
            right = _flat(text[end : end + CONTEXT])[:CONTEXT]
            lines.append((document_id, annotation_id, title, left, _flat(span), right))
    finally:
        connection.close()
    return {"ms": _ms(start), "rows": len(lines)}


def bare_merge(source: str) -> dict[str, Any]:
    start = time.perf_counter()
    connection = _connect(source)
    rows = 0
    try:
        for query in (
            "SELECT d.id, d.sha256, d.title, d.status, t.text FROM documents d "
            "JOIN document_texts t ON t.document_id = d.id",
            "SELECT a.*, l.name FROM annotations a JOIN labels l ON l.id = a.label_id",
        ):
            for _ in connection.execute(query):
                rows += 1
    finally:
        connection.close()
    return {"ms": _ms(start), "rows": rows}


JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    "switch": switch,
    "export": export,
    "import": import_,
    "agreement": agreement,
    "concordance": concordance,
    "merge": merge,
    "bare-export": bare_export,
    "bare-import": bare_import,
    "bare-agreement": bare_agreement,
    "bare-concordance": bare_concordance,
    "bare-merge": bare_merge,
}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in JOBS:
        print(f"usage: python -m benchmarks.corpus_jobs {{{','.join(JOBS)}}} RESULT ARG...")
        return 2
    _RESULT.append(Path(argv[1]))
    try:
        result = JOBS[argv[0]](*argv[2:])
    except Exception as exc:  # reported in the results table, the run goes on
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        traceback.print_exc()
    Path(argv[1]).write_text(json.dumps(result), encoding="utf-8")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # teardown (closing windows, the suggestions' pool) is not the figure


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
