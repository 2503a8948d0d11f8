"""Every registered export format through the command line, on a rich and on an empty project;
a failed export leaves nothing behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.io.registry import EXPORT_FORMATS
from annotator.store.project import Project
from tests.test_interchange_common import build, export

NEW_FORMATS = [name for name in EXPORT_FORMATS if name != "json"]


@pytest.fixture
def rich_path(tmp_path: Path) -> Path:
    path = tmp_path / "rich.annot"
    with Project.open(path) as project:
        build(project)
    return path


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_every_format_exports_from_the_command_line(
    rich_path: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = EXPORT_FORMATS[fmt]
    out = tmp_path / f"out{spec.extension or '-folder'}"
    assert (
        main(["export", str(rich_path), "--format", fmt, "-o", str(out), "--org-name", "FC"]) == 0
    )
    assert out.is_dir() if not spec.extension else out.is_file() and out.stat().st_size > 0
    capsys.readouterr()
    code = main(["export", str(rich_path), "--format", fmt])
    captured = capsys.readouterr()
    if spec.stdout_ok:
        assert code == 0 and captured.out
    else:
        assert code == 2 and "name it with -o" in captured.err


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_an_empty_project_exports(project: Project, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"empty{EXPORT_FORMATS[fmt].extension or '-folder'}"
    export(project, fmt, target)
    assert target.exists()


@pytest.mark.parametrize("fmt", ["qdpx", "brat", "xlsx", "spacy", "conll"])
def test_a_failed_export_leaves_nothing_behind(
    project: Project, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project)
    out = tmp_path / "out"
    out.mkdir()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)  # qdpx, xlsx
    monkeypatch.setattr(Path, "write_text", broken)  # brat
    monkeypatch.setattr(Path, "write_bytes", broken)  # spacy
    import annotator.io.conll as conll

    monkeypatch.setattr(conll, "document_lines", broken)
    target = out / f"x{EXPORT_FORMATS[fmt].extension}"
    with pytest.raises((AnnotatorError, OSError)):
        export(project, fmt, target)
    assert list(out.iterdir()) == []
