"""What a killed export, backup, copy or project creation leaves behind is cleaned up on the next
open (or the next export to that folder): only our own temporary names, and only once nothing
has written to them for an hour."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from annotator.core import leftovers
from annotator.io.files import atomic_file, atomic_folder
from annotator.service import export_to
from annotator.store import backups
from annotator.store.project import Project

HOUR = 60 * 60


def make(path: Path, age: float, folder: bool = False) -> Path:
    """A leftover (file or folder with a file in it) last written ``age`` seconds ago."""
    if folder:
        path.mkdir()
        (path / "a.txt").write_text("half an export", encoding="utf-8")
        os.utime(path / "a.txt", (time.time() - age,) * 2)
    else:
        path.write_bytes(b"x" * 4096)
    os.utime(path, (time.time() - age,) * 2)
    return path


def test_our_temporary_names_are_the_ones_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patterns match what the writers really create (so a rename cannot silently stop the
    cleaning)."""
    with atomic_file(tmp_path / "out.csv") as temporary:
        assert any(p.match(temporary.name) for p in leftovers.BESIDE), temporary.name
    with atomic_folder(tmp_path / "brat") as temporary:
        assert any(p.match(temporary.name) for p in leftovers.BESIDE), temporary.name
    project = tmp_path / "p.annot"
    Project.open(project).close()
    seen: list[str] = []
    copy = backups._copy

    def watch(source: object, target: Path) -> None:
        seen.append(target.name)
        copy(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "_copy", watch)
    backups.make_backup(project)
    assert seen and all(any(p.match(n) for p in leftovers.IN_BACKUPS) for n in seen), seen


def test_opening_a_project_removes_stale_leftovers_only(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    Project.open(project).close()
    backups.make_backup(project)
    folder = backups.folder(project)
    stale = [
        make(tmp_path / ".out.csv.k3j4h5g6.annotator-tmp", 2 * HOUR),
        make(tmp_path / ".corpus.ab_cd123.annotator-tmp", 2 * HOUR, folder=True),
        make(tmp_path / ".p.annot.1a2b3c4d.creating", 2 * HOUR),
        make(tmp_path / ".p.annot.1a2b3c4d.creating-wal", 2 * HOUR),
        make(tmp_path / ".copy.annot.1a2b3c4d.saving", 2 * HOUR),
        make(tmp_path / ".p.annot.restoring", 2 * HOUR),
        make(folder / ".p-20260101-000000.annot.partial", 2 * HOUR),
        make(folder / ".p-20260101-000000.annot.partial-journal", 2 * HOUR),
    ]
    kept = [
        make(tmp_path / ".out.csv.zzzzzzzz.annotator-tmp", 60),  # being written right now
        make(tmp_path / ".corpus.zzzzzzzz.annotator-tmp", 2 * HOUR, folder=True),
        make(tmp_path / ".notes.txt.partial", 2 * HOUR),  # .partial is ours only in backups/
        make(tmp_path / ".bashrc", 2 * HOUR),
        make(tmp_path / "report.annotator-tmp", 2 * HOUR),  # not hidden: not ours
        make(tmp_path / ".report.txt.abc.annotator-tmp", 2 * HOUR),  # not our 8 characters
        make(folder / ".p-20260101-000000.annot.partial2", 2 * HOUR),
    ]
    os.utime(kept[1] / "a.txt")  # a folder export still writing into its folder
    before = {p.name: p.stat().st_mtime for p in tmp_path.iterdir()}
    Project.open(project).close()
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    assert (project.stat().st_mtime, len(backups.list_backups(project))) == (before["p.annot"], 1)


def test_a_read_only_open_sweeps_nothing(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    Project.open(project).close()
    leftover = make(tmp_path / ".out.csv.k3j4h5g6.annotator-tmp", 2 * HOUR)
    Project.open(project, read_only=True).close()
    assert leftover.exists()


def test_an_export_sweeps_its_folder(tmp_path: Path) -> None:
    Project.open(tmp_path / "p.annot").close()
    out = tmp_path / "exports"
    out.mkdir()
    stale = make(out / ".claims.csv.k3j4h5g6.annotator-tmp", 2 * HOUR)
    fresh = make(out / ".claims.csv.zzzzzzzz.annotator-tmp", 10)
    with Project.open(tmp_path / "p.annot") as project:
        export_to(project, "csv", out / "claims.csv")
    assert not stale.exists() and fresh.exists()
    assert sorted(p.name for p in out.iterdir()) == [fresh.name, "claims.csv"]
