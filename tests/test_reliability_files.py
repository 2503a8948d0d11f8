"""Project files that are not ours, damaged, newer, read-only or on a full disk: a clear
one-line message, the file untouched where it was refused, and the store still usable."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store import database
from annotator.store.project import Project

from .conftest import SAMPLE
from .reliability import (
    BAD_PROJECTS,
    as_ordinary_user,
    disk_freed,
    disk_full,
    filled_project,
    reachable_tmp,
)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- refused whole, untouched -------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(BAD_PROJECTS))
def test_bad_project_is_refused_through_the_api(tmp_path: Path, kind: str) -> None:
    make, fragment = BAD_PROJECTS[kind]
    path = make(tmp_path / "bad.annot")
    before, names = path.read_bytes(), listing(tmp_path)
    for read_only in (False, None, True):
        with pytest.raises(ProjectError) as caught:
            Project.open(path, create=False, read_only=read_only)
        assert str(caught.value).startswith(f"{path}: ") and fragment in str(caught.value)
        assert "\n" not in str(caught.value)
    assert path.read_bytes() == before and listing(tmp_path) == names


@pytest.mark.parametrize("command", ["info", "export", "import"])
@pytest.mark.parametrize("kind", sorted(BAD_PROJECTS))
def test_bad_project_through_the_cli_is_one_line_exit_2(
    tmp_path: Path, kind: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, fragment = BAD_PROJECTS[kind]
    path = make(tmp_path / "bad.annot")
    before, names = path.read_bytes(), listing(tmp_path)
    args = [command, str(path)] + ([str(SAMPLE)] if command == "import" else [])
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"annotator: error: {path}: ") and fragment in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert path.read_bytes() == before and listing(tmp_path) == names


def test_a_garbage_page_is_damaged_from_the_installed_script(tmp_path: Path) -> None:
    """The same, as a user runs it: a separate process, no traceback anywhere."""
    make, _fragment = BAD_PROJECTS["garbage page"]
    path = make(tmp_path / "bad.annot")
    script = Path(sys.executable).with_name("annotator")
    for command in ("info", "export"):
        result = subprocess.run(
            [str(script), command, str(path)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2
        assert result.stderr.startswith(f"annotator: error: {path}: the project file is damaged")
        assert "Traceback" not in result.stderr + result.stdout


def test_garbled_bytes_inside_a_stored_text_say_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damage SQLite's page check cannot see (bytes inside a value) is still "damaged"."""
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        project.import_bundle(
            ImportedBundle([ImportedDocument("Marker-ABCDEFGH is here.", "T", annotations=[])])
        )
    data = path.read_bytes()
    assert data.count(b"Marker-ABCDEFGH") == 1
    path.write_bytes(data.replace(b"Marker-ABCDEFGH", b"Marker-\xff\xfe\xff\xfeEFGH"))
    assert main(["export", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: {path}: the project file is damaged")


def test_a_folder_is_not_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tmp_path)]) == 2
    assert (
        capsys.readouterr().err == f"annotator: error: {tmp_path}: is a folder, not a "
        "project file\n"
    )


# -- read-only projects -------------------------------------------------------------------------

WRITES: dict[str, Callable[[Project, str], object]] = {
    "add": lambda p, d: p.add_annotation(d, "Claim", 0, 4),
    "update": lambda p, d: p.update_annotation(p.annotations(d)[0].id, note="x"),
    "delete": lambda p, d: p.delete_annotations([p.annotations(d)[0].id]),
    "status": lambda p, d: p.set_document_status(d, "done"),  # type: ignore[arg-type]
    "import": lambda p, d: p.import_bundle(ImportedBundle([ImportedDocument("New", "N")])),
    "delete documents": lambda p, d: p.delete_documents([d]),
}


def test_read_only_flag_reads_everything_and_refuses_every_write(tmp_path: Path) -> None:
    """The honest path as root too: the store's own read-only mode (SQLite mode=ro)."""
    path = filled_project(tmp_path / "p.annot", documents=2)
    with Project.open(path, create=False) as project:
        expected = project.annotations(), project.documents(), project.labels()
    before = path.read_bytes()
    with Project.open(path, create=False, read_only=True) as project:
        assert project.read_only and project.read_only_reason == "opened read-only"
        assert (project.annotations(), project.documents(), project.labels()) == expected
        document_id = project.documents()[0].id
        for name, write in WRITES.items():
            with pytest.raises(
                ProjectError,
                match=r"is open read-only \(opened read-only\); "
                "the change was not saved",
            ):
                write(project, document_id)
            assert project.annotations() == expected[0], name
        # SQLite itself refuses too, should anything get past the store's own check.
        project.read_only_reason = None
        with pytest.raises(ProjectError, match="read-only"):
            project.add_annotation(document_id, "Claim", 0, 4)
    assert path.read_bytes() == before


def test_read_only_flag_never_creates_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "new.annot", read_only=True)
    assert listing(tmp_path) == []


def test_read_only_file_opens_read_only(tmp_path: Path) -> None:
    Project.open(tmp_path / "warm.annot").close()  # load every module before dropping rights
    with reachable_tmp() as base:
        folder = base / "writable folder"
        folder.mkdir(mode=0o777)
        os.chmod(folder, 0o777)
        path = filled_project(folder / "p.annot", documents=2)
        os.chmod(path, 0o444)
        before = path.read_bytes()
        with as_ordinary_user():
            with pytest.raises(PermissionError):  # the kernel enforces the mode, even for root
                path.open("r+b")
            with pytest.raises(ProjectError, match="cannot be changed: the file is not writable"):
                Project.open(path)
            with Project.open(path, read_only=None) as project:
                assert project.read_only_reason == "the file is not writable"
                assert len(project.annotations()) == 2 * 112
                with pytest.raises(ProjectError, match="is open read-only"):
                    project.add_annotation(project.documents()[0].id, "Claim", 0, 3)
        assert path.read_bytes() == before


def test_read_only_folder_opens_read_only_and_leaves_no_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Project.open(tmp_path / "warm.annot").close()
    with reachable_tmp() as base:
        folder = base / "read-only folder"
        folder.mkdir()
        path = filled_project(folder / "p.annot", documents=2)
        os.chmod(path, 0o666)  # the file itself is writable: only the folder is not
        os.chmod(folder, 0o555)
        before = path.read_bytes()
        with as_ordinary_user():
            with pytest.raises(PermissionError):
                (folder / "p.annot-wal").touch()
            assert database.read_only_reason(path) == f"its folder {folder} is not writable"
            with Project.open(path, read_only=None) as project:
                assert len(project.documents()) == 2
            assert main(["info", str(path)]) == 0
            assert main(["export", str(path)]) == 0
            assert main(["import", str(path), str(SAMPLE)]) == 2
        out, err = capsys.readouterr()
        assert "Annotations: 224" in out
        assert (
            err == f"annotator: error: {path}: cannot be changed: its folder {folder} is "
            "not writable\n"
        )
        assert path.read_bytes() == before and listing(folder) == ["p.annot"]


# -- a full disk --------------------------------------------------------------------------------


def test_full_disk_refuses_the_change_and_keeps_every_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        text = "word " * 2000
        document_id = (
            project.import_bundle(ImportedBundle([ImportedDocument(text, "T")])).added[0].id
        )
        disk_full(project)
        saved = []
        with pytest.raises(ProjectError) as caught:
            for n in range(5000):
                saved.append(
                    project.add_annotation(
                        document_id, "Claim", n % 1900, n % 1900 + 4, note="x" * 200
                    ).id
                )
        assert str(caught.value) == f"{path}: the disk is full; the last change was not saved"
        assert saved, "the limit should leave room for a few writes first"
        big = ImportedBundle([ImportedDocument(f"doc {i} " * 300, f"D{i}") for i in range(20)])
        with pytest.raises(ProjectError, match="disk is full"):
            project.import_bundle(big)
        assert len(project.documents()) == 1  # nothing of the import
        assert [a.id for a in project.annotations()] == sorted(
            saved, key=[a.id for a in project.annotations()].index
        )
        disk_freed(project)
        project.add_annotation(document_id, "Quote", 0, 4)  # usable again
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert connection.execute("SELECT count(*) FROM annotations").fetchone()[0] == len(saved) + 1
    connection.close()


def test_full_disk_during_a_cli_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.annot"
    Project.open(path).close()
    opened = Project.open

    def open_on_a_full_disk(*args: object, **kwargs: object) -> Project:
        project = opened(*args, **kwargs)  # type: ignore[arg-type]
        disk_full(project)
        return project

    monkeypatch.setattr(Project, "open", open_on_a_full_disk)
    big = tmp_path / "big.json"
    big.write_text(
        '{"documents": ['
        + ", ".join(f'{{"text": "document {i} {"text " * 400}"}}' for i in range(30))
        + "]}",
        "utf-8",
    )
    assert main(["import", str(path), str(big)]) == 2  # nothing imported
    out, err = capsys.readouterr()
    assert err == f"error: {path}: the disk is full; the last change was not saved\n"
    monkeypatch.undo()
    with Project.open(path) as project:
        assert project.documents() == []


# -- the catch-all ------------------------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object) -> list[str]:
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr("annotator.service.info_lines", broken)
    path = tmp_path / "p.annot"
    Project.open(path).close()
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "annotator: internal error: ZeroDivisionError: division by zero (a bug in "
        "Annotator: run again with ANNOTATOR_DEBUG=1 to see the traceback, and please "
        "report it)\n"
    )
    monkeypatch.setenv("ANNOTATOR_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["info", str(path)])


def test_an_unexpected_exception_in_the_installed_script(tmp_path: Path) -> None:
    """A reader that crashes (here: a non-UTF-8 locale would be fine; we break the JSON
    reader) gives the one-line internal error, not a traceback."""
    path = tmp_path / "p.annot"
    Project.open(path).close()
    code = (
        "import sys; import annotator.io.native_json as n; "
        "n.parse_project = lambda data: [][1]; "
        "from annotator.cli import main; sys.exit(main())"
    )
    bad = tmp_path / "x.json"
    bad.write_text('{"documents": []}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", code, "import", str(path), str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # One file's bug is that file's error: the rest of a batch goes on (issue 11, item 6); here
    # it was the only file, so nothing was imported.
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"error: {bad}: internal error: IndexError: list index out of range (a bug in Annotator"
    )
    assert "Traceback" not in result.stderr


def test_annotations_written_before_a_failure_stay(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.open(path) as project:
        doc = project.import_bundle(
            ImportedBundle(
                [
                    ImportedDocument(
                        "One two three", "T", annotations=[ImportedAnnotation("Claim", 0, 3)]
                    )
                ]
            )
        )
        with pytest.raises(ValueError):
            project.add_annotations(doc.added[0].id, "Claim", [(4, 7), (8, 99)])
        assert [(a.start, a.end) for a in project.annotations()] == [(0, 3)]
