"""The command line: exit codes, one-line errors on stderr, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from annotator import __version__
from annotator.cli import main
from annotator.resources_path import PROJECT_SCHEMA, resource

from .conftest import SAMPLE


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # a hostile terminal must not matter
    script = Path(sys.executable).with_name("annotator")
    return subprocess.run(
        [str(script), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_import_then_export_prints_json_the_schema_accepts(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    imported = run("import", project, SAMPLE)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported: ")
    assert "Cambodia Moves Up on US Trafficking List" in imported.stdout
    exported = run("export", project)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    jsonschema.validate(data, json.loads(resource(PROJECT_SCHEMA).read_text(encoding="utf-8")))
    assert data["documents"][0]["text"] == SAMPLE.read_text(encoding="utf-8").strip()


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"annotator {__version__}"


@pytest.mark.parametrize(
    "args", [["--help"], ["import", "--help"], ["export", "--help"], ["info", "--help"]]
)
def test_every_command_has_help(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 0
    assert "usage: annotator" in capsys.readouterr().out


def test_import_reports_each_file_and_exits_1_when_some_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    missing = tmp_path / "missing.txt"
    code = main(["import", str(project), str(SAMPLE), str(SAMPLE), str(missing)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("imported: ")
    assert lines[1].startswith("skipped: ") and "already in the project" in lines[1]
    assert err.strip() == f"error: {missing}: no such file"


def test_an_import_that_brings_nothing_creates_no_project_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    missing = tmp_path / "missing.txt"

    code = main(["import", str(project), str(missing)])

    err = capsys.readouterr().err
    assert code == 2
    assert sorted(tmp_path.iterdir()) == []
    assert err.splitlines() == [f"error: {missing}: no such file"]


def test_a_failed_import_into_an_existing_project_keeps_it(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    assert main(["import", str(project), str(SAMPLE)]) == 0
    before = project.stat().st_size

    assert main(["import", str(project), str(tmp_path / "missing.txt")]) == 2

    assert project.is_file() and project.stat().st_size >= before


def test_a_merge_of_nothing_creates_no_target(tmp_path: Path) -> None:
    target = tmp_path / "team.annot"

    assert main(["merge", str(target), str(tmp_path / "nothere.annot")]) == 2

    assert not target.exists()


def test_skipping_a_duplicate_is_not_a_failure(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    assert main(["import", str(project), str(SAMPLE)]) == 0
    assert main(["import", str(project), str(SAMPLE)]) == 0


def test_export_to_a_file_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.annot"
    main(["import", str(project), str(SAMPLE)])
    out_file = tmp_path / "out.json"
    assert main(["export", str(project), "--format", "json", "-o", str(out_file)]) == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["format"] == "annotator-project"
    capsys.readouterr()
    assert main(["info", str(project)]) == 0
    info = capsys.readouterr().out
    assert "Documents: 1" in info
    assert "[1] Claim: 0 annotations  (verdict: choice, checkworthy: boolean)" in info
    assert "Annotations: 0" in info


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["info", "{tmp}/absent.annot"], "{tmp}/absent.annot: no such project file"),
        (["export", "{tmp}/absent.annot"], "{tmp}/absent.annot: no such project file"),
        (
            ["info", "{sample}"],
            "{sample}: not an Annotator project (the file is not a SQLite database)",
        ),
        (["import", "{sample}", "{sample}"], "{sample}: not an Annotator project"),
        (
            ["export", "{tmp}/p.annot", "-o", "{tmp}/no/such/dir/out.json"],
            "{tmp}/no/such/dir/out.json: cannot be written",
        ),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    run("import", tmp_path / "p.annot", SAMPLE)
    args = [a.format(tmp=tmp_path, sample=SAMPLE) for a in args]
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(
        "annotator: error: " + message.format(tmp=tmp_path, sample=SAMPLE)
    )


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (
        ["import", tmp_path / "p.annot"],
        ["export"],
        ["export", tmp_path / "p.annot", "--format", "nope"],
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_a_file_that_fails_leaves_the_project_unchanged(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    run("import", project, SAMPLE)
    before = run("export", project).stdout
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"documents": [{"text": "ok"}, {"text": "x", "annotations": '
        '[{"label": "Claim", "start": 0, "end": 9}]}]}',
        encoding="utf-8",
    )
    result = run("import", project, bad)
    assert result.returncode == 2  # nothing could be imported
    assert result.stderr.startswith(f"error: {bad}: document 2")
    assert run("export", project).stdout == before


def test_exported_files_get_the_usual_permissions(tmp_path: Path) -> None:
    project = tmp_path / "p.annot"
    run("import", project, SAMPLE)
    old = os.umask(0o022)
    try:
        for fmt, name in (
            ("json", "out.json"),
            ("csv", "out.csv"),
            ("qdpx", "out.qdpx"),
            ("brat", "brat"),
        ):
            assert main(["export", str(project), "--format", fmt, "-o", str(tmp_path / name)]) == 0
            mode = (tmp_path / name).stat().st_mode & 0o777
            assert mode == (0o755 if fmt == "brat" else 0o644), (fmt, oct(mode))
    finally:
        os.umask(old)
