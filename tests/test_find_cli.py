"""``annotator find``: the service's matches on standard output, as lines or JSON; a query
that cannot be searched for is one line on standard error and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("Hello world. 私は東京都に住んでいます。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("hello again, HELLO 👍 hello.\n", encoding="utf-8")
    project = tmp_path / "p.annot"
    assert main(["import", str(project), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    return project


def test_find_lists_each_match_with_its_offsets_and_context(corpus: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["find", str(corpus), "hello"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["0-5", "0-5", "13-18", "21-26"]
    assert lines[3].endswith("…hello again, HELLO 👍 [hello] .…")


def test_find_json_pages_with_limit_and_says_there_is_more(corpus: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["find", str(corpus), "東京都", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    (match,) = found["matches"]
    assert (match["start"], match["end"], match["match"]) == (15, 18, "東京都")
    assert found["more"] is False
    assert main(["find", str(corpus), "hello", "--json", "--limit", "2"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["matches"]) == 2 and found["more"] is True
    assert main(["find", str(corpus), "HELLO", "--json", "--case-sensitive"]) == 0
    assert [m["start"] for m in json.loads(capsys.readouterr().out)["matches"]] == [13]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["   "], "find: the query is empty"),
        (["x" * 1001], "find: the query is 1,001 characters long (at most 1,000)"),
        (["hello", "--limit", "0"], "find: --limit must be at least 1, not 0"),
    ],
)
def test_a_bad_query_is_one_line_and_exit_2(
    corpus: Path, capsys, arguments: list[str], message: str
) -> None:
    capsys.readouterr()
    assert main(["find", str(corpus), *arguments]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"annotator: error: {message}\n"


def test_find_on_a_server_project(pg_url: str, tmp_path: Path, capsys) -> None:
    (tmp_path / "k.txt").write_text("ខ្ញុំចូលចិត្តភាសាខ្មែរ។ Khmer.\n", encoding="utf-8")
    assert main(["import", pg_url, str(tmp_path / "k.txt")]) == 0
    capsys.readouterr()
    assert main(["find", pg_url, "ភាសាខ្មែរ", "--json"]) == 0
    (match,) = json.loads(capsys.readouterr().out)["matches"]
    assert (match["start"], match["end"]) == (13, 22)
