"""Deeply nested JSON is a clean per-file error, and a batch import reports every file, even
after an internal error in one of them (issue 11, item 6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator import service
from annotator.cli import main
from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.io.jsonvalues import MAX_DEPTH
from annotator.io.sanitize import check_bundle
from annotator.service import Outcome, import_files
from annotator.store.project import Project


def nested(levels: int, leaf: object = "x") -> object:
    value = leaf
    for n in range(levels):
        value = {"k": value} if n % 2 else [value]
    return value


def deep_text(levels: int) -> str:
    """JSON text nested ``levels`` deep (json.dumps itself cannot write 2,000 levels)."""
    return (
        '{"k": ' * (levels // 2)
        + "[" * (levels - levels // 2)
        + "1"
        + "]" * (levels - levels // 2)
        + "}" * (levels // 2)
    )


def _project_json(metadata: object = None, attributes: object = None, deep: int = 0) -> str:
    span = {"label": "Claim", "start": 0, "end": 3, "attributes": {"deep": attributes}}
    document = {
        "text": "The claim.",
        "metadata": {"deep": metadata},
        "annotations": [span] if attributes is not None else [],
    }
    text = json.dumps({"format": "annotator-project", "version": 1, "documents": [document]})
    return text.replace('"@deep"', deep_text(deep))


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    files = {
        "first.txt": "The first article.",
        "deep-metadata.json": _project_json(metadata="@deep", deep=600),
        "deep-attributes.json": _project_json(attributes="@deep", deep=5000),
        "deep.jsonl": json.dumps({"text": "abc", "label": [], "x": "@deep"}).replace(
            '"@deep"', deep_text(700)
        ),
        "deep-tasks.json": json.dumps([{"data": {"text": "abc"}, "meta": "@deep"}]).replace(
            '"@deep"', deep_text(900)
        ),
        "last.txt": "The last article.",
    }
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return [tmp_path / name for name in files]


def test_deep_json_is_a_clean_error_for_that_file_only(
    tmp_path: Path, batch: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.annot"
    assert main(["import", str(project), *map(str, batch)]) == 1
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines()]
    assert len(lines) == len(batch)
    assert captured.out.splitlines() == [
        f"imported: {batch[0]}: 'The first article.'",
        f"imported: {batch[-1]}: 'The last article.'",
    ]
    errors = captured.err.splitlines()
    for path, line in zip(batch[1:-1], errors, strict=True):
        assert line.startswith(f"error: {path}: ")
        assert line.endswith(f"the JSON is nested too deeply (more than {MAX_DEPTH} levels)")
    assert "internal error" not in captured.err and "Traceback" not in captured.err
    with Project.open(project, create=False) as opened:
        assert [d.title for d in opened.documents()] == ["The first article.", "The last article."]


@pytest.mark.parametrize("where", ["metadata", "attributes"])
def test_deep_values_from_any_reader_are_refused_by_the_last_check(where: str) -> None:
    document = ImportedDocument(text="The claim.", title="t")
    if where == "metadata":
        document.metadata = {"deep": nested(500)}
    else:
        document.annotations = [ImportedAnnotation("Claim", 0, 3, attributes={"deep": nested(500)})]
    with pytest.raises(ImportFailed, match=f"{where}: it is nested more than {MAX_DEPTH} levels"):
        check_bundle(Path("x.qdpx"), ImportedBundle([document]))


def test_nesting_within_the_limit_is_kept(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text(_project_json(metadata=nested(MAX_DEPTH - 5)), encoding="utf-8")
    outcome = service.import_file(project, path)
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    document = project.document(project.documents()[0].id)
    assert document.metadata["deep"] == nested(MAX_DEPTH - 5)


def test_an_internal_error_in_one_file_does_not_stop_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for name in ("a.txt", "broken.txt", "c.txt"):
        (tmp_path / name).write_text(f"Article {name}.", encoding="utf-8")
        paths.append(tmp_path / name)
    real = service.read_parts

    def buggy(path: Path, **options: object) -> Iterator[ImportedBundle]:
        if path.name == "broken.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, **options)

    monkeypatch.setattr(service, "read_parts", buggy)
    with Project.open(tmp_path / "p.annot") as project:
        outcomes = import_files(project, paths)
        assert [o.outcome for o in outcomes] == [Outcome.IMPORTED, Outcome.ERROR, Outcome.IMPORTED]
        assert outcomes[1].message.startswith(f"{paths[1]}: internal error: RecursionError")
        assert len(project.documents()) == 2
    capsys.readouterr()
    assert main(["import", str(tmp_path / "q.annot"), *map(str, paths)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("imported: ") == 2
    assert f"error: {paths[1]}: internal error: RecursionError" in captured.err
    assert "Traceback" not in captured.err
