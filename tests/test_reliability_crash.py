"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it acknowledged,
and an import killed midway leaves the project exactly as it was."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.service import export_project
from annotator.store.project import Project

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

# A command-line-like writer: one annotation per transaction, each id printed (and flushed) only
# after add_annotation returned, i.e. after the commit.
WRITER = """
import random, sys
from annotator.store.project import Project

path, document_id, length, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
with Project.open(path, create=False) as project:
    print("ready", flush=True)
    n = 0
    while True:
        start = rng.randrange(length - 1)
        end = rng.randrange(start + 1, min(length, start + 40) + 1)
        added = project.add_annotation(document_id, rng.choice(["Claim", "Quote"]), start, end,
                                       attributes={"n": n}, note=f"edit {n} of round {seed}")
        print(added.id, flush=True)
        n += 1
"""


def integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(path)  # a writable connection replays a hot WAL, as we would
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def test_acknowledged_annotations_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "crash.annot"
    text = " ".join(f"word{i}" for i in range(3000))
    with Project.open(path) as project:
        document_id = (
            project.import_bundle(ImportedBundle([ImportedDocument(text, "T")])).added[0].id
        )
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rng = random.Random(20261127)
    acknowledged: list[str] = []
    for round_ in range(5):
        writer = subprocess.Popen(
            [sys.executable, str(script), str(path), document_id, str(len(text)), str(round_)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(writer.pid, signal.SIGKILL)
        output = writer.stdout.read()
        writer.wait()
        writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL
        # Only whole lines were acknowledged (a kill mid-print leaves a partial one).
        lines = output.split("\n")[:-1]
        assert lines, "the writer acknowledged nothing before the kill; raise the delay"
        acknowledged += lines
        assert integrity(path) == ["ok"], f"round {round_}"
        with Project.open(path, create=False) as project:
            stored = {a.id: a for a in project.annotations(document_id)}
        missing = [i for i in acknowledged if i not in stored]
        assert not missing, f"round {round_}: {len(missing)} acknowledged annotations lost"
        for annotation in stored.values():  # nothing half-written either
            assert annotation.text == text[annotation.start : annotation.end]
            assert annotation.note.startswith(f"edit {annotation.attributes['n']} of round ")
    assert len(acknowledged) > 20


def big_project_json(documents: int, per_document: int) -> str:
    rng = random.Random(7)
    docs = []
    for d in range(documents):
        text = f"Document {d}. " + " ".join(f"w{rng.randrange(10**6)}" for _ in range(400))
        spans = []
        for _ in range(per_document):
            start = rng.randrange(len(text) - 10)
            spans.append(
                {
                    "label": "Claim",
                    "start": start,
                    "end": start + rng.randint(1, 10),
                    "note": "bulk",
                }
            )
        docs.append({"title": f"Doc {d}", "text": text, "annotations": spans})
    return json.dumps({"format": "annotator-project", "version": 1, "documents": docs})


def snapshot(path: Path) -> str:
    with Project.open(path, create=False) as project:
        out = io.StringIO()
        export_project(project, out)
        return out.getvalue()


def test_import_killed_midway_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    original = tmp_path / "original.annot"
    with Project.open(original) as project:
        doc = project.import_bundle(ImportedBundle([ImportedDocument("Before the import.", "B")]))
        project.add_annotation(doc.added[0].id, "Quote", 0, 6, note="kept")
    big = tmp_path / "big.json"
    big.write_text(big_project_json(200, 100), encoding="utf-8")  # 20,000 annotations
    before = snapshot(original)
    script = Path(sys.executable).with_name("annotator")
    rng = random.Random(11)
    outcomes = []
    for round_ in range(3):
        path = tmp_path / f"round{round_}.annot"
        shutil.copyfile(original, path)  # closed cleanly: one file, no WAL
        wal = path.with_name(path.name + "-wal")
        importer = subprocess.Popen(
            [str(script), "import", str(path), str(big)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        # Wait until the import's one transaction is spilling pages into the WAL, then kill.
        while importer.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > 64 * 1024:
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.03))
        finished = importer.poll() is not None
        os.kill(importer.pid, signal.SIGKILL)
        out, _err = importer.communicate()
        assert integrity(path) == ["ok"]
        after = snapshot(path)
        if after == before:
            outcomes.append("rolled back" if not finished else "?")
            continue
        # It got to commit before the kill: then all of it is there, nothing partial.
        outcomes.append("committed")
        data = json.loads(after)
        assert len(data["documents"]) == 201
        assert sum(len(d["annotations"]) for d in data["documents"]) == 20_001
    assert "?" not in outcomes
    assert "rolled back" in outcomes, f"no kill landed inside the transaction: {outcomes}"
