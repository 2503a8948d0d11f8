"""A real full disk: a 2 MB tmpfs mounted by the test (as root; skipped, saying why, where
mounting is not allowed). An import, a label, a bulk codebook merge and a backup on a full disk
are refused or acknowledged, never half-done; a project whose last checkpoint ran out of room is
opened (SQLite reads it through its WAL) and completed when there is room, never called damaged
and never offered an older backup."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.core.templates import TEMPLATES
from annotator.gui import project_guard
from annotator.store import backups, codebook
from annotator.store.project import Project

from .conftest import SAMPLE
from .test_reliability_gui import apps, isolated, new_app  # noqa: F401

DISK_SIZE = "2m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A fresh 2 MB tmpfs at ``tmp_path/disk``, unmounted at the end whatever happens."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the full-disk tests run as root in CI)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def leave_free(disk: Path, kib: int) -> Path:
    """Fill ``disk`` with a filler file until about ``kib`` KiB are left; returns the filler."""
    status = os.statvfs(disk)
    free = status.f_bavail * status.f_frsize
    filler = disk / "filler"
    with filler.open("ab") as out:
        out.write(b"\0" * max(0, free - kib * 1024))
    return filler


def fill_up(disk: Path) -> Path:
    """Use up every last byte of ``disk`` (a filler file written until the disk refuses)."""
    filler = leave_free(disk, 0)
    with filler.open("ab", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 512)
        except OSError:
            pass
    return filler


def short_of_header(path: Path) -> bool:
    """Whether the project file is shorter than its SQLite header says (a cut-short checkpoint)."""
    header = path.read_bytes()[:100]
    page_size, page_count = (
        struct.unpack(">H", header[16:18])[0],
        struct.unpack(">I", header[28:32])[0],
    )
    return path.stat().st_size < page_size * page_count


def articles_json(path: Path, documents: int) -> Path:
    path.write_text(
        json.dumps(
            {
                "documents": [
                    {"text": f"document {i} " + "lorem ipsum dolor " * 400}
                    for i in range(documents)
                ]
            }
        ),
        encoding="utf-8",
    )
    return path


def cut_short_checkpoint(disk: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A project on ``disk`` whose import was acknowledged (into the WAL) but whose checkpoint on
    closing ran out of room, as in the field; returns it and the filler file. How much room
    that takes depends on SQLite and the filesystem, so a few amounts are tried."""
    articles = articles_json(tmp_path / "a.json", 40)
    for kib in (600, 700, 500, 800, 400, 900):
        project = disk / "p.annot"
        assert main(["import", str(project), str(SAMPLE)]) == 0
        backups.make_backup(project)  # an older backup (the import below makes none then)
        filler = leave_free(disk, kib)  # room for the WAL, not for copying it into the file
        assert main(["import", str(project), str(articles)]) == 0
        if short_of_header(project):
            return project, filler
        for made in disk.iterdir():
            if made.is_dir():
                shutil.rmtree(made)
            else:
                made.unlink()
    raise AssertionError("could not make a checkpoint run out of room")


def integrity(path: Path) -> list[tuple[str]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def test_an_import_whose_checkpoint_ran_out_of_room_leaves_a_healthy_project(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, filler = cut_short_checkpoint(small_disk, tmp_path)  # `import` said imported
    capsys.readouterr()
    # Every command still opens it: SQLite reads it whole through the WAL.
    assert main(["info", str(project)]) == 0
    out, err = capsys.readouterr()
    assert "Documents: 41" in out and err == ""
    # With room again, opening completes the checkpoint: the file is whole by itself.
    filler.unlink()
    with Project.open(project) as opened:
        assert len(opened.documents()) == 41
        assert not short_of_header(project)
    assert integrity(project) == [("ok",)]


def test_a_readable_project_is_opened_in_the_window_not_offered_a_backup(
    apps,  # noqa: F811 (the fixture imported above)
    small_disk: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project, _filler = cut_short_checkpoint(small_disk, tmp_path)  # and an older backup
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: asked.append(text))
    window = new_app(apps)._open_path(project, create=False)
    assert asked == [] and window is not None
    assert len(window.ctx.project.documents()) == 41
    window.close()
    window.ctx.project.close()


def test_labels_bulk_merges_and_backups_on_a_full_disk(small_disk: Path) -> None:
    path = small_disk / "p.annot"
    with Project.open(path) as project:
        document = (
            project.import_bundle(ImportedBundle([ImportedDocument("word " * 4000, "T")]))
            .added[0]
            .id
        )
        backups.make_backup(path)
        filler = fill_up(small_disk)
        saved = []
        with pytest.raises(ProjectError) as caught:  # labels until the disk refuses one
            for n in range(100_000):
                saved.append(
                    project.add_annotation(
                        document, "Claim", n % 3900, n % 3900 + 4, note="n" * 300
                    ).id
                )
        assert str(caught.value) == f"{path}: the disk is full; the last change was not saved"
        labels_before = project.labels()
        _name, template = TEMPLATES["qualitative-coding"]
        with pytest.raises(ProjectError, match="the disk is full"):
            codebook.merge_labels(project, list(template))  # a bulk write: all or nothing
        assert project.labels() == labels_before
        with pytest.raises(ProjectError, match="no backup could be made"):
            backups.make_backup(path)
        folder = backups.folder(path)
        assert [p.name for p in folder.iterdir() if p.name.endswith(".partial")] == []
        assert len(backups.list_backups(path)) == 1
        assert [a.id for a in project.annotations()] == sorted(
            saved, key=[a.id for a in project.annotations()].index
        )
        filler.unlink()  # room again: everything works, nothing was lost
        project.add_annotation(document, "Quote", 0, 4)
        codebook.merge_labels(project, list(template))
        assert backups.make_backup(path).is_file()
    with Project.open(path) as reopened:
        assert len(reopened.annotations()) == len(saved) + 1
    assert integrity(path) == [("ok",)]


def test_a_cli_import_on_a_full_disk_is_refused_and_the_project_still_opens(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = small_disk / "p.annot"
    assert main(["import", str(project), str(SAMPLE)]) == 0
    filler = fill_up(small_disk)
    capsys.readouterr()
    assert main(["import", str(project), str(articles_json(tmp_path / "a.json", 60))]) == 2
    out, err = capsys.readouterr()
    assert f"error: {project}: the disk is full; the last change was not saved\n" in err
    # Still full: SQLite cannot make the room it needs to read it; said so, never "damaged".
    assert main(["info", str(project)]) == 2
    out, err = capsys.readouterr()
    assert err == (
        f"annotator: error: {project}: cannot be opened now: the disk is full (SQLite needs a "
        "little room beside the project to read it); free some space and try again\n"
    )
    filler.unlink()
    assert main(["info", str(project)]) == 0
    assert "Documents: 1\n" in capsys.readouterr().out


def test_only_a_file_sqlite_cannot_read_is_offered_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.annot"
    Project.open(path).close()
    backups.make_backup(path)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: said.append("offered a backup"))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    error = ProjectError(path, "the project file is damaged (a check that was wrong)")
    assert project_guard.report_open_failure(None, path, error) is False
    assert said == [str(error)]  # the message, but no offer to replace a readable project
