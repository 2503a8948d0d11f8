"""Two instances on one project: writes interleave safely (WAL, 5 s busy timeout), nothing is
lost or corrupted; in the window, the second instance is asked first (tests in _gui)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store.project import Project

TEXT = " ".join(f"word{i}" for i in range(500))

WRITER = """
import sys
from annotator.store.project import Project

path, document_id, count, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with Project.open(path, create=False) as project:
    for n in range(count):
        added = project.add_annotation(document_id, "Claim", n, n + 3, note=f"{tag} {n}")
        project.update_annotation(added.id, attributes={"verdict": "true"})
        if n % 10 == 9:
            project.delete_annotations([added.id])
print("done", flush=True)
"""


def new_project(path: Path) -> str:
    with Project.open(path) as project:
        return project.import_bundle(ImportedBundle([ImportedDocument(TEXT, "T")])).added[0].id


def integrity(path: Path) -> list[tuple[str]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def test_two_project_objects_writing_interleaved(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    document_id = new_project(path)
    with Project.open(path) as first, Project.open(path) as second:
        for n in range(100):
            a = first.add_annotation(document_id, "Claim", n, n + 2, note=f"first {n}")
            b = second.add_annotation(document_id, "Quote", n, n + 4, note=f"second {n}")
            # each sees the other's committed work at once
            assert {a.id, b.id} <= {x.id for x in first.annotations(document_id)}
            assert {a.id, b.id} <= {x.id for x in second.annotations(document_id)}
            second.update_annotation(a.id, note=f"edited by second {n}")
            first.delete_annotations([b.id]) if n % 4 == 0 else None
        assert first.annotations() == second.annotations()
        notes = [a.note for a in first.annotations()]
    assert len(notes) == 100 + 75
    assert sum(note.startswith("edited by second") for note in notes) == 100
    assert integrity(path) == [("ok",)]


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    document_id = new_project(path)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), str(path), document_id, "60", tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("A", "B")
    ]
    # A third instance reads while they write: always a consistent snapshot.
    with Project.open(path, create=False) as reader:
        while any(w.poll() is None for w in writers):
            for annotation in reader.annotations(document_id):
                assert annotation.text == TEXT[annotation.start : annotation.end]
    for writer in writers:
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert out == "done\n"
    with Project.open(path, create=False) as project:
        notes = sorted(a.note for a in project.annotations())
        assert all(a.attributes == {"verdict": "true"} for a in project.annotations())
    expected = sorted(f"{tag} {n}" for tag in "AB" for n in range(60) if n % 10 != 9)
    assert notes == expected
    assert integrity(path) == [("ok",)]
