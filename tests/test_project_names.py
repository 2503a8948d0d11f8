"""Project names with ``?``, ``%``, ``#`` and very long names (issue 11, item 5): every SQLite
connection goes through a quoted ``file:`` URI, so a name is never cut short into another file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.store import backups
from annotator.store.database import sqlite_uri
from annotator.store.project import Project

from .conftest import sql

NAMES = [
    "Claims?draft.annot",
    "Claims%20x.annot",
    "Claims#1.annot",
    "Claims?mode=ro.annot",
    "Claims%3F.annot",
    "Claims&x=1?y#z%.annot",
]


@pytest.mark.parametrize("name", NAMES)
def test_an_import_lands_in_the_project_named(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("The minister said the report was wrong.", encoding="utf-8")
    for stem in ("Claims", "Claims.annot"):  # the names a cut-short URL would open instead
        with Project.open(tmp_path / stem):
            pass
    target = tmp_path / name
    assert main(["import", str(target), str(article)]) == 0, capsys.readouterr().err
    assert sql(target, "SELECT count(*) FROM documents") == [(1,)]
    for stem in ("Claims", "Claims.annot"):
        assert sql(tmp_path / stem, "SELECT count(*) FROM documents") == [(0,)]
    found = {p.name for p in tmp_path.iterdir()} - {f"{name}-wal", f"{name}-shm"}
    assert found == {"article.txt", "Claims", "Claims.annot", name}
    assert main(["info", str(target)]) == 0
    assert "Documents: 1" in capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_labels_backups_and_reopening_work_with_such_names(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with Project.open(path) as project:
        doc = project.import_bundle(_bundle()).added[0].id
        project.add_annotation(doc, "Claim", 0, 3)
    made = backups.make_backup(path)
    with Project.open(path, read_only=True) as project:
        assert sum(project.annotation_counts().values()) == 1
    assert [b.annotations for b in backups.list_backups(path, check=True)] == [1]
    assert made.parent == backups.folder(path)
    found = {p.name for p in tmp_path.iterdir()} - {f"{name}-wal", f"{name}-shm"}
    assert found == {name, f"{name}.backups"}


def _bundle():  # type: ignore[no-untyped-def]
    from annotator.core.model import ImportedBundle, ImportedDocument

    return ImportedBundle([ImportedDocument(text="The claim.", title="t")])


def test_the_uri_is_quoted_and_absolute_paths_have_no_host() -> None:
    assert sqlite_uri(Path("/a b/c?d#e%f"), mode="ro") == "file:///a%20b/c%3Fd%23e%25f?mode=ro"
    assert sqlite_uri(Path("//server/x")).startswith("file:////server")
    assert sqlite_uri(Path("rel?x")) == "file:rel%3Fx"


def test_a_name_of_240_characters_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("text", encoding="utf-8")
    long = tmp_path / ("L" * 240 + ".annot")
    assert main(["import", str(long), str(article)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {long}: the name is too long for the filesystem")
    assert "246 bytes, at most" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with pytest.raises(ProjectError, match="too long for the filesystem"):
        Project.open(long)


def test_a_name_longer_than_the_filesystem_allows_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    longer = tmp_path / ("L" * 300 + ".annot")
    for argv in (
        ["import", str(longer), os.devnull],
        ["info", str(longer)],
        ["labels", str(longer), "--template", "fact-check"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "the name is too long for the filesystem" in err and "Traceback" not in err
    with pytest.raises(ProjectError, match="too long for the filesystem"):
        Project.open(longer)
